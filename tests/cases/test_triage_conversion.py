"""SPEC §6.1 triage: a simple case not closed within 30 days converts to normal, audited."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Track
from cases.tasks import convert_overdue_simple_cases_task
from enforcement.models import AuditEvent
from tests.factories import advance, file_case

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def simple_case(people):
    case = advance(file_case(people.clerk, filed_at=datetime(2026, 9, 1, 9, tzinfo=SH)), "in_progress",
                   bureau=people.bureau, judge=people.judge)
    services.case_record_milestone(case=case, actor=people.judge, kind="track_simple")
    case.refresh_from_db()
    assert case.track == Track.SIMPLE
    return case


@pytest.mark.smoke
def test_a_simple_case_not_closed_within_30_days_converts_to_normal(simple_case):
    triaged = simple_case.milestones.get(kind="track_simple").occurred_at
    # not yet: day 29
    assert services.cases_convert_overdue_simple(now=triaged + timedelta(days=29)) == 0
    # day 30: converted, by the system, audited with the reason
    assert services.cases_convert_overdue_simple(now=triaged + timedelta(days=30)) == 1
    simple_case.refresh_from_db()
    assert simple_case.track == Track.NORMAL
    event = AuditEvent.objects.get(case_id=simple_case.pk, action="case.track_convert")
    assert event.actor is None and "30 日" in event.reason
    # running again changes nothing
    assert services.cases_convert_overdue_simple(now=triaged + timedelta(days=31)) == 0


def test_closed_or_retriaged_cases_are_left_alone(simple_case, people):
    services.case_record_milestone(case=simple_case, actor=people.judge, kind="track_normal")
    assert services.cases_convert_overdue_simple(now=datetime(2027, 1, 1, tzinfo=SH)) == 0


def test_the_beat_task_runs_the_sweep(simple_case):
    assert convert_overdue_simple_cases_task() == 0  # triaged just now: not due

