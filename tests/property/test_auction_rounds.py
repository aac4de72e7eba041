"""Auction rounds (SPEC §6.2, §13 "Auctions"): the first round at ≥ 70 % of the reference price [001];
a failed round (流拍) starts AUCTION_RELIST (30 days) and the next round may cut at most 20 % of the
previous start, announced ≥ 7 days (movables) / 15 days (real estate, rights) ahead [SPC2016 §26];
Zhejiang's rule set requires the cut in full [002 §4]; after two failed rounds, sale or set-off."""

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import AuctionRound, Property
from cases.property import services as ps
from deadlines.models import Deadline, DeadlineStatus, RuleSet
from enforcement.errors import Conflict, GuardFailed, InvalidInput
from enforcement.models import Role
from tests.factories import UserFactory, file_case

SH = ZoneInfo("Asia/Shanghai")
ALL = ["bank_deposit", "real_estate", "vehicle", "equity", "securities", "insurance", "online_payment", "other"]


def at(*args):
    return datetime(*args, tzinfo=SH)


def open_case(clerk, bureau, judge):
    c = file_case(clerk, filed_at=at(2026, 2, 2, 9))
    c = services.case_receive(case=c, actor=bureau, occurred_at=at(2026, 2, 3, 9))
    c = services.case_assign(case=c, actor=bureau, judge=judge, occurred_at=at(2026, 2, 3, 10))
    return services.case_accept(case=c, actor=judge, occurred_at=at(2026, 2, 4, 9))


@pytest.fixture
def case(rules, people):
    return open_case(people.clerk, people.bureau, people.judge)


@pytest.fixture
def hangzhou(rules, people, courts):
    """A Hangzhou case, under the Zhejiang rule set."""
    clerk = UserFactory(username="hz_clerk", name="沈立案", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    bureau = UserFactory(username="hz_bureau", name="楼内勤", court=courts.hangzhou, roles=[Role.BUREAU_CLERK])
    head = UserFactory(username="hz_head", name="施局长", court=courts.hangzhou, roles=[Role.BUREAU_HEAD])
    case = open_case(clerk, bureau, people.hz_judge)
    case.head = head
    return case


def auctioned(case, judge, type_="real_estate", reference="100000.00"):
    q = ps.query_initiate(case=case, actor=judge, channels=["national"], occurred_at=at(2026, 2, 5, 9))
    ps.query_feedback(query=q, actor=judge, categories=ALL, occurred_at=at(2026, 2, 6, 9),
                      properties=[ps.FoundProperty(type_, "商铺一间", Decimal("120000"))])
    prop = Property.objects.get(case=case)
    measure = "freeze" if type_ in ("equity", "securities", "insurance") else "seize"
    ps.property_control(prop=prop, actor=judge, measure=measure, occurred_at=at(2026, 2, 9, 9))
    ps.property_start_valuation(prop=prop, actor=judge, method="online_inquiry", occurred_at=at(2026, 2, 10, 9))
    ps.property_set_reference_price(prop=prop, actor=judge, amount=Decimal(reference), occurred_at=at(2026, 2, 11, 9))
    ps.property_start_disposal(prop=prop, actor=judge, method="online_auction", occurred_at=at(2026, 2, 12, 9))
    return Property.objects.get(pk=prop.pk)


def first_round_failed(prop, judge, officer, start="70000.00"):
    ps.property_schedule_auction(prop=prop, actor=judge, announced_at=at(2026, 2, 12, 10),
                                 auction_at=at(2026, 3, 14, 10), starting_price=Decimal(start),
                                 occurred_at=at(2026, 2, 12, 10))
    ps.property_record_auction_result(prop=prop, actor=officer, sold=False, occurred_at=at(2026, 3, 15, 9))
    return Property.objects.get(pk=prop.pk)


RELIST_ANNOUNCED, RELIST_AUCTION = at(2026, 3, 16, 10), at(2026, 3, 31, 10)


def relist(prop, judge, price, *, announced=RELIST_ANNOUNCED, auction=RELIST_AUCTION, round=None):
    return ps.property_schedule_auction(prop=prop, actor=judge, announced_at=announced, auction_at=auction,
                                        starting_price=Decimal(price), round=round, occurred_at=announced)


def test_first_round_must_start_at_seventy_percent_of_the_reference_price(case, people):
    prop = auctioned(case, people.judge)
    with pytest.raises(GuardFailed) as exc:
        ps.property_schedule_auction(prop=prop, actor=people.judge, announced_at=at(2026, 2, 12, 10),
                                     auction_at=at(2026, 3, 14, 10), starting_price=Decimal("69999.99"))
    assert exc.value.code == "starting_price_too_low" and "70%" in exc.value.detail
    assert not AuctionRound.objects.exists()


def test_a_failed_round_starts_auction_relist_due_thirty_days_later(case, people):
    # given the first round fails on 2026-03-15
    prop = first_round_failed(auctioned(case, people.judge), people.judge, people.officer)
    # then AUCTION_RELIST runs: 30 days → 2026-04-14 [SPC2016 §26]
    d = Deadline.objects.get(node="AUCTION_RELIST", subject_type="property", subject_id=prop.pk)
    assert d.status == DeadlineStatus.RUNNING and d.due_at == at(2026, 4, 14, 23, 59, 59)
    assert d.bound_rule.source == "[SPC2016 §26]"
    # when the second round is announced, it is met
    relist(prop, people.judge, "56000.00")
    d.refresh_from_db()
    assert d.status == DeadlineStatus.MET and not d.completed_late


def test_second_round_may_cut_twenty_percent_of_the_previous_start(case, people, api):
    # given round 1 at 70,000 failed (70 % of the reference price)
    prop = first_round_failed(auctioned(case, people.judge), people.judge, people.officer)
    # when round 2 starts at 56,000 = 80 % of 70,000 (i.e. 56 % of the reference: lawful, refused before)
    r = api(people.judge).post(f"/api/v1/properties/{prop.pk}/transitions/schedule_auction/", {
        "round": 2, "announced_at": at(2026, 3, 16, 10).isoformat(), "auction_at": at(2026, 3, 31, 10).isoformat(),
        "starting_price": "56000.00", "occurred_at": at(2026, 3, 16, 10).isoformat()}, format="json")
    # then it is scheduled, and the card's rounds show both
    assert r.status_code == 200, r.content
    rounds = r.json()["auction_rounds"]
    assert [(x["round_no"], x["starting_price"], x["result"]) for x in rounds] == [
        (1, "70000.00", "failed"), (2, "56000.00", "pending")]
    assert rounds[1]["announced_at"].startswith("2026-03-16") and rounds[1]["auction_at"].startswith("2026-03-31")


def test_second_round_cutting_more_than_twenty_percent_is_starting_price_too_low(case, people):
    prop = first_round_failed(auctioned(case, people.judge), people.judge, people.officer)
    with pytest.raises(GuardFailed) as exc:
        relist(prop, people.judge, "55999.99")
    assert exc.value.code == "starting_price_too_low" and "[SPC2016 §26]" in [v.source for v in exc.value.violations]
    assert prop.auction_rounds.count() == 1


@pytest.mark.parametrize(("type_", "days", "ok"), [
    ("vehicle", 6, False), ("vehicle", 7, True),          # movables: 7 days' notice
    ("real_estate", 14, False), ("real_estate", 15, True),  # real estate: 15 days
    ("equity", 14, False), ("equity", 15, True),            # other property rights: 15 days
])
def test_relist_announcement_is_seven_days_for_movables_and_fifteen_for_real_estate_and_rights(
        case, people, type_, days, ok):
    prop = auctioned(case, people.judge, type_=type_)
    prop = first_round_failed(prop, people.judge, people.officer)
    announced = at(2026, 3, 16, 10)
    auction = at(2026, 3, 16 + days, 10)
    if ok:
        relist(prop, people.judge, "56000.00", announced=announced, auction=auction)
        assert prop.auction_rounds.count() == 2
    else:
        with pytest.raises(GuardFailed) as exc:
            relist(prop, people.judge, "56000.00", announced=announced, auction=auction)
        assert exc.value.code == "announcement_too_short"


def test_first_round_announcement_is_fifteen_days_for_movables_and_thirty_for_real_estate(case, people):
    prop = auctioned(case, people.judge, type_="real_estate")
    with pytest.raises(GuardFailed) as exc:
        ps.property_schedule_auction(prop=prop, actor=people.judge, announced_at=at(2026, 2, 12, 10),
                                     auction_at=at(2026, 3, 13, 10), starting_price=Decimal("70000"))
    assert exc.value.code == "announcement_too_short" and "30 日" in exc.value.detail


def test_round_number_must_be_the_next_one(case, people):
    prop = first_round_failed(auctioned(case, people.judge), people.judge, people.officer)
    with pytest.raises(InvalidInput) as exc:
        relist(prop, people.judge, "56000.00", round=3)
    assert "round" in exc.value.errors


def test_after_the_second_round_fails_the_property_goes_to_sale_not_a_third_auction(case, people, api):
    prop = first_round_failed(auctioned(case, people.judge), people.judge, people.officer)
    relist(prop, people.judge, "56000.00")
    ps.property_record_auction_result(prop=prop, actor=people.officer, sold=False, occurred_at=at(2026, 4, 1, 9))
    # no relist clock after the last online round, and no third round
    assert not Deadline.objects.filter(node="AUCTION_RELIST", status=DeadlineStatus.RUNNING).exists()
    with pytest.raises(Conflict) as exc:
        relist(prop, people.judge, "44800.00", announced=at(2026, 4, 2, 10), auction=at(2026, 4, 20, 10))
    assert exc.value.code == "auction_rounds_exhausted"
    names = api(people.judge).get(f"/api/v1/properties/{prop.pk}/transitions/").json()
    assert "schedule_auction" not in names and "start_disposal" in names
    # 变卖 is the way on [SPC2016 §26]
    r = api(people.judge).post(f"/api/v1/properties/{prop.pk}/transitions/start_disposal/",
                               {"method": "sale", "occurred_at": at(2026, 4, 2, 10).isoformat()}, format="json")
    assert r.status_code == 200 and r.json()["disposal_method"] == "sale"


def test_zhejiang_rule_set_requires_the_cut_in_full(hangzhou, people):
    # given a Hangzhou property whose first round at 70,000 failed
    judge = people.hz_judge
    officer = UserFactory(username="hz_officer", name="杭执行员", court=hangzhou.court, roles=[Role.OFFICER])
    prop = first_round_failed(auctioned(hangzhou, judge), judge, officer)
    # when the second round cuts only 10 %
    with pytest.raises(GuardFailed) as exc:
        relist(prop, judge, "63000.00")
    # then it is refused: 原则上应一次性降足 [002 §4]
    assert exc.value.code == "auction_cut_not_full" and "56,000.00" in exc.value.detail
    # the full cut passes
    relist(prop, judge, "56000.00")
    assert prop.auction_rounds.get(round_no=2).starting_price == Decimal("56000.00")


def test_the_cut_in_full_is_rule_data_of_the_rule_set(hangzhou, people):
    # given the Zhejiang set's parameter switched off by an admin
    rs = RuleSet.objects.get(code="zhejiang-2016")
    assert rs.settings["auction_cut_in_full"] is True
    rs.settings = {**rs.settings, "auction_cut_in_full": False}
    rs.save(update_fields=["settings"])
    judge = people.hz_judge
    officer = UserFactory(username="hz_officer", name="杭执行员", court=hangzhou.court, roles=[Role.OFFICER])
    prop = first_round_failed(auctioned(hangzhou, judge), judge, officer)
    # when / then a 10 % cut is lawful again
    relist(prop, judge, "63000.00")
    assert prop.auction_rounds.count() == 2


def test_a_luoyang_second_round_may_cut_less_than_the_full_twenty_percent(case, people):
    prop = first_round_failed(auctioned(case, people.judge), people.judge, people.officer)
    relist(prop, people.judge, "63000.00")
    assert prop.auction_rounds.get(round_no=2).starting_price == Decimal("63000.00")


def test_property_card_shows_each_round_with_its_announcement_auction_date_price_and_result(case, people):
    from django.test import Client

    prop = first_round_failed(auctioned(case, people.judge), people.judge, people.officer)
    relist(prop, people.judge, "56000.00")
    c = Client()
    c.force_login(people.judge)
    html = c.get(f"/cases/{case.pk}/").content.decode()
    assert "第1次拍卖：2026-02-12 公告，2026-03-14 拍卖，起拍价 ¥70,000.00 · 流拍" in html
    assert "第2次拍卖：2026-03-16 公告，2026-03-31 拍卖，起拍价 ¥56,000.00 · 待拍卖" in html
