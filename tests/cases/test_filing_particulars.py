"""The filing records 案由, the basis' issuing body and effective date, and each party's address for
service and agent (issue 17) — through the API and the filing form alike."""

from datetime import date

import pytest
from django.urls import reverse

from cases.models import Case
from tests.factories import ORG_USCC, PERSON_ID, case_payload


@pytest.fixture
def api(client, people):
    client.force_login(people.clerk)
    return client


def test_the_api_records_the_cause_the_issuing_body_the_effective_date_and_the_agents(api):
    body = case_payload(cause="买卖合同纠纷", basis_issuer="洛阳市西工区人民法院", basis_effective_on="2025-12-01")
    body["parties"][1].update(service_address="洛阳市西工区中州路 18 号", agent_name="王律师",
                              agent_phone="13900000000")
    r = api.post("/api/v1/cases/", body, content_type="application/json")
    assert r.status_code == 201, r.content
    data = r.json()
    assert (data["cause"], data["basis_issuer"], data["basis_effective_on"]) == (
        "买卖合同纠纷", "洛阳市西工区人民法院", "2025-12-01")
    debtor = next(p for p in data["parties"] if p["role"] == "respondent")
    assert debtor["service_address"] == "洛阳市西工区中州路 18 号" and debtor["agent_name"] == "王律师"


def test_a_basis_cannot_take_effect_after_the_filing(api):
    r = api.post("/api/v1/cases/", case_payload(basis_effective_on="2099-01-01"), content_type="application/json")
    assert r.status_code == 400
    assert "basis_effective_on" in str(r.json())
    assert not Case.objects.exists()


def test_the_filing_form_records_the_particulars(api, people):
    form = {
        "basis": "（2025）豫0303民初1234号民事判决书", "basis_kind": "litigation", "claim_amount": "150000.00",
        "cause": "民间借贷纠纷", "basis_issuer": "洛阳市西工区人民法院", "basis_effective_on": "2025-11-30",
        "payee_bank": "中国工商银行洛阳分行", "payee_account_no": "6222021705001234567", "payee_holder": "宏达公司",
        "parties-TOTAL_FORMS": "2", "parties-INITIAL_FORMS": "0", "parties-MIN_NUM_FORMS": "2",
        "parties-MAX_NUM_FORMS": "20",
        "parties-0-role": "applicant", "parties-0-name": "洛阳市宏达建材有限公司", "parties-0-kind": "organization",
        "parties-0-id_number": ORG_USCC, "parties-0-agent_name": "李律师",
        "parties-1-role": "respondent", "parties-1-name": "张伟", "parties-1-kind": "person",
        "parties-1-id_number": PERSON_ID, "parties-1-service_address": "洛阳市西工区中州路 18 号",
    }
    r = api.post(reverse("case-file"), form)
    assert r.status_code == 302, r.content.decode()[-2000:]
    case = Case.objects.get()
    assert (case.cause, case.basis_issuer, case.basis_effective_on) == (
        "民间借贷纠纷", "洛阳市西工区人民法院", date(2025, 11, 30))
    assert case.parties.get(role="respondent").service_address == "洛阳市西工区中州路 18 号"
    assert case.parties.get(role="applicant").agent_name == "李律师"
    page = api.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "民间借贷纠纷" in page and "送达地址：洛阳市西工区中州路 18 号" in page
