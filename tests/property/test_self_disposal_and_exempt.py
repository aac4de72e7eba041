"""While the debtor's self-disposal runs, PRICE_START and DISPOSAL_START do not [004 §17]; exempt
property starts no control clock [003 §2], [000 §7] (SPEC §6.2)."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Property, PropertyStatus
from cases.property import services as ps
from deadlines.models import Deadline, DeadlineStatus
from enforcement.errors import Conflict
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")
ALL = ["bank_deposit", "real_estate", "vehicle", "equity", "securities", "insurance", "online_payment", "other"]


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def case(rules, people):
    c = file_case(people.clerk, filed_at=at(2026, 2, 2, 9))
    c = services.case_receive(case=c, actor=people.bureau, occurred_at=at(2026, 2, 3, 9))
    c = services.case_assign(case=c, actor=people.bureau, judge=people.judge, occurred_at=at(2026, 2, 3, 10))
    return services.case_accept(case=c, actor=people.judge, occurred_at=at(2026, 2, 4, 9))


def clock(prop, node):
    return Deadline.objects.get(subject_type="property", subject_id=prop.pk, node=node)


def found(case, people, *props):
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 2, 5, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=ALL, properties=list(props),
                      occurred_at=at(2026, 2, 6, 9))
    return list(Property.objects.filter(case=case).order_by("id"))


def seized_house(case, people):
    (house,) = found(case, people, ps.FoundProperty("real_estate", "住宅一套", Decimal("120000")))
    ps.property_control(prop=house, actor=people.judge, measure="seize", occurred_at=at(2026, 2, 9, 9))
    return Property.objects.get(pk=house.pk)


def test_price_start_does_not_run_while_the_debtor_disposes_and_resumes_shifted_if_unsold(case, people, api):
    # given a house seized on 2026-02-09: PRICE_START due 30 days later, 2026-03-11 [004 §16]
    house = seized_house(case, people)
    assert clock(house, "PRICE_START").due_at == at(2026, 3, 11, 23, 59, 59)
    # when the debtor is allowed to dispose of it himself from 02-20 until 04-20
    ps.property_start_disposal(prop=house, actor=people.judge, method="self_disposal",
                               until=at(2026, 4, 20, 9), occurred_at=at(2026, 2, 20, 9))
    # then PRICE_START is paused, not met, and does not breach when its due passes
    price = clock(house, "PRICE_START")
    assert price.status == DeadlineStatus.PAUSED and price.completed_at is None
    assert price.holds == ["self_disposal"]
    r = api(people.judge).get(f"/api/v1/cases/{case.pk}/deadlines/")
    assert {d["rule"]: d["status"] for d in r.json()["results"]}["PRICE_START"] == "paused"
    # when the self-disposal ends unsold on 04-10 (49 days later)
    r = api(people.judge).post(f"/api/v1/properties/{house.pk}/transitions/end_self_disposal/", {
        "reason": "被执行人未能在期限内售出", "occurred_at": at(2026, 4, 10, 9).isoformat()}, format="json")
    assert r.status_code == 200, r.content
    # then the property is back under the court's procedure and PRICE_START runs on, moved by 49 days
    assert r.json()["status"] == PropertyStatus.CONTROLLED
    price.refresh_from_db()
    assert price.status == DeadlineStatus.RUNNING and price.due_at == at(2026, 4, 29, 23, 59, 59)
    assert clock(house, "SELF_DISPOSAL_END").status == DeadlineStatus.MET


def test_disposal_start_is_paused_not_met_by_self_disposal_and_cancelled_when_the_debtor_sells(case, people):
    # given a valued house: DISPOSAL_START runs from the reference price
    house = seized_house(case, people)
    ps.property_start_valuation(prop=house, actor=people.judge, method="online_inquiry", occurred_at=at(2026, 2, 10, 9))
    ps.property_set_reference_price(prop=house, actor=people.judge, amount=Decimal("100000"),
                                    occurred_at=at(2026, 2, 11, 9))
    assert clock(house, "DISPOSAL_START").status == DeadlineStatus.RUNNING
    # when the debtor disposes himself
    ps.property_start_disposal(prop=house, actor=people.judge, method="self_disposal",
                               until=at(2026, 4, 11, 9), occurred_at=at(2026, 2, 12, 9))
    # then DISPOSAL_START is not running (the sale procedure has not started: it is not met either)
    assert clock(house, "DISPOSAL_START").status == DeadlineStatus.PAUSED
    # when the debtor sells
    ps.property_record_auction_result(prop=house, actor=people.judge, sold=True, price=Decimal("105000"),
                                      occurred_at=at(2026, 3, 20, 9))
    # then the court's own sale clock is no longer needed, and SELF_DISPOSAL_END is met
    assert clock(house, "DISPOSAL_START").status == DeadlineStatus.CANCELLED
    assert clock(house, "SELF_DISPOSAL_END").status == DeadlineStatus.MET


def test_an_unsold_self_disposal_of_valued_property_returns_it_to_valued_with_disposal_start_running(case, people):
    house = seized_house(case, people)
    ps.property_start_valuation(prop=house, actor=people.judge, method="online_inquiry", occurred_at=at(2026, 2, 10, 9))
    ps.property_set_reference_price(prop=house, actor=people.judge, amount=Decimal("100000"),
                                    occurred_at=at(2026, 2, 11, 9))
    # 10 days from 02-11: nominally 02-21, in the Spring Festival holiday → 02-24 (SPEC §3)
    assert clock(house, "DISPOSAL_START").due_at == at(2026, 2, 24, 23, 59, 59)
    ps.property_start_disposal(prop=house, actor=people.judge, method="self_disposal",
                               until=at(2026, 4, 11, 9), occurred_at=at(2026, 2, 12, 9))
    ps.property_end_self_disposal(prop=house, actor=people.judge, reason="未售出", occurred_at=at(2026, 3, 14, 9))
    house.refresh_from_db()
    d = clock(house, "DISPOSAL_START")
    assert house.status == PropertyStatus.VALUED and house.disposal_method == ""
    # paused 02-12 → 03-14 (30 days): the nominal last day moves to 03-23, a Monday
    assert d.status == DeadlineStatus.RUNNING and d.due_at == at(2026, 3, 23, 23, 59, 59)


def test_a_case_suspension_ending_during_self_disposal_does_not_restart_its_paused_clocks(case, people):
    # given a self-disposal running, PRICE_START held by it
    house = seized_house(case, people)
    ps.property_start_disposal(prop=house, actor=people.judge, method="self_disposal",
                               until=at(2026, 4, 20, 9), occurred_at=at(2026, 2, 20, 9))
    # when the case is suspended and resumed meanwhile
    services.case_suspend(case=case, actor=people.judge, reason="被执行人重病住院", approved_by=people.head,
                          occurred_at=at(2026, 3, 1, 9))
    assert clock(house, "PRICE_START").holds == ["self_disposal", "suspension"]
    services.case_resume(case=case, actor=people.judge, occurred_at=at(2026, 3, 5, 9))
    # then PRICE_START stays paused while the debtor still disposes
    price = clock(house, "PRICE_START")
    assert price.status == DeadlineStatus.PAUSED and price.holds == ["self_disposal"]
    # and on the unsold end it moves by the whole stop once (02-20 → 04-10), not twice
    ps.property_end_self_disposal(prop=house, actor=people.judge, reason="未售出", occurred_at=at(2026, 4, 10, 9))
    price.refresh_from_db()
    assert price.due_at == at(2026, 4, 29, 23, 59, 59)


def test_end_self_disposal_is_only_for_a_self_disposal(case, people):
    house = seized_house(case, people)
    with pytest.raises(Conflict) as exc:
        ps.property_end_self_disposal(prop=house, actor=people.judge, reason="x")
    assert exc.value.code == "not_self_disposal"


def test_exempt_property_starts_no_control_clock(case, people):
    # given feedback finding the debtor's ordinary car and exempt necessities and relief funds
    car, furniture, relief = found(
        case, people,
        ps.FoundProperty("vehicle", "小型轿车", Decimal("80000")),
        ps.FoundProperty("other", "家具、炊具", Decimal("3000"), exempt_kind="necessities"),
        ps.FoundProperty("bank_deposit", "防疫捐赠专户", Decimal("50000"), online_controllable=True,
                         exempt_kind="relief"),
    )
    # then only the car's control clock runs [003 §2], [000 §7]
    assert Deadline.objects.filter(subject_type="property", subject_id=car.pk, node="CONTROL_OFFLINE").exists()
    for exempt in (furniture, relief):
        assert not Deadline.objects.filter(subject_type="property", subject_id=exempt.pk).exists()
    # and the exempt property is recorded
    assert {p.exempt_kind for p in (furniture, relief)} == {"necessities", "relief"}


def test_property_of_a_protected_party_starts_no_control_clock(case, people):
    # given the debtor is a protected (epidemic-control) party, whose property may not be controlled [000 §7]
    case.parties.filter(role="respondent").update(protected=True)
    (car,) = found(case, people, ps.FoundProperty("vehicle", "防疫保障运输车", Decimal("5000")))
    assert not Deadline.objects.filter(subject_type="property", subject_id=car.pk).exists()
