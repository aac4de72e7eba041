"""SPEC §10, §13: the public progress page and its JSON twin — case number + query code → the case's
court, status, judge, filing date and nodes; nothing private; a wrong code and an unknown number look
the same; more than 10 failed tries from one address in an hour are refused (429)."""

from __future__ import annotations

import pytest

from cases import services as case_services
from cases.models import CaseStatus, MilestoneKind
from enforcement.models import AuditEvent
from tests.factories import ORG_USCC, PERSON_ID, advance, file_case

URL = "/api/v1/public/progress/"
SECRETS = ("张伟", "洛阳市宏达建材有限公司", PERSON_ID, ORG_USCC, "13800138000", "13937900001",
           "6222021705001234567", "150000", "150,000")


@pytest.fixture
def case(people, rules):
    parties = [
        case_services.PartyData(role="applicant", name="洛阳市宏达建材有限公司", kind="organization",
                                id_number=ORG_USCC, phone="13937900001"),
        case_services.PartyData(role="respondent", name="张伟", kind="person", id_number=PERSON_ID,
                                phone="13800138000"),
    ]
    c = advance(file_case(people.clerk, parties=parties), CaseStatus.IN_PROGRESS, bureau=people.bureau,
                judge=people.judge)
    case_services.case_record_milestone(case=c, actor=people.judge, kind=MilestoneKind.NOTICE_SENT)
    c.refresh_from_db()
    return c


@pytest.mark.django_db
def test_the_right_code_shows_court_status_judge_filing_date_and_nodes(case, api):
    r = api().post(URL, {"number": case.number, "code": case.query_code}, format="json")
    assert r.status_code == 200
    body = r.json()
    assert body["number"] == case.number
    assert body["court"] == "洛阳市中级人民法院"
    assert body["status"] == "执行中"
    assert body["judge"] == "陈法官"
    assert body["filed_at"]
    assert [n["name"] for n in body["nodes"]] == ["立案", "承办法官接收案件", "发出执行通知书、报告财产令"]
    assert body["parties"] == [{"role": "申请执行人", "name": "洛阳某某有限公司"}, {"role": "被执行人", "name": "张*"}]


@pytest.mark.django_db
def test_the_code_is_read_as_typed_by_a_citizen(case, api):
    number = case.number.replace("(", "（").replace(")", "）")
    code = f" {case.query_code[:4].lower()}-{case.query_code[4:].lower()} "
    assert api().post(URL, {"number": number, "code": code}, format="json").status_code == 200


@pytest.mark.django_db
def test_nothing_private_reaches_the_public_answer_or_page(case, api, client):
    json_body = api().post(URL, {"number": case.number, "code": case.query_code}, format="json").content.decode()
    page = client.post("/progress/", {"number": case.number, "code": case.query_code}).content.decode()
    assert "承办法官接收案件" in page and "张*" in page
    for raw in (*SECRETS, case.account_no):
        assert raw not in json_body, raw
        assert raw not in page, raw


@pytest.mark.django_db
def test_a_wrong_code_and_an_unknown_number_get_the_same_answer(case, api):
    wrong = api().post(URL, {"number": case.number, "code": "ABCDEFGH"}, format="json")
    unknown = api().post(URL, {"number": "(2026)豫03执99999号", "code": case.query_code}, format="json")
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json()
    assert wrong.json()["code"] == "not_found"


@pytest.mark.django_db
def test_each_lookup_is_audited_without_the_code(case, api):
    api().post(URL, {"number": case.number, "code": case.query_code}, format="json")
    api().post(URL, {"number": case.number, "code": "ABCDEFGH"}, format="json")
    events = list(AuditEvent.objects.filter(action="progress.lookup").order_by("id"))
    assert [e.after["found"] for e in events] == [True, False]
    assert all(e.case_id == case.pk and e.after["number"] == case.number for e in events)
    for e in events:
        assert case.query_code not in str(e.after) and "ABCDEFGH" not in str(e.after) + e.reason


@pytest.mark.django_db
def test_more_than_ten_failures_from_one_address_in_an_hour_are_refused(case, api):
    client = api()
    for _ in range(10):
        assert client.post(URL, {"number": case.number, "code": "ABCDEFGH"}, format="json").status_code == 404
    # the 11th try is refused, even with the right code
    r = client.post(URL, {"number": case.number, "code": case.query_code}, format="json")
    assert r.status_code == 429 and r.json()["code"] == "throttled"
    # another address is not affected
    other = client.post(URL, {"number": case.number, "code": case.query_code}, format="json",
                        REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 200


@pytest.mark.django_db
def test_successful_lookups_do_not_count_towards_the_limit(case, api):
    client = api()
    for _ in range(12):
        assert client.post(URL, {"number": case.number, "code": case.query_code}, format="json").status_code == 200


@pytest.mark.django_db
def test_the_page_refuses_after_ten_failures_with_a_message(case, client):
    for _ in range(10):
        assert client.post("/progress/", {"number": case.number, "code": "ABCDEFGH"}).status_code == 404
    r = client.post("/progress/", {"number": case.number, "code": case.query_code})
    assert r.status_code == 429 and "查询失败次数过多" in r.content.decode()


@pytest.mark.django_db
def test_malformed_input_is_a_400_with_field_errors(api):
    r = api().post(URL, {"number": ""}, format="json")
    assert r.status_code == 400 and set(r.json()["errors"]) == {"number", "code"}


@pytest.mark.django_db
def test_the_public_page_needs_no_login(client):
    r = client.get("/progress/")
    assert r.status_code == 200 and "执行案件进度查询" in r.content.decode()
