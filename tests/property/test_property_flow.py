"""Property: network query → feedback → control → valuation → auction → sold (SPEC §6.2, §4, §13)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from cases.models import Property
from deadlines.models import Deadline, DeadlineStatus
from enforcement.models import AuditEvent
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")
ALL = ["bank_deposit", "real_estate", "vehicle", "equity", "securities", "insurance", "online_payment", "other"]


def at(*args):
    return datetime(*args, tzinfo=SH)


def iso(*args):
    return at(*args).isoformat()


@pytest.fixture
def case(rules, people):
    from cases import services

    c = file_case(people.clerk, filed_at=at(2026, 2, 2, 9))
    c = services.case_receive(case=c, actor=people.bureau, occurred_at=at(2026, 2, 3, 9))
    c = services.case_assign(case=c, actor=people.bureau, judge=people.judge, occurred_at=at(2026, 2, 3, 10))
    return services.case_accept(case=c, actor=people.judge, occurred_at=at(2026, 2, 4, 9))


def due(subject_type, subject_id, node):
    return Deadline.objects.get(subject_type=subject_type, subject_id=subject_id, node=node)


def fire(client, resource, pk, name, **params):
    return client.post(f"/api/v1/{resource}/{pk}/transitions/{name}/", params, format="json")


@pytest.mark.smoke
def test_query_to_sale_starts_and_meets_every_deadline_on_the_2026_calendar(case, people, api):
    judge = api(people.judge)
    # query initiated 2026-02-05 → QUERY_START (received 02-03 + 5 working days) met
    r = judge.post(f"/api/v1/cases/{case.pk}/queries/", {"channels": ["national", "provincial"],
                                                         "occurred_at": iso(2026, 2, 5, 9)}, format="json")
    assert r.status_code == 201, r.content
    query = r.json()
    assert query["complete"] is False and query["categories"] == ALL
    assert due("case", case.pk, "QUERY_START").status == DeadlineStatus.MET
    # feedback in two parts; the first (Fri 2026-02-13) finds a deposit (online) and a house (offline)
    r = judge.post(f"/api/v1/queries/{query['id']}/feedback/", {
        "categories": ["bank_deposit", "real_estate"], "occurred_at": iso(2026, 2, 13, 16),
        "properties": [
            {"type": "bank_deposit", "description": "中国建设银行洛阳分行 账户 6217…0001", "value": "80000.00",
             "online_controllable": True},
            {"type": "real_estate", "description": "洛阳市西工区凯旋路 12 号 3 单元 502 室", "value": "600000.00",
             "online_controllable": False},
        ]}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["complete"] is False
    deposit = Property.objects.get(case=case, type="bank_deposit")
    house = Property.objects.get(case=case, type="real_estate")
    # [004 §13]: online control immediately (end of 02-13); offline within 3 working days → 02-25
    # (02-14 is a make-up working day; the Spring Festival holiday runs 02-15…02-23)
    assert due("property", deposit.pk, "CONTROL_ONLINE").due_at == at(2026, 2, 13, 23, 59, 59)
    assert due("property", house.pk, "CONTROL_OFFLINE").due_at == at(2026, 2, 25, 23, 59, 59)
    r = judge.post(f"/api/v1/queries/{query['id']}/feedback/", {
        "categories": [c for c in ALL if c not in ("bank_deposit", "real_estate")],
        "occurred_at": iso(2026, 2, 13, 17)}, format="json")
    assert r.json()["complete"] is True
    # a freeze without an amount is refused, then made with one
    r = fire(judge, "properties", deposit.pk, "control", measure="freeze", occurred_at=iso(2026, 2, 13, 18))
    assert r.status_code == 422 and r.json()["code"] == "freeze_amount_missing"
    r = fire(judge, "properties", deposit.pk, "control", measure="freeze", amount="80000.00",
             occurred_at=iso(2026, 2, 13, 18))
    assert r.status_code == 200, r.content
    assert due("property", deposit.pk, "CONTROL_ONLINE").status == DeadlineStatus.MET
    # bank freeze lapses after 1 year: 2027-02-13 is a Saturday, and 2027's schedule is not loaded yet
    expiry = due("property", deposit.pk, "CONTROL_EXPIRY")
    assert expiry.provisional is True and expiry.due_at == at(2027, 2, 15, 23, 59, 59)
    assert not Deadline.objects.filter(subject_type="property", subject_id=deposit.pk, node="PRICE_START").exists()
    # the house is seized on 2026-02-24 (value within 120 % of the outstanding claim is checked)
    r = fire(judge, "properties", house.pk, "control", measure="seize", mode="live", value="100000.00",
             occurred_at=iso(2026, 2, 24, 10))
    assert r.status_code == 200, r.content
    assert due("property", house.pk, "CONTROL_OFFLINE").status == DeadlineStatus.MET
    price_start = due("property", house.pk, "PRICE_START")
    assert price_start.due_at == at(2026, 3, 26, 23, 59, 59)  # 30 days [004 §16]
    # valuation by online inquiry, reference price, online auction
    assert fire(judge, "properties", house.pk, "start_valuation", method="online_inquiry",
                occurred_at=iso(2026, 3, 2, 9)).status_code == 200
    assert due("property", house.pk, "PRICE_START").status == DeadlineStatus.MET
    r = fire(judge, "properties", house.pk, "set_reference_price", amount="560000.00", occurred_at=iso(2026, 3, 16, 9))
    assert r.status_code == 200 and r.json()["status"] == "valued"
    assert due("property", house.pk, "DISPOSAL_START").due_at == at(2026, 3, 26, 23, 59, 59)  # 10 days
    assert fire(judge, "properties", house.pk, "start_disposal", method="online_auction",
                occurred_at=iso(2026, 3, 20, 9)).status_code == 200
    assert due("property", house.pk, "DISPOSAL_START").status == DeadlineStatus.MET
    r = fire(judge, "properties", house.pk, "schedule_auction", announced_at=iso(2026, 3, 20, 10),
             auction_at=iso(2026, 4, 20, 10), starting_price="392000.00", occurred_at=iso(2026, 3, 20, 10))
    assert r.status_code == 200, r.content
    r = fire(judge, "properties", house.pk, "record_auction_result", sold=True, price="455000.00",
             occurred_at=iso(2026, 4, 21, 10))
    assert r.status_code == 200 and r.json()["status"] == "sold"
    # the sale money arrives in the case account: the property is realized, linked to its receipt
    r = api(people.finance).post("/api/v1/funds/receipts/", {
        "bank_txn_id": "AUCTION-20260428-001", "account_no": case.account_no, "amount": "455000.00",
        "payer": "淘宝网司法拍卖平台", "received_at": iso(2026, 4, 28, 10)}, format="json")
    assert r.status_code == 201, r.content
    receipt_id = r.json()["id"]
    r = fire(judge, "properties", house.pk, "realize", receipt=receipt_id, occurred_at=iso(2026, 4, 28, 11))
    assert r.status_code == 200, r.content
    assert r.json()["status"] == "realized" and r.json()["receipt"] == receipt_id
    # a receipt of another case cannot be linked
    other = file_case(people.clerk, filed_at=at(2026, 2, 2, 9))
    r = api(people.finance).post("/api/v1/funds/receipts/", {
        "bank_txn_id": "OTHER-1", "account_no": other.account_no, "amount": "10.00", "payer": "某人",
        "received_at": iso(2026, 4, 28, 10)}, format="json")
    assert fire(judge, "properties", deposit.pk, "realize", receipt=r.json()["id"]).status_code == 400
    # every step is in the case's audit trail
    actions = set(AuditEvent.objects.filter(case_id=case.pk).values_list("action", flat=True))
    assert {"query.initiate", "query.feedback", "property.control", "property.start_valuation",
            "property.set_reference_price", "property.start_disposal", "property.schedule_auction",
            "property.record_auction_result", "property.realize", "deadline.start", "deadline.meet"} <= actions


def test_property_list_runs_a_constant_number_of_queries(case, people, api, django_assert_max_num_queries):
    from cases.property import services as ps

    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 2, 5, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=ALL, occurred_at=at(2026, 2, 6, 9), properties=[
        ps.FoundProperty(type="vehicle", description=f"豫C·{i:05d}", value=1000) for i in range(3)])
    client = api(people.judge)
    client.get(f"/api/v1/properties/?case={case.pk}")  # warm caches (session, calendar)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/v1/properties/?case={case.pk}").json()["count"] == 3
    ps.query_feedback(query=q, actor=people.judge, categories=["vehicle"], occurred_at=at(2026, 2, 7, 9), properties=[
        ps.FoundProperty(type="vehicle", description=f"豫C·9{i:04d}", value=1000) for i in range(20)])
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"/api/v1/properties/?case={case.pk}").json()["count"] == 23


def test_other_courts_cannot_see_properties_or_leads(case, people, api):
    from cases.property import services as ps

    lead = ps.lead_receive(case=case, actor=people.judge, description="被执行人在某银行有存款",
                           occurred_at=at(2026, 2, 5, 9))
    assert api(people.hz_judge).get(f"/api/v1/leads/{lead.pk}/").status_code == 404
    assert api(people.hz_judge).get(f"/api/v1/leads/{lead.pk}/transitions/").status_code == 404
    assert api(people.hz_judge).get("/api/v1/properties/").json()["count"] == 0
    assert api(people.ha_supervisor).get(f"/api/v1/leads/{lead.pk}/").status_code == 200
