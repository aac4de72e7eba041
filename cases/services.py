"""Every write to a case (SPEC §6.1). One function per act: role + court check, guards, FSM
transition, audit event — in one transaction. Views, API, admin and commands all call these.

The Case aggregate's writes (filing, the transitions of SPEC §6.1, milestones and the lifecycle
hook): one aggregate under one row lock, hence one module; property work lives in
``cases.property.services``, petitions in ``cases.petitions.services``."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django_fsm import can_proceed

from enforcement.approvals import offer
from enforcement.approvals.services import approval_in_hand, approval_use
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, Guards, InvalidInput, NotFound, PermissionDenied
from enforcement.models import ApprovalKind, Court, Role, User
from enforcement.selectors import court_ids_visible_to
from enforcement.timeutil import resolve_occurred_at

from . import rules
from .models import (
    Case,
    CaseKind,
    CaseNumberCounter,
    CaseStatus,
    ClockStop,
    Closure,
    Milestone,
    MilestoneKind,
    Party,
    PartyRole,
    SuspensionGround,
    Track,
)

ACCOUNT_BANK_PREFIX = "6217"  # the custodian bank's prefix for court case sub-accounts


@dataclass
class PartyData:
    role: str
    name: str
    kind: str
    id_number: str = ""
    phone: str = ""
    legal_representative: str = ""
    government_organ: bool = False
    protected: bool = False
    service_address: str = ""
    agent_name: str = ""
    agent_phone: str = ""


@dataclass
class PayeeAccount:
    bank: str
    account_no: str
    holder: str
    method: str = "bank_transfer"


@dataclass
class CaseFlags:
    livelihood: bool = False
    four_kinds: bool = False
    priority_party: bool = False
    government_organ_debtor: bool = False


@dataclass
class FilingData:
    basis: str
    claim_amount: Decimal
    parties: list[PartyData]
    payee_account: PayeeAccount
    basis_kind: str = "litigation"
    flags: CaseFlags = field(default_factory=CaseFlags)
    cause: str = ""
    basis_issuer: str = ""
    basis_effective_on: date | None = None


# --- helpers -------------------------------------------------------------------------------

def _require_role(actor: User, *roles: str) -> None:
    if not actor.has_role(*roles):
        raise PermissionDenied(gettext("您没有执行该操作的权限。"))


def _require_court(actor: User, court_id: int) -> None:
    visible = court_ids_visible_to(actor)
    ok = court_id in visible if isinstance(visible, list) else visible.filter(pk=court_id).exists()
    if not ok:
        raise NotFound(gettext("未找到。"))


def _lock(case: Case) -> Case:
    """Lock the row and re-read it: concurrent transitions on one case serialise here.

    The lock is taken without joins: PostgreSQL re-checks a row it waited for against the *old* version of
    any joined row, so a case whose court changed meanwhile (a transfer) would vanish from a joined
    ``SELECT … FOR UPDATE``. Once locked, the joined read sees the committed row."""
    Case.objects.select_for_update().filter(pk=case.pk).values_list("pk", flat=True).first()
    return Case.objects.select_related("court", "judge").get(pk=case.pk)


def _ensure_can(case: Case, method, label: str) -> None:
    if not can_proceed(method):
        raise Conflict(
            gettext("案件当前状态为“%(value)s”，不能%(label)s。") % {"value": case.get_status_display(), "label": label}
        )


def _ensure_judge(actor: User, case: Case) -> None:
    v = rules.not_case_judge(actor, case)
    if v:
        g = Guards()
        g.add(v)
        g.raise_if_any()


def _counter(court: Court, year: int, series: str) -> CaseNumberCounter:
    """The court's counter row for one year and series, locked until the transaction ends."""
    CaseNumberCounter.objects.bulk_create(
        [CaseNumberCounter(court=court, year=year, series=series, last=0)], ignore_conflicts=True
    )
    return CaseNumberCounter.objects.select_for_update().get(court=court, year=year, series=series)


def _next_number(court: Court, year: int, series: str) -> int:
    counter = _counter(court, year, series)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _next_case_seq(court: Court, year: int, kind: str) -> int:
    """The next free number of the court's series (SPEC §13 "Case numbers": automatic numbering never
    fails because a number was taken). Numbers given by hand sit in the same series; the locked
    counter serialises both kinds of filing, and the numbers already taken are skipped."""
    counter = _counter(court, year, kind)
    seq = counter.last
    while True:
        window = {format_case_number(court, year, kind, n): n for n in range(seq + 1, seq + 51)}
        taken = set(Case.objects.filter(number__in=window).values_list("number", flat=True))
        free = [n for number, n in window.items() if number not in taken]
        if free:
            seq = free[0]
            break
        seq += 50
    counter.last = seq
    counter.save(update_fields=["last"])
    return seq


def format_case_number(court: Court, year: int, kind: str, seq: int) -> str:
    word = "执恢" if kind == CaseKind.RESTORED else "执"
    return f"({year}){court.code}{word}{seq}号"


_FULL_WIDTH_PARENS = str.maketrans({"（": "(", "）": ")"})


def parse_given_number(number: str, *, court: Court, year: int) -> int:
    """The sequence of a number given at filing, which must be in the filing court's own series and
    year (SPEC §13 "Case numbers"): ``(2026)豫03执123号`` for 洛阳中院 in 2026. Anything else is
    refused without looking it up, so the answer never tells whether another court has the number."""
    normalized = number.strip().translate(_FULL_WIDTH_PARENS)
    prefix = f"({year}){court.code}执"
    digits = normalized[len(prefix) : -1] if normalized.startswith(prefix) and normalized.endswith("号") else ""
    if not (digits.isascii() and digits.isdigit() and not digits.startswith("0")):
        example = format_case_number(court, year, CaseKind.FIRST, 123)
        raise InvalidInput(
            {
                "number": [
                    gettext("案号须为本院（%(code)s）%(year)s年度的执行案号，如 %(example)s。")
                    % {"code": court.code, "year": year, "example": example}
                ]
            },
            code="case_number_not_in_series",
        )
    return int(digits)


def _luhn_digit(digits: str) -> str:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        n = int(ch)
        if i % 2 == 0:
            n *= 2
            n = n - 9 if n > 9 else n
        total += n
    return str((10 - total % 10) % 10)


def _new_account_no(court: Court) -> str:
    """One case, one account [004 §19]: a unique sub-account number with a check digit."""
    n = _next_number(court, 0, "account")
    body = f"{ACCOUNT_BANK_PREFIX}{court.pk:05d}{n:09d}"
    return body + _luhn_digit(body)


def _snapshot(case: Case) -> dict:
    return {"status": case.status, "closure": case.closure, "judge": case.judge_id, "track": case.track}


# --- file ----------------------------------------------------------------------------------


def _validate_filing(data: FilingData) -> None:
    errors: dict[str, list[str]] = {}
    if data.claim_amount is None or data.claim_amount <= 0:
        errors["claim_amount"] = ["申请执行标的须大于零。"]
    if not data.basis.strip():
        errors["basis"] = ["请填写执行依据。"]
    roles = [p.role for p in data.parties]
    if PartyRole.APPLICANT not in roles:
        errors.setdefault("parties", []).append("至少需要一名申请执行人。")
    if PartyRole.RESPONDENT not in roles:
        errors.setdefault("parties", []).append("至少需要一名被执行人。")
    pa = data.payee_account
    if not (pa.bank.strip() and pa.account_no.strip() and pa.holder.strip()):
        # [004 §20] 立案时须确认申请执行人的收款账户。
        errors["payee_account"] = ["立案时须登记申请执行人的收款账户（开户行、账号、户名）。"]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def case_file(
    *,
    actor: User,
    data: FilingData,
    court: Court | None = None,
    number: str | None = None,
    filed_at: datetime | None = None,
) -> Case:
    _require_role(actor, Role.FILING_CLERK, Role.ADMIN)
    court = court or actor.court
    if court is None:
        raise InvalidInput({"court": [gettext("请指定立案法院。")]})
    _require_court(actor, court.pk)
    if court.pk != actor.court_id and not actor.is_superuser:
        raise PermissionDenied(gettext("只能在本院立案。"))
    _validate_filing(data)
    filed_at = resolve_occurred_at(filed_at, previous=None, field="filed_at")
    if data.basis_effective_on and data.basis_effective_on > timezone.localdate(filed_at):
        # A basis is enforced once it is in force: it cannot take effect after the filing.
        raise InvalidInput({"basis_effective_on": [gettext("执行依据生效日期不能晚于立案日期。")]})
    year = timezone.localtime(filed_at).year
    if number:
        seq = parse_given_number(number, court=court, year=year)
        number = format_case_number(court, year, CaseKind.FIRST, seq)
        _counter(court, year, CaseKind.FIRST)  # the series' lock: an automatic filing waits for this one
        if Case.objects.filter(number=number).exists():
            raise InvalidInput({"number": [gettext("该案号已存在。")]}, code="case_number_taken")
    else:
        seq = _next_case_seq(court, year, CaseKind.FIRST)
        number = format_case_number(court, year, CaseKind.FIRST, seq)
    gov = data.flags.government_organ_debtor or any(
        p.government_organ for p in data.parties if p.role == PartyRole.RESPONDENT
    )
    case = Case(
        court=court,
        number=number,
        year=year,
        seq=seq,
        kind=CaseKind.FIRST,
        basis=data.basis.strip(),
        basis_kind=data.basis_kind,
        cause=data.cause.strip(),
        basis_issuer=data.basis_issuer.strip(),
        basis_effective_on=data.basis_effective_on,
        claim_amount=data.claim_amount,
        filed_by=actor,
        filed_at=filed_at,
        last_event_at=filed_at,
        payee_bank=data.payee_account.bank.strip(),
        payee_account_no=data.payee_account.account_no.strip(),
        payee_holder=data.payee_account.holder.strip(),
        payee_method=data.payee_account.method,
        account_no=_new_account_no(court),
        government_organ_debtor=gov,
        livelihood=data.flags.livelihood,
        four_kinds=data.flags.four_kinds,
        priority_party=data.flags.priority_party or any(p.protected for p in data.parties),
    )
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError as exc:
        raise InvalidInput({"number": [gettext("该案号已存在。")]}, code="case_number_taken") from exc
    Party.objects.bulk_create([Party(case=case, **p.__dict__) for p in data.parties])
    audit_record(
        actor=actor,
        action=events.CASE_FILE,
        obj=case,
        court=court,
        case_id=case.pk,
        occurred_at=filed_at,
        after={
            "number": case.number,
            "status": case.status,
            "claim_amount": case.claim_amount,
            "account_no": case.account_no,
            "parties": [p.name for p in data.parties],
        },
    )
    _on_lifecycle(case, "file", filed_at, actor)
    return case


# --- transitions ---------------------------------------------------------------------------


@transaction.atomic
def case_receive(*, case: Case, actor: User, occurred_at: datetime | None = None) -> Case:
    _require_role(actor, Role.BUREAU_CLERK, Role.BUREAU_HEAD)
    case = _lock(case)
    _require_court(actor, case.court_id)
    _ensure_can(case, case.receive, "移送执行局")
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    before = _snapshot(case)
    case.receive()
    case.received_at = case.last_event_at = at
    case.save(update_fields=["status", "received_at", "last_event_at", "updated_at"])
    audit_record(
        actor=actor,
        action=events.CASE_RECEIVE,
        obj=case,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(case),
    )
    _on_lifecycle(case, "receive", at, actor)
    return case


ASSIGNABLE_STATES = (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)


@transaction.atomic
def case_assign(*, case: Case, actor: User, judge: User, occurred_at: datetime | None = None, reason: str = "") -> Case:
    _require_role(actor, Role.BUREAU_CLERK, Role.BUREAU_HEAD)
    case = _lock(case)
    _require_court(actor, case.court_id)
    if case.status not in ASSIGNABLE_STATES:
        raise Conflict(gettext("案件当前状态为“%(value)s”，不能指定承办法官。") % {"value": case.get_status_display()})
    if case.status != CaseStatus.RECEIVED and not actor.has_role(Role.BUREAU_HEAD):
        raise PermissionDenied(gettext("案件已由法官承办，变更承办法官须由执行局长决定。"))
    if judge.court_id != case.court_id or not judge.has_role(Role.POST_JUDGE) or not judge.is_active:
        raise InvalidInput({"judge": [gettext("承办法官须为本院在职员额法官。")]})
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    before = _snapshot(case)
    case.judge = judge
    case.last_event_at = at
    case.save(update_fields=["judge", "last_event_at", "updated_at"])
    audit_record(
        actor=actor,
        action=events.CASE_ASSIGN,
        obj=case,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(case),
        reason=reason,
    )
    _on_lifecycle(case, "assign", at, actor)
    return case


@transaction.atomic
def case_accept(*, case: Case, actor: User, occurred_at: datetime | None = None) -> Case:
    case = _lock(case)
    _require_court(actor, case.court_id)
    _ensure_can(case, case.accept, "接收")
    if case.judge_id is None:
        raise Conflict(gettext("尚未指定承办法官，不能接收。"), code="judge_not_assigned")
    _ensure_judge(actor, case)
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    before = _snapshot(case)
    case.accept()
    case.accepted_at = case.last_event_at = at
    case.save(update_fields=["status", "accepted_at", "last_event_at", "updated_at"])
    audit_record(
        actor=actor,
        action=events.CASE_ACCEPT,
        obj=case,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(case),
    )
    _on_lifecycle(case, "accept", at, actor)
    return case


@transaction.atomic
def case_suspend(
    *,
    case: Case,
    actor: User,
    reason: str,
    ground: str = SuspensionGround.SUSPENSION,
    approved_by: User | None = None,
    occurred_at: datetime | None = None,
) -> Case:
    case = _lock(case)
    _require_court(actor, case.court_id)
    _ensure_can(case, case.suspend, "中止/暂缓")
    _ensure_judge(actor, case)
    if not reason.strip():
        raise InvalidInput({"reason": [gettext("请填写中止/暂缓的理由。")]})
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    # SPEC §6.1 suspend: judge (+ approval) — the bureau head's, never the judge's own (SPEC §12),
    # asked for through an approval request (SPEC §11a) and used here once.
    approved_by = approval_in_hand(case=case, kind=ApprovalKind.SUSPENSION, actor=actor, at=at,
                                   approved_by=approved_by, what="中止/暂缓执行")
    before = _snapshot(case)
    case.suspend()
    case.last_event_at = at
    case.save(update_fields=["status", "last_event_at", "updated_at"])
    stop = ClockStop.objects.create(
        case=case, ground=ground, reason=reason.strip(), started_at=at, started_by=actor, approved_by=approved_by
    )
    audit_record(
        actor=actor,
        action=events.CASE_SUSPEND,
        obj=case,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after={**_snapshot(case), "ground": ground, "approved_by": approved_by.pk if approved_by else None},
        reason=reason,
    )
    _on_lifecycle(case, "suspend", at, actor, stop=stop)
    return case


@transaction.atomic
def case_resume(*, case: Case, actor: User, occurred_at: datetime | None = None, reason: str = "") -> Case:
    case = _lock(case)
    _require_court(actor, case.court_id)
    _ensure_can(case, case.resume, "恢复")
    _ensure_judge(actor, case)
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    before = _snapshot(case)
    case.resume()
    case.last_event_at = at
    case.save(update_fields=["status", "last_event_at", "updated_at"])
    stop = case.clock_stops.filter(ended_at__isnull=True).order_by("-started_at").first()
    if stop:
        stop.ended_at = at
        stop.save(update_fields=["ended_at"])
    audit_record(
        actor=actor,
        action=events.CASE_RESUME,
        obj=case,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after=_snapshot(case),
        reason=reason,
    )
    _on_lifecycle(case, "resume", at, actor, stop=stop)
    return case


@transaction.atomic
def case_close(*, case: Case, actor: User, closure: str, reason: str = "", occurred_at: datetime | None = None) -> Case:
    case = _lock(case)
    _require_court(actor, case.court_id)
    _ensure_can(case, case.close, "结案")
    _ensure_judge(actor, case)
    if closure not in Closure.values:
        raise InvalidInput({"closure": [gettext("结案方式无效。")]})
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    guards, used = Guards(), []
    for v in rules.run_close_guards(case, closure, at):
        if v.code not in rules.OVERRIDABLE:
            guards.add(v)
        # SPEC §7: an overridable guard passes once with the bureau head's approval, used up here.
        elif approval_use(case_id=case.pk, court_id=case.court_id, kind=ApprovalKind.OVERRIDE, actor=actor, at=at,
                          code=v.code) is None:
            guards.add(offer(v, ApprovalKind.OVERRIDE))
        else:
            used.append(v.code)
    guards.raise_if_any()
    used.sort()
    before = _snapshot(case)
    case.close(closure=closure)
    case.closed_at = case.last_event_at = at
    case.save(update_fields=["status", "closure", "closed_at", "last_event_at", "updated_at"])
    audit_record(actor=actor, action=events.CASE_CLOSE, obj=case, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before, after={**_snapshot(case), "overrides": used},
                 reason=reason)
    _on_lifecycle(case, "close", at, actor)
    return case


@transaction.atomic
def case_restore(
    *,
    case: Case,
    actor: User,
    reason: str = "",
    claim_amount: Decimal | None = None,
    occurred_at: datetime | None = None,
) -> Case:
    """Restoration of a terminated-round case: a new linked case of kind "restored" (SPEC §6.1)."""
    case = _lock(case)
    _require_court(actor, case.court_id)
    if case.status != CaseStatus.CLOSED or case.closure != Closure.TERMINATED_ROUND:
        raise Conflict(gettext("只有以终结本次执行程序方式结案的案件可以恢复执行。"))
    if Case.objects.filter(restored_from=case).exists():
        raise Conflict(gettext("该案件已经恢复执行。"), code="already_restored")
    _ensure_judge(actor, case)
    if claim_amount is not None and claim_amount <= 0:
        raise InvalidInput({"claim_amount": [gettext("申请执行标的须大于零。")]})
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    year = timezone.localtime(at).year
    seq = _next_case_seq(case.court, year, CaseKind.RESTORED)
    new = Case.objects.create(
        court=case.court,
        number=format_case_number(case.court, year, CaseKind.RESTORED, seq),
        year=year,
        seq=seq,
        kind=CaseKind.RESTORED,
        restored_from=case,
        basis=case.basis,
        basis_kind=case.basis_kind,
        claim_amount=claim_amount or case.claim_amount,
        filed_by=actor,
        filed_at=at,
        last_event_at=at,
        payee_bank=case.payee_bank,
        payee_account_no=case.payee_account_no,
        payee_holder=case.payee_holder,
        payee_method=case.payee_method,
        account_no=_new_account_no(case.court),
        government_organ_debtor=case.government_organ_debtor,
        livelihood=case.livelihood,
        four_kinds=case.four_kinds,
        priority_party=case.priority_party,
        track=Track.UNASSIGNED,
    )
    Party.objects.bulk_create(
        [
            Party(
                case=new,
                role=p.role,
                name=p.name,
                kind=p.kind,
                id_number=p.id_number,
                phone=p.phone,
                legal_representative=p.legal_representative,
                government_organ=p.government_organ,
                protected=p.protected,
                protected_until=p.protected_until,
            )
            for p in case.parties.all()
        ]
    )
    audit_record(
        actor=actor,
        action=events.CASE_RESTORE,
        obj=case,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        after={"restored_as": new.pk, "number": new.number},
        reason=reason,
    )
    audit_record(
        actor=actor,
        action=events.CASE_FILE,
        obj=new,
        court=new.court_id,
        case_id=new.pk,
        occurred_at=at,
        after={
            "number": new.number,
            "status": new.status,
            "kind": new.kind,
            "restored_from": case.number,
            "account_no": new.account_no,
        },
        reason=reason,
    )
    _on_lifecycle(case, "restore", at, actor, new_case=new)
    _on_lifecycle(new, "file", at, actor)
    return new


# --- milestones ----------------------------------------------------------------------------

JUDGE_MILESTONES = {
    MilestoneKind.NOTICE_SENT,
    MilestoneKind.QUERY_INITIATED,
    MilestoneKind.QUERY_FEEDBACK,
    MilestoneKind.CREDITOR_INFORMED,
    MilestoneKind.TRACK_SIMPLE,
    MilestoneKind.TRACK_NORMAL,
}


@transaction.atomic
def case_record_milestone(
    *, case: Case, actor: User, kind: str, occurred_at: datetime | None = None, note: str = ""
) -> Milestone:
    case = _lock(case)
    _require_court(actor, case.court_id)
    if kind in ("complaint_received", "complaint_answered"):
        # SPEC §11: each complaint is its own record with its own clock (cases.complaints).
        raise InvalidInput(
            {"kind": [gettext("当事人投诉请在“当事人投诉”中逐件登记和答复（每件投诉单独计算答复期限）。")]}
        )
    if kind not in MilestoneKind.values:
        raise InvalidInput({"kind": [gettext("节点类型无效。")]})
    if case.status not in (CaseStatus.IN_PROGRESS, CaseStatus.RECEIVED):
        raise Conflict(gettext("案件当前状态为“%(value)s”，不能记录节点。") % {"value": case.get_status_display()})
    # Officers record what the judge assigned them; only the judge decides (e.g. triage) [001].
    if kind in (MilestoneKind.TRACK_SIMPLE, MilestoneKind.TRACK_NORMAL) or not actor.has_role(Role.OFFICER):
        _ensure_judge(actor, case)
    at = resolve_occurred_at(occurred_at, previous=case.last_event_at)
    m = Milestone.objects.create(case=case, kind=kind, occurred_at=at, recorded_by=actor, note=note)
    fields = ["last_event_at", "updated_at"]
    before = _snapshot(case)
    if kind == MilestoneKind.TRACK_SIMPLE:
        case.track = Track.SIMPLE
        fields.append("track")
    elif kind == MilestoneKind.TRACK_NORMAL:
        case.track = Track.NORMAL
        fields.append("track")
    case.last_event_at = at
    case.save(update_fields=fields)
    audit_record(
        actor=actor,
        action=events.milestone(kind),
        obj=case,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        before=before,
        after={**_snapshot(case), "milestone": kind},
        reason=note,
    )
    _on_lifecycle(case, f"milestone:{kind}", at, actor, milestone=m)
    return m


# --- lifecycle hooks -----------------------------------------------------------------------

_lifecycle_listeners: list = []


def on_case_lifecycle(fn):
    """Register fn(case, event, at, actor, **extra), called inside the acting transaction.

    The legal clock (deadlines) listens here to start, meet, stop and cancel deadlines.
    """
    _lifecycle_listeners.append(fn)
    return fn


def _on_lifecycle(case: Case, event: str, at: datetime, actor: User, **extra) -> None:
    for fn in _lifecycle_listeners:
        fn(case, event, at, actor, **extra)


# --- triage: simple cases that overrun convert to normal (SPEC §6.1, [004 §7]) ---------------

SIMPLE_TRACK_DAYS = 30  # SPEC §6.1: a simple case not closed in the set period (default 30 days)


@transaction.atomic
def case_convert_simple_to_normal(*, case: Case, now: datetime | None = None) -> Case | None:
    """Move one simple-track case that has overrun its period to the normal track; audited as the
    system's act. Returns None if the case no longer qualifies (closed, re-triaged, not yet due)."""
    case = _lock(case)
    now = now or timezone.now()
    if case.track != Track.SIMPLE or case.status == CaseStatus.CLOSED:
        return None
    triaged = case.milestones.filter(kind=MilestoneKind.TRACK_SIMPLE).order_by("-occurred_at").first()
    since = triaged.occurred_at if triaged else case.filed_at
    if now - since < timedelta(days=SIMPLE_TRACK_DAYS):
        return None
    before = _snapshot(case)
    case.track = Track.NORMAL
    case.save(update_fields=["track", "updated_at"])
    audit_record(
        actor=None,
        action=events.CASE_TRACK_CONVERT,
        obj=case,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=now,
        before=before,
        after=_snapshot(case),
        reason=f"简案自分流之日起 {SIMPLE_TRACK_DAYS} 日内未结案，自动转为繁案",
    )
    return case


def cases_convert_overdue_simple(*, now: datetime | None = None) -> int:
    """The daily sweep: every simple-track case past its period, each in its own transaction."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=SIMPLE_TRACK_DAYS)
    candidates = (
        Case.objects.filter(track=Track.SIMPLE)
        .exclude(status=CaseStatus.CLOSED)
        .filter(milestones__kind=MilestoneKind.TRACK_SIMPLE, milestones__occurred_at__lte=cutoff)
        .values_list("pk", flat=True)
        .distinct()
    )
    return sum(1 for pk in candidates if case_convert_simple_to_normal(case=Case(pk=pk), now=now) is not None)
