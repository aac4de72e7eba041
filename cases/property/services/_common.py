"""What every property write shares: locking, the actor and case checks, the audit snapshot and
the one-time approvals that let an overridable guard pass (SPEC §7, §11a)."""

from __future__ import annotations

from datetime import datetime

from django.utils.translation import gettext
from django_fsm import can_proceed

from cases import services as case_services
from cases.models import (
    Case,
    CaseStatus,
    Property,
)
from cases.models.property import ALL_CATEGORIES
from deadlines.services import Subject
from enforcement.approvals import offer
from enforcement.approvals.services import approval_use
from enforcement.audit import audit_record
from enforcement.errors import Conflict, Guards, InvalidInput
from enforcement.models import ApprovalKind, Role, User


def _lock_case(case: Case) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("court", "judge").get(pk=case.pk)


def _lock_property(prop: Property) -> Property:
    return (
        Property.objects.select_for_update(of=("self",))
        .select_related("case__court", "case__judge", "owner")
        .get(pk=prop.pk)
    )


def _check_actor(actor: User, case: Case, *, officer_ok: bool) -> None:
    """Decisions are the case judge's [001]; officers may record the work they were given."""
    case_services._require_court(actor, case.court_id)
    if officer_ok and actor.has_role(Role.OFFICER):
        return
    case_services._ensure_judge(actor, case)


def _ensure_case_open(case: Case) -> None:
    if case.status != CaseStatus.IN_PROGRESS:
        raise Conflict(gettext("案件当前状态为“%(value)s”，不能办理财产事项。") % {"value": case.get_status_display()})


def _ensure(prop: Property, method, label: str) -> None:
    if not can_proceed(method):
        raise Conflict(
            gettext("财产当前状态为“%(value)s”，不能%(label)s。") % {"value": prop.get_status_display(), "label": label}
        )


def _subject(prop: Property) -> Subject:
    return Subject("property", prop.pk, prop.case_id, prop.case.court_id)


def _snapshot(prop: Property) -> dict:
    return {
        "status": prop.status,
        "measure": prop.measure,
        "freeze_amount": prop.freeze_amount,
        "controlled_value": prop.controlled_value,
        "reference_price": prop.reference_price,
    }


def _audit(
    actor, prop: Property, action: str, at: datetime, before: dict | None = None, reason: str = "", **extra
) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=prop,
        court=prop.case.court_id,
        case_id=prop.case_id,
        occurred_at=at,
        before=before,
        after={**_snapshot(prop), **extra},
        reason=reason,
    )


# The approval that lets each overridable guard pass once (SPEC §7, §11a): appraisal is its own kind.
APPROVAL_FOR = {"appraisal_not_approved": (ApprovalKind.APPRAISAL, "")}


def _use_approval(case: Case, code: str, at: datetime, actor: User, object_id: int | None) -> bool:
    """Consume a bureau head's one-time approval to pass ``code`` on this case (or this property)."""
    kind, code_ = APPROVAL_FOR.get(code, (ApprovalKind.OVERRIDE, code))
    return approval_use(case_id=case.pk, court_id=case.court_id, kind=kind, actor=actor, at=at, code=code_,
                        object_id=object_id) is not None


def _guard(violations: list, case: Case, at: datetime, actor: User, *, overridable: str | None = None,
           object_id: int | None = None) -> None:
    """Raise all violations, letting an approved request pass the one overridable code; a refusal for
    it offers the request (``approval_kind``)."""
    g = Guards()
    for v in violations:
        if overridable and v.code == overridable:
            if _use_approval(case, overridable, at, actor, object_id):
                continue
            v = offer(v, APPROVAL_FOR.get(v.code, (ApprovalKind.OVERRIDE, ""))[0])
        g.add(v)
    g.raise_if_any()


def _validate_categories(values, field: str) -> list[str]:
    bad = [c for c in values if c not in ALL_CATEGORIES]
    if bad:
        raise InvalidInput({field: [gettext("未知的财产类型：%(value)s。") % {"value": ", ".join(map(str, bad))}]})
    return list(dict.fromkeys(values))
