from django.db import migrations

from enforcement.db import append_only


class Migration(migrations.Migration):
    """Ledger postings refuse UPDATE and DELETE in the database itself (SPEC §6.3: immutable postings)."""

    dependencies = [("funds", "0001_initial")]

    operations = [append_only("funds_posting")]
