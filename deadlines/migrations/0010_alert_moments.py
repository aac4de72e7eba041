"""Stored alert-level moments (``due_soon_at``, ``escalate_at``) so the breach scan is a handful of
set-based statements comparing columns, with no calendar arithmetic per row.

The backfill times the open clocks with the project's own calendar and due-soon rule
(``deadlines.services``), the same functions that time every new clock: copying the calendar here
would let the two drift apart on exactly the rows this migration is for."""

from django.db import migrations, models

CHUNK = 2000


def backfill(apps, schema_editor):
    from deadlines import calendar as cal_mod
    from deadlines.services import due_soon_from, due_soon_working_days, escalate_at

    Deadline = apps.get_model("deadlines", "Deadline")
    open_rows = Deadline.objects.filter(status__in=["running", "paused", "breached"], completed_at__isnull=True)
    cals, soon = {}, {}
    last = 0
    while True:
        chunk = list(open_rows.filter(pk__gt=last).select_related("bound_rule").order_by("pk")[:CHUNK])
        if not chunk:
            break
        for d in chunk:
            if d.court_id not in cals:
                cals[d.court_id] = cal_mod.calendar_for(d.court_id)
                soon[d.court_id] = due_soon_working_days(d.court_id)
            d.due_soon_at = due_soon_from(d, cals[d.court_id], soon[d.court_id])
            d.escalate_at = escalate_at(d, cals[d.court_id])
        Deadline.objects.bulk_update(chunk, ["due_soon_at", "escalate_at"])
        last = chunk[-1].pk


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0009_coordination_rules"),
    ]

    operations = [
        migrations.AddField(
            model_name="deadline", name="due_soon_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="即将到期提醒时间"),
        ),
        migrations.AddField(
            model_name="deadline", name="escalate_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="超期升级时间"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name="deadline", index=models.Index(fields=["due_at", "id"], name="deadline_list_idx"),
        ),
        migrations.AddIndex(
            model_name="alert", index=models.Index(fields=["raised_at", "id"], name="alert_list_idx"),
        ),
    ]
