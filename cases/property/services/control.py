"""Control of the debtor's property (SPEC §6.2): freeze, seizure or detention with their guards
(SPEC §7) and expiry clocks, renewal, release, realisation into the case account; and the move of
property found by a periodic review onto the restored case."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext

from cases import ports
from cases.models import (
    Case,
    Property,
    PropertyStatus,
    PropertyType,
)
from cases.models.property import MONEY_TYPES
from cases.parties import services as parties_services
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
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput
from enforcement.models import User
from enforcement.timeutil import resolve_occurred_at

# --- the property state machine (SPEC §6.2) -------------------------------------------------

MEASURES_BY_TYPE: dict[str, set[str]] = {
    PropertyType.BANK_DEPOSIT: {"freeze"}, PropertyType.ONLINE_PAYMENT: {"freeze"},
    PropertyType.EQUITY: {"freeze"}, PropertyType.SECURITIES: {"freeze"}, PropertyType.INSURANCE: {"freeze"},
    PropertyType.REAL_ESTATE: {"seize"}, PropertyType.VEHICLE: {"seize", "detain"},
    PropertyType.OTHER: {"seize", "detain", "freeze"},
}


@transaction.atomic
def property_control(*, prop: Property, actor: User, measure: str, mode: str = "live", queue: str = "first",
                     amount: Decimal | None = None, value: Decimal | None = None, online: bool | None = None,
                     previous_close_value: Decimal | None = None, occurred_at: datetime | None = None) -> Property:
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure_case_open(case)
    _ensure(prop, prop.control, "采取控制措施")
    errors = {}
    if measure not in MEASURES_BY_TYPE[prop.type]:
        errors["measure"] = [f"{prop.get_type_display()}不能采取该控制措施。"]
    if mode not in ("live", "dead"):
        errors["mode"] = ["查封方式须为 live（活封）或 dead（死封）。"]
    if queue not in ("first", "waiting"):
        errors["queue"] = ["查封顺位须为 first（首封）或 waiting（轮候）。"]
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    if measure == "freeze" and prop.type in MONEY_TYPES:
        control_value = amount
    else:
        control_value = value if value is not None else prop.value
        if control_value is None:
            errors["value"] = ["请填写被控制财产的价值（用于审查是否超标的查控）。"]
        if prop.type == PropertyType.SECURITIES and previous_close_value is not None and control_value is not None:
            # [003 §3]: listed shares are valued at the previous close, within a band of 20 %.
            low = previous_close_value * (1 - prules.LISTED_SHARE_BAND)
            high = previous_close_value * (1 + prules.LISTED_SHARE_BAND)
            if not low <= control_value <= high:
                errors["value"] = [f"上市股票价值应以前一交易日收盘价 {previous_close_value:,.2f} 元为基准，"
                                   f"上下浮动不超过 20%（{low:,.2f}–{high:,.2f} 元）。"]
    if errors:
        raise InvalidInput(errors)
    violations = [
        *prules.freeze_amount_missing(prop, measure, amount),
        *prules.exempt_property(prop, at),
    ]
    if control_value is not None and control_value > 0:
        violations += prules.over_seizure(prop, control_value, queue, at)
    _guard(violations, case, at, actor, overridable="over_seizure", object_id=prop.pk)
    before = _snapshot(prop)
    prop.control()
    # 活封/死封 is a seizure's, 首封/轮候 a seizure's or detention's; a freeze has its amount instead.
    prop.measure = measure
    prop.mode = mode if measure == "seize" else ""
    prop.queue = queue if measure in ("seize", "detain") else ""
    prop.freeze_amount = amount if measure == "freeze" else None
    prop.controlled_value = control_value
    prop.controlled_online = prop.online_controllable if online is None else online
    prop.controlled_at = prop.last_event_at = at
    subject = _subject(prop)
    clock.deadline_meet(node="CONTROL_ONLINE", subject=subject, at=at, actor=actor)
    clock.deadline_meet(node="CONTROL_OFFLINE", subject=subject, at=at, actor=actor)
    started = clock.deadlines_on_event(
        event="property.controlled", at=at, subject=subject, court=case.court, actor=actor,
        context={"needs_sale": prop.needs_sale, "control_class": prop.control_class}, responsible=case.judge,
    )
    expiry = next((d for d in started if d.node == "CONTROL_EXPIRY"), None)
    prop.control_expires_at = expiry.due_at if expiry else None
    prop.save()
    _audit(actor, prop, events.PROPERTY_CONTROL, at, before)
    with translation.override(settings.LANGUAGE_CODE):  # parties read Chinese
        parties_services.parties_tell_control(case=case, owner=prop.owner, at=at,
                                              property_type=prop.get_type_display(),
                                              measure=prop.get_measure_display())
    return prop


@transaction.atomic
def property_renew(*, prop: Property, actor: User, occurred_at: datetime | None = None) -> Property:
    """续封/续冻 before the control lapses (SPEC §4 CONTROL_EXPIRY)."""
    prop = _lock_property(prop)
    _check_actor(actor, prop.case, officer_ok=False)
    if prop.status not in prules.UNDISPOSED:
        raise Conflict(
            gettext("财产当前状态为“%(value)s”，不能续行查封、冻结。") % {"value": prop.get_status_display()}
        )
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    if prop.control_expires_at and at > prop.control_expires_at:
        raise Conflict(gettext("控制期限已经届满，不能续行；须重新采取控制措施。"), code="control_lapsed")
    before = _snapshot(prop)
    subject = _subject(prop)
    clock.deadline_meet(node="CONTROL_EXPIRY", subject=subject, at=at, actor=actor)
    started = clock.deadlines_on_event(
        event="property.renewed",
        at=at,
        subject=subject,
        court=prop.case.court,
        actor=actor,
        context={"control_class": prop.control_class},
        responsible=prop.case.judge,
    )
    expiry = next((d for d in started if d.node == "CONTROL_EXPIRY"), None)
    prop.control_expires_at = expiry.due_at if expiry else prop.control_expires_at
    prop.renewals += 1
    prop.last_event_at = at
    prop.save(update_fields=["control_expires_at", "renewals", "last_event_at"])
    _audit(actor, prop, events.PROPERTY_RENEW, at, before, renewals=prop.renewals)
    return prop


@transaction.atomic
def property_realize(*, prop: Property, actor: User, receipt: int, occurred_at: datetime | None = None) -> Property:
    """The sale money (or a frozen deposit transferred) has arrived in the case account; links the receipt."""
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure(prop, prop.realize, "登记价款到账")
    if prop.status == PropertyStatus.CONTROLLED and prop.type not in MONEY_TYPES:
        raise Conflict(gettext("非货币财产须经处置成交后方可登记价款到账。"))
    if ports.money.receipt_of_case(case=case, pk=receipt) is None:
        raise InvalidInput({"receipt": [gettext("该到账记录不存在或不属于本案案款账户。")]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    before = _snapshot(prop)
    prop.realize()
    prop.receipt_id = int(receipt)
    prop.realized_at = prop.last_event_at = at
    prop.save()
    _audit(actor, prop, events.PROPERTY_REALIZE, at, before, receipt=receipt)
    return prop


@transaction.atomic
def property_release(
    *, prop: Property, actor: User, reason: str, amount: Decimal | None = None, occurred_at: datetime | None = None
) -> Property:
    """Release, in full or — for a freeze — in part (rolling release, [003 §6])."""
    prop = _lock_property(prop)
    case = prop.case
    _check_actor(actor, case, officer_ok=False)
    _ensure(prop, prop.release, "解除控制")
    if not reason.strip():
        raise InvalidInput({"reason": [gettext("请写明解除理由。")]})
    at = resolve_occurred_at(occurred_at, previous=prop.last_event_at)
    before = _snapshot(prop)
    remaining = (prop.freeze_amount or Decimal("0")) - prop.released_amount
    if amount is not None:
        if prop.measure != "freeze" or prop.freeze_amount is None:
            raise InvalidInput({"amount": [gettext("只有冻结的款项可以部分解除。")]})
        if amount <= 0 or amount > remaining:
            raise InvalidInput(
                {
                    "amount": [
                        gettext("部分解除金额须大于零且不超过尚在冻结的 %(remaining)s 元。")
                        % {"remaining": f"{remaining:,.2f}"}
                    ]
                }
            )
    if amount is not None and amount < remaining:
        prop.released_amount += amount
        prop.controlled_value = (prop.controlled_value or Decimal("0")) - amount
        prop.last_event_at = at
        prop.save(update_fields=["released_amount", "controlled_value", "last_event_at"])
        _audit(actor, prop, events.PROPERTY_PARTIAL_RELEASE, at, before, reason=reason, amount=amount)
        return prop
    prop.release()
    prop.released_at = prop.last_event_at = at
    prop.release_reason = reason.strip()
    if amount is not None:
        prop.released_amount += amount
    prop.save()
    clock.deadlines_cancel(subject=_subject(prop), at=at, actor=actor, reason=f"财产已解除控制：{reason}")
    _audit(actor, prop, events.PROPERTY_RELEASE, at, before, reason=reason)
    return prop


# --- restoration (SPEC §4 ROUND_REVIEW, §6.1 restore) ----------------------------------------------


def on_case_event(case: Case, event: str, at: datetime, actor: User, **extra) -> None:
    """Registered with ``cases.services.on_case_lifecycle``. On restoration, the property found on the
    terminated-round case after its closure (by a review query or a creditor's lead) is what the
    restored case enforces: it moves to the new case, with its clocks and its owner among the new
    case's parties; the old case keeps its closure and its query history."""
    if event != "restore":
        return
    new = extra["new_case"]
    found = list(
        Property.objects.select_for_update(of=("self",))
        .select_related("owner")
        .filter(case=case, discovered_at__gt=case.closed_at)
        .exclude(status__in=[PropertyStatus.RELEASED, PropertyStatus.REALIZED])
    )
    if not found:
        return
    parties = {(p.role, p.name): p for p in new.parties.all()}
    for prop in found:
        before = {"case": case.pk, "owner": prop.owner_id}
        prop.case = new
        if prop.owner is not None:
            prop.owner = parties.get((prop.owner.role, prop.owner.name))
        prop.save(update_fields=["case", "owner"])
        audit_record(
            actor=actor,
            action=events.PROPERTY_TRANSFER_TO_RESTORED,
            obj=prop,
            court=new.court_id,
            case_id=new.pk,
            occurred_at=at,
            before=before,
            after={"case": new.pk, "owner": prop.owner_id, "from_case": case.number},
            reason=f"恢复执行：终本案件 {case.number} 定期查控发现的财产转入恢复执行案件 {new.number}",
        )
    clock.deadlines_move_to_case(subject_type="property", subject_ids=[p.pk for p in found], case_id=new.pk)
