"""Stored alert-level moments (``due_soon_at``, ``escalate_at``) so the breach scan is a handful of
set-based statements comparing columns, with no calendar arithmetic per row; the alert's copy of
its deadline's due and the indexes the console and the API lists page by (issue 16).

The backfill times the open clocks with the project's own calendar and due-soon rule
(``deadlines.services``), the same functions that time every new clock: copying the calendar here
would let the two drift apart on exactly the rows this migration is for."""

import django.db.models.deletion
from django.conf import settings
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


def copy_alert_dues(apps, schema_editor):
    """Each alert takes its deadline's due (the console orders by it without a join)."""
    Alert = apps.get_model("deadlines", "Alert")
    Deadline = apps.get_model("deadlines", "Deadline")
    Alert.objects.update(due_at=models.Subquery(Deadline.objects.filter(pk=models.OuterRef("deadline_id"))
                                                .values("due_at")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0009_coordination_rules"),
        ("cases", "__first__"),
        ("enforcement", "__first__"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
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
        migrations.AddField(
            model_name="alert", name="due_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="届满时间"),
        ),
        migrations.RunPython(copy_alert_dues, migrations.RunPython.noop),
        migrations.RemoveIndex(model_name="alert", name="alert_court_idx"),
        migrations.AddIndex(
            model_name="alert",
            index=models.Index(fields=["court", "status", "level", "due_at", "id"], name="alert_console_idx"),
        ),
        migrations.AddIndex(
            model_name="alert", index=models.Index(fields=["raised_at", "id"], name="alert_list_idx"),
        ),
        # Single-column foreign-key indexes that composite indexes already lead with: each is one
        # more write per row the scan touches, and no read needs it.
        migrations.AlterField(
            model_name="alert", name="court",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="enforcement.court"),
        ),
        migrations.AlterField(
            model_name="alert", name="deadline",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.CASCADE, related_name="alerts",
                                    to="deadlines.deadline", verbose_name="期限"),
        ),
        migrations.AlterField(
            model_name="deadline", name="case",
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.CASCADE,
                                    related_name="deadlines", to="cases.case", verbose_name="案件"),
        ),
        migrations.AlterField(
            model_name="deadline", name="court",
            field=models.ForeignKey(db_index=False, on_delete=django.db.models.deletion.PROTECT, related_name="+",
                                    to="enforcement.court", verbose_name="法院"),
        ),
        migrations.AlterField(
            model_name="deadline", name="responsible",
            field=models.ForeignKey(blank=True, db_index=False, null=True,
                                    on_delete=django.db.models.deletion.SET_NULL, related_name="deadlines",
                                    to=settings.AUTH_USER_MODEL, verbose_name="责任人"),
        ),
    ]
