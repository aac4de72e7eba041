"""Guards on property measures and the 终本 conditions that depend on property (SPEC §7).

Each function returns violations (never raises), so a service reports every failing rule at once.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext

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
    value = rule_setting(case, on, "over_seizure_ratio")
    return Decimal(str(value)) if value is not None else DEFAULT_OVER_SEIZURE_RATIO


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
        return [
            Violation(
                "over_seizure",
                gettext(
                    "控制财产价值合计 %(total)s 元，明显超过未清偿债权及执行费用 %(owed)s 元的 %(ratio)s"
                    "（%(limit)s 元），构成超标的查控；不可分物确需整体查封的，须执行局长批准。"
                )
                % {"total": f"{total:,.2f}", "owed": f"{owed:,.2f}", "ratio": f"{ratio:.0%}", "limit": f"{limit:,.2f}"},
                "[004 §15]、[003 §3]",
            )
        ]
    return []


def freeze_amount_missing(prop: Property, measure: str, amount: Decimal | None) -> list[Violation]:
    # [004 §15], [003 §3(一)]: 冻结银行存款应当明确具体冻结数额，且不得超出未清偿债权。
    if measure != "freeze" or prop.type not in MONEY_TYPES:
        return []
    if amount is None or amount <= 0:
        return [Violation("freeze_amount_missing", gettext("冻结银行存款必须写明具体冻结数额。"), "[004 §15]")]
    owed = outstanding(prop.case)
    if amount > owed:
        return [
            Violation(
                "freeze_amount_missing",
                gettext("冻结数额 %(amount)s 元超出未清偿债权及执行费用 %(owed)s 元。")
                % {"amount": f"{amount:,.2f}", "owed": f"{owed:,.2f}"},
                "[004 §15]",
            )
        ]
    return []


def exempt_property(prop: Property, at: datetime) -> list[Violation]:
    # [003 §2] 严禁查封被执行人及其扶养家属生活必需品；[000 §7] 不得查封救灾防疫款物。
    if prop.exempt_kind:
        return [
            Violation(
                "exempt_property",
                gettext("该财产属于“%(value)s”，依法不得查封、扣押、冻结。")
                % {"value": prop.get_exempt_kind_display()},
                "[003 §2]、[000 §7]",
            )
        ]
    owner = prop.owner
    if (
        owner is not None
        and owner.protected
        and (owner.protected_until is None or owner.protected_until >= timezone.localdate(at))
    ):
        return [
            Violation(
                "exempt_property",
                gettext("%(name)s为受保护主体（保护期内），其财产不得采取控制措施。") % {"name": owner.name},
                "[000 §7]",
            )
        ]
    return []


def rule_setting(case: Case, on, key: str):
    """A parameter of the rule sets in force for the case's court on ``on`` (SPEC §4: rules are data):
    the most local set that sets ``key`` wins over the national one; None if none sets it."""
    from deadlines.services import rule_sets_for

    value = None
    for rs in rule_sets_for(case.court, on):
        v = (rs.settings or {}).get(key)
        if v is not None and (value is None or not rs.applies_everywhere):
            value = v
    return value


# --- auction rounds (SPEC §6.2, §13 "Auctions") --------------------------------------------------

CENT = Decimal("0.01")
# [SPC2016 §26]: 再次拍卖的起拍价降价幅度不得超过前次起拍价的百分之二十。
RELIST_MAX_CUT = Decimal("0.20")
# [SPC2016 §26]: 流拍后再次拍卖，动产在拍卖七日前公告，不动产或者其他财产权在拍卖十五日前公告；
# 再次拍卖流拍的，可以依法变卖 — so an online auction has at most two rounds.
MAX_AUCTION_ROUNDS = 2
FIRST_ROUND_NOTICE_DAYS = {"movable": 15, "long": 30}  # [001]
RELIST_NOTICE_DAYS = {"movable": 7, "long": 15}  # [SPC2016 §26]
# Rule-set parameter (SPEC §6.2: Zhejiang [002 §4] 各次拍卖降价，原则上应一次性降足).
CUT_IN_FULL_SETTING = "auction_cut_in_full"


def round_floor(prop: Property, round_no: int, previous_start: Decimal | None) -> Decimal:
    """The lowest lawful starting price of a round: 70 % of the reference price for the first [001],
    the previous round's start less 20 % for a later one [SPC2016 §26]."""
    if round_no == 1:
        assert prop.reference_price is not None
        return (prop.reference_price * STARTING_PRICE_FLOOR).quantize(CENT)
    assert previous_start is not None
    return (previous_start * (1 - RELIST_MAX_CUT)).quantize(CENT)


def starting_price_too_low(
    prop: Property, round_no: int, starting: Decimal, previous_start: Decimal | None = None
) -> list[Violation]:
    floor = round_floor(prop, round_no, previous_start)
    if starting >= floor:
        return []
    if round_no == 1:
        return [
            Violation(
                "starting_price_too_low",
                gettext("第一次拍卖起拍价 %(starting)s 元低于参考价 %(reference_price)s 元的 70%%（%(floor)s 元）。")
                % {
                    "starting": f"{starting:,.2f}",
                    "reference_price": f"{prop.reference_price:,.2f}",
                    "floor": f"{floor:,.2f}",
                },
                "[001]",
            )
        ]
    return [
        Violation(
            "starting_price_too_low",
            gettext(
                "第%(round_no)s次拍卖起拍价 %(starting)s 元比前次起拍价 %(previous_start)s"
                " 元降价超过 20%%（不得低于 %(floor)s 元）。"
            )
            % {
                "round_no": round_no,
                "starting": f"{starting:,.2f}",
                "previous_start": f"{previous_start:,.2f}",
                "floor": f"{floor:,.2f}",
            },
            "[SPC2016 §26]",
        )
    ]


def auction_cut_not_full(
    prop: Property, round_no: int, starting: Decimal, previous_start: Decimal | None, on
) -> list[Violation]:
    """Where the court's rule set requires it (Zhejiang [002 §4]), a later round takes the whole
    20 % cut at once; a bureau head may approve an exception (原则上)."""
    if round_no == 1 or not rule_setting(prop.case, on, CUT_IN_FULL_SETTING):
        return []
    floor = round_floor(prop, round_no, previous_start)
    if starting > floor:
        return [
            Violation(
                "auction_cut_not_full",
                gettext(
                    "本院适用的规则要求再次拍卖一次性降足：第%(round_no)s次拍卖起拍价应为前次起拍价 %(previous_start)s"
                    " 元的 80%%（%(floor)s 元），本次为 %(starting)s 元。"
                )
                % {
                    "round_no": round_no,
                    "previous_start": f"{previous_start:,.2f}",
                    "floor": f"{floor:,.2f}",
                    "starting": f"{starting:,.2f}",
                },
                "[002 §4]",
            )
        ]
    return []


def announcement_too_short(
    prop: Property, round_no: int, announced_at: datetime, auction_at: datetime
) -> list[Violation]:
    # First round [001]: 动产拍卖 15 日前公告，不动产和其他财产权 30 日前公告.
    # Later rounds [SPC2016 §26]: 动产 7 日前，不动产或者其他财产权 15 日前.
    table, source = (FIRST_ROUND_NOTICE_DAYS, "[001]") if round_no == 1 else (RELIST_NOTICE_DAYS, "[SPC2016 §26]")
    long_notice = prop.type in LONG_NOTICE_TYPES
    days = table["long" if long_notice else "movable"]
    gap = (timezone.localdate(auction_at) - timezone.localdate(announced_at)).days
    if gap < days:
        kind = "不动产、其他财产权" if long_notice else "动产"
        which = "第一次拍卖" if round_no == 1 else f"第{round_no}次拍卖（流拍后再次拍卖）"
        return [
            Violation(
                "announcement_too_short",
                gettext("%(kind)s%(which)s应在公告 %(days)s 日后进行，本次仅间隔 %(gap)s 日。")
                % {"kind": kind, "which": which, "days": days, "gap": gap},
                source,
            )
        ]
    return []


def self_disposal_too_long(start: datetime, until: datetime) -> list[Violation]:
    if until - start > timedelta(days=SELF_DISPOSAL_MAX_DAYS):
        return [Violation("self_disposal_too_long", gettext("被执行人自行处置期限最长不得超过 90 日。"), "[004 §17]")]
    return []


def appraisal_not_approved(prop: Property, method: str, approved: bool) -> list[Violation]:
    # [001]: 委托评估须经执行局长审批；不动产、车辆原则上网络询价，采用其他方式须经批准。
    if approved:
        return []
    if method == "appraisal":
        return [Violation("appraisal_not_approved", gettext("委托评估须经执行局长批准。"), "[001]")]
    if prop.type in ("real_estate", "vehicle") and method == "directed_inquiry":
        return [
            Violation(
                "appraisal_not_approved", gettext("不动产、车辆应采用网络询价；采用定向询价须经执行局长批准。"), "[001]"
            )
        ]
    return []


# --- 终本 guards (SPEC §7, [004 §24]) -------------------------------------------------------


@close_guard
def termination_query_incomplete(case: Case, closure: str, at: datetime) -> list[Violation]:
    if closure != Closure.TERMINATED_ROUND:
        return []
    for q in case.queries.all():
        if q.complete and set(ALL_CATEGORIES) <= set(q.covered):
            return []
    return [
        Violation(
            "termination_query_incomplete",
            gettext("尚未完成覆盖全部财产类型的网络查控，不得终结本次执行程序。"),
            "[004 §24]",
        )
    ]


@close_guard
def termination_leads_open(case: Case, closure: str, at: datetime) -> list[Violation]:
    if closure != Closure.TERMINATED_ROUND:
        return []
    n = case.leads.filter(status__in=[LeadStatus.RECEIVED, LeadStatus.VERIFYING]).count()
    if n:
        return [
            Violation(
                "termination_leads_open",
                gettext("申请执行人提供的 %(n)s 条财产线索尚未核查完毕。") % {"n": n},
                "[004 §24]",
            )
        ]
    return []


@close_guard
def termination_property_undisposed(case: Case, closure: str, at: datetime) -> list[Violation]:
    if closure != Closure.TERMINATED_ROUND:
        return []
    n = case.properties.filter(status__in=UNDISPOSED).count()
    if n:
        return [
            Violation(
                "termination_property_undisposed",
                gettext("尚有 %(n)s 项已控制财产（含轮候查封）未处置或解除。") % {"n": n},
                "[004 §24]",
            )
        ]
    return []
