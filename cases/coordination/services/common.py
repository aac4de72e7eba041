"""What the coordination services share: where a court stands in the tree, and the small checks."""

from __future__ import annotations

from django.utils.translation import gettext

from deadlines.services import Subject
from enforcement.errors import Conflict, GuardFailed, InvalidInput, PermissionDenied, Violation
from enforcement.models import Court, Role, User
from enforcement.text import Text

from ...models import Case, CaseStatus

UPPER_ROLES = (Role.SUPERVISOR, Role.BUREAU_HEAD)


def is_below(court: Court, upper: Court) -> bool:
    """``court`` is strictly under ``upper`` in the court tree (materialised paths)."""
    return court.pk != upper.pk and court.path.startswith(upper.path)


def user_sees_court(user: User, court: Court) -> bool:
    """The court is the user's, or below it for a supervisor (SPEC §1), without a query."""
    if user.is_superuser:
        return True
    if user.court_id is None:
        return False
    if user.has_role(*UPPER_ROLES):
        assert user.court is not None
        return court.path.startswith(user.court.path)
    return court.pk == user.court_id


def lowest_common_upper(a: Court, b: Court) -> Court | None:
    """The deepest court strictly above both (SPEC §11: 洛阳中院 and 西工区法院 → 河南高院)."""
    lineage_a = [*a.ancestors(), a]
    ids_b = {c.pk for c in [*b.ancestors(), b]}
    common = [c for c in lineage_a if c.pk in ids_b and c.pk not in (a.pk, b.pk)]
    return common[-1] if common else None


def require_upper_court_officer(actor: User, case: Case, what: Text) -> None:
    """An upper court's supervisor or bureau head acting on a case of a court below it [004 §28]."""
    if not actor.has_role(*UPPER_ROLES) or actor.court_id is None:
        raise PermissionDenied(gettext("只有上级法院的专人监管或执行局长可以%(what)s。") % {"what": what})
    assert actor.court is not None  # actor.court_id was checked just above
    if not is_below(case.court, actor.court):
        raise GuardFailed(
            [
                Violation(
                    "not_upper_court",
                    gettext("本案由%(name)s承办，不在贵院的下级法院范围内，不能%(what)s。")
                    % {"name": case.court.name, "what": what},
                    "[004 §28]",
                )
            ]
        )


def require_open_case(case: Case, what: Text) -> None:
    if case.status == CaseStatus.CLOSED:
        raise Conflict(gettext("案件已结案，不能%(what)s。") % {"what": what}, code="case_closed")


def require_text(value: str | None, field: str, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput({field: [message]})
    return text


def subject(kind: str, obj, court_id: int) -> Subject:
    return Subject(kind, obj.pk, obj.case_id, court_id)
