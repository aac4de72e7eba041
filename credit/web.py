"""What the case page shows of credit sanctions: ``case_section(user, case)`` builds the context of
``templates/credit/_case_section.html`` (sanctions with state, grace end, running clocks, the
transitions the user may fire as forms, correction requests, and the propose form)."""

from __future__ import annotations

from cases.forms import transition_form
from cases.models import Case
from enforcement.models import User

from . import selectors
from .forms import CorrectionDecideForm, CorrectionForm, SanctionProposeForm
from .models import CorrectionOutcome, SanctionStatus
from .services import PROPOSABLE_CASE_STATES, PROPOSER_ROLES, RECORDER_ROLES
from .transitions import registry

STATUS_BADGES = {
    SanctionStatus.PROPOSED: "badge-filed",
    SanctionStatus.DECIDED: "badge-received",
    SanctionStatus.GRACE: "badge-suspended",
    SanctionStatus.ACTIVE: "badge-progress",
    SanctionStatus.LIFTED: "badge-closed",
    SanctionStatus.SHIELDED: "badge-closed",
}


def _transition_forms(user: User, s) -> list:
    forms = []
    for spec in registry.available(user, s):
        form = transition_form(spec, s.case)
        form.auto_id = f"id_sanction{s.pk}_%s"  # several sanctions on one page: keep ids unique
        form.action_url = f"/objects/sanctions/{s.pk}/transitions/{spec.name}/"
        forms.append(form)
    return forms


def case_section(user: User, case: Case) -> dict:
    sanctions = list(selectors.sanction_list(user=user).filter(case=case).order_by("proposed_at", "id"))
    clocks = selectors.open_deadlines_by_sanction(sanctions)
    is_judge = case.judge_id is not None and case.judge_id == user.pk
    may_record = user.has_role(*RECORDER_ROLES)
    for s in sanctions:
        s.case = case
        s.status_badge = STATUS_BADGES.get(s.status, "")
        s.open_deadlines = clocks.get(s.pk, [])
        s.transition_forms = _transition_forms(user, s)
        s.correction_list = list(s.corrections.all())
        for c in s.correction_list:
            c.review_form = (CorrectionDecideForm(correction_id=c.pk)
                             if is_judge and c.outcome == CorrectionOutcome.PENDING else None)
        s.correction_form = (CorrectionForm(sanction_id=s.pk)
                             if may_record and s.status != SanctionStatus.PROPOSED else None)
    can_propose = user.has_role(*PROPOSER_ROLES) and case.status in PROPOSABLE_CASE_STATES
    return {
        "case": case,
        "credit_sanctions": sanctions,
        "credit_propose_form": SanctionProposeForm(case=case) if can_propose else None,
    }
