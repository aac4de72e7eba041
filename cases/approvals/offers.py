"""The request a refused form offers in place (SPEC §11a: nothing that needs an approval is a dead
end): a refusal whose guard an approval can lift carries ``approval_kind``; the form then shows
"申请执行局长审批" with a reason box, posting the case, the kind, the guard and the object."""

from __future__ import annotations

from dataclasses import dataclass

from enforcement.approvals.acts import guard_label
from enforcement.errors import GuardFailed
from enforcement.models import ApprovalKind

OBJECT_KINDS = (ApprovalKind.OVERRIDE, ApprovalKind.APPRAISAL)


@dataclass(frozen=True)
class ApprovalOffer:
    case: int
    kind: str
    code: str
    object: int | None
    title: str  # the refused act in the court's words


def approval_offer(exc: GuardFailed, *, case_id: int | None, object_id: int | None = None) -> ApprovalOffer | None:
    if case_id is None or not exc.approval_kind:
        return None
    v = next(v for v in exc.violations if v.approval_kind)
    kind = v.approval_kind
    code = v.code if kind == ApprovalKind.OVERRIDE else ""
    title = ApprovalKind(kind).label + (f"：{guard_label(code)}" if code and guard_label(code) else "")
    return ApprovalOffer(case_id, kind, code, object_id if kind in OBJECT_KINDS and code != "termination_too_early"
                         else None, title)
