"""The worked examples of SPEC §3 (2026 calendar): the system must give exactly these.

Each example is checked through ``compute_due`` (with the seeded national calendar from the
database) and through ``GET /api/v1/calendar/due/``.
"""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from deadlines.calendar import compute_due
from deadlines.calendar_services import calendar_seed_national

SH = ZoneInfo("Asia/Shanghai")
DUE_URL = "/api/v1/calendar/due/"


@pytest.fixture
def clock(people, api):
    """The seeded national calendar and an API client of an ordinary judge."""
    calendar_seed_national()
    client = api(people.judge)

    def check(start: str, period: int, unit: str, expected: str):
        # when: computed directly
        result = compute_due(datetime.fromisoformat(start).replace(tzinfo=SH), period, unit)
        # when: through the API
        response = client.get(DUE_URL, {"start": start, "period": period, "unit": unit})
        # then
        assert str(result.due) == expected
        assert result.provisional is False
        assert response.status_code == 200, response.data
        assert response.data["due"] == expected.replace(" ", "T")
        assert response.data["provisional"] is False
        return result, response.data

    return check


@pytest.mark.smoke
def test_working_days_skip_national_day_holiday_received_2026_09_29_due_10_12(clock):
    # given a case received 2026-09-29; Oct 1–7 are holidays, Sat Oct 10 is a make-up working day
    # when / then: 5 working days end on Monday 2026-10-12
    result, data = clock("2026-09-29", 5, "working_days", "2026-10-12 23:59:59+08:00")
    assert [d.isoformat() for d, _ in result.skipped_holidays] == [
        "2026-10-01", "2026-10-02", "2026-10-05", "2026-10-06", "2026-10-07"]
    assert data["makeup_days"] == [{"date": "2026-10-10", "name": "国庆节调休上班"}]
    assert data["explanation"] == (
        "自2026-09-29（不计当日）起算5个工作日；跳过国庆节假期2026-10-01至10-07；"
        "2026-10-10（周六）为调休上班日，计入；届满日2026-10-12 24时"
    )


@pytest.mark.smoke
def test_working_days_funds_arrived_2026_02_10_due_03_02_across_spring_festival(clock):
    # given funds arrived 2026-02-10; Feb 15–23 Spring Festival, Sat Feb 14 and Sat Feb 28 are working days
    # when / then: 10 working days end on Monday 2026-03-02
    result, _ = clock("2026-02-10", 10, "working_days", "2026-03-02 23:59:59+08:00")
    assert [d.isoformat() for d, _ in result.makeup_days] == ["2026-02-14", "2026-02-28"]
    assert "跳过春节假期2026-02-15至02-23" in result.explain_zh()


@pytest.mark.smoke
def test_working_days_payment_notice_2026_03_02_due_03_09_plain_weeks(clock):
    # given a payment notice on Monday 2026-03-02 and no holiday in the following week
    # when / then: 5 working days end on Monday 2026-03-09 (the weekend is not counted)
    result, _ = clock("2026-03-02", 5, "working_days", "2026-03-09 23:59:59+08:00")
    assert result.skipped_holidays == [] and result.makeup_days == []


@pytest.mark.smoke
def test_days_period_seized_2026_09_01_ending_on_national_day_rolls_to_10_08(clock):
    # given property seized 2026-09-01; 30 days later is 2026-10-01, a holiday
    # when / then: the period ends on the first working day after the holiday
    result, data = clock("2026-09-01", 30, "days", "2026-10-08 23:59:59+08:00")
    assert result.rolled_from.isoformat() == "2026-10-01"
    assert data["rolled_from"] == "2026-10-01"
    assert "顺延至其后第一个工作日2026-10-08" in data["explanation"]


@pytest.mark.smoke
def test_hours_urgent_lead_2026_10_01_10_00_due_10_02_10_00_without_holiday_extension(clock):
    # given an urgent lead received at 10:00 on National Day
    # when / then: 24 hours to the minute, no holiday extension
    result, data = clock("2026-10-01T10:00:00", 24, "hours", "2026-10-02 10:00:00+08:00")
    assert result.skipped_holidays == []
    assert "不因节假日顺延" in data["explanation"]


@pytest.mark.smoke
def test_working_days_query_feedback_2026_02_13_due_02_25_make_up_saturday_counted(clock):
    # given query feedback on Friday 2026-02-13; Saturday Feb 14 is a make-up working day
    # when / then: Feb 14 is day 1, then Feb 24 and Feb 25 after the Spring Festival
    result, data = clock("2026-02-13", 3, "working_days", "2026-02-25 23:59:59+08:00")
    assert data["makeup_days"] == [{"date": "2026-02-14", "name": "春节调休上班"}]
