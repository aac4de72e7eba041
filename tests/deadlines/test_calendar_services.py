"""Calendar data (SPEC §3): seeding from the package, loading a year, single-day edits."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest

from deadlines.calendar import calendar_for, compute_due
from deadlines.calendar_services import (
    NATIONAL_CALENDAR_NAME,
    calendar_day_delete,
    calendar_day_save,
    calendar_load_year,
    calendar_seed_national,
)
from deadlines.models import Calendar, CalendarDay, CalendarYear
from deadlines.signals import calendar_days_changed, calendar_year_loaded
from enforcement.errors import InvalidInput, PermissionDenied
from enforcement.models import AuditEvent, Role
from tests.factories import UserFactory

SH = ZoneInfo("Asia/Shanghai")

SCHEDULE_2027 = [
    (date(2027, 1, 1), "holiday", "元旦"),
    (date(2027, 10, 1), "holiday", "国庆节"),
    (date(2027, 10, 4), "holiday", "国庆节"),
    (date(2027, 10, 5), "holiday", "国庆节"),
    (date(2027, 9, 26), "workday", "国庆节调休上班"),
]


@pytest.fixture
def national(db):
    return calendar_seed_national().calendar


@pytest.fixture
def admin_user(courts):
    return UserFactory(username="sys_admin", name="系统管理员", court=courts.supreme, roles=[Role.ADMIN])


@pytest.fixture
def received(db):
    """Collect the signals the calendar sends."""
    events = []

    def on_year(sender, **kwargs):
        events.append(("year", kwargs))

    def on_days(sender, **kwargs):
        events.append(("days", kwargs))

    calendar_year_loaded.connect(on_year)
    calendar_days_changed.connect(on_days)
    yield events
    calendar_year_loaded.disconnect(on_year)
    calendar_days_changed.disconnect(on_days)


def test_seed_covers_every_package_year_2004_to_2026_and_translates_names(national):
    # then the national calendar exists under its Chinese name with every year confirmed
    assert national.name == NATIONAL_CALENDAR_NAME and national.court_id is None
    assert list(national.years.values_list("year", flat=True)) == list(range(2004, 2027))
    assert national.days.filter(kind="holiday").count() == len(chinese_calendar.holidays)
    assert national.days.filter(kind="workday").count() == len(chinese_calendar.workdays)
    national_day = national.days.get(date=date(2026, 10, 1))
    assert (national_day.kind, national_day.name) == ("holiday", "国庆节")
    assert national_day.source == "国务院办公厅通知（chinesecalendar 1.11.0）"
    assert national.days.get(date=date(2026, 10, 10)).name == "国庆节调休上班"
    assert national.days.get(date=date(2015, 9, 3)).name == "抗战胜利纪念日"
    assert set(national.days.values_list("name", flat=True)) <= {
        "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节", "抗战胜利纪念日",
        "元旦调休上班", "春节调休上班", "清明节调休上班", "劳动节调休上班", "端午节调休上班",
        "中秋节调休上班", "国庆节调休上班", "抗战胜利纪念日调休上班"}


def test_seed_is_idempotent(national):
    # given the calendar already seeded (by the migration and the fixture)
    days, years = CalendarDay.objects.count(), CalendarYear.objects.count()
    # when seeded again
    result = calendar_seed_national()
    # then nothing is added or duplicated
    assert (result.days_created, result.years_created) == (0, 0)
    assert (CalendarDay.objects.count(), CalendarYear.objects.count()) == (days, years)
    assert Calendar.objects.filter(court__isnull=True).count() == 1


def test_seed_restores_a_missing_day_without_touching_corrected_ones(national):
    # given one seeded day deleted and another corrected by an admin
    CalendarDay.objects.filter(calendar=national, date=date(2026, 10, 7)).delete()
    CalendarDay.objects.filter(calendar=national, date=date(2026, 10, 6)).update(name="国庆节（更正）")
    # when
    result = calendar_seed_national()
    # then the missing day is back and the corrected one is kept
    assert result.days_created == 1
    assert national.days.get(date=date(2026, 10, 6)).name == "国庆节（更正）"
    assert AuditEvent.objects.filter(action="calendar.seed").exists()


def test_loading_2027_confirms_the_year_audits_and_fires_the_signal(national, admin_user, received):
    # given a due date running into 2027 is provisional
    before = compute_due(datetime(2026, 12, 28, 9, tzinfo=SH), 5, "working_days")
    assert before.provisional is True and before.due.date() == date(2027, 1, 4)
    # when the 2027 schedule is loaded
    year = calendar_load_year(calendar=national, year=2027, days=SCHEDULE_2027, source="国办发明电〔2026〕7号",
                              actor=admin_user)
    # then 2027 is confirmed, its New Year's Day is a holiday, and the due is final
    assert year.year == 2027 and year.source == "国办发明电〔2026〕7号"
    assert calendar_for(None).is_confirmed(2027)
    after = compute_due(datetime(2026, 12, 28, 9, tzinfo=SH), 5, "working_days")
    assert after.provisional is False and after.due.date() == date(2027, 1, 5)
    assert national.days.filter(date__year=2027).count() == 5
    event = AuditEvent.objects.get(action="calendar.load_year")
    assert event.actor == admin_user and event.object_id == str(year.pk)
    assert event.before is None and len(event.after["days"]) == 5
    assert [(kind, kw["year"], kw["calendar"], kw["actor"]) for kind, kw in received] == [
        ("year", 2027, national, admin_user)]


def test_reloading_a_year_replaces_its_days_and_records_the_previous_ones(national, admin_user):
    # given 2027 loaded once
    calendar_load_year(calendar=national, year=2027, days=SCHEDULE_2027, source="第一版", actor=admin_user)
    # when loaded again with a corrected schedule
    calendar_load_year(calendar=national, year=2027, days=SCHEDULE_2027[:1], source="更正版", actor=admin_user)
    # then only the new days remain and the audit keeps the old ones
    assert list(national.days.filter(date__year=2027).values_list("date", flat=True)) == [date(2027, 1, 1)]
    assert CalendarYear.objects.get(calendar=national, year=2027).source == "更正版"
    last = AuditEvent.objects.filter(action="calendar.load_year").order_by("-seq").first()
    assert last.before["source"] == "第一版" and len(last.before["days"]) == 5


def test_loading_a_year_with_a_date_of_another_year_writes_nothing(national, admin_user, received):
    # given a schedule for 2027 with a stray 2028 date and a weekday "make-up" day
    bad = SCHEDULE_2027 + [(date(2028, 1, 1), "holiday", "元旦"), (date(2027, 3, 3), "workday", "误填")]
    # when
    with pytest.raises(InvalidInput) as exc:
        calendar_load_year(calendar=national, year=2027, days=bad, source="通知", actor=admin_user)
    # then every problem is reported and nothing was written
    messages = exc.value.errors["days"]
    assert any("2028-01-01 不属于2027年" in m for m in messages)
    assert any("2027-03-03 是工作日" in m for m in messages)
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert not CalendarDay.objects.filter(date__year=2027).exists()
    assert received == []


def test_only_system_administrators_may_load_a_year(national, people):
    with pytest.raises(PermissionDenied):
        calendar_load_year(calendar=national, year=2027, days=SCHEDULE_2027, source="通知", actor=people.judge)
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_single_day_edits_are_audited_and_signalled(national, admin_user, received):
    # given a new local court holiday
    day = CalendarDay(calendar=national, date=date(2026, 12, 30), kind="holiday", name="临时休假")
    # when created, corrected, then deleted
    calendar_day_save(day=day, actor=admin_user)
    day.name = "临时休假（更正）"
    calendar_day_save(day=day, actor=admin_user)
    assert not calendar_for(None).is_working_day(date(2026, 12, 30))
    calendar_day_delete(day=day, actor=admin_user)
    # then three audit events tell the story and the day is a working day again
    actions = list(AuditEvent.objects.filter(object_type="deadlines.calendarday").order_by("seq")
                   .values_list("action", flat=True))
    assert actions == ["calendar.day_create", "calendar.day_update", "calendar.day_delete"]
    update = AuditEvent.objects.get(action="calendar.day_update")
    assert update.before["name"] == "临时休假" and update.after["name"] == "临时休假（更正）"
    assert calendar_for(None).is_working_day(date(2026, 12, 30))
    assert [kw["dates"] for kind, kw in received] == [[date(2026, 12, 30)]] * 3
