"""Correcting a deadline's start (SPEC §4, §13 "Deadline corrections"): the bureau head of the
case's court only, with a reason; before and after audited; the explanation shows it; alerts
already raised stay on record. A judge cannot move his own deadline; finance, officers and other
courts cannot move any."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from cases import services as case_services
from deadlines.models import Alert, Deadline, DeadlineStatus
from deadlines.scan import scan_deadlines
from enforcement.models import AuditEvent, Role, User
from tests.factories import UserFactory, file_case

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 12, 3, 12, 0, tzinfo=SH)


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture(autouse=True)
def dec_3rd():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def breached_limit(rules, people):
    """A case filed 2026-05-06: its CASE_LIMIT (6 months) fell due on 2026-11-06 and is breached."""
    case = file_case(people.clerk, filed_at=at(2026, 5, 6, 9))
    case = case_services.case_receive(case=case, actor=people.bureau, occurred_at=at(2026, 5, 6, 10))
    case = case_services.case_assign(case=case, actor=people.bureau, judge=people.judge,
                                     occurred_at=at(2026, 5, 6, 10))
    scan_deadlines(now=NOW)
    d = Deadline.objects.get(case=case, node="CASE_LIMIT")
    assert d.status == DeadlineStatus.BREACHED
    return d


BODY = {"started_at": "2026-06-08T09:00:00+08:00", "reason": "立案日期录入错误，以立案登记表为准"}


def _api(api, user, d):
    return api(user).post(f"/api/v1/deadlines/{d.pk}/correct_start/", BODY, format="json")


def _browser(client, user, d):
    client.force_login(user)
    return client.post(f"/deadlines/{d.pk}/correct_start/",
                       {"correct-started_at": "2026-06-08T09:00", "correct-reason": BODY["reason"]})


ENDPOINTS = {"api": _api, "browser": _browser}


def _every_role(people, courts):
    """One user per role at the case's court, the case's own judge even as a bureau head, an upper
    court's bureau head, another court's bureau head and the superuser."""
    users = {role: UserFactory(username=f"walk_{role}", court=courts.luoyang, roles=[role]) for role in Role.values}
    judge_head = people.judge
    users["own_judge_as_head"] = judge_head
    users["upper_court_head"] = UserFactory(username="walk_ha_head", court=courts.henan, roles=[Role.BUREAU_HEAD])
    users["other_court_head"] = UserFactory(username="walk_hz_head", court=courts.hangzhou, roles=[Role.BUREAU_HEAD])
    users["superuser"] = User.objects.create_superuser("walk_root", "root@example.com", "pw-123456")
    return users


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_only_the_bureau_head_of_the_cases_court_may_move_a_deadline(breached_limit, people, courts, api, client,
                                                                      endpoint):
    from enforcement.models import UserRole

    d = breached_limit
    UserRole.objects.get_or_create(user=people.judge, role=Role.BUREAU_HEAD)  # a judge-head: still his own case
    before = (d.started_at, d.due_at, d.status)
    for who, user in _every_role(people, courts).items():
        if who == Role.BUREAU_HEAD:
            continue
        r = ENDPOINTS[endpoint](api if endpoint == "api" else client, user, d)
        d.refresh_from_db()
        # then refused — 404 where the case is not visible, 403 permission_denied otherwise — and nothing moved
        assert r.status_code in (403, 404), (who, r.status_code)
        if who == "other_court_head":
            assert r.status_code == 404
        elif endpoint == "api":
            assert r.status_code == 403 and r.json()["code"] == "permission_denied", who
        assert (d.started_at, d.due_at, d.status) == before, who
    head = UserFactory(username="walk_bureau_head2", court=courts.luoyang, roles=[Role.BUREAU_HEAD])
    r = ENDPOINTS[endpoint](api if endpoint == "api" else client, head, d)
    assert r.status_code in (200, 302), r.content[:500]
    d.refresh_from_db()
    assert d.started_at == at(2026, 6, 8, 9) and d.due_at == at(2026, 12, 8, 23, 59, 59)


def test_a_correction_needs_a_reason(breached_limit, people, api):
    r = api(people.head).post(f"/api/v1/deadlines/{breached_limit.pk}/correct_start/",
                              {"started_at": BODY["started_at"], "reason": "  "}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    breached_limit.refresh_from_db()
    assert breached_limit.started_at == at(2026, 5, 6, 9)


def test_a_correction_is_audited_before_and_after_and_shown_in_the_explanation(breached_limit, people, api, client):
    d = breached_limit
    r = api(people.head).post(f"/api/v1/deadlines/{d.pk}/correct_start/", BODY, format="json")
    assert r.status_code == 200, r.content
    event = AuditEvent.objects.get(action="deadline.correct_start", object_id=str(d.pk))
    assert event.before["due_at"].startswith("2026-11-06") and event.after["due_at"].startswith("2026-12-08")
    assert event.before["status"] == "breached" and event.reason == BODY["reason"]
    x = api(people.judge).get(f"/api/v1/deadlines/{d.pk}/explain/").json()
    assert x["corrections"][0]["reason"] == BODY["reason"]
    assert "更正" in x["explanation"] and BODY["reason"] in x["explanation"]
    client.force_login(people.judge)
    page = client.get(f"/deadlines/{d.pk}/").content.decode()
    assert "起算时间更正记录" in page and BODY["reason"] in page and "吴局长" in page


def test_alerts_raised_before_a_correction_stay_on_record(breached_limit, people, api):
    d = breached_limit
    raised = set(Alert.objects.filter(deadline=d).values_list("pk", "level", "status"))
    assert any(level == "breached" for _, level, _ in raised)
    assert api(people.head).post(f"/api/v1/deadlines/{d.pk}/correct_start/", BODY, format="json").status_code == 200
    assert set(Alert.objects.filter(deadline=d).values_list("pk", "level", "status")) == raised


def test_the_bureau_head_sees_the_correction_form_and_others_do_not(breached_limit, people, client):
    client.force_login(people.head)
    assert "更正起算时间（执行局长）" in client.get(f"/deadlines/{breached_limit.pk}/").content.decode()
    client.force_login(people.finance)
    assert "更正起算时间（执行局长）" not in client.get(f"/deadlines/{breached_limit.pk}/").content.decode()


def test_finance_cannot_turn_a_breached_case_limit_back_into_a_running_one(breached_limit, people, api):
    # Reproduction (issue 12): finance moved a breached case limit with correct_start.
    r = api(people.finance).post(f"/api/v1/deadlines/{breached_limit.pk}/correct_start/", BODY, format="json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    breached_limit.refresh_from_db()
    assert breached_limit.current_status == "breached" and breached_limit.due_at == at(2026, 11, 6, 23, 59, 59)
