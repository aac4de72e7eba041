"""``POST /api/v1/rulesets/what-if/`` (SPEC §13) and the draft services (SPEC §11b)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine

from deadlines.models import Deadline, DraftStatus, Rule, RuleDraft, RunStatus
from deadlines.services import rule_sets_for
from deadlines.whatif import services as wi
from enforcement.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from enforcement.models import AuditEvent, Role
from tests.factories import UserFactory

from .conftest import at

pytestmark = pytest.mark.django_db

URL = "/api/v1/rulesets/what-if/"


def body(court, **over):
    data = {"court": court.pk, "from": "2026-09-01", "to": "2026-10-20",
            "changes": [{"node": "QUERY_START", "period": 3, "unit": "working_days"}]}
    data.update(over)
    return data


def test_whatif_api_answers_the_spec_shape(history, people, courts, api):
    r = api(people.head).post(URL, body(courts.luoyang), format="json")
    assert r.status_code == 200, r.content
    data = r.json()
    assert {"by_node", "by_judge", "added", "removed"} <= set(data)
    (node,) = data["by_node"]
    assert (node["node"], node["breaches_added"], node["breaches_removed"]) == ("QUERY_START", 5, 0)
    assert {j["judge"] for j in data["by_judge"]} == {people.judge.pk, people.judge2.pk, people.xg_judge.pk}
    assert set(data["added"][0]) >= {"deadline", "case", "case_number", "node", "due", "done_at"}


def test_whatif_api_writes_nothing_to_live_data(history, people, courts, api):
    before = (Deadline.objects.count(), RuleDraft.objects.count(), Rule.objects.count(), AuditEvent.objects.count())
    assert api(people.supervisor).post(URL, body(courts.luoyang), format="json").status_code == 200
    assert (Deadline.objects.count(), RuleDraft.objects.count(), Rule.objects.count(),
            AuditEvent.objects.count()) == before


@pytest.mark.parametrize("who", ["judge", "clerk", "finance", "bureau", "officer"])
def test_whatif_api_only_bureau_head_supervisor_or_admin(history, people, courts, api, who):
    r = api(getattr(people, who)).post(URL, body(courts.luoyang), format="json")
    assert r.status_code == 403
    assert r.json()["code"] == "permission_denied"


def test_whatif_api_other_courts_subtree_is_not_found(history, people, courts, api):
    r = api(people.hz_supervisor).post(URL, body(courts.luoyang), format="json")
    assert r.status_code == 404 and r.json()["code"] == "not_found"
    r = api(people.head).post(URL, body(courts.hangzhou), format="json")
    assert r.status_code == 404


def test_whatif_api_basic_court_refused(history, people, courts, api):
    r = api(people.head).post(URL, body(courts.xigong), format="json")
    assert r.status_code == 400 and "court" in r.json()["errors"]


@pytest.mark.parametrize("changes, field", [
    ([{"node": "NO_SUCH", "period": 3, "unit": "working_days"}], "changes[0]"),
    ([{"node": "QUERY_START", "period": 3, "unit": "weeks"}], "changes[0]"),
    ([{"node": "QUERY_START", "period": 3, "unit": "days", "start_event": "case.nowhere"}], "changes[0]"),
    ([], "changes"),
])
def test_whatif_api_bad_changes_are_400_with_the_field(history, people, courts, api, changes, field):
    r = api(people.head).post(URL, body(courts.luoyang, changes=changes), format="json")
    assert r.status_code == 400, r.content
    assert r.json()["code"] == "invalid"
    assert field in r.json()["errors"]


def test_whatif_api_period_must_be_in_the_past_and_ordered(history, people, courts, api):
    r = api(people.head).post(URL, body(courts.luoyang, **{"from": "2026-10-20", "to": "2026-09-01"}), format="json")
    assert r.status_code == 400 and "period_to" in r.json()["errors"]
    r = api(people.head).post(URL, body(courts.luoyang, to="2027-01-01"), format="json")
    assert r.status_code == 400
    r = api(people.head).post(URL, {"court": courts.luoyang.pk, "to": "2026-10-01", "changes": []}, format="json")
    assert r.status_code == 400 and "from" in r.json()["errors"]


# --- drafts ----------------------------------------------------------------------------------------

def _draft(people, courts):
    return wi.draft_create(actor=people.head, court=courts.luoyang, name="查控提速（试行）",
                           period_from=date(2026, 9, 1), period_to=date(2026, 10, 20))


def test_whatif_draft_copies_the_rules_in_force(history, people, courts):
    d = _draft(people, courts)
    in_force = [r for rs in rule_sets_for(courts.luoyang, date(2026, 10, 20)) for r in rs.rules.all() if r.active]
    assert d.rules.count() == len(in_force)
    assert not any(r.changed for r in d.rules.all())
    assert AuditEvent.objects.filter(action="ruledraft.create").count() == 1


def test_whatif_draft_unchanged_cannot_run(history, people, courts):
    with pytest.raises(InvalidInput):
        wi.draft_run(actor=people.head, draft=_draft(people, courts))


def test_whatif_draft_run_stores_the_report_and_nothing_else(history, people, courts):
    d = _draft(people, courts)
    rule = d.rules.get(node="QUERY_START")
    wi.draft_rule_change(actor=people.head, rule=rule, period=3, unit="working_days", start_event="case.received")
    deadlines = list(Deadline.objects.order_by("id").values_list("due_at", "status"))
    wi.draft_run(actor=people.head, draft=d)
    d.refresh_from_db()
    assert d.run_status == RunStatus.DONE and d.run_progress == 100
    assert d.report["by_node"][0]["breaches_added"] == 5
    assert list(Deadline.objects.order_by("id").values_list("due_at", "status")) == deadlines


def test_whatif_long_replay_is_queued_and_runs_in_the_worker(history, people, courts, monkeypatch, settings,
                                                            django_capture_on_commit_callbacks):
    monkeypatch.setattr(wi, "SYNC_LIMIT", 0)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    from enforcement.celery import app

    app.conf.task_always_eager = True
    try:
        d = _draft(people, courts)
        wi.draft_rule_add(actor=people.head, draft=d, node="QUERY_START", start_event="case.received", period=3,
                          unit="working_days")
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            wi.draft_run(actor=people.head, draft=d)
        d.refresh_from_db()
        assert d.run_status == RunStatus.QUEUED and d.report is None
        for cb in callbacks:
            cb()
        d.refresh_from_db()
        assert d.run_status == RunStatus.DONE
        assert d.report["by_node"][0]["breaches_added"] == 5
    finally:
        app.conf.task_always_eager = False


def test_whatif_running_twice_at_once_refused(history, people, courts):
    d = _draft(people, courts)
    RuleDraft.objects.filter(pk=d.pk).update(run_status=RunStatus.RUNNING)
    with pytest.raises(Conflict):
        wi.draft_run(actor=people.head, draft=d)


def test_whatif_adopt_creates_a_rule_version_from_the_date_and_never_retimes_earlier_deadlines(
        history, people, courts):
    from cases import services as case_services
    from tests.factories import file_case

    d = _draft(people, courts)
    wi.draft_rule_change(actor=people.head, rule=d.rules.get(node="QUERY_START"), period=3, unit="working_days",
                         start_event="case.received")
    before = list(Deadline.objects.order_by("id").values_list("id", "due_at"))
    with pytest.raises(InvalidInput):
        wi.draft_adopt(actor=people.head, draft=d, effective_from=date(2026, 10, 1))  # not backdated
    rs = wi.draft_adopt(actor=people.head, draft=d, effective_from=date(2026, 10, 21))
    d.refresh_from_db()
    assert d.status == DraftStatus.ADOPTED and d.adopted_rule_set == rs
    assert list(rs.courts.all()) == [courts.luoyang]
    assert [(r.node, r.period, r.unit) for r in rs.rules.all()] == [("QUERY_START", 3, "working_days")]
    assert list(Deadline.objects.order_by("id").values_list("id", "due_at")) == before
    assert AuditEvent.objects.filter(action="ruledraft.adopt").count() == 1
    with pytest.raises(Conflict):
        wi.draft_rule_add(actor=people.head, draft=d, node="CASE_ACCEPT", start_event="case.filed", period=1,
                          unit="days")
    # A case received on 10-20 is timed by the rules in force that day (5 working days); one received on
    # 10-21 by the adopted set too (3 working days bind).
    c1 = case_services.case_receive(case=file_case(people.clerk, filed_at=at(10, 20, 9)), actor=people.bureau)
    with time_machine.travel(at(10, 21, 9), tick=False):
        c2 = case_services.case_receive(case=file_case(people.clerk), actor=people.bureau)
    q1 = Deadline.objects.get(case=c1, node="QUERY_START")
    q2 = Deadline.objects.get(case=c2, node="QUERY_START")
    assert q1.due_at.date().isoformat() == "2026-10-27" and q1.bound_rule.rule_set.code == "national"
    assert q2.bound_rule.rule_set == rs and q2.due_at.date().isoformat() == "2026-10-26"


def test_whatif_adopt_only_bureau_head(history, people, courts):
    d = wi.draft_create(actor=people.supervisor, court=courts.luoyang, name="草案",
                        period_from=date(2026, 9, 1), period_to=date(2026, 10, 20))
    wi.draft_rule_add(actor=people.supervisor, draft=d, node="QUERY_START", start_event="case.received", period=3,
                      unit="working_days")
    with pytest.raises(PermissionDenied):
        wi.draft_adopt(actor=people.supervisor, draft=d, effective_from=date(2026, 10, 21))


def test_whatif_draft_of_another_court_not_found(history, people, courts):
    d = _draft(people, courts)
    with pytest.raises(NotFound):
        wi.draft_run(actor=people.hz_supervisor, draft=d)
    ha_head = UserFactory(username="ha_head", name="豫高院局长", court=courts.henan, roles=[Role.BUREAU_HEAD])
    # The upper court's bureau head sees the subtree (and may try the draft).
    wi.draft_rule_add(actor=ha_head, draft=d, node="QUERY_START", start_event="case.received", period=3,
                      unit="working_days")
