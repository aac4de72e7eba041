"""Guards on property measures and the 终本 conditions that depend on property (SPEC §7).

Each function returns violations (never raises), so a service reports every failing rule at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from cases import ports
from cases.models import Case, Closure, LeadStatus, Property, PropertyStatus
from cases.models.property import ALL_CATEGORIES, LONG_NOTICE_TYPES, MONEY_TYPES, UNDISPOSED
from cases.rules import close_guard
from enforcement.errors import Violation

DEFAULT_OVER_SEIZURE_RATIO = Decimal("1.20")  # SPEC §7 default 120 %
STARTING_PRICE_FLOOR = Decimal("0.70")  # [001] 起拍价不得低于参考价的 70%
SELF_DISPOSAL_MAX_DAYS = 90  # [004 §17]
LISTED_SHARE_BAND = Decimal("0.20")  # [003 §3] previous close ± 20 %

# Value of a case's controlled property that still binds: first seizures not yet released or realized.
BINDING_STATES = [*UNDISPOSED, PropertyStatus.SOLD]


def paid_out(case: Case) -> Decimal:
    """Money already paid to creditors (funds ledger), which the outstanding claim is reduced by."""
    return ports.paid_out(case.pk)


def outstanding(case: Case) -> Decimal:
    return max(case.claim_amount + case.costs - paid_out(case), Decimal("0"))


def over_seizure_ratio(case: Case, on) -> Decimal:
    """The threshold of the most local rule set that sets one, else the default (SPEC §7: configurable)."""
    from deadlines.services import rule_sets_for

    ratio = None
    for rs in rule_sets_for(case.court, on):
        value = (rs.settings or {}).get("over_seizure_ratio")
        if value is not None and (ratio is None or not rs.applies_everywhere):
            ratio = Decimal(str(value))
    return ratio or DEFAULT_OVER_SEIZURE_RATIO


def over_seizure(prop: Property, control_value: Decimal, queue: str, at: datetime) -> list[Violation]:
    # [004 §15], [003 §3]: 查控财产以足以清偿债权额为限，严禁明显超标的查封。 A waiting (轮候)
    # seizure binds nothing until it moves up, so it does not count.
    if queue == "waiting":
        return []
    case = prop.case
    already = (
        Property.objects.filter(case=case, status__in=BINDING_STATES, queue="first")
        .exclude(pk=prop.pk)
        .aggregate(total=Sum("controlled_value"))["total"]
        or Decimal("0")
    )
    owed = outstanding(case)
    ratio = over_seizure_ratio(case, timezone.localdate(at))
    limit = (owed * ratio).quantize(Decimal("0.01"))
    total = already + control_value
    if total > limit:
        return [Violation(
            "over_seizure",
            f"控制财产价值合计 {total:,.2f} 元，明显超过未清偿债权及执行费用 {owed:,.2f} 元的 "
            f"{ratio:.0%}（{limit:,.2f} 元），构成超标的查控；不可分物确需整体查封的，须执行局长批准。",
            "[004 §15]、[003 §3]",
        )]
    return []


def freeze_amount_missing(prop: Property, measure: str, amount: Decimal | None) -> list[Violation]:
    # [004 §15], [003 §3(一)]: 冻结银行存款应当明确具体冻结数额，且不得超出未清偿债权。
    if measure != "freeze" or prop.type not in MONEY_TYPES:
        return []
    if amount is None or amount <= 0:
        return [Violation("freeze_amount_missing", "冻结银行存款必须写明具体冻结数额。", "[004 §15]")]
    owed = outstanding(prop.case)
    if amount > owed:
        return [Violation("freeze_amount_missing",
                          f"冻结数额 {amount:,.2f} 元超出未清偿债权及执行费用 {owed:,.2f} 元。", "[004 §15]")]
    return []


def exempt_property(prop: Property, at: datetime) -> list[Violation]:
    # [003 §2] 严禁查封被执行人及其扶养家属生活必需品；[000 §7] 不得查封救灾防疫款物。
    if prop.exempt_kind:
        return [Violation("exempt_property",
                          f"该财产属于“{prop.get_exempt_kind_display()}”，依法不得查封、扣押、冻结。",
                          "[003 §2]、[000 §7]")]
    owner = prop.owner
    if owner is not None and owner.protected and (
        owner.protected_until is None or owner.protected_until >= timezone.localdate(at)
    ):
        return [Violation("exempt_property", f"{owner.name}为受保护主体（保护期内），其财产不得采取控制措施。",
                          "[000 §7]")]
    return []


def starting_price_too_low(reference: Decimal, starting: Decimal) -> list[Violation]:
    floor = (reference * STARTING_PRICE_FLOOR).quantize(Decimal("0.01"))
    if starting < floor:
        return [Violation("starting_price_too_low",
                          f"起拍价 {starting:,.2f} 元低于参考价 {reference:,.2f} 元的 70%（{floor:,.2f} 元）。",
                          "[001]")]
    return []


def announcement_too_short(prop: Property, announced_at: datetime, auction_at: datetime) -> list[Violation]:
    # [001]: 动产拍卖公告期不少于 15 日，不动产和其他财产权不少于 30 日。
    days = 30 if prop.type in LONG_NOTICE_TYPES else 15
    gap = (timezone.localdate(auction_at) - timezone.localdate(announced_at)).days
    if gap < days:
        kind = "不动产、其他财产权" if days == 30 else "动产"
        return [Violation("announcement_too_short",
                          f"{kind}拍卖应在公告 {days} 日后进行，本次仅间隔 {gap} 日。", "[001]")]
    return []


def self_disposal_too_long(start: datetime, until: datetime) -> list[Violation]:
    if until - start > timedelta(days=SELF_DISPOSAL_MAX_DAYS):
        return [Violation("self_disposal_too_long", "被执行人自行处置期限最长不得超过 90 日。", "[004 §17]")]
    return []


def appraisal_not_approved(prop: Property, method: str, approved: bool) -> list[Violation]:
    # [001]: 委托评估须经执行局长审批；不动产、车辆原则上网络询价，采用其他方式须经批准。
    if approved:
        return []
    if method == "appraisal":
        return [Violation("appraisal_not_approved", "委托评估须经执行局长批准。", "[001]")]
    if prop.type in ("real_estate", "vehicle") and method == "directed_inquiry":
        return [Violation("appraisal_not_approved",
                          "不动产、车辆应采用网络询价；采用定向询价须经执行局长批准。", "[001]")]
    return []


# --- 终本 guards (SPEC §7, [004 §24]) -------------------------------------------------------

@close_guard
def termination_query_incomplete(case: Case, closure: str, at: datetime) -> list[Violation]:
    if closure != Closure.TERMINATED_ROUND:
        return []
    for q in case.queries.all():
        if q.complete and set(ALL_CATEGORIES) <= set(q.covered):
            return []
    return [Violation("termination_query_incomplete",
                      "尚未完成覆盖全部财产类型的网络查控，不得终结本次执行程序。", "[004 §24]")]


@close_guard
def termination_leads_open(case: Case, closure: str, at: datetime) -> list[Violation]:
    if closure != Closure.TERMINATED_ROUND:
        return []
    n = case.leads.filter(status__in=[LeadStatus.RECEIVED, LeadStatus.VERIFYING]).count()
    if n:
        return [Violation("termination_leads_open", f"申请执行人提供的 {n} 条财产线索尚未核查完毕。", "[004 §24]")]
    return []


@close_guard
def termination_property_undisposed(case: Case, closure: str, at: datetime) -> list[Violation]:
    if closure != Closure.TERMINATED_ROUND:
        return []
    n = case.properties.filter(status__in=UNDISPOSED).count()
    if n:
        return [Violation("termination_property_undisposed",
                          f"尚有 {n} 项已控制财产（含轮候查封）未处置或解除。", "[004 §24]")]
    return []
