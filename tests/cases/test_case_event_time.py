"""Event time (SPEC §13 "Event time"): ``occurred_at`` may be earlier than the entry, never in the
future nor before the previous event; an entry more than 3 days late is flagged; the audit keeps both."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from cases import services
from cases.models import Case, CaseStatus
from enforcement.errors import InvalidInput
from enforcement.models import AuditEvent
from tests.factories import advance, case_payload, file_case

pytestmark = pytest.mark.usefixtures("pinned_clock", "core_close_guards")

SH = ZoneInfo("Asia/Shanghai")


def fire(client, case: Case, name: str, params: dict):
    return client.post(f"/api/v1/cases/{case.pk}/transitions/{name}/", params, format="json")


def snapshot(case: Case) -> tuple:
    case.refresh_from_db()
    return case.status, case.received_at, case.last_event_at, AuditEvent.objects.count()


def test_an_occurred_at_in_the_future_is_refused(people, api):
    # given
    case = file_case(people.clerk)
    before = snapshot(case)
    # when
    tomorrow = (timezone.now() + timedelta(days=1)).isoformat()
    r = fire(api(people.bureau), case, "receive", {"occurred_at": tomorrow})
    # then
    assert r.status_code == 400
    assert r.json()["code"] == "invalid"
    assert "occurred_at" in r.json()["errors"]
    assert snapshot(case) == before


def test_a_filing_date_in_the_future_is_refused(people, api):
    # when
    r = api(people.clerk).post("/api/v1/cases/", case_payload(filed_at="2026-12-01T09:00:00+08:00"), format="json")
    # then
    assert r.status_code == 400
    assert "filed_at" in r.json()["errors"]
    assert not Case.objects.exists()


def test_an_occurred_at_before_the_previous_event_is_refused(people, api):
    # given: filed on 2026-11-10, received on 2026-11-12
    case = file_case(people.clerk, filed_at=datetime(2026, 11, 10, 9, tzinfo=SH))
    services.case_receive(case=case, actor=people.bureau, occurred_at=datetime(2026, 11, 12, 9, tzinfo=SH))
    before = snapshot(case)
    # when
    r = fire(api(people.bureau), case, "assign", {"judge": people.judge.pk, "occurred_at": "2026-11-11T09:00:00+08:00"})
    # then
    assert r.status_code == 400
    assert "occurred_at" in r.json()["errors"]
    assert "2026-11-12 09:00" in r.json()["errors"]["occurred_at"][0]
    assert snapshot(case) == before


def test_the_service_refuses_an_act_dated_before_filing(people):
    # given
    case = file_case(people.clerk, filed_at=datetime(2026, 11, 10, 9, tzinfo=SH))
    # when
    with pytest.raises(InvalidInput) as exc:
        services.case_receive(case=case, actor=people.bureau, occurred_at=datetime(2026, 11, 9, 9, tzinfo=SH))
    # then
    assert "occurred_at" in exc.value.errors


def test_an_unparseable_occurred_at_is_a_field_error(people, api):
    # given
    case = file_case(people.clerk)
    # when
    r = fire(api(people.bureau), case, "receive", {"occurred_at": "昨天下午"})
    # then
    assert r.status_code == 400
    assert "occurred_at" in r.json()["errors"]


@pytest.mark.smoke
def test_an_entry_more_than_three_days_late_is_flagged_and_keeps_both_times(people, api):
    # given
    case = file_case(people.clerk, filed_at=datetime(2026, 11, 1, 9, tzinfo=SH))
    occurred = datetime(2026, 11, 21, 15, 30, tzinfo=SH)  # four days before "now"
    # when
    r = fire(api(people.bureau), case, "receive", {"occurred_at": occurred.isoformat()})
    # then
    assert r.status_code == 200, r.json()
    event = AuditEvent.objects.get(case_id=case.pk, action="case.receive")
    assert event.late_entry is True
    assert event.occurred_at == occurred
    assert event.recorded_at - timezone.now() < timedelta(minutes=1)
    assert event.recorded_at - event.occurred_at > timedelta(days=3)
    case.refresh_from_db()
    assert case.received_at == occurred  # the legal clock runs from when it happened
    listed = api(people.bureau).get(f"/api/v1/cases/{case.pk}/events/").json()["results"]
    receive = next(e for e in listed if e["action"] == "case.receive")
    assert receive["late_entry"] is True
    assert receive["occurred_at"] != receive["recorded_at"]


def test_an_entry_within_three_days_is_not_late(people, api):
    # given
    case = file_case(people.clerk, filed_at=datetime(2026, 11, 20, 9, tzinfo=SH))
    occurred = timezone.now() - timedelta(days=2, hours=23)
    # when
    r = fire(api(people.bureau), case, "receive", {"occurred_at": occurred.isoformat()})
    # then
    assert r.status_code == 200
    event = AuditEvent.objects.get(case_id=case.pk, action="case.receive")
    assert event.late_entry is False
    assert event.occurred_at == occurred


def test_a_backdated_filing_is_itself_a_late_entry(people):
    # when
    case = file_case(people.clerk, filed_at=datetime(2026, 3, 1, 9, tzinfo=SH))
    # then
    event = AuditEvent.objects.get(case_id=case.pk, action="case.file")
    assert event.late_entry is True
    assert event.occurred_at == datetime(2026, 3, 1, 9, tzinfo=SH)


def test_events_without_occurred_at_happen_now_and_in_order(people):
    # given
    case = file_case(people.clerk)
    # when
    case = advance(case, CaseStatus.SUSPENDED, bureau=people.bureau, judge=people.judge)
    # then
    times = list(AuditEvent.objects.filter(case_id=case.pk).order_by("seq").values_list("occurred_at", flat=True))
    assert times == sorted(times)
    assert not AuditEvent.objects.filter(case_id=case.pk, late_entry=True).exists()
