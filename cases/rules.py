"""Guards on cases (SPEC §7). Each returns violations; services collect them all before acting.

Closing guards are an extension point: the property, funds and credit modules register their
own (``termination_query_incomplete``, ``closure_funds_unpaid``, ``termination_no_restriction`` …)
with ``close_guard``; ``case_close`` runs every registered guard.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from enforcement.errors import Violation
from enforcement.models import User

from .models import Case, Closure

CloseGuard = Callable[[Case, str, datetime], list[Violation]]
_close_guards: list[CloseGuard] = []


def close_guard(fn: CloseGuard) -> CloseGuard:
    """Register a guard run by every case closure."""
    if fn not in _close_guards:
        _close_guards.append(fn)
    return fn


def close_guards() -> list[CloseGuard]:
    return list(_close_guards)


def not_case_judge(actor: User, case: Case) -> Violation | None:
    # [001] "严禁非员额法官独立办案": every decision on a case is the assigned post judge's.
    if case.judge_id is None or actor.pk != case.judge_id:
        name = case.judge.display_name if case.judge is not None else "（尚未指定）"
        return Violation(
            "not_case_judge", gettext("只有本案承办法官（%(name)s）可以作出该决定。") % {"name": name}, "[001]"
        )
    return None


def add_months(d, months: int):
    from deadlines.calendar import add_months as _add

    return _add(d, months)


@close_guard
def termination_too_early(case: Case, closure: str, at: datetime) -> list[Violation]:
    # [002] 浙高法〔2016〕55号: 立案后不满三个月的，不得以终结本次执行程序方式结案 (override allowed).
    if closure != Closure.TERMINATED_ROUND:
        return []
    filed = timezone.localdate(case.filed_at)
    earliest = add_months(filed, 3)
    if timezone.localdate(at) < earliest:
        return [
            Violation(
                "termination_too_early",
                gettext("立案未满三个月（%(earliest)s前）不得以终结本次执行程序方式结案；确需终本的，须执行局长批准。")
                % {"earliest": f"{earliest:%Y年%m月%d日}"},
                "[002]",
            )
        ]
    return []


# Guards a bureau head may lift once for a case, with a reason (SPEC §7): 终本 before three months
# [002]; seizing an indivisible property whole [003 §3(二)]; appraisal / a non-default valuation method [001].
OVERRIDABLE = {"termination_too_early", "over_seizure", "appraisal_not_approved"}
# The same guards as the court words them, on the approval inbox and in the audit lines.
OVERRIDABLE_LABELS = {
    "termination_too_early": gettext_lazy("立案未满三个月以终本方式结案"),
    "over_seizure": gettext_lazy("明显超标的查封、冻结"),
    "appraisal_not_approved": gettext_lazy("未经批准委托评估"),
}


def run_close_guards(case: Case, closure: str, at: datetime) -> list[Violation]:
    """All violations of all registered close guards, in order. The OVERRIDABLE ones pass once with a
    bureau head's approval (SPEC §7, §11a), which the caller uses up."""
    return [v for guard in _close_guards for v in guard(case, closure, at)]
