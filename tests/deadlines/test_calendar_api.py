"""GET /api/v1/calendar/due/ (SPEC §3, §13): input errors, court scope, local calendars."""

from datetime import date

import pytest

from deadlines.calendar_services import calendar_load_year, calendar_local_get_or_create, calendar_seed_national

URL = "/api/v1/calendar/due/"


@pytest.fixture
def national(db):
    return calendar_seed_national().calendar


@pytest.mark.parametrize(("params", "field"), [
    ({"start": "2026-09-29", "period": "-1", "unit": "working_days"}, "period"),
    ({"start": "2026-09-29", "period": "1.5", "unit": "working_days"}, "period"),
    ({"start": "2026-09-29", "period": "五", "unit": "days"}, "period"),
    ({"start": "2026-09-29", "unit": "days"}, "period"),
    ({"start": "2026-09-29", "period": "5", "unit": "weeks"}, "unit"),
    ({"start": "2026-09-31", "period": "5", "unit": "days"}, "start"),
    ({"start": "yesterday", "period": "5", "unit": "days"}, "start"),
    ({"period": "5", "unit": "days"}, "start"),
    ({"start": "2026-09-29", "period": "5", "unit": "days", "court": "abc"}, "court"),
])
def test_bad_input_is_a_400_naming_the_field(national, people, api, params, field):
    response = api(people.judge).get(URL, params)
    assert response.status_code == 400
    assert response.data["code"] == "invalid"
    assert field in response.data["errors"], response.data


def test_period_beyond_the_calendar_range_is_a_400_not_a_500(national, people, api):
    response = api(people.judge).get(URL, {"start": "9999-12-01", "period": "100", "unit": "days"})
    assert response.status_code == 400
    assert "period" in response.data["errors"]


def test_immediately_needs_no_period(national, people, api):
    response = api(people.judge).get(URL, {"start": "2026-10-01T10:00:00+08:00", "unit": "immediately"})
    assert response.status_code == 200
    assert response.data["due"] == "2026-10-01T23:59:59+08:00"


def test_bare_date_start_is_midnight_in_shanghai_and_utc_start_is_converted(national, people, api):
    client = api(people.judge)
    # a bare date: 00:00 Asia/Shanghai
    bare = client.get(URL, {"start": "2026-10-01", "period": "3", "unit": "hours"})
    assert bare.data["due"] == "2026-10-01T03:00:00+08:00"
    # 2026-09-28T17:00Z is 2026-09-29 01:00 in Beijing: counted from 09-29
    utc = client.get(URL, {"start": "2026-09-28T17:00:00Z", "period": "5", "unit": "working_days"})
    assert utc.data["due"] == "2026-10-12T23:59:59+08:00"


def test_court_of_another_province_is_not_found(national, people, api):
    # given a Luoyang judge asking about the Hangzhou court
    response = api(people.judge).get(URL, {"start": "2026-03-02", "period": "5", "unit": "working_days",
                                           "court": people.hz_judge.court_id})
    assert response.status_code == 404
    assert response.data["code"] == "not_found"


def test_court_local_holiday_is_applied_for_a_visible_court(national, courts, people, api):
    # given a local holiday on Thursday 2026-03-05 for Luoyang
    local = calendar_local_get_or_create(court=courts.luoyang, actor=None)
    calendar_load_year(calendar=local, year=2026, days=[(date(2026, 3, 5), "holiday", "地方纪念日")],
                       source="地方规定", actor=None)
    client = api(people.judge)
    params = {"start": "2026-03-02", "period": "5", "unit": "working_days"}
    # when asked with and without the court
    with_court = client.get(URL, {**params, "court": courts.luoyang.pk})
    national_only = client.get(URL, params)
    # then only the court's answer skips the local holiday
    assert with_court.data["due"] == "2026-03-10T23:59:59+08:00"
    assert with_court.data["skipped_holidays"] == [{"date": "2026-03-05", "name": "地方纪念日"}]
    assert national_only.data["due"] == "2026-03-09T23:59:59+08:00"


def test_provisional_answer_for_an_unloaded_year(national, people, api):
    response = api(people.judge).get(URL, {"start": "2026-12-28", "period": "5", "unit": "working_days"})
    assert response.data["provisional"] is True
    assert "临时期限" in response.data["explanation"]


def test_anonymous_caller_is_refused(national, api):
    response = api().get(URL, {"start": "2026-09-29", "period": "5", "unit": "working_days"})
    assert response.status_code in (401, 403)
