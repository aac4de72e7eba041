"""Valuation, reference price and disposal of controlled property (SPEC §6.2): appraisal or
other pricing, the debtor's own disposal (which pauses the price and disposal clocks) and auction
rounds with their price floors and relisting clock."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from cases.models import (
    AuctionResult,
    AuctionRound,
    Property,
    PropertyStatus,
)
from cases.models.property import DisposalMethod, ValuationMethod
from cases.property import rules as prules
from cases.property.services._common import (
    _audit,
    _check_actor,
    _ensure,
    _ensure_case_open,
    _guard,
    _lock_property,
    _snapshot,
    _subject,
)
from deadlines import services as clock
from enforcement.audit import events
from enforcement.errors import Conflict, InvalidInput
from enforcement.models import User
from enforcement.timeutil import resolve_occurred_at


@transaction.atomic
def property_start_valuation(*, prop: Property, actor: User, method: str,
                             occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure_case_open(case)
    _ensure(prop, prop.start_valuation, "启动确定参考价程序")
    if method not in ValuationMethod.values:
        raise InvalidInput({"method": [gettext("确定参考价的方式无效。")]})
    if not prop.needs_sale:
        raise Conflict(gettext("存款、网络支付余额无需确定参考价，可直接划拨。"), code="valuation_not_needed")
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    _guard(prules.appraisal_not_approved(prop, method, approved=False), case, at, actor,
           overridable="appraisal_not_approved", object_id=prop.pk)
    before = _snapshot(prop)
    prop.start_valuation()
    prop.valuation_method = method
    prop.valuation_started_at = prop.last_event_at = at
    prop.save()
    clock.deadline_meet(node="PRICE_START", subject=_subject(prop), at=at, actor=actor)
    _audit(actor, prop, events.PROPERTY_START_VALUATION, at, before, method=method)
    return prop


@transaction.atomic
def property_set_reference_price(*, prop: Property, actor: User, amount: Decimal,
                                 occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure(prop, prop.set_reference_price, "确定参考价")
    if amount is None or amount <= 0:
        raise InvalidInput({"amount": [gettext("参考价须大于零。")]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    before = _snapshot(prop)
    prop.set_reference_price()
    prop.reference_price = amount
    prop.priced_at = prop.last_event_at = at
    prop.save()
    # [004 §16]: the sale starts within 10 days of the reference price (Luoyang: auction within 30 days).
    clock.deadlines_on_event(event="property.priced", at=at, subject=_subject(prop), court=case.court, actor=actor,
                             responsible=case.judge)
    _audit(actor, prop, events.PROPERTY_SET_REFERENCE_PRICE, at, before)
    return prop


# [004 §17]: while the debtor's self-disposal runs, the court's own price and sale clocks do not.
SELF_DISPOSAL_HOLD = "self_disposal"
SELF_DISPOSAL_PAUSES = ("PRICE_START", "DISPOSAL_START")


@transaction.atomic
def property_start_disposal(*, prop: Property, actor: User, method: str, until: datetime | None = None,
                            occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure_case_open(case)
    _ensure(prop, prop.start_disposal, "启动处置程序")
    if method not in DisposalMethod.values:
        raise InvalidInput({"method": [gettext("处置方式无效。")]})
    if prop.status == PropertyStatus.CONTROLLED and method != DisposalMethod.SELF_DISPOSAL:
        raise Conflict(gettext("须先确定财产处置参考价，方可拍卖、变卖或以物抵债。"), code="reference_price_missing")
    if prop.status == PropertyStatus.DISPOSING:
        # [SPC2016 §26]: 再次拍卖流拍的，可以依法变卖 (or set off in kind) — the only way on from here.
        if not auction_exhausted(prop):
            raise Conflict(gettext("财产正在处置中，不能另行启动处置程序。"))
        if method not in (DisposalMethod.SALE, DisposalMethod.SET_OFF):
            raise InvalidInput({"method": [gettext("再次拍卖流拍后，只能依法变卖或以物抵债。")]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    self_disposal = method == DisposalMethod.SELF_DISPOSAL
    if self_disposal:
        if until is None:
            raise InvalidInput({"until": [gettext("准许被执行人自行处置的，须明确处置期限。")]})
        if until <= at:
            raise InvalidInput({"until": [gettext("自行处置期限须晚于准许之日。")]})
        _guard(prules.self_disposal_too_long(at, until), case, at, actor)
    before = _snapshot(prop)
    previous_method = prop.disposal_method
    prop.start_disposal()
    prop.disposal_method = method
    prop.disposal_started_at = prop.last_event_at = at
    prop.self_disposal_until = until if self_disposal else None
    prop.save()
    subject = _subject(prop)
    if self_disposal:
        # [004 §17]: the debtor disposes; PRICE_START and DISPOSAL_START are not running meanwhile —
        # paused if running, and met by nothing: they run again if the self-disposal ends unsold.
        clock.deadlines_hold(case_id=case.pk, subject=subject, nodes=SELF_DISPOSAL_PAUSES, hold=SELF_DISPOSAL_HOLD,
                             at=at, actor=actor, reason="准许被执行人自行处置，确定参考价及处置期限暂停计算")
        clock.deadlines_on_event(event="property.self_disposal_allowed", at=at, subject=subject, court=case.court,
                                 actor=actor, responsible=case.judge, due_at=until)
    else:
        clock.deadline_meet(node="DISPOSAL_START", subject=subject, at=at, actor=actor)
    _audit(actor, prop, events.PROPERTY_START_DISPOSAL, at, before, method=method, previous_method=previous_method)
    return prop


def _end_self_disposal_pause(prop: Property, at: datetime, actor: User, *, sold: bool) -> None:
    subject = _subject(prop)
    if sold:
        # Sold by the debtor: the court's own price and sale procedure is no longer needed.
        clock.deadlines_cancel(subject=subject, at=at, actor=actor, nodes=SELF_DISPOSAL_PAUSES,
                               reason="被执行人自行处置成交，无需启动确定参考价、处置程序")
    else:
        clock.deadlines_release(case_id=prop.case_id, subject=subject, nodes=SELF_DISPOSAL_PAUSES,
                                hold=SELF_DISPOSAL_HOLD, at=at, actor=actor,
                                reason="被执行人自行处置结束未成交，期限恢复计算并顺延")


@transaction.atomic
def property_end_self_disposal(*, prop: Property, actor: User, reason: str,
                               occurred_at: datetime | None = None) -> Property:
    """The debtor's self-disposal ended without a sale (期满或终止, [004 §17]): the property returns to
    the court's procedure — valued if it has a reference price, else controlled — and PRICE_START /
    DISPOSAL_START run on, moved by the time they were paused."""
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    if prop.status != PropertyStatus.DISPOSING or prop.disposal_method != DisposalMethod.SELF_DISPOSAL:
        raise Conflict(gettext("该财产不在被执行人自行处置中。"), code="not_self_disposal")
    if not (reason or "").strip():
        raise InvalidInput({"reason": [gettext("请写明自行处置结束的情况。")]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    before = _snapshot(prop)
    prop.end_self_disposal()
    prop.disposal_method, prop.self_disposal_until = "", None
    prop.last_event_at = at
    prop.save()
    clock.deadline_meet(node="SELF_DISPOSAL_END", subject=_subject(prop), at=at, actor=actor)
    _end_self_disposal_pause(prop, at, actor, sold=False)
    _audit(actor, prop, events.PROPERTY_END_SELF_DISPOSAL, at, before, reason=reason.strip())
    return prop


def _last_round(prop: Property) -> AuctionRound | None:
    return prop.auction_rounds.order_by("-round_no").first()


def auction_exhausted(prop: Property) -> bool:
    """Both online rounds have failed: the property goes to sale or set-off in kind [SPC2016 §26]."""
    rounds = list(prop.auction_rounds.all())  # prefetched on the case page
    return (prop.disposal_method == DisposalMethod.ONLINE_AUCTION and len(rounds) >= prules.MAX_AUCTION_ROUNDS
            and all(r.result == AuctionResult.FAILED for r in rounds))


@transaction.atomic
def property_schedule_auction(*, prop: Property, actor: User, announced_at: datetime, auction_at: datetime,
                              starting_price: Decimal, round: int | None = None,
                              occurred_at: datetime | None = None) -> Property:
    """Announce an auction round (SPEC §6.2, §13 "Auctions"): the first at ≥ 70 % of the reference
    price [001], a later one at most 20 % below the previous start with 7 / 15 days' notice
    [SPC2016 §26] (cut in full where the rule set requires it [002 §4]); meets AUCTION_RELIST."""
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure(prop, prop.schedule_auction, "安排拍卖")
    if prop.disposal_method != DisposalMethod.ONLINE_AUCTION:
        raise Conflict(gettext("该财产的处置方式不是网络司法拍卖。"), code="not_an_auction")
    previous = _last_round(prop)
    if previous is not None and previous.result == AuctionResult.PENDING:
        raise Conflict(gettext("上一轮拍卖尚未有结果，不能安排新一轮拍卖。"), code="auction_pending")
    next_round = previous.round_no + 1 if previous else 1
    if next_round > prules.MAX_AUCTION_ROUNDS:
        raise Conflict(gettext("再次拍卖已流拍，不能再行拍卖；可依法变卖或以物抵债。"), code="auction_rounds_exhausted")
    errors = {}
    if round is not None and round != next_round:
        errors["round"] = [f"本财产下一次拍卖应为第{next_round}次拍卖。"]
    if starting_price is None or starting_price <= 0:
        errors["starting_price"] = ["起拍价须大于零。"]
    if auction_at <= announced_at:
        errors["auction_at"] = ["拍卖时间须晚于公告时间。"]
    if previous is not None and announced_at < previous.auction_at:
        errors["announced_at"] = ["再次拍卖的公告时间不能早于前次拍卖时间。"]
    if errors:
        raise InvalidInput(errors)
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    previous_start = previous.starting_price if previous else None
    on = timezone.localdate(at)
    _guard([*prules.starting_price_too_low(prop, next_round, starting_price, previous_start),
            *prules.auction_cut_not_full(prop, next_round, starting_price, previous_start, on),
            *prules.announcement_too_short(prop, next_round, announced_at, auction_at)],
           case, at, actor, overridable="auction_cut_not_full")
    prop.schedule_auction()
    AuctionRound.objects.create(property=prop, round_no=next_round, announced_at=announced_at, auction_at=auction_at,
                                starting_price=starting_price)
    prop.last_event_at = at
    prop.save(update_fields=["last_event_at"])
    if previous is not None:
        # [SPC2016 §26]: 流拍后应当在三十日内再次拍卖 — announcing the next round meets AUCTION_RELIST.
        clock.deadline_meet(node="AUCTION_RELIST", subject=_subject(prop), at=at, actor=actor)
    _audit(actor, prop, events.PROPERTY_SCHEDULE_AUCTION, at, round=next_round, starting_price=starting_price,
           announced_at=announced_at, auction_at=auction_at)
    return prop


@transaction.atomic
def property_record_auction_result(*, prop: Property, actor: User, sold: bool, price: Decimal | None = None,
                                   occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=True)
    if prop.status != PropertyStatus.DISPOSING:
        raise Conflict(gettext("财产当前状态为“%(value)s”，不能记录处置结果。") % {"value": prop.get_status_display()})
    if sold and (price is None or price <= 0):
        raise InvalidInput({"price": [gettext("成交的，须填写成交价。")]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    rnd = None
    if prop.disposal_method == DisposalMethod.ONLINE_AUCTION:
        rnd = prop.auction_rounds.filter(result=AuctionResult.PENDING).order_by("-round_no").first()
        if rnd is None:
            raise Conflict(gettext("没有待出结果的拍卖轮次。"), code="no_pending_auction")
        if at < rnd.auction_at:
            raise InvalidInput({"occurred_at": [gettext("拍卖结果不能早于拍卖时间。")]})
        rnd.result = AuctionResult.SOLD if sold else AuctionResult.FAILED
        rnd.price = price if sold else None
        rnd.recorded_at = at
        rnd.save(update_fields=["result", "price", "recorded_at"])
    elif not sold:
        raise InvalidInput({"sold": [gettext("变卖、以物抵债、自行处置只记录成交结果。")]})
    before = _snapshot(prop)
    subject = _subject(prop)
    if sold:
        prop.sell()
        prop.sold_price, prop.sold_at = price, at
        if prop.disposal_method == DisposalMethod.SELF_DISPOSAL:
            clock.deadline_meet(node="SELF_DISPOSAL_END", subject=subject, at=at, actor=actor)
            _end_self_disposal_pause(prop, at, actor, sold=True)
    elif rnd is not None:
        # 流拍 [SPC2016 §26]: the next round within 30 days (AUCTION_RELIST) — unless this was the
        # last online round, after which the property may be sold (变卖) or set off in kind.
        clock.deadlines_on_event(event="property.auction_failed", at=at, subject=subject, court=case.court,
                                 actor=actor, context={"relist": rnd.round_no < prules.MAX_AUCTION_ROUNDS},
                                 responsible=case.judge)
    prop.last_event_at = at
    prop.save()
    _audit(actor, prop, events.PROPERTY_RECORD_AUCTION_RESULT, at, before, sold=sold, price=price,
           round=rnd.round_no if rnd else None)
    return prop
