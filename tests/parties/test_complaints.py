"""SPEC §11, [001]: each complaint is its own record with its own COMPLAINT_REPLY clock (3 days);
answering one meets only its clock and tells the party; a referred one is answered by the panel."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from cases import services as case_services
from cases.complaints import services
from cases.models import CaseStatus, Complaint, Milestone, PartyMessage
from deadlines import services as clock
from deadlines.models import Deadline
from deadlines.services import Subject
from enforcement.errors import PermissionDenied
from tests.factories import advance, file_case

from .conftest import at


@pytest.fixture
def case(people, rules):
    c = file_case(people.clerk)
    c.parties.filter(role="applicant").update(phone="13937900001")
    return advance(c, CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


def _reply_clock(c: Complaint) -> Deadline:
    return Deadline.objects.get(node="COMPLAINT_REPLY", subject_type="complaint", subject_id=c.pk)


@pytest.mark.django_db
def test_two_complaints_have_two_clocks_and_answering_one_meets_only_its_own(case, people, api):
    applicant = case.parties.get(role="applicant")
    client = api(people.officer)
    # given two complaints, received on different days
    first = client.post(f"/api/v1/cases/{case.pk}/complaints/", {
        "party": applicant.pk, "content": "法院长期未采取查封措施", "received_at": at(2026, 11, 2).isoformat()},
        format="json")
    second = client.post(f"/api/v1/cases/{case.pk}/complaints/", {
        "party": applicant.pk, "content": "案款发放迟延", "received_at": at(2026, 11, 3).isoformat()},
        format="json")
    assert first.status_code == second.status_code == 201
    one, two = Complaint.objects.get(pk=first.json()["id"]), Complaint.objects.get(pk=second.json()["id"])
    # then each has its own 3-day clock ([001]): 11-02 + 3 days, 11-03 + 3 days
    assert _reply_clock(one).due_at == at(2026, 11, 5, 23, 59).replace(second=59)
    assert _reply_clock(two).due_at == at(2026, 11, 6, 23, 59).replace(second=59)
    assert first.json()["due_at"].startswith("2026-11-05T23:59:59")

    # when the judge answers the first
    r = api(people.judge).post(f"/api/v1/complaints/{one.pk}/transitions/answer/",
                               {"answer": "已于11月4日查封被执行人名下房产。"}, format="json")
    assert r.status_code == 200 and r.json()["status"] == "answered"
    # then only its clock is met; the other runs on
    assert _reply_clock(one).status == "met"
    assert _reply_clock(two).status in ("running", "breached")
    # and the answer is sent to the party
    told = PartyMessage.objects.get(case=case, event="complaint_answered")
    assert told.party_id == applicant.pk and "已于11月4日查封" in told.text and told.status == "queued"


@pytest.mark.django_db
def test_a_referred_complaint_is_answered_by_the_panel_not_the_judge_alone(case, people, api):
    applicant = case.parties.get(role="applicant")
    c = services.complaint_receive(case=case, actor=people.officer, party=applicant, content="对评估价格有重大异议")
    judge = api(people.judge)
    assert judge.get(f"/api/v1/complaints/{c.pk}/transitions/").json() == ["answer", "refer"]
    r = judge.post(f"/api/v1/complaints/{c.pk}/transitions/refer/", {"reason": "涉及评估价格重大争议"},
                   format="json")
    assert r.status_code == 200 and r.json()["status"] == "referred"
    assert _reply_clock(c).status == "running"  # referral is not an answer: the party still waits

    # the panel's answer is recorded by one of its members (another post judge)
    panel = api(people.judge2)
    assert panel.get(f"/api/v1/complaints/{c.pk}/transitions/").json() == ["answer"]
    r = panel.post(f"/api/v1/complaints/{c.pk}/transitions/answer/", {"answer": "评估程序合法，异议不成立。"},
                   format="json")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "answered" and body["answered_by_panel"] is True
    assert _reply_clock(c).status == "met"
    assert "经合议庭评议" in PartyMessage.objects.get(case=case, event="complaint_answered").text


@pytest.mark.django_db
def test_only_the_case_judge_answers_or_refers_a_new_complaint(case, people, api):
    c = services.complaint_receive(case=case, actor=people.officer, party=case.parties.get(role="applicant"),
                                   content="执行不力")
    r = api(people.judge2).post(f"/api/v1/complaints/{c.pk}/transitions/answer/", {"answer": "x"}, format="json")
    assert r.status_code == 403 and r.json()["code"] == "permission_denied"
    with pytest.raises(PermissionDenied):
        services.complaint_answer(complaint=c, actor=people.officer, answer="x")
    r = api(people.judge2).post(f"/api/v1/complaints/{c.pk}/transitions/refer/", {"reason": "x"}, format="json")
    assert r.status_code == 422 and r.json()["code"] == "not_case_judge"
    c.refresh_from_db()
    assert c.status == "received"


@pytest.mark.django_db
def test_a_complaint_needs_a_party_of_the_case_and_content(case, people, api, rules):
    other = file_case(people.clerk)
    client = api(people.officer)
    r = client.post(f"/api/v1/cases/{case.pk}/complaints/",
                    {"party": other.parties.first().pk, "content": "x"}, format="json")
    assert r.status_code == 400 and "party" in r.json()["errors"]
    r = client.post(f"/api/v1/cases/{case.pk}/complaints/", {"party": case.parties.first().pk, "content": ""},
                    format="json")
    assert r.status_code == 400 and "content" in r.json()["errors"]
    assert not Complaint.objects.exists()
    assert api(people.hz_judge).get(f"/api/v1/complaints/?case={case.pk}").json()["count"] == 0


@pytest.mark.django_db
def test_complaints_list_filters_by_case_in_constant_queries(case, people, api, django_assert_max_num_queries):
    applicant = case.parties.get(role="applicant")
    for i in range(4):
        services.complaint_receive(case=case, actor=people.officer, party=applicant, content=f"投诉{i}")
    client = api(people.judge)
    with django_assert_max_num_queries(8):
        r = client.get(f"/api/v1/complaints/?case={case.pk}")
    assert r.json()["count"] == 4 and all(row["due_at"] for row in r.json()["results"])


@pytest.mark.django_db
def test_the_case_page_shows_complaints_and_records_one(case, people, client):
    client.force_login(people.officer)
    applicant = case.parties.get(role="applicant")
    r = client.post(f"/cases/{case.pk}/complaints/", {"complaint-party": applicant.pk,
                                                      "complaint-content": "法官不接电话"})
    assert r.status_code == 302
    client.force_login(people.judge)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "当事人投诉" in page and "法官不接电话" in page and "待答复" in page and "提交合议庭" in page
    # a refused intake shows the reason on the form, nothing written
    client.force_login(people.officer)
    r = client.post(f"/cases/{case.pk}/complaints/", {"complaint-party": applicant.pk, "complaint-content": ""})
    assert r.status_code == 400 and Complaint.objects.count() == 1


@pytest.mark.django_db
def test_the_complaint_milestones_move_onto_complaints_keeping_their_clocks(case, people):
    # given the old way on one case: received → clock, answered → met; a second complaint received later
    # (the old single clock per case could not start again for it)
    subject = Subject.of_case(case)
    Milestone.objects.create(case=case, kind="complaint_received", occurred_at=at(2026, 11, 2),
                             recorded_by=people.judge, note="未查封房产")
    met = clock.deadlines_on_event(event="complaint.received", at=at(2026, 11, 2), subject=subject,
                                   court=case.court, actor=people.judge)[0]
    Milestone.objects.create(case=case, kind="complaint_answered", occurred_at=at(2026, 11, 3),
                             recorded_by=people.judge, note="已查封")
    clock.deadline_meet(node="COMPLAINT_REPLY", subject=subject, at=at(2026, 11, 3))
    Milestone.objects.create(case=case, kind="complaint_received", occurred_at=at(2026, 11, 10),
                             recorded_by=people.judge, note="案款迟延")
    # and on another case one complaint whose clock is still running
    other = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    Milestone.objects.create(case=other, kind="complaint_received", occurred_at=at(2026, 11, 20),
                             recorded_by=people.judge, note="执行不力")
    running = clock.deadlines_on_event(event="complaint.received", at=at(2026, 11, 20),
                                       subject=Subject.of_case(other), court=other.court, actor=people.judge)[0]
    due_met, due_running = met.due_at, running.due_at

    # when the data migration runs
    migration = importlib.import_module("cases.migrations.0009_query_codes_and_complaints")
    migration.move_complaints(apps, None)

    # then each milestone pair is a complaint, and each clock belongs to its complaint, as it was
    first, second = Complaint.objects.filter(case=case).order_by("received_at")
    assert (first.status, first.answer, first.content) == ("answered", "已查封", "未查封房产")
    assert (second.status, second.content) == ("received", "案款迟延")
    moved = Complaint.objects.get(case=other)
    met.refresh_from_db()
    running.refresh_from_db()
    assert (met.subject_type, met.subject_id, met.status, met.due_at) == ("complaint", first.pk, "met", due_met)
    assert (running.subject_type, running.subject_id, running.status, running.due_at) == (
        "complaint", moved.pk, "running", due_running)
    assert not Milestone.objects.filter(kind__startswith="complaint").exists()
    # and the moved open complaint is answered the new way, meeting its kept clock
    services.complaint_answer(complaint=moved, actor=people.judge, answer="已采取措施")
    running.refresh_from_db()
    assert running.status == "met"


@pytest.mark.django_db
def test_complaint_milestones_are_refused_now_that_complaints_are_records(case, people, api):
    r = api(people.judge).post(f"/api/v1/cases/{case.pk}/milestones/", {"kind": "complaint_received"},
                               format="json")
    assert r.status_code == 400 and "kind" in r.json()["errors"]
    with pytest.raises(Exception, match="输入有误"):
        case_services.case_record_milestone(case=case, actor=people.judge, kind="complaint_answered")
