"""Database-level guarantees shared by several apps."""

from __future__ import annotations

from django.db import migrations


def _sqlite_triggers(cursor, table: str) -> None:
    for op in ("UPDATE", "DELETE"):
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS {table}_no_{op.lower()} BEFORE {op} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{op} on {table} refused: append-only table'); END;"
        )


def append_only(table: str) -> migrations.RunPython:
    """A migration operation making ``table`` append-only in the database itself.

    UPDATE and DELETE raise on PostgreSQL and SQLite, whatever the caller (ORM, admin, raw SQL).
    TRUNCATE is a table-owner privilege; production runs the application under a role that does
    not own the tables (README, "Production").
    """

    def forwards(apps, schema_editor):
        conn = schema_editor.connection
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                cursor.execute(
                    f"""
                    CREATE OR REPLACE FUNCTION {table}_append_only() RETURNS trigger AS $$
                    BEGIN
                        RAISE EXCEPTION '% on {table} refused: append-only table', TG_OP
                            USING ERRCODE = 'insufficient_privilege';
                    END $$ LANGUAGE plpgsql;
                    """
                )
                cursor.execute(
                    f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                    f"FOR EACH ROW EXECUTE FUNCTION {table}_append_only();"
                )
            elif conn.vendor == "sqlite":
                _sqlite_triggers(cursor, table)
            else:  # pragma: no cover - only the two supported databases
                raise RuntimeError(f"append-only triggers not implemented for {conn.vendor}")

    def backwards(apps, schema_editor):
        conn = schema_editor.connection
        with conn.cursor() as cursor:
            if conn.vendor == "postgresql":
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};")
                cursor.execute(f"DROP FUNCTION IF EXISTS {table}_append_only();")
            else:
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_update;")
                cursor.execute(f"DROP TRIGGER IF EXISTS {table}_no_delete;")

    return migrations.RunPython(forwards, backwards)


def reinstate_append_only(table: str) -> list[migrations.RunPython]:
    """Wrap a schema change of an append-only table that SQLite performs by rebuilding the table.

    SQLite's ALTER TABLE cannot add a NOT NULL column, so Django copies the table and drops the
    old one, and its triggers with it. The first operation restores them when the change is
    unapplied, the second after it is applied. PostgreSQL alters in place and keeps its trigger.
    Use as ``[*before, AddField(...), *after]`` with ``before, after = reinstate_append_only(t)``.
    """

    def restore(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            with schema_editor.connection.cursor() as cursor:
                _sqlite_triggers(cursor, table)

    return [
        migrations.RunPython(migrations.RunPython.noop, restore),
        migrations.RunPython(restore, migrations.RunPython.noop),
    ]
