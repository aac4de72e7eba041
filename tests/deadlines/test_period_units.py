"""Period arithmetic rules of SPEC §3 beyond the worked examples: units, provisional years, local
calendars, clock stops, and the calendar cache."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from deadlines.calendar import (
    CalendarView,
    calendar_for,
    compute_due,
    national_view_from_package,
    shift_due,
    working_days_between,
)
from deadlines.calendar_services import calendar_load_year, calendar_local_get_or_create, calendar_seed_national

SH = ZoneInfo("Asia/Shanghai")
UTC = ZoneInfo("UTC")
NATIONAL = national_view_from_package()


def at(*args, tz=SH):
    return datetime(*args, tzinfo=tz)


@pytest.fixture
def national(db):
    return calendar_seed_national().calendar


def test_year_without_schedule_is_provisional(national):
    # given 2027 has no loaded schedule (the package knows up to 2026)
    # when a 10-working-day period runs from 2026-12-24 into 2027
    result = compute_due(at(2026, 12, 24, 9), 10, "working_days")
    # then it is counted on weekends alone (2027-01-01 is a Friday and counts) and marked provisional
    assert result.due == at(2027, 1, 7, 23, 59, 59)
    assert result.provisional is True
    assert result.unconfirmed_years == (2027,)
    assert "2027年节假日安排尚未载入" in result.explain_zh()


def test_period_inside_a_confirmed_year_is_not_provisional(national):
    result = compute_due(at(2026, 12, 1, 9), 10, "working_days")
    assert result.due == at(2026, 12, 15, 23, 59, 59)
    assert result.provisional is False


def test_days_period_ending_in_unconfirmed_year_is_provisional(national):
    # given 2026-12-31 + 1 day = 2027-01-01: a Friday, but 2027's New Year holiday is not loaded
    result = compute_due(date(2026, 12, 31), 1, "days")
    # then it is treated as a working day, provisionally
    assert result.due == at(2027, 1, 1, 23, 59, 59)
    assert result.provisional is True


def test_make_up_saturday_2026_02_14_is_a_counted_working_day():
    # given Friday 2026-02-13 as the event day
    # when 1 working day is counted
    result = compute_due(date(2026, 2, 13), 1, "working_days", cal=NATIONAL)
    # then it is Saturday 2026-02-14 (a declared working day), not Monday
    assert result.due == at(2026, 2, 14, 23, 59, 59)
    assert result.makeup_days == [(date(2026, 2, 14), "春节调休上班")]
    assert NATIONAL.is_working_day(date(2026, 2, 14))
    assert not NATIONAL.is_working_day(date(2026, 2, 16))  # Monday inside the Spring Festival


def test_month_period_clamps_to_month_end_2026_01_31_plus_1_month_is_02_28():
    # given 2026-01-31 + 1 month: February has no 31st
    result = compute_due(date(2026, 1, 31), 1, "months", cal=NATIONAL)
    # then the last day is 2026-02-28 (a make-up working Saturday, so no roll)
    assert result.due == at(2026, 2, 28, 23, 59, 59)
    assert result.rolled_from is None
    assert "以月末日为期间最后一日" in result.explain_zh()


def test_month_period_ending_on_a_holiday_rolls_to_next_working_day():
    # given 2026-09-01 + 1 month = 2026-10-01 (National Day)
    result = compute_due(date(2026, 9, 1), 1, "months", cal=NATIONAL)
    # then the period ends on 2026-10-08
    assert result.due == at(2026, 10, 8, 23, 59, 59)
    assert result.rolled_from == date(2026, 10, 1)
    assert [d for d, _ in result.skipped_holidays] == [
        date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 5), date(2026, 10, 6), date(2026, 10, 7)]


def test_days_period_ending_on_a_plain_sunday_rolls_to_monday():
    # given 2026-03-02 + 6 days = Sunday 2026-03-08
    result = compute_due(date(2026, 3, 2), 6, "days", cal=NATIONAL)
    assert result.due == at(2026, 3, 9, 23, 59, 59)
    assert result.rolled_from == date(2026, 3, 8)
    assert "该日为休息日（周日）" in result.explain_zh()


def test_hours_are_not_extended_over_a_holiday():
    # given a 48-hour period from 2026-09-30 20:15 running into National Day
    result = compute_due(at(2026, 9, 30, 20, 15), 48, "hours", cal=NATIONAL)
    # then it ends exactly 48 hours later, on a holiday
    assert result.due == at(2026, 10, 2, 20, 15)
    assert result.provisional is False


def test_immediately_ends_at_the_end_of_the_event_day_even_on_a_holiday():
    result = compute_due(at(2026, 10, 3, 8, 30), 0, "immediately", cal=NATIONAL)
    assert result.due == at(2026, 10, 3, 23, 59, 59)
    assert str(result.due) == "2026-10-03 23:59:59+08:00"


def test_start_given_in_utc_is_counted_from_its_asia_shanghai_date():
    # given 2026-09-28 17:00 UTC, which is 2026-09-29 01:00 in Beijing
    result = compute_due(at(2026, 9, 28, 17, 0, tz=UTC), 5, "working_days", cal=NATIONAL)
    # then the event day is 09-29 (due 10-12), not 09-28 (which would give 10-09)
    assert result.due == at(2026, 10, 12, 23, 59, 59)
    assert result.start.date() == date(2026, 9, 29)


def test_start_day_is_not_counted():
    # given Monday 2026-03-02 at 00:01
    result = compute_due(at(2026, 3, 2, 0, 1), 1, "working_days", cal=NATIONAL)
    # then day 1 is Tuesday
    assert result.due.date() == date(2026, 3, 3)


def test_unknown_unit_and_negative_period_are_refused():
    with pytest.raises(ValueError):
        compute_due(date(2026, 3, 2), 1, "weeks", cal=NATIONAL)
    with pytest.raises(ValueError):
        compute_due(date(2026, 3, 2), -1, "days", cal=NATIONAL)


def test_local_holiday_shifts_that_courts_due_and_its_children_but_not_another_province(national, courts):
    # given a local holiday on Thursday 2026-03-05 in the Luoyang intermediate court's calendar
    local = calendar_local_get_or_create(court=courts.luoyang, actor=None)
    calendar_load_year(calendar=local, year=2026, days=[(date(2026, 3, 5), "holiday", "地方纪念日")],
                       source="洛阳市地方规定", actor=None)
    start = at(2026, 3, 2, 9)
    # when 5 working days are counted from Monday 2026-03-02
    luoyang = compute_due(start, 5, "working_days", court=courts.luoyang)
    xigong = compute_due(start, 5, "working_days", court=courts.xigong)
    hangzhou = compute_due(start, 5, "working_days", court=courts.hangzhou)
    national_only = compute_due(start, 5, "working_days")
    # then Luoyang and the basic court below it lose a day; Hangzhou and the national view do not
    assert luoyang.due.date() == date(2026, 3, 10)
    assert xigong.due.date() == date(2026, 3, 10)
    assert luoyang.skipped_holidays == [(date(2026, 3, 5), "地方纪念日")]
    assert hangzhou.due.date() == date(2026, 3, 9)
    assert national_only.due.date() == date(2026, 3, 9)


def test_local_workday_overrides_a_national_holiday_for_that_court_only(national, courts):
    # given Hangzhou works on 2026-10-08's neighbour holiday 2026-10-07 (a local override)
    local = calendar_local_get_or_create(court=courts.hangzhou, actor=None)
    calendar_load_year(calendar=local, year=2026, days=[(date(2026, 10, 7), "workday", "地方调整上班")],
                       source="测试", actor=None)
    # then 2026-10-07 is a working day in Hangzhou but not in Luoyang
    assert calendar_for(courts.hangzhou).is_working_day(date(2026, 10, 7))
    assert not calendar_for(courts.luoyang).is_working_day(date(2026, 10, 7))


def test_calendar_lookup_costs_one_query_when_unchanged_and_sees_new_data(national, courts,
                                                                            django_assert_num_queries):
    # given a view already loaded for Luoyang
    first = calendar_for(courts.luoyang)
    # when looked up again
    with django_assert_num_queries(1):
        again = calendar_for(courts.luoyang)
    # then it is the cached object
    assert again is first
    # when the national 2027 schedule is loaded
    calendar_load_year(calendar=national, year=2027, days=[(date(2027, 1, 1), "holiday", "元旦")],
                       source="测试通知", actor=None)
    # then the next lookup sees it
    fresh = calendar_for(courts.luoyang)
    assert fresh is not first
    assert fresh.is_confirmed(2027) and not fresh.is_working_day(date(2027, 1, 1))


def test_working_days_between_counts_days_after_a_up_to_b():
    # 2026-09-29 (Tue) .. 2026-10-12 (Mon): 09-30, 10-08, 10-09, 10-10 (make-up Sat), 10-12
    assert working_days_between(date(2026, 9, 29), date(2026, 10, 12), NATIONAL) == 5
    assert working_days_between(date(2026, 10, 1), date(2026, 10, 7), NATIONAL) == 0
    assert working_days_between(date(2026, 3, 9), date(2026, 3, 2), NATIONAL) == 0
    # an unconfirmed year counts weekdays: 2027-01-01 (Fri) .. 2027-01-08 (Fri) = 5
    assert working_days_between(date(2027, 1, 1), date(2027, 1, 8), NATIONAL) == 5


def test_shift_due_moves_working_day_period_by_working_days_lost():
    # given a working-day deadline due 2026-09-30, stopped 2026-09-25 → resumed 2026-10-09
    due = at(2026, 9, 30, 23, 59, 59)
    # lost working days after 09-25 up to 10-09: 09-28, 09-29, 09-30, 10-08, 10-09 = 5
    assert working_days_between(date(2026, 9, 25), date(2026, 10, 9), NATIONAL) == 5
    new_due = shift_due(due, at(2026, 9, 25, 10), at(2026, 10, 9, 15), "working_days", NATIONAL)
    # then it moves 5 working days after 09-30: 10-08, 10-09, 10-10 (Sat make-up), 10-12, 10-13
    assert new_due == at(2026, 10, 13, 23, 59, 59)


def test_shift_due_moves_days_period_by_calendar_days_then_rolls_to_working_day():
    # given a days deadline due Friday 2026-09-25, stopped for 6 calendar days
    new_due = shift_due(at(2026, 9, 25, 23, 59, 59), at(2026, 9, 1, 9), at(2026, 9, 7, 9), "days", NATIONAL)
    # then 2026-10-01 is a holiday and the period rolls to 2026-10-08
    assert new_due == at(2026, 10, 8, 23, 59, 59)


def test_shift_due_applies_the_stop_to_the_nominal_last_day_when_it_was_rolled():
    # given the 30-day seizure example: nominal 10-01, rolled to 10-08
    result = compute_due(date(2026, 9, 1), 30, "days", cal=NATIONAL)
    # when stopped for 2 calendar days
    new_due = shift_due(result.due, at(2026, 9, 10), at(2026, 9, 12), "days", NATIONAL,
                        rolled_from=result.rolled_from)
    # then 10-03 (still the holiday) rolls to 10-08 again, not 10-10
    assert new_due == at(2026, 10, 8, 23, 59, 59)


def test_shift_due_moves_hours_period_by_exact_duration():
    new_due = shift_due(at(2026, 10, 2, 10), at(2026, 10, 1, 12), at(2026, 10, 1, 15, 30), "hours", NATIONAL)
    assert new_due == at(2026, 10, 2, 13, 30)


def test_shift_due_refuses_a_stop_that_ends_before_it_starts():
    with pytest.raises(ValueError):
        shift_due(at(2026, 10, 2, 10), at(2026, 10, 2), at(2026, 10, 1), "days", NATIONAL)


def test_calendar_view_is_constructible_from_plain_sets():
    # given a view with one holiday Wednesday and one make-up Saturday in a confirmed year
    view = CalendarView(holidays={date(2030, 1, 2)}, workdays={date(2030, 1, 5)}, confirmed_years={2030})
    # then
    assert not view.is_working_day(date(2030, 1, 2))
    assert view.is_working_day(date(2030, 1, 5))
    assert view.add_working_days(date(2029, 12, 31), 4) == date(2030, 1, 5)
    assert view.add_working_days(date(2029, 12, 31), 0) == date(2029, 12, 31)
    # the uncounted start day lies in unknown 2029, but no counted day does: not provisional
    assert compute_due(date(2029, 12, 31), 4, "working_days", cal=view).provisional is False
    assert compute_due(date(2029, 12, 28), 2, "working_days", cal=view).provisional is True


def test_pinned_block_looks_a_court_up_once_and_drops_pins_on_a_calendar_write(national, courts,
                                                                                django_assert_num_queries):
    from deadlines.calendar import calendar_pinned

    calendar_for(courts.luoyang)  # warm the process cache
    with calendar_pinned():
        with django_assert_num_queries(1):
            first = calendar_for(courts.luoyang)
        with django_assert_num_queries(0):
            assert calendar_for(courts.luoyang) is first
        # when the calendar changes inside the block, the next lookup reads it again
        calendar_load_year(calendar=national, year=2027, days=[(date(2027, 1, 1), "holiday", "元旦")],
                           source="测试通知", actor=None)
        assert calendar_for(courts.luoyang).is_confirmed(2027)
