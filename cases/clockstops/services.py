"""Every write to a case-limit stop (SPEC §4, [SPC2006 §13]): start (judge + the bureau head's
approval, never his own — SPEC §12) and end; CASE_LIMIT is held while the stop is open and moves by
the stopped time when the last stop holding it ends."""

from __future__ import annotations

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils.translation import gettext

from deadlines import services as clock
from deadlines.services import Subject
from enforcement.approvals.services import approval_in_hand
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput
from enforcement.models import ApprovalKind, User
from enforcement.timeutil import resolve_occurred_at

from .. import services as case_services
from ..models import Case, CaseStatus
from .models import CaseLimitStop, LimitStopKind

NODE = "CASE_LIMIT"
STOPPABLE_STATES = (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)


def _snapshot(stop: CaseLimitStop) -> dict:
    return {"kind": stop.kind, "started_at": stop.started_at, "ended_at": stop.ended_at,
            "approved_by": stop.approved_by_id}


@transaction.atomic
def case_limit_stop_start(*, case: Case, actor: User, kind: str, reason: str, approved_by: User | None = None,
                          occurred_at: datetime | None = None) -> CaseLimitStop:
    """The judge records that the case limit stops (公告送达 / 请示 / 争议协调) from ``occurred_at``."""
    case = case_services._lock(case)
    case_services._require_court(actor, case.court_id)
    if case.status not in STOPPABLE_STATES:
        raise Conflict(gettext("案件当前状态为“%(value)s”，不能登记审限扣除。") % {"value": case.get_status_display()})
    case_services._ensure_judge(actor, case)
    errors = {}
    if kind not in LimitStopKind.values:
        errors["kind"] = ["扣除事由须为公告送达、请示上级法院或执行争议协调。"]
    if not (reason or "").strip():
        errors["reason"] = ["请写明具体情况（如公告刊登的报刊、请示的文号）。"]
    if errors:
        raise InvalidInput(errors)
    label = LimitStopKind(kind).label
    # A backdated stop may start no earlier than the case's own previous event (SPEC §13 "Event time").
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    # [SPC2006 §13] and SPEC §3: every stop is recorded with its approver — like a suspension, the
    # bureau head's, asked for through an approval request (SPEC §11a) and used here once.
    approved_by = approval_in_hand(case=case, kind=ApprovalKind.CLOCK_STOP, actor=actor, at=at,
                                   approved_by=approved_by, what=f"{label}期间扣除审限")
    try:
        with transaction.atomic():
            stop = CaseLimitStop.objects.create(case=case, kind=kind, reason=reason.strip(), started_at=at,
                                                started_by=actor, approved_by=approved_by)
    except IntegrityError as exc:
        raise Conflict(
            gettext("本案已有尚未结束的“%(label)s”审限扣除。") % {"label": label}, code="limit_stop_open"
        ) from exc
    case.last_event_at = max(case.last_event_at, at)
    case.save(update_fields=["last_event_at", "updated_at"])
    clock.deadlines_hold(
        case_id=case.pk,
        subject=Subject.of_case(case),
        nodes=[NODE],
        hold=stop.hold,
        at=at,
        actor=actor,
        reason=f"{label}期间不计入执行期限",
    )
    audit_record(
        actor=actor,
        action=events.CASE_LIMIT_STOP_START,
        obj=stop,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        after=_snapshot(stop),
        reason=stop.reason,
    )
    return stop


def _lock_stop(stop: CaseLimitStop) -> tuple[Case, CaseLimitStop]:
    case = case_services._lock(Case(pk=stop.case_id))
    return case, CaseLimitStop.objects.select_for_update().select_related("approved_by").get(pk=stop.pk)


def _end(stop: CaseLimitStop, case: Case, actor: User | None, at: datetime, note: str, *, release: bool) -> None:
    before = _snapshot(stop)
    stop.ended_at, stop.ended_by, stop.end_note = at, actor, note
    stop.save(update_fields=["ended_at", "ended_by", "end_note"])
    if release:
        clock.deadlines_release(
            case_id=case.pk,
            subject=Subject.of_case(case),
            nodes=[NODE],
            hold=stop.hold,
            at=at,
            actor=actor,
            reason=f"{stop.get_kind_display()}结束，执行期限顺延",
        )
    audit_record(
        actor=actor,
        action=events.CASE_LIMIT_STOP_END,
        obj=stop,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(stop),
        reason=note,
    )


@transaction.atomic
def case_limit_stop_end(
    *, stop: CaseLimitStop, actor: User, reason: str = "", occurred_at: datetime | None = None
) -> CaseLimitStop:
    """The stop's cause ended (公告期满、上级法院答复、协调完毕): CASE_LIMIT runs on, moved by the stopped time."""
    case, stop = _lock_stop(stop)
    case_services._require_court(actor, case.court_id)
    if not stop.is_open:
        raise Conflict(gettext("该审限扣除已经结束。"), code="limit_stop_ended")
    case_services._ensure_judge(actor, case)
    at = resolve_occurred_at(occurred_at, previous=stop.started_at)
    _end(stop, case, actor, at, (reason or "").strip(), release=True)
    case.last_event_at = max(case.last_event_at, at)
    case.save(update_fields=["last_event_at", "updated_at"])
    return stop


def on_case_event(case: Case, event: str, at: datetime, actor: User, **extra) -> None:
    """Registered with ``cases.services.on_case_lifecycle``: closing a case ends its open stops (the
    case limit is met by the closure itself, so nothing is released)."""
    if event != "close":
        return
    for stop in CaseLimitStop.objects.select_for_update().filter(case=case, ended_at__isnull=True):
        _end(stop, case, actor, max(at, stop.started_at), "案件已结案", release=False)


def case_limit_stop_follow(*, case: Case, actor: User, kind: str, reason: str, at: datetime) -> CaseLimitStop:
    """A stop that follows by law from another recorded act rather than from the judge's request —
    an inter-court dispute reported by the bureau head stops CASE_LIMIT until it is resolved
    [SPC2006 §13] (SPEC §11). The bureau head's own report is the decision, so he is recorded as
    the one who started and approved it; no second approval is asked. An open stop of the same kind
    (the judge's, or another dispute's) is shared rather than doubled. The caller holds the case lock."""
    stop = CaseLimitStop.objects.select_for_update().filter(case=case, kind=kind, ended_at__isnull=True).first()
    if stop is not None:
        return stop
    stop = CaseLimitStop.objects.create(
        case=case, kind=kind, reason=reason, started_at=at, started_by=actor, approved_by=actor
    )
    clock.deadlines_hold(
        case_id=case.pk,
        subject=Subject.of_case(case),
        nodes=[NODE],
        hold=stop.hold,
        at=at,
        actor=actor,
        reason=f"{stop.get_kind_display()}期间不计入执行期限",
    )
    audit_record(
        actor=actor,
        action=events.CASE_LIMIT_STOP_START,
        obj=stop,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        after=_snapshot(stop),
        reason=reason,
    )
    return stop


def case_limit_stop_end_following(*, stop: CaseLimitStop, actor: User, at: datetime, note: str) -> None:
    """The act a stop followed from has ended (the dispute is resolved): CASE_LIMIT runs on, moved
    by the stopped time. The caller holds the case lock and checks no other act still needs it."""
    case, stop = _lock_stop(stop)
    if stop.is_open:
        _end(stop, case, actor, max(at, stop.started_at), note, release=True)
