"""SPEC §10: every node a party must know queues one message to that party, in the acting
transaction, delivered once after commit; a party without a usable phone is recorded as
undeliverable and shown to the judge."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from cases import services as case_services
from cases.models import CaseStatus, MilestoneKind, PartyMessage
from cases.parties.services import sms_address
from cases.property import services as property_services
from credit import services as credit_services
from enforcement import notifications
from enforcement.models import Notification
from enforcement.tasks import deliver_notifications
from funds import services as funds_services
from funds.models import Disbursement
from tests.factories import ORG_USCC, PERSON_ID, advance, bureau_head_of, file_case

APPLICANT_PHONE = "13937900001"
DEBTOR_PHONE = "13800138000"


def _parties():
    return [
        case_services.PartyData(role="applicant", name="洛阳市宏达建材有限公司", kind="organization",
                                id_number=ORG_USCC, phone=APPLICANT_PHONE),
        case_services.PartyData(role="respondent", name="张伟", kind="person", id_number=PERSON_ID,
                                phone=DEBTOR_PHONE),
    ]


class Recorder:
    channel = "record"

    def __init__(self):
        self.sent: list[tuple[str, str]] = []

    def send(self, notification):
        self.sent.append((notification.address, notification.body))


def _run_whole_case(people, case):
    judge = people.judge
    case = advance(case, CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=judge)
    case_services.case_record_milestone(case=case, actor=judge, kind=MilestoneKind.NOTICE_SENT)
    q = property_services.query_initiate(case=case, actor=judge, channels=["national"],
                                         categories=["bank_deposit", "vehicle"])
    property_services.query_feedback(query=q, actor=judge, categories=["bank_deposit", "vehicle"], properties=[
        property_services.FoundProperty(type="bank_deposit", description="工商银行 6222 0217 0500 9999 888",
                                        value=Decimal("200000"), online_controllable=True)])
    prop = case.properties.get()
    property_services.property_control(prop=prop, actor=judge, measure="freeze", amount=Decimal("150000"))
    funds_services.receipt_record(actor=people.finance, data=funds_services.ReceiptData(
        bank_txn_id="ICBC-PARTY-1", account_no=case.account_no, amount=Decimal("150000.00"), payer="张伟",
        received_at=timezone.now()))
    d = Disbursement.objects.get(case=case)
    funds_services.disbursement_notify(disbursement=d, actor=judge)
    funds_services.disbursement_pay(disbursement=d, actor=people.finance, payee_account_no=case.payee_account_no,
                                    bank_ref="PAY-0001", idempotency_key="pay-party-1")
    debtor = case.parties.get(role="respondent")
    s = credit_services.sanction_propose(case=case, party=debtor, kind="consumption_restriction", actor=judge)
    credit_services.sanction_decide(sanction=s, actor=judge)
    case_services.case_close(case=case, actor=judge, closure="performed")
    return case


@pytest.mark.django_db
def test_every_node_tells_each_party_that_must_know_once_in_order(people, rules, pinned_clock, settings,
                                                                   monkeypatch, django_capture_on_commit_callbacks):
    # given a case whose applicant and debtor both have mobile numbers
    with django_capture_on_commit_callbacks() as callbacks:
        case = file_case(people.clerk, parties=_parties())
        # when it runs through every node to closure
        case = _run_whole_case(people, case)

    # then each node told exactly the parties SPEC §10 names, once each, in the order of the acts
    rows = list(PartyMessage.objects.filter(case=case).select_related("party").order_by("created_at", "id"))
    told = [(m.event, m.party.role) for m in rows]
    assert told == [
        ("filed", "applicant"),
        ("accepted", "applicant"), ("accepted", "respondent"),
        ("notice_sent", "applicant"), ("notice_sent", "respondent"),
        ("query_result", "applicant"),
        ("control", "applicant"), ("control", "respondent"),
        ("funds_paid", "applicant"),
        ("sanction", "applicant"), ("sanction", "respondent"),
        ("closed", "applicant"), ("closed", "respondent"),
    ]
    texts = {(m.event, m.party.role): m.text for m in rows}
    assert case.query_code in texts[("filed", "applicant")] and case.account_no in texts[("filed", "applicant")]
    assert "陈法官" in texts[("accepted", "respondent")]
    assert "银行存款1项" in texts[("query_result", "applicant")]
    assert "6222" not in texts[("query_result", "applicant")]  # no account numbers (SPEC §10)
    assert "150,000.00元" in texts[("funds_paid", "applicant")]
    assert "限制消费" in texts[("sanction", "respondent")]
    assert "执行完毕" in texts[("closed", "applicant")]
    for m in rows:  # written for a citizen: no internal codes
        assert not any(code in m.text for code in ("filed", "in_progress", "performed", "freeze", "bank_deposit"))

    # and each message went to the outbox in the acting transaction, for delivery after commit
    assert all(m.notification_id is not None and m.status == "queued" for m in rows)
    assert callbacks, "delivery is scheduled on commit"
    recorder = Recorder()
    monkeypatch.setitem(notifications.ADAPTERS, "record", recorder)
    settings.NOTIFICATION_ADAPTERS = ["record"]
    ids = [m.notification_id for m in rows]
    # when the delivery task runs twice (a retry, a sweep)
    deliver_notifications(ids)
    deliver_notifications(ids)
    # then every message was delivered once, to the right phone
    assert sorted(recorder.sent) == sorted(
        (APPLICANT_PHONE if m.party.role == "applicant" else DEBTOR_PHONE, m.text) for m in rows)
    assert {m.status for m in PartyMessage.objects.filter(case=case).select_related("notification")} == {"sent"}


@pytest.mark.django_db
def test_a_party_without_a_phone_or_with_a_bad_number_is_recorded_undeliverable(people, rules, api):
    # given an applicant with no phone and a debtor with a landline that cannot take a text
    parties = _parties()
    parties[0].phone = ""
    parties[1].phone = "0379-6588888"
    case = advance(file_case(people.clerk, parties=parties), CaseStatus.IN_PROGRESS, bureau=people.bureau,
                   judge=people.judge)

    # then the messages are recorded, with no outbox row and the reason
    r = api(people.judge).get(f"/api/v1/cases/{case.pk}/party-messages/")
    assert r.status_code == 200
    rows = r.json()["results"]
    assert [(m["event"], m["status"]) for m in rows] == [
        ("filed", "undeliverable"), ("accepted", "undeliverable"), ("accepted", "undeliverable")]
    assert {m["undeliverable_reason"] for m in rows} == {"未登记联系电话", "联系电话不是有效的手机号码，无法发送短信"}
    assert set(rows[0]) >= {"id", "party", "event", "channel", "status", "created_at", "text"}
    assert not Notification.objects.filter(case_id=case.pk, channel="sms").exists()

    # and the judge sees them on the case page, flagged
    client = api()
    client.force_login(people.judge)
    page = client.get(f"/cases/{case.pk}/").content.decode()
    assert "当事人告知" in page and "无法送达" in page and "有 3 条告知无法以短信送达" in page


@pytest.mark.django_db
def test_suspension_and_resumption_are_told_to_both_parties(people, rules):
    case = advance(file_case(people.clerk, parties=_parties()), CaseStatus.IN_PROGRESS, bureau=people.bureau,
                   judge=people.judge)
    case_services.case_suspend(case=case, actor=people.judge, reason="被执行人重病住院",
                               approved_by=bureau_head_of(case))
    case_services.case_resume(case=case, actor=people.judge)
    rows = PartyMessage.objects.filter(case=case, event__in=["suspended", "resumed"]).order_by("id")
    assert [(m.event, m.party.role) for m in rows] == [
        ("suspended", "applicant"), ("suspended", "respondent"), ("resumed", "applicant"), ("resumed", "respondent")]
    assert "已依法中止执行，期间执行期限停止计算" in rows[0].text


@pytest.mark.django_db
def test_party_messages_of_another_courts_case_are_not_found(people, rules, api):
    case = file_case(people.clerk, parties=_parties())
    assert api(people.hz_judge).get(f"/api/v1/cases/{case.pk}/party-messages/").status_code == 404


@pytest.mark.django_db
def test_party_message_list_runs_a_constant_number_of_queries(people, rules, api, django_assert_max_num_queries):
    case = advance(file_case(people.clerk, parties=_parties()), CaseStatus.IN_PROGRESS, bureau=people.bureau,
                   judge=people.judge)
    for _ in range(5):
        case_services.case_record_milestone(case=case, actor=people.judge, kind=MilestoneKind.NOTICE_SENT)
    client = api(people.judge)
    with django_assert_max_num_queries(8):
        r = client.get(f"/api/v1/cases/{case.pk}/party-messages/")
    assert r.json()["count"] == 13


@pytest.mark.parametrize(("phone", "address"), [
    ("13937900001", "13937900001"), ("+86 139-3790-0001", "13937900001"), ("139 3790 0001", "13937900001"),
    ("", ""), ("0379-6588888", ""), ("1234567", ""),
])
def test_only_a_mainland_mobile_number_can_take_a_text(phone, address):
    assert sms_address(phone)[0] == address


def test_every_suspension_ground_is_worded_for_the_parties():
    from cases.models import SuspensionGround
    from cases.parties.texts import SUSPENSION_WORDS

    assert set(SUSPENSION_WORDS) == set(SuspensionGround.values)
