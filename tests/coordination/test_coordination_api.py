"""The coordination flows through the API (SPEC §11, §13), dates on the 2026 calendar:
supervision orders [004 §28], transfers (提级执行 / 指令执行), inter-court disputes [004 §27] and
delegated tasks (执行事项委托)."""

from __future__ import annotations

import pytest

from cases.models import Case, CaseLimitStop
from deadlines.models import Alert, Deadline, DeadlineStatus
from deadlines.scan import scan_deadlines
from enforcement.models import AuditEvent

from .conftest import at, end_of


def clock(node, subject_type, subject_id) -> Deadline:
    return Deadline.objects.get(node=node, subject_type=subject_type, subject_id=subject_id)


def post(api, user, url, body, code=201):
    r = api(user).post(url, body, format="json")
    assert r.status_code == code, r.json()
    return r.json()


# --- disputes ---------------------------------------------------------------------------------

def report_dispute(api, cast, case, courts, when="2026-04-01T09:00:00+08:00"):
    return post(api, cast.head, "/api/v1/disputes/", {
        "case": case.pk, "other_court": courts.xigong.pk, "occurred_at": when,
        "summary": "本院与西工区法院对被执行人同一房产均已查封，就处置权发生争议，协商未果。"})


def test_a_dispute_between_luoyang_and_xigong_goes_to_the_henan_high_court(api, cast, courts, ly_case):
    # when 洛阳中院's bureau head reports a dispute with 西工区法院 on 2026-04-01
    d = report_dispute(api, cast, ly_case, courts)
    # then their lowest common upper court strictly above both decides it: 河南高院, not 洛阳中院
    assert (d["upper_court"], d["upper_court_name"], d["status"]) == (
        courts.henan.pk, "河南省高级人民法院", "reported")
    # and DISPUTE_RESOLVE runs there: 1 month → 05-01, a holiday (05-01…05 劳动节) → 05-06 [004 §27]
    resolve = clock("DISPUTE_RESOLVE", "dispute", d["id"])
    assert (resolve.court_id, resolve.due_at, resolve.status) == (courts.henan.pk, end_of(2026, 5, 6), "running")
    # and the high court's supervisor sees it in his list and may decide it
    listed = api(cast.ha_supervisor).get("/api/v1/disputes/").json()["results"]
    assert [x["id"] for x in listed] == [d["id"]]
    assert api(cast.ha_supervisor).get(f"/api/v1/disputes/{d['id']}/transitions/").json() == ["resolve"]
    assert api(cast.supervisor).get(f"/api/v1/disputes/{d['id']}/transitions/").json() == []


def test_an_unresolved_dispute_stops_case_limit_and_the_resolution_moves_it_by_the_stopped_time(
        api, cast, courts, ly_case):
    limit = Deadline.objects.get(node="CASE_LIMIT", case=ly_case, subject_type="case")
    assert limit.due_at == end_of(2026, 8, 3)  # filed 02-02 + 6 months = 08-02, a Sunday → 08-03 [SPC2006 §1]
    d = report_dispute(api, cast, ly_case, courts)
    # [SPC2006 §13]: while reported and unresolved, CASE_LIMIT is stopped through a case-limit stop
    limit.refresh_from_db()
    stop = CaseLimitStop.objects.get(case=ly_case)
    assert (limit.status, stop.kind, stop.ended_at) == (DeadlineStatus.PAUSED, "dispute_coordination", None)
    # when 河南高院 resolves it on 04-24 (23 days later)
    r = post(api, cast.ha_supervisor, f"/api/v1/disputes/{d['id']}/transitions/resolve/",
             {"decision": "由洛阳中院先行处置，所得价款按查封顺序分配。",
              "occurred_at": "2026-04-24T09:00:00+08:00"}, 200)
    assert r["status"] == "resolved"
    # then CASE_LIMIT runs again, its nominal last day 08-02 moved by 23 days → 08-25
    limit.refresh_from_db()
    stop.refresh_from_db()
    assert (limit.status, limit.due_at, stop.ended_at) == ("running", end_of(2026, 8, 25), at(2026, 4, 24, 9))
    # and DISPUTE_RESOLVE is met; DISPUTE_IMPLEMENT runs 15 working days: past 05-01…05 and the
    # working Saturday 05-09 → 05-19
    assert clock("DISPUTE_RESOLVE", "dispute", d["id"]).status == DeadlineStatus.MET
    implement = clock("DISPUTE_IMPLEMENT", "dispute", d["id"])
    assert (implement.due_at, implement.status) == (end_of(2026, 5, 19), "running")


def test_the_dispute_is_implemented_when_both_lower_courts_have_carried_out_the_decision(
        api, cast, courts, ly_case):
    d = report_dispute(api, cast, ly_case, courts)
    post(api, cast.ha_supervisor, f"/api/v1/disputes/{d['id']}/transitions/resolve/",
         {"decision": "由洛阳中院先行处置。", "occurred_at": "2026-04-24T09:00:00+08:00"}, 200)
    url = f"/api/v1/disputes/{d['id']}/transitions/implement/"
    one = post(api, cast.judge, url, {"note": "已启动拍卖程序。", "occurred_at": "2026-04-28T09:00:00+08:00"}, 200)
    assert one["status"] == "resolved" and one["reporting_implemented_at"]
    # a court records its side once
    assert api(cast.judge).post(url, {"note": "再次登记"}, format="json").json()["code"] in (
        "already_implemented", "transition_not_allowed")
    two = post(api, cast.xg_judge, url,
               {"note": "已将处置权移交洛阳中院。", "occurred_at": "2026-04-29T09:00:00+08:00"}, 200)
    assert two["status"] == "implemented"
    implement = clock("DISPUTE_IMPLEMENT", "dispute", d["id"])
    assert (implement.status, implement.completed_at) == (DeadlineStatus.MET, at(2026, 4, 29, 9))


def test_only_a_bureau_head_of_the_case_court_reports_a_dispute(api, cast, courts, ly_case):
    body = {"case": ly_case.pk, "other_court": courts.xigong.pk, "summary": "争议"}
    assert api(cast.judge).post("/api/v1/disputes/", body, format="json").status_code == 403
    assert api(cast.hz_head).post("/api/v1/disputes/", body, format="json").status_code == 404
    r = api(cast.head).post("/api/v1/disputes/", {**body, "other_court": courts.luoyang.pk}, format="json")
    assert r.status_code == 400 and "other_court" in r.json()["errors"]
    assert not CaseLimitStop.objects.exists()


def test_a_dispute_with_a_state_organ_runs_the_five_and_ten_working_day_clocks(api, cast, courts, ly_case):
    # [004 §27]: negotiation with the public security bureau failed on 2026-04-30 (Thursday)
    d = post(api, cast.head, "/api/v1/disputes/", {
        "case": ly_case.pk, "kind": "state_organ", "other_organ": "洛阳市公安局",
        "occurred_at": "2026-04-30T09:00:00+08:00",
        "summary": "被执行人车辆已被公安机关扣押，协商解除扣押未果，需报上级法院协调。"})
    assert (d["status"], d["upper_court"]) == ("awaiting_referral", courts.henan.pk)
    # then it must be referred within 5 working days: 05-06, 07, 08, Saturday 05-09 (a working day), 05-11
    assert clock("DISPUTE_REFER", "dispute", d["id"]).due_at == end_of(2026, 5, 11)
    post(api, cast.head, f"/api/v1/disputes/{d['id']}/transitions/refer/",
         {"occurred_at": "2026-05-08T09:00:00+08:00"}, 200)
    # and the upper court starts coordinating within 10 working days: 05-09, 11…15, 18…21 → 05-21
    coordinate = clock("DISPUTE_COORDINATE", "dispute", d["id"])
    assert (coordinate.court_id, coordinate.due_at) == (courts.henan.pk, end_of(2026, 5, 21))
    assert clock("DISPUTE_REFER", "dispute", d["id"]).status == DeadlineStatus.MET
    r = post(api, cast.ha_supervisor, f"/api/v1/disputes/{d['id']}/transitions/start_coordination/",
             {"note": "已函商省公安厅", "occurred_at": "2026-05-12T09:00:00+08:00"}, 200)
    assert r["status"] == "coordinating"
    r = post(api, cast.ha_supervisor, f"/api/v1/disputes/{d['id']}/transitions/resolve/",
             {"decision": "公安机关解除扣押，车辆交由法院处置。", "occurred_at": "2026-05-20T09:00:00+08:00"}, 200)
    assert r["status"] == "resolved"
    # SPEC ties the CASE_LIMIT stop to disputes between courts only
    assert not CaseLimitStop.objects.filter(case=ly_case).exists()


# --- delegations ------------------------------------------------------------------------------

def request_delegation(api, cast, courts, case):
    return post(api, cast.judge, "/api/v1/delegations/", {
        "case": case.pk, "to_court": courts.hangzhou.pk, "task": "control",
        "occurred_at": "2026-04-02T10:00:00+08:00",
        "details": "被执行人在杭州市西湖区文三路 88 号有房产一处，请予查封。"})


def test_a_delegation_from_luoyang_to_hangzhou_is_seen_by_hz_bureau_but_the_case_is_404_for_hz_judge(
        api, cast, courts, ly_case):
    d = request_delegation(api, cast, courts, ly_case)
    # DELEGATION_ACCEPT: 3 working days from 04-02 (Thu): 04-03, (04-06 清明 holiday), 04-07, 04-08
    accept_clock = clock("DELEGATION_ACCEPT", "delegation", d["id"])
    assert (accept_clock.court_id, accept_clock.due_at) == (courts.hangzhou.pk, end_of(2026, 4, 8))
    # the entrusted court's bureau sees the task with the case's number, parties and basis
    seen = api(cast.hz_bureau).get("/api/v1/delegations/").json()["results"]
    assert [x["id"] for x in seen] == [d["id"]]
    assert seen[0]["case_number"] == ly_case.number and seen[0]["basis"] == ly_case.basis
    assert {p["name"] for p in seen[0]["parties"]} == set(ly_case.parties.values_list("name", flat=True))
    assert api(cast.hz_bureau).get(f"/api/v1/delegations/{d['id']}/transitions/").json() == ["accept", "return"]
    # when hz_bureau accepts and assigns hz_judge on 04-07
    r = post(api, cast.hz_bureau, f"/api/v1/delegations/{d['id']}/transitions/accept/",
             {"handler": cast.hz_judge.pk, "occurred_at": "2026-04-07T09:00:00+08:00"}, 200)
    assert (r["status"], r["handler"]) == ("accepted", cast.hz_judge.pk)
    # then DELEGATION_DONE runs 30 days → 05-07, with hz_judge responsible
    done = clock("DELEGATION_DONE", "delegation", d["id"])
    assert (done.due_at, done.responsible_id) == (end_of(2026, 5, 7), cast.hz_judge.pk)
    # and hz_judge handles the task, yet the case itself, its deadlines and events are not found
    for url in (f"/api/v1/cases/{ly_case.pk}/", f"/api/v1/cases/{ly_case.pk}/deadlines/",
                f"/api/v1/cases/{ly_case.pk}/events/"):
        assert api(cast.hz_judge).get(url).status_code == 404, url
    assert api(cast.hz_judge).get(f"/api/v1/delegations/{d['id']}/").status_code == 200
    r = post(api, cast.hz_judge, f"/api/v1/delegations/{d['id']}/transitions/complete/",
             {"result": "已于 4 月 20 日查封该房产，查封期限三年。", "occurred_at": "2026-04-20T15:00:00+08:00"}, 200)
    assert r["status"] == "done"
    assert clock("DELEGATION_DONE", "delegation", d["id"]).status == DeadlineStatus.MET
    # and the requesting judge sees the result
    mine = api(cast.judge).get(f"/api/v1/delegations/?case={ly_case.pk}").json()["results"]
    assert mine[0]["result"].startswith("已于 4 月 20 日查封")


def test_the_entrusted_court_may_return_a_task_with_a_reason(api, cast, courts, ly_case):
    d = request_delegation(api, cast, courts, ly_case)
    r = api(cast.hz_bureau).post(f"/api/v1/delegations/{d['id']}/transitions/return/", {"reason": ""}, format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    r = post(api, cast.hz_bureau, f"/api/v1/delegations/{d['id']}/transitions/return/",
             {"reason": "该地址不在本院辖区，请委托西湖区法院。", "occurred_at": "2026-04-03T09:00:00+08:00"}, 200)
    assert r["status"] == "returned"
    assert clock("DELEGATION_ACCEPT", "delegation", d["id"]).status == DeadlineStatus.MET


def test_only_the_entrusted_courts_staff_can_be_made_the_handler(api, cast, courts, ly_case):
    d = request_delegation(api, cast, courts, ly_case)
    r = api(cast.hz_bureau).post(f"/api/v1/delegations/{d['id']}/transitions/accept/",
                                 {"handler": cast.judge.pk}, format="json")
    assert r.status_code == 400 and "handler" in r.json()["errors"]
    r = api(cast.judge).post(f"/api/v1/delegations/{d['id']}/transitions/accept/",
                             {"handler": cast.hz_judge.pk}, format="json")
    assert r.status_code == 403


def test_only_the_case_judge_requests_a_delegation(api, cast, courts, ly_case):
    body = {"case": ly_case.pk, "to_court": courts.hangzhou.pk, "task": "serve", "details": "送达"}
    r = api(cast.judge2).post("/api/v1/delegations/", body, format="json")
    assert (r.status_code, r.json()["code"]) == (422, "not_case_judge")
    r = api(cast.judge).post("/api/v1/delegations/", {**body, "task": "paint"}, format="json")
    assert r.status_code == 400 and "task" in r.json()["errors"]


# --- supervision orders -----------------------------------------------------------------------

def test_an_upper_court_supervision_order_is_answered_by_the_handling_court_within_fifteen_days(
        api, cast, courts, xg_case):
    o = post(api, cast.ha_supervisor, f"/api/v1/cases/{xg_case.pk}/supervision-orders/", {
        "instructions": "本案立案已逾两月，请于十五日内报告财产调查和处置进展。",
        "occurred_at": "2026-04-01T09:00:00+08:00"})
    # SUPERVISION_REPLY runs on the handling court: 15 days → 04-16 [004 §28]
    reply_clock = clock("SUPERVISION_REPLY", "supervision_order", o["id"])
    assert (reply_clock.court_id, reply_clock.due_at, reply_clock.responsible_id) == (
        courts.xigong.pk, end_of(2026, 4, 16), cast.xg_judge.pk)
    assert api(cast.xg_judge).get(f"/api/v1/supervision-orders/{o['id']}/transitions/").json() == ["reply"]
    r = post(api, cast.xg_judge, f"/api/v1/supervision-orders/{o['id']}/transitions/reply/",
             {"reply": "已查封被执行人房产一处，拟启动网络询价。", "occurred_at": "2026-04-10T16:00:00+08:00"}, 200)
    assert r["status"] == "replied"
    # both courts see the reply
    for user in (cast.ha_supervisor, cast.xg_judge):
        assert api(user).get(f"/api/v1/supervision-orders/{o['id']}/").json()["reply"].startswith("已查封")
    assert clock("SUPERVISION_REPLY", "supervision_order", o["id"]).status == DeadlineStatus.MET


def test_an_overdue_supervision_reply_alerts_the_upper_court(api, cast, courts, xg_case):
    o = post(api, cast.ha_supervisor, f"/api/v1/cases/{xg_case.pk}/supervision-orders/", {
        "instructions": "请报告执行进展。", "occurred_at": "2026-04-01T09:00:00+08:00"})
    scan_deadlines(now=at(2026, 4, 17, 9))
    alert = Alert.objects.get(deadline=clock("SUPERVISION_REPLY", "supervision_order", o["id"]), level="breached")
    alerts = api(cast.ha_supervisor).get("/api/v1/alerts/?rule=SUPERVISION_REPLY").json()["results"]
    assert alert.pk in [a["id"] for a in alerts]


def test_a_supervision_order_needs_an_upper_court(api, cast, courts, xg_case, ly_case):
    body = {"instructions": "请报告进展。"}
    # 洛阳中院 over its own case: refused, the order is for courts below
    r = api(cast.supervisor).post(f"/api/v1/cases/{ly_case.pk}/supervision-orders/", body, format="json")
    assert (r.status_code, r.json()["code"]) == (422, "not_upper_court")
    # a judge cannot issue one; Hangzhou cannot see the case at all
    assert api(cast.xg_judge).post(f"/api/v1/cases/{xg_case.pk}/supervision-orders/", body,
                                   format="json").status_code == 403
    assert api(cast.hz_supervisor).post(f"/api/v1/cases/{xg_case.pk}/supervision-orders/", body,
                                        format="json").status_code == 404


# --- transfers --------------------------------------------------------------------------------

def test_a_take_up_moves_a_xigong_case_to_luoyang_with_its_running_clocks(api, cast, courts, xg_case):
    old_number = xg_case.number
    running = {d.node: d.due_at for d in Deadline.objects.filter(case=xg_case, status="running")}
    assert running["CASE_LIMIT"] == end_of(2026, 8, 3)
    # when 洛阳中院's bureau head takes the case up (提级执行) on 2026-04-15
    t = post(api, cast.head, f"/api/v1/cases/{xg_case.pk}/transfer/", {
        "kind": "take_up", "reason": "被执行人在本市有多起关联案件，提级统一执行。",
        "occurred_at": "2026-04-15T09:00:00+08:00"})
    case = Case.objects.get(pk=xg_case.pk)
    # then it is 洛阳中院's, numbered in its series, with the old number on record
    assert case.court_id == courts.luoyang.pk and case.number.startswith("(2026)豫03执") and case.judge_id is None
    assert (t["from_number"], t["to_number"], t["to_court"]) == (old_number, case.number, courts.luoyang.pk)
    # and its clocks moved with it, unchanged
    moved = Deadline.objects.filter(case=case, status="running")
    assert {d.node: d.due_at for d in moved} == running
    assert {d.court_id for d in moved} == {courts.luoyang.pk}
    # and it is found by its old number
    found = api(cast.bureau).get("/api/v1/cases/", {"q": old_number}).json()["results"]
    assert [c["id"] for c in found] == [case.pk]
    # and 西工区 keeps read access but can no longer act on it
    assert api(cast.xg_judge).get(f"/api/v1/cases/{case.pk}/").status_code == 200
    r = api(cast.xg_judge).post(f"/api/v1/cases/{case.pk}/milestones/", {"kind": "notice_sent"}, format="json")
    assert r.status_code == 404
    # and it is one audited act on the case
    ev = AuditEvent.objects.get(case_id=case.pk, action="case.transfer.take_up")
    assert (ev.before["number"], ev.after["number"], ev.reason) == (old_number, case.number, t["reason"])
    # and the receiving court's bureau assigns a judge, who carries on
    r = api(cast.head).post(f"/api/v1/cases/{case.pk}/transitions/assign/", {"judge": cast.judge2.pk}, format="json")
    assert r.status_code == 200, r.json()
    assert Deadline.objects.get(case=case, node="CASE_LIMIT").responsible_id == cast.judge2.pk


def test_a_take_up_moves_pending_approvals_to_the_receiving_court_and_leaves_given_ones_behind(
        api, cast, courts, xg_case):
    # given 西工区's judge asked for two approvals, one answered by 西工区's bureau head and one waiting
    pending = post(api, cast.xg_judge, "/api/v1/approvals/", {
        "case": xg_case.pk, "kind": "suspension", "reason": "被执行人重病住院，无法配合执行"})
    given = post(api, cast.xg_judge, "/api/v1/approvals/", {
        "case": xg_case.pk, "kind": "clock_stop", "reason": "被执行人下落不明，需公告送达"})
    post(api, cast.xg_head, f"/api/v1/approvals/{given['id']}/transitions/approve/", {"note": "同意"}, code=200)
    # when 洛阳中院 takes the case up
    post(api, cast.head, f"/api/v1/cases/{xg_case.pk}/transfer/", {
        "kind": "take_up", "reason": "提级统一执行", "occurred_at": "2026-04-15T09:00:00+08:00"})
    # then the waiting request is in 洛阳中院's inbox, no longer in 西工区's, and 洛阳中院 decides it
    inbox = api(cast.head).get("/api/v1/approvals/", {"status": "pending"}).json()["results"]
    assert [a["id"] for a in inbox] == [pending["id"]]
    # (西工区 keeps read access to the case and so still reads the request, now 洛阳中院's to decide)
    seen = api(cast.xg_head).get("/api/v1/approvals/", {"status": "pending"}).json()["results"]
    assert [(a["id"], a["court"]) for a in seen] == [(pending["id"], courts.luoyang.pk)]
    assert api(cast.xg_head).post(f"/api/v1/approvals/{pending['id']}/transitions/approve/", {"note": "同意"},
                                  format="json").status_code in (403, 404)
    post(api, cast.head, f"/api/v1/approvals/{pending['id']}/transitions/approve/", {"note": "同意中止"}, code=200)
    # and the approval 西工区 gave is not used in 洛阳中院: its new judge must ask again
    post(api, cast.head, f"/api/v1/cases/{xg_case.pk}/transitions/assign/", {"judge": cast.judge2.pk,
                                                                        "occurred_at": "2026-04-16T09:00:00+08:00"},
         code=200)
    r = api(cast.judge2).post(f"/api/v1/cases/{xg_case.pk}/clock-stops/", {
        "kind": "public_notice", "reason": "公告送达执行通知书", "occurred_at": "2026-04-20T09:00:00+08:00"},
        format="json")
    assert r.status_code == 422 and r.json()["approval_kind"] == "clock_stop", r.json()
    assert AuditEvent.objects.get(case_id=xg_case.pk, action="case.transfer.take_up").after["approvals_moved"] == 1


def test_a_reassignment_goes_only_to_a_court_under_the_deciding_court(api, cast, courts, xg_case):
    body = {"kind": "reassign", "to_court": courts.hangzhou.pk, "reason": "交叉执行"}
    r = api(cast.ha_supervisor).post(f"/api/v1/cases/{xg_case.pk}/transfer/", body, format="json")
    assert (r.status_code, r.json()["code"]) == (422, "court_not_under_actor")
    r = api(cast.ha_supervisor).post(f"/api/v1/cases/{xg_case.pk}/transfer/",
                                     {**body, "to_court": courts.luoyang.pk}, format="json")
    assert r.status_code == 201 and r.json()["kind"] == "reassign"
    assert Case.objects.get(pk=xg_case.pk).court_id == courts.luoyang.pk


def test_a_transfer_is_refused_for_a_closed_case_and_without_a_reason(api, cast, courts, xg_case, core_close_guards):
    from cases import services

    r = api(cast.head).post(f"/api/v1/cases/{xg_case.pk}/transfer/", {"kind": "take_up", "reason": " "},
                            format="json")
    assert r.status_code == 400 and "reason" in r.json()["errors"]
    services.case_close(case=xg_case, actor=cast.xg_judge, closure="withdrawn", occurred_at=at(2026, 4, 1, 9))
    r = api(cast.head).post(f"/api/v1/cases/{xg_case.pk}/transfer/", {"kind": "take_up", "reason": "提级"},
                            format="json")
    assert (r.status_code, r.json()["code"]) == (409, "case_closed")
    r = api(cast.xg_head).post(f"/api/v1/cases/{xg_case.pk}/transfer/", {"kind": "take_up", "reason": "提级"},
                               format="json")
    assert r.status_code in (409, 422)
    assert Case.objects.get(pk=xg_case.pk).court_id == courts.xigong.pk


@pytest.mark.parametrize("kind", ["take_up", "reassign"])
def test_a_court_cannot_transfer_its_own_case(api, cast, courts, ly_case, kind):
    r = api(cast.head).post(f"/api/v1/cases/{ly_case.pk}/transfer/",
                            {"kind": kind, "to_court": courts.xigong.pk, "reason": "移送"}, format="json")
    assert (r.status_code, r.json()["code"]) == (422, "not_upper_court")
