"""How case events drive the legal clock (SPEC §4, §6.1). Registered on cases.services' hook, so
it runs inside the acting service's transaction."""

from __future__ import annotations

from cases.models import Case, Closure, MilestoneKind
from deadlines import services
from deadlines.services import Subject

# Milestones that complete a node (SPEC §6.1 "Milestones recorded on a case").
MILESTONE_NODES: dict[str, str] = {
    MilestoneKind.NOTICE_SENT: "NOTICE_SEND",
    MilestoneKind.QUERY_INITIATED: "QUERY_START",
}


def case_context(case: Case) -> dict:
    return {"government_organ_debtor": case.government_organ_debtor, "basis_kind": case.basis_kind}


def on_case_event(case: Case, event: str, at, actor, **extra) -> None:
    subject = Subject.of_case(case)
    start = lambda ev: services.deadlines_on_event(  # noqa: E731
        event=ev, at=at, subject=subject, court=case.court, actor=actor, context=case_context(case),
        responsible=case.judge,
    )
    if event == "file":
        # [SPC2006 §1, §2, §4], [001]: filing starts CASE_ACCEPT, CASE_LIMIT (and NOTICE_SEND under Luoyang).
        start("case.filed")
    elif event == "receive":
        start("case.received")  # [004 §13] QUERY_START: 5 working days from receipt
    elif event == "assign":
        services.deadlines_set_responsible(case_id=case.pk, user=case.judge)
    elif event == "accept":
        services.deadline_meet(node="CASE_ACCEPT", subject=subject, at=at, actor=actor)
        start("case.accepted")
        # A node already done before its clock started (e.g. notice sent on receipt) is met at once.
        for kind, node in MILESTONE_NODES.items():
            m = case.milestones.filter(kind=kind).order_by("occurred_at").first()
            if m is not None:
                services.deadline_meet(node=node, subject=subject, at=m.occurred_at, actor=actor)
    elif event == "suspend":
        services.deadlines_pause(case_id=case.pk, at=at, actor=actor, reason="案件中止/暂缓，期限停止计算")
    elif event == "resume":
        services.deadlines_resume(case_id=case.pk, at=at, actor=actor, reason="恢复执行，期限顺延")
    elif event == "close":
        services.deadline_meet(node="CASE_LIMIT", subject=subject, at=at, actor=actor)
        # Only the case's own clocks end with it: a sanction still has to be lifted, a control renewed.
        services.deadlines_cancel(subject=subject, at=at, actor=actor,
                                  reason=f"案件已结案（{case.get_closure_display()}）")
        if case.closure == Closure.TERMINATED_ROUND:
            start("case.closed_terminated_round")  # ROUND_REVIEW every 6 months
    elif event == "restore":
        services.deadline_meet(node="RESTORE", subject=subject, at=at, actor=actor)
        services.deadline_meet(node="ROUND_REVIEW", subject=subject, at=at, actor=actor)
    elif event == "transfer":
        # SPEC §11: the case moves with its running clocks; their dues are kept.
        services.deadlines_move_court(case_id=case.pk, from_court_id=extra["from_court"].pk,
                                      to_court_id=extra["to_court"].pk)
    elif event.startswith("milestone:"):
        kind = event.split(":", 1)[1]
        node = MILESTONE_NODES.get(kind, "")
        if node:
            services.deadline_meet(node=node, subject=subject, at=at, actor=actor)
