"""The breach scan (SPEC §5): due-soon, breached and escalated alerts, at most one per level.

It reads only deadlines whose ``next_alert_at`` has passed (partial index ``deadline_scan_idx``),
in bounded batches locked with ``SKIP LOCKED`` on PostgreSQL, so two workers never process one
row, and each processed row's ``next_alert_at`` moves on — a repeated run finds nothing. The
``(deadline, level)`` unique constraint is the last line: even a duplicate attempt inserts nothing.

Set-based: a batch is a handful of statements the database runs over the due rows — claim the
batch's ids, insert its alerts (``INSERT … SELECT``, conflicts ignored), insert their
notifications and the outbox row that delivers them after commit, move each row's level, status
and ``next_alert_at`` on. No model instance is built per row and no calendar arithmetic is done:
the moments each level falls due are stored on the row (``due_soon_at``, ``escalate_at``, see
``deadlines.services.set_alert_moments``). The same code runs on PostgreSQL and SQLite; what
differs between them is confined to ``_dialect``.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from enforcement.models import Notification, Role, User, UserRole
from enforcement.notifications import DELIVER_TOPIC
from enforcement.outbox import outbox_send

from .models import Alert, AlertLevel, Deadline
from .rules_data import NODE_NAMES

BATCH_SIZE = 2000

D, A, N = Deadline._meta.db_table, Alert._meta.db_table, Notification._meta.db_table
U, UR = User._meta.db_table, UserRole._meta.db_table


@dataclass
class ScanResult:
    raised: Counter = field(default_factory=Counter)
    batches: int = 0
    examined: int = 0
    alerts: list[tuple[int, str, str]] = field(default_factory=list)  # (deadline, node, level)

    def summary(self) -> str:
        parts = [f"{AlertLevel(k).label} {v}" for k, v in sorted(self.raised.items())]
        return f"检查 {self.examined} 个期限，{self.batches} 批；新增预警：" + ("、".join(parts) if parts else "无")


@dataclass(frozen=True)
class Dialect:
    lock: str  # appended to the batch's SELECT
    insert_ignore: str  # "INSERT …" that skips a row breaking a unique constraint
    on_conflict: str  # … and its tail
    in_ids: str  # "column IN the batch", one parameter
    ids_table: str  # the batch as a table ``b(id)`` to drive a join from, one parameter
    pack: Callable[[list[int]], object]  # list of ids → that parameter
    local_minute: str  # a timestamp column {col} as local "YYYY-MM-DD HH:MM", one parameter
    local_param: str


def _dialect(now: datetime) -> Dialect:
    """Everything the scan's SQL says differently on PostgreSQL and on SQLite."""
    if connection.vendor == "postgresql":
        return Dialect(lock="FOR UPDATE SKIP LOCKED", insert_ignore="INSERT INTO", on_conflict="ON CONFLICT DO NOTHING",
                       in_ids="{col} = ANY(%s)", ids_table="(SELECT unnest(%s::bigint[]) AS id) b", pack=list,
                       local_minute="to_char({col} AT TIME ZONE %s, 'YYYY-MM-DD HH24:MI')",
                       local_param=settings.TIME_ZONE)
    # SQLite: one writer at a time (no row locks to skip); datetimes are UTC text, shifted by the
    # zone's offset at ``now`` (China keeps one offset all year).
    offset = now.astimezone(ZoneInfo(settings.TIME_ZONE)).utcoffset()
    assert offset is not None  # an aware datetime has one
    return Dialect(lock="", insert_ignore="INSERT OR IGNORE INTO", on_conflict="",
                   in_ids="{col} IN (SELECT value FROM json_each(%s))",
                   ids_table="(SELECT value AS id FROM json_each(%s)) b", pack=json.dumps,
                   local_minute="strftime('%%Y-%%m-%%d %%H:%%M', {col}, %s)",
                   local_param=f"{int(offset.total_seconds() // 60):+d} minutes")


def _node_name_sql(col: str, nodes: set[str]) -> tuple[str, list[str]]:
    """The court's name of a node, for the nodes at hand only (a short CASE plans fast)."""
    names = {n: NODE_NAMES[n] for n in sorted(nodes) if n in NODE_NAMES}
    if not names:
        return col, []
    whens = " ".join("WHEN %s THEN %s" for _ in names)
    return f"CASE {col} {whens} ELSE {col} END", [v for pair in names.items() for v in pair]


# The level a row reaches at ``now`` (the database twin of SPEC §5's order): past the due, breached,
# or escalated once ``escalate_at`` has passed; before it, due soon.
NEW_LEVEL = (
    "CASE WHEN due_at < %(now)s THEN (CASE WHEN escalate_at <= %(now)s OR alert_level = 'escalated' "
    "THEN 'escalated' ELSE 'breached' END) WHEN alert_level = '' THEN 'due_soon' ELSE alert_level END"
)


def _process_batch(cursor, dia: Dialect, ids: list[int], now, result: ScanResult) -> None:
    p = {"now": connection.ops.adapt_datetimefield_value(now), "ids": dia.pack(ids)}
    in_batch = dia.in_ids.format(col="d.id").replace("%s", "%(ids)s")
    # Alerts: every level the row reaches now and has not raised; a level whose moment passed unseen
    # is skipped (a late scan does not raise "due soon" on a breached clock), escalation implies breach.
    cursor.execute(
        f"""{dia.insert_ignore} {A} (deadline_id, level, status, node, case_id, court_id, handler_id, raised_at,
            due_at, note)
        SELECT d.id, l.level, 'open', d.node, d.case_id, d.court_id, d.responsible_id, %(now)s, d.due_at, ''
        FROM {D} d JOIN (SELECT 'due_soon' AS level UNION ALL SELECT 'breached' UNION ALL SELECT 'escalated') l ON (
            (l.level = 'due_soon' AND d.due_at >= %(now)s AND d.alert_level = '')
            OR (l.level = 'breached' AND d.due_at < %(now)s AND d.alert_level IN ('', 'due_soon'))
            OR (l.level = 'escalated' AND d.due_at < %(now)s AND d.escalate_at <= %(now)s
                AND d.alert_level <> 'escalated'))
        WHERE {in_batch} {dia.on_conflict}
        RETURNING id, deadline_id, node, level""",
        p,
    )
    new = cursor.fetchall()
    if new:
        _notify(cursor, dia, [row[0] for row in new], {row[2] for row in new})
        for _pk, deadline_id, node, level in new:
            result.raised[level] += 1
            result.alerts.append((deadline_id, node, level))
    cursor.execute(
        f"""UPDATE {D} SET alert_level = {NEW_LEVEL},
            status = CASE WHEN due_at < %(now)s AND status = 'running' THEN 'breached' ELSE status END,
            next_alert_at = CASE WHEN status NOT IN ('running', 'breached') THEN NULL
                ELSE CASE {NEW_LEVEL} WHEN '' THEN due_soon_at WHEN 'due_soon' THEN due_at
                    WHEN 'breached' THEN escalate_at ELSE NULL END END
        WHERE {dia.in_ids.format(col="id").replace("%s", "%(ids)s")}""",
        p,
    )


def _notify(cursor, dia: Dialect, alert_ids: list[int], nodes: set[str]) -> None:
    """The new alerts' notifications, in one statement (SPEC §5: due soon → handler; breached →
    handler + the court's supervisors; escalated → the court's bureau heads), delivered after commit."""
    node_sql, node_params = _node_name_sql("a.node", nodes)
    due_sql = dia.local_minute.format(col="d.due_at")
    new_alerts = f"{dia.ids_table} JOIN {A} a ON a.id = b.id"
    cursor.execute(
        f"""INSERT INTO {N} (recipient_id, address, channel, kind, title, body, case_id, created_at, status)
        SELECT r.user_id, '', 'inapp', 'alert.' || a.level,
            CASE a.level WHEN 'due_soon' THEN '【即将到期】' WHEN 'breached' THEN '【已超期】' ELSE '【超期升级】' END
                || COALESCE(c.number, '') || ' ' || {node_sql},
            '节点“' || {node_sql} || '”届满时间 ' || {due_sql} || '。',
            a.case_id, %s, 'queued'
        FROM (
            SELECT a.id AS alert_id, a.handler_id AS user_id FROM {new_alerts}
            WHERE a.level IN ('due_soon', 'breached') AND a.handler_id IS NOT NULL
            UNION
            SELECT a.id, u.id FROM {new_alerts} JOIN {U} u ON u.court_id = a.court_id AND u.is_active
                JOIN {UR} ur ON ur.user_id = u.id
                    AND ur.role = CASE a.level WHEN 'breached' THEN %s WHEN 'escalated' THEN %s END
        ) r
        JOIN {A} a ON a.id = r.alert_id JOIN {D} d ON d.id = a.deadline_id
        LEFT JOIN cases_case c ON c.id = a.case_id
        RETURNING id""",
        [*node_params, *node_params, dia.local_param, connection.ops.adapt_datetimefield_value(timezone.now()),
         dia.pack(alert_ids), dia.pack(alert_ids), Role.SUPERVISOR, Role.BUREAU_HEAD],
    )
    ids = sorted(row[0] for row in cursor.fetchall())
    if ids:
        outbox_send(topic=DELIVER_TOPIC, payload={"ids": ids})


def scan_deadlines(*, now: datetime | None = None, batch_size: int = BATCH_SIZE,
                   max_batches: int | None = None) -> ScanResult:
    """Raise every alert due as of ``now``. Safe to run repeatedly and concurrently."""
    now = now or timezone.now()
    result = ScanResult()
    dia = _dialect(now)
    while max_batches is None or result.batches < max_batches:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {D} WHERE next_alert_at <= %s ORDER BY next_alert_at LIMIT %s {dia.lock}",
                [connection.ops.adapt_datetimefield_value(now), batch_size],
            )
            ids = [row[0] for row in cursor.fetchall()]
            if not ids:
                break
            _process_batch(cursor, dia, ids, now, result)
        result.batches += 1
        result.examined += len(ids)
        if len(ids) < batch_size:
            break  # nothing else is due (rows another scan holds are that scan's to finish)
    return result
