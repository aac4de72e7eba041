"""SPEC §11 petitions (信访): registered within 5 working days, concluded within 30 [004 §30]."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from deadlines.models import Deadline, DeadlineStatus
from enforcement.models import AuditEvent
from tests.factories import advance, file_case

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def case(rules, people):
    return advance(file_case(people.clerk, filed_at=datetime(2026, 9, 1, 9, tzinfo=SH)), "in_progress",
                   bureau=people.bureau, judge=people.judge)


@pytest.fixture
def rules(courts):
    from deadlines.calendar_services import calendar_seed_national
    from deadlines.services import rulesets_seed

    calendar_seed_national()
    rulesets_seed()
    return courts


@pytest.mark.smoke
def test_a_petition_is_registered_in_5_and_resolved_in_30_working_days(case, people, api):
    # given a petition received on Tue 2026-09-29, just before the National Day holiday
    r = api(people.bureau).post("/api/v1/petitions/", {
        "petitioner": "张伟", "content": "反映执行法官长期未采取执行措施", "case": case.pk,
        "occurred_at": "2026-09-29T10:00:00+08:00"}, format="json")
    assert r.status_code == 201, r.content
    pid = r.json()["id"]
    register = Deadline.objects.get(subject_type="petition", subject_id=pid, node="PETITION_REGISTER")
    resolve = Deadline.objects.get(subject_type="petition", subject_id=pid, node="PETITION_RESOLVE")
    # then 5 working days → 10-12 (holidays 10-01…07, make-up Saturday 10-10); 30 working days → 11-16
    assert register.due_at == datetime(2026, 10, 12, 23, 59, 59, tzinfo=SH)
    assert resolve.due_at == datetime(2026, 11, 16, 23, 59, 59, tzinfo=SH)
    assert api(people.bureau).get(f"/api/v1/petitions/{pid}/transitions/").json() == ["register"]
    assert api(people.judge).get(f"/api/v1/petitions/{pid}/transitions/").json() == ["resolve"]
    # when registered, then answered by the case judge
    r = api(people.bureau).post(f"/api/v1/petitions/{pid}/transitions/register/",
                                {"occurred_at": "2026-09-30T09:00:00+08:00"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "registered"
    r = api(people.judge).post(f"/api/v1/petitions/{pid}/transitions/resolve/", {"answer": ""}, format="json")
    assert r.status_code == 400
    r = api(people.judge).post(f"/api/v1/petitions/{pid}/transitions/resolve/",
                               {"answer": "已于 10 月 9 日冻结被执行人存款，并告知信访人。",
                                "occurred_at": "2026-10-09T16:00:00+08:00"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "resolved"
    register.refresh_from_db()
    resolve.refresh_from_db()
    assert register.status == resolve.status == DeadlineStatus.MET
    assert not register.completed_late and not resolve.completed_late
    assert AuditEvent.objects.filter(object_type="cases.petition", object_id=str(pid)).count() == 3


def test_petitions_are_court_scoped_and_validated(case, people, api):
    r = api(people.bureau).post("/api/v1/petitions/", {"petitioner": "", "content": "x"}, format="json")
    assert r.status_code == 400 and "petitioner" in r.json()["errors"]
    assert api(people.judge).post("/api/v1/petitions/", {"petitioner": "某", "content": "某事"},
                                  format="json").status_code == 403
    r = api(people.bureau).post("/api/v1/petitions/", {"petitioner": "李四", "content": "反映问题"}, format="json")
    pid = r.json()["id"]
    assert api(people.hz_supervisor).get(f"/api/v1/petitions/{pid}/").status_code == 404
    assert api(people.ha_supervisor).get(f"/api/v1/petitions/{pid}/").status_code == 200
    assert api(people.bureau).get("/api/v1/petitions/?status=nope").status_code == 400
    # a judge may not conclude a petition about no case of theirs
    r = api(people.judge2).post(f"/api/v1/petitions/{pid}/transitions/resolve/", {"answer": "答复"}, format="json")
    assert r.status_code in (400, 403)
