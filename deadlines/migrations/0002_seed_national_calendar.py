"""Seed the national working-day calendar from chinesecalendar (SPEC §3 "Calendar data").

Uses historical models; the row extraction is the pure ``deadlines.calendar.chinesecalendar_rows``
shared with ``calendar_seed_national`` (``manage.py seed_calendar``), which adds later package
years idempotently. No audit event: the audit trail starts with acts of people, and the seed is
part of the schema's initial data.
"""

from django.db import migrations

NATIONAL_CALENDAR_NAME = "全国法定节假日"


def seed(apps, schema_editor):
    from deadlines.calendar import chinesecalendar_rows, chinesecalendar_version

    Calendar = apps.get_model("deadlines", "Calendar")
    CalendarYear = apps.get_model("deadlines", "CalendarYear")
    CalendarDay = apps.get_model("deadlines", "CalendarDay")
    db = schema_editor.connection.alias

    rows, years = chinesecalendar_rows()
    source = f"国务院办公厅通知（chinesecalendar {chinesecalendar_version()}）"
    calendar = Calendar.objects.using(db).filter(court__isnull=True).first()
    if calendar is None:
        calendar = Calendar.objects.using(db).create(name=NATIONAL_CALENDAR_NAME, court=None)
    CalendarDay.objects.using(db).bulk_create(
        [CalendarDay(calendar=calendar, date=d, kind=kind, name=name, source=source) for d, kind, name in rows],
        ignore_conflicts=True, batch_size=500,
    )
    CalendarYear.objects.using(db).bulk_create(
        [CalendarYear(calendar=calendar, year=y, source=source) for y in years], ignore_conflicts=True,
    )


class Migration(migrations.Migration):

    dependencies = [
        ("deadlines", "0001_calendar"),
    ]

    operations = [
        # Reversing keeps the rows: they are reference data an admin may since have corrected.
        migrations.RunPython(seed, migrations.RunPython.noop),
    ]
