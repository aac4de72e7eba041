"""Guards on credit sanctions (SPEC §7). Each returns a Violation or None; services collect them all.

Also registers the 终本 close guard ``termination_no_restriction`` with ``cases.rules.close_guard``
(imported by ``CreditConfig.ready``).
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext

from cases.models import Case, Closure, Party, PartyRole
from cases.rules import close_guard
from enforcement.errors import Violation

from .models import Sanction, SanctionKind, SanctionStatus


def party_is_protected(party: Party, case: Case, on: date) -> bool:
    """An epidemic-control entity or other protected party is not sanctioned [000 §8].

    The party's own flag decides (until ``protected_until`` if set). A case flagged as having a
    priority party without naming which party it is counts as protecting its debtors too: the system
    cannot tell, and the safe reading of [000 §8] is not to sanction; the judge makes it precise by
    marking the party itself.
    """
    if party.protected and (party.protected_until is None or party.protected_until >= on):
        return True
    if case.priority_party and not case.parties.filter(protected=True).exists():
        return True
    return False


def protected_party(party: Party, case: Case, at: datetime) -> Violation | None:
    if party_is_protected(party, case, timezone.localdate(at)):
        return Violation(
            "protected_party",
            gettext("%(name)s为受保护主体（如疫情防控单位），不得对其采取失信惩戒或限制消费措施。")
            % {"name": party.name},
            "[000 §8]",
        )
    return None


def dishonest_without_ground(
    kind: str, ground: str, served_at: datetime | None, *, need_service: bool
) -> Violation | None:
    """A listing needs one statutory ground and, before it is published, a served decision [004 §23]."""
    if kind != SanctionKind.DISHONEST_LIST:
        return None
    if not ground:
        return Violation(
            "dishonest_without_ground",
            gettext("纳入失信被执行人名单须载明法定事由（六种情形之一）。"),
            "[004 §23]",
        )
    if need_service and served_at is None:
        return Violation(
            "dishonest_without_ground",
            gettext("纳入失信被执行人名单须制作决定书并送达当事人后方可发布。"),
            "[004 §23]",
        )
    return None


def publish_in_grace(sanction: Sanction, at: datetime) -> Violation | None:
    # [003 §8] 宽限期内暂不发布其失信或者限制消费信息；期限届满仍未履行的，再发布。
    if sanction.status == SanctionStatus.GRACE and sanction.grace_until is not None:
        if timezone.localdate(at) <= sanction.grace_until:
            return Violation(
                "publish_in_grace",
                gettext("宽限期至%(grace_until)s届满，宽限期内不得发布惩戒信息。")
                % {"grace_until": f"{sanction.grace_until:%Y年%m月%d日}"},
                "[003 §8]",
            )
    return None


# Which restriction states satisfy the 终本 rule [002] "限制所有终结本次执行程序案件被执行人的高消费":
# only ACTIVE. A decided restriction in its grace period is, by [003 §8] and [004 §23], "暂不执行"
# — not yet enforced — so the debtor is not under restriction until it is published.
RESTRICTING_STATES = (SanctionStatus.ACTIVE,)


@close_guard
def termination_no_restriction(case: Case, closure: str, at: datetime) -> list[Violation]:
    """终本 only when every debtor is under an active consumption restriction [002].

    A protected debtor [000 §8] must not be restricted, so it does not block 终本.
    """
    if closure != Closure.TERMINATED_ROUND:
        return []
    on = timezone.localdate(at)
    respondents = [p for p in case.parties.all() if p.role == PartyRole.RESPONDENT]
    restricted = set(
        Sanction.objects.filter(
            case=case, kind=SanctionKind.CONSUMPTION_RESTRICTION, status__in=RESTRICTING_STATES
        ).values_list("party_id", flat=True)
    )
    missing = [p.name for p in respondents if p.pk not in restricted and not party_is_protected(p, case, on)]
    if missing:
        return [
            Violation(
                "termination_no_restriction",
                gettext("被执行人%(value)s尚未被限制消费（限制消费令须已发布生效），不得以终结本次执行程序方式结案。")
                % {"value": "、".join(missing)},
                "[002]",
            )
        ]
    return []
