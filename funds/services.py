"""Every write on case funds (SPEC §6.3). One function per act: role + court, guards, FSM transition,
ledger postings, legal clock, audit event — in one transaction.

Lock order, everywhere: receipt row → case row → disbursement row. The case row is the lock of the
case account: every movement of a case's money serialises on it, so a balance checked is the
balance posted against.

The clocks [004 §22]: funds becoming payable on a case (identified on arrival, or matched later)
start FUNDS_NOTICE and, where a local rule set has it, FUNDS_OUT — both on the *receipt*: the
notice is due 10 working days after *that money* arrived, and it is met once no part of it waits
for a notice; FUNDS_OUT is met once no payable part of it remains unpaid. A payment notice starts
FUNDS_PAY on the *disbursement*. A hold stops that disbursement's running clocks by cancelling
them (the money is lawfully deferred [004 §22 第二款]); when the cause ends the disbursement goes
back to ``pending`` and FUNDS_HELD_OUT (10 days [001]) runs until it is paid.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from cases.models import Case, CaseStatus, Party, PartyRole
from cases.services import _ensure_judge, _require_court, _require_role
from deadlines.services import Subject, deadline_meet, deadlines_cancel, deadlines_on_event
from enforcement.audit import audit_record
from enforcement.errors import Conflict, Guards, InvalidInput, PermissionDenied
from enforcement.models import Court, Role, User
from enforcement.notifications import notify
from enforcement.selectors import court_ids_visible_to
from enforcement.timeutil import CLOCK_SKEW, resolve_occurred_at

from . import ledger
from .models import (
    ZERO,
    Disbursement,
    DisbursementStatus,
    HoldGround,
    PayeeChange,
    PayeeChangeStatus,
    PaymentKey,
    Receipt,
    ReceiptStatus,
)

CENT = Decimal("0.01")
FEED_ROLES = (Role.FINANCE, Role.ADMIN)  # the bank feed posts as a finance or admin account


# --- helpers -------------------------------------------------------------------------------

def _lock_case(case_id: int) -> Case:
    return Case.objects.select_for_update(of=("self",)).select_related("court", "judge").get(pk=case_id)


def _lock_disbursement(d: Disbursement) -> tuple[Case, Disbursement]:
    case = _lock_case(d.case_id)
    d = Disbursement.objects.select_for_update(of=("self",)).select_related("receipt", "party").get(pk=d.pk)
    return case, d


def _ensure_can(d: Disbursement, method, label: str) -> None:
    from django_fsm import can_proceed

    if not can_proceed(method):
        raise Conflict(f"该笔案款当前状态为“{d.get_status_display()}”，不能{label}。")


def _receipt_subject(r: Receipt) -> Subject:
    return Subject("receipt", r.pk, r.case_id, r.court_id)


def _disbursement_subject(d: Disbursement) -> Subject:
    return Subject("disbursement", d.pk, d.case_id, d.case.court_id)


def _snapshot(d: Disbursement) -> dict:
    return {"status": d.status, "amount": d.amount}


def _bureau_head_of(user: User | None, case: Case, field: str) -> None:
    if user is not None and (user.court_id != case.court_id or not user.has_role(Role.BUREAU_HEAD)
                             or not user.is_active):
        raise InvalidInput({field: ["审批人须为本院执行局长。"]})


def _finance_users(court_id: int):
    return User.objects.filter(court_id=court_id, is_active=True, role_rows__role=Role.FINANCE).distinct()


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value)).quantize(CENT) if not isinstance(value, Decimal) else value
    except ArithmeticError as exc:
        raise InvalidInput({field: ["金额格式无效。"]}) from exc
    if amount != amount.quantize(CENT):
        raise InvalidInput({field: ["金额最多两位小数。"]})
    if amount <= ZERO:
        raise InvalidInput({field: ["金额须大于零。"]})
    return amount


def _sync_receipt_clocks(receipt: Receipt, at: datetime, actor: User | None) -> None:
    """Meet or cancel the receipt-level clocks once nothing of that money waits for them."""
    ds = list(Disbursement.objects.filter(receipt=receipt).only("status", "amount"))
    unallocated = receipt.amount - sum((d.amount for d in ds), ZERO)
    states = {d.status for d in ds}
    subject = _receipt_subject(receipt)
    if unallocated == ZERO and DisbursementStatus.PENDING not in states:
        if states & {DisbursementStatus.NOTIFIED, DisbursementStatus.PAID}:
            deadline_meet(node="FUNDS_NOTICE", subject=subject, at=at, actor=actor)
        else:
            deadlines_cancel(subject=subject, at=at, actor=actor, nodes=["FUNDS_NOTICE"],
                             reason="该笔案款已全部暂缓发放/提存")
    if unallocated == ZERO and not states & {DisbursementStatus.PENDING, DisbursementStatus.NOTIFIED}:
        if DisbursementStatus.PAID in states:
            deadline_meet(node="FUNDS_OUT", subject=subject, at=at, actor=actor)
        else:
            deadlines_cancel(subject=subject, at=at, actor=actor, nodes=["FUNDS_OUT"],
                             reason="该笔案款已全部暂缓发放/提存")


def _create_disbursement(*, case: Case, receipt: Receipt, party: Party | None, amount: Decimal, sequence: int,
                         at: datetime, actor: User | None) -> Disbursement:
    d = Disbursement.objects.create(case=case, receipt=receipt, party=party, amount=amount, sequence=sequence,
                                    created_at=at, last_event_at=at)
    ledger.move(kind="allocate", amount=amount, from_account=ledger.case_account(case.pk, "unallocated"),
                to_account=ledger.case_account(case.pk, "pending"), court_id=case.court_id, case_id=case.pk,
                receipt_id=receipt.pk, disbursement_id=d.pk, actor=actor, at=at,
                memo=f"分配给{party.name if party else '申请执行人'}")
    audit_record(actor=actor, action="disbursement.create", obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, after={"receipt": receipt.pk, "party": party.pk if party else None,
                                        "amount": amount, "sequence": sequence, "status": d.status})
    return d


def _became_payable(receipt: Receipt, case: Case, at: datetime, actor: User | None) -> None:
    """Money identified to a case: start its clocks; a single creditor gets it at once."""
    deadlines_on_event(event="funds.arrived", at=at, subject=_receipt_subject(receipt), court=case.court,
                       actor=actor, responsible=case.judge)
    applicants = list(case.parties.filter(role=PartyRole.APPLICANT).order_by("id"))
    if len(applicants) == 1:
        _create_disbursement(case=case, receipt=receipt, party=applicants[0], amount=receipt.amount, sequence=1,
                             at=at, actor=actor)
    # Several creditors: the money stays unallocated until the judge decides the order (receipt_allocate).
    if case.judge_id:
        notify(recipients=[case.judge], kind="funds.arrived", case_id=case.pk,
               title=f"{case.number} 案款到账 ¥{receipt.amount:,.2f}",
               body="请在案款到账后 10 个工作日内向财务部门发出支付案款通知（[004 §22]）。")


# --- receipts --------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReceiptData:
    bank_txn_id: str
    account_no: str
    amount: Decimal
    payer: str
    received_at: datetime


def _validate_receipt(data: ReceiptData) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if not data.bank_txn_id.strip():
        errors["bank_txn_id"] = ["请填写银行流水号。"]
    elif len(data.bank_txn_id.strip()) > 64:
        errors["bank_txn_id"] = ["银行流水号最长 64 位。"]
    if not data.account_no.strip() or len(data.account_no.strip()) > 40:
        errors["account_no"] = ["请填写入账账号（最长 40 位）。"]
    if data.amount is None or data.amount <= ZERO:
        errors["amount"] = ["金额须大于零。"]
    elif data.amount != data.amount.quantize(CENT) or data.amount >= Decimal("1e14"):
        errors["amount"] = ["金额最多两位小数、十四位整数。"]
    if not data.payer.strip():
        errors["payer"] = ["请填写付款人。"]
    if data.received_at is None:
        errors["received_at"] = ["请填写到账时间。"]
    elif timezone.is_naive(data.received_at):
        errors["received_at"] = ["到账时间须带时区，或使用 YYYY-MM-DD HH:MM（北京时间）。"]
    elif data.received_at > timezone.now() + CLOCK_SKEW:
        errors["received_at"] = ["到账时间不能晚于当前时间。"]
    return errors


def _receipt_court(actor: User | None, court: Court | None) -> Court:
    court = court or (actor.court if actor else None)
    if court is None:
        raise InvalidInput({"court": ["请指定收款法院。"]})
    if actor is not None:
        _require_court(actor, court.pk)
    return court


def _record(*, actor: User | None, data: ReceiptData, court: Court) -> tuple[Receipt, bool]:
    txn = data.bank_txn_id.strip()
    account_no = data.account_no.strip()
    cases = Case.objects.filter(account_no=account_no)
    if actor is not None:
        cases = cases.filter(court_id__in=court_ids_visible_to(actor))
    case = cases.first()
    receipt = Receipt(
        court_id=case.court_id if case else court.pk, bank_txn_id=txn, account_no=account_no, amount=data.amount,
        payer=data.payer.strip(), received_at=data.received_at, case=case, recorded_by=actor,
        status=ReceiptStatus.IDENTIFIED if case else ReceiptStatus.UNIDENTIFIED,
    )
    try:
        with transaction.atomic():  # INSERT … ON CONFLICT: a second delivery of one bank transaction
            receipt.save()
    except IntegrityError:
        existing = Receipt.objects.filter(bank_txn_id=txn).first()
        if existing is None:  # pragma: no cover - some other constraint failed
            raise
        if existing.amount != data.amount or existing.account_no != account_no:
            raise Conflict(f"银行流水号 {txn} 已入账，但金额或账号与本次不一致，请核对银行流水。",
                           code="bank_txn_conflict") from None
        return existing, False
    at = data.received_at
    bank = ledger.bank_account(receipt.court_id)
    if case is not None:
        case = _lock_case(case.pk)
        ledger.post(kind="receipt", court_id=case.court_id, case_id=case.pk, receipt_id=receipt.pk, actor=actor,
                    at=at, memo=f"{receipt.payer} 流水 {txn}",
                    lines=[ledger.Line(bank, debit=receipt.amount),
                           ledger.Line(ledger.case_account(case.pk, "unallocated"), credit=receipt.amount)])
    else:
        ledger.post(kind="receipt", court_id=receipt.court_id, receipt_id=receipt.pk, actor=actor, at=at,
                    memo=f"不明款 {receipt.payer} 流水 {txn}",
                    lines=[ledger.Line(bank, debit=receipt.amount),
                           ledger.Line(ledger.unidentified_account(receipt.court_id), credit=receipt.amount)])
    audit_record(actor=actor, action="receipt.record", obj=receipt, court=receipt.court_id,
                 case_id=receipt.case_id, occurred_at=at,
                 after={"bank_txn_id": txn, "account_no": account_no, "amount": receipt.amount,
                        "payer": receipt.payer, "status": receipt.status})
    if case is not None:
        _became_payable(receipt, case, at, actor)
    return receipt, True


@transaction.atomic
def receipt_record(*, actor: User | None, data: ReceiptData, court: Court | None = None) -> tuple[Receipt, bool]:
    """Record one bank credit (bank feed). The same ``bank_txn_id`` twice records once: the second call
    returns the existing receipt and ``created=False``. ``actor=None`` is the console import."""
    if actor is not None:
        _require_role(actor, *FEED_ROLES)
    errors = _validate_receipt(data)
    if errors:
        raise InvalidInput(errors)
    return _record(actor=actor, data=data, court=_receipt_court(actor, court))


STATEMENT_COLUMNS = ("bank_txn_id", "account_no", "amount", "payer", "received_at")


def _decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    for encoding in ("utf-8-sig", "gb18030"):  # Chinese banks still export GBK
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InvalidInput({"file": ["无法识别文件编码，请使用 UTF-8 或 GBK 编码的 CSV 文件。"]})


def parse_statement(content: bytes | str) -> list[tuple[int, ReceiptData]]:
    """Parse and validate a whole CSV statement; any bad row → 400 listing every bad line, nothing parsed."""
    from django.utils.dateparse import parse_date, parse_datetime

    text = _decode(content)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in STATEMENT_COLUMNS if c not in header]
    if missing:
        raise InvalidInput({"file": [f"CSV 缺少列：{', '.join(missing)}（第 1 行须为列名："
                                     f"{','.join(STATEMENT_COLUMNS)}）。"]})
    rows: list[tuple[int, ReceiptData]] = []
    problems: list[tuple[int, str]] = []
    seen: dict[str, tuple[int, ReceiptData]] = {}
    for raw in reader:
        line = reader.line_num
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items() if k is not None}
        if not any(row.values()):
            continue
        errors: list[str] = []
        try:
            amount = Decimal(row["amount"].replace(",", ""))
            if not amount.is_finite():
                raise ArithmeticError
        except ArithmeticError:
            amount = None
            errors.append("amount：金额格式无效")
        value = row["received_at"]
        try:
            when = parse_datetime(value) or (
                datetime.combine(d, datetime.min.time()) if (d := parse_date(value)) else None)
        except ValueError:
            when = None
        if when is None:
            errors.append("received_at：到账时间格式应为 YYYY-MM-DD HH:MM[:SS]")
        elif timezone.is_naive(when):
            when = timezone.make_aware(when)
        data = ReceiptData(bank_txn_id=row["bank_txn_id"], account_no=row["account_no"],
                           amount=amount if amount is not None else Decimal("1"), payer=row["payer"],
                           received_at=when or timezone.now())
        errors += [f"{k}：{m}" for k, msgs in _validate_receipt(data).items() for m in msgs
                   if not (k == "amount" and amount is None) and not (k == "received_at" and when is None)]
        if not errors and data.bank_txn_id in seen:
            first_line, first = seen[data.bank_txn_id]
            if (first.amount, first.account_no) != (data.amount, data.account_no):
                errors.append(f"bank_txn_id：与第 {first_line} 行流水号相同但金额或账号不同")
            else:
                continue  # the same transaction listed twice records once
        if errors:
            problems.append((line, "；".join(errors)))
            continue
        seen[data.bank_txn_id] = (line, data)
        rows.append((line, data))
    if problems:
        raise InvalidInput(
            {"file": [f"第 {line} 行：{msg}" for line, msg in problems],
             "lines": [str(line) for line, _ in problems]},
            detail=f"银行流水有 {len(problems)} 行有误，未导入任何记录。",
        )
    if not rows and not seen:
        raise InvalidInput({"file": ["文件中没有流水记录。"]})
    return rows


@dataclass(frozen=True)
class ImportResult:
    created: int
    duplicates: int
    unidentified: int


@transaction.atomic
def statement_import(*, actor: User | None, content: bytes | str, court: Court | None = None) -> ImportResult:
    """Import a bank statement (API upload, ``manage.py import_statement``, admin upload).

    All or nothing: a bad row, or a row contradicting an already recorded transaction, writes
    nothing. Importing the same statement twice changes nothing.
    """
    if actor is not None:
        _require_role(actor, *FEED_ROLES)
    rows = parse_statement(content)
    court = _receipt_court(actor, court)
    created = duplicates = unidentified = 0
    conflicts: list[tuple[int, str]] = []
    for line, data in rows:
        try:
            receipt, new = _record(actor=actor, data=data, court=court)
        except Conflict as exc:
            conflicts.append((line, exc.detail))
            continue
        created += new
        duplicates += not new
        unidentified += new and receipt.status == ReceiptStatus.UNIDENTIFIED
    if conflicts:
        transaction.set_rollback(True)
        raise InvalidInput(
            {"file": [f"第 {line} 行：{msg}" for line, msg in conflicts],
             "lines": [str(line) for line, _ in conflicts]},
            detail=f"银行流水有 {len(conflicts)} 行与已入账记录矛盾，未导入任何记录。",
        )
    if actor is not None or created:
        audit_record(actor=actor, action="statement.import", object_type="funds.statement", object_id=court.pk,
                     court=court.pk, after={"created": created, "duplicates": duplicates,
                                            "unidentified": unidentified})
    return ImportResult(created, duplicates, unidentified)


def find_case_for_match(ref: str | int) -> Case | None:
    ref = str(ref).strip()
    if ref.isascii() and ref.isdigit():
        return Case.objects.filter(pk=int(ref)).first()
    return Case.objects.filter(number=ref).first()


@transaction.atomic
def receipt_match(*, receipt: Receipt, actor: User, case: Case | str | int,
                  occurred_at: datetime | None = None) -> Receipt:
    """A finance officer identifies unidentified money as a case's (SPEC §6.3); its clocks start now."""
    _require_role(actor, Role.FINANCE, Role.ADMIN)
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    _require_court(actor, receipt.court_id)
    if receipt.status != ReceiptStatus.UNIDENTIFIED:
        raise Conflict("该款项已认领，不能再次认领。")
    target = case if isinstance(case, Case) else find_case_for_match(case)
    visible = court_ids_visible_to(actor)
    if target is None or not Case.objects.filter(pk=target.pk, court_id__in=visible).exists():
        raise InvalidInput({"case": ["未找到该案件，请核对案号。"]})
    if target.court_id != receipt.court_id:
        raise InvalidInput({"case": ["该案件不属于本笔款项的收款法院。"]})
    at = resolve_occurred_at(occurred_at, previous=receipt.received_at)
    case = _lock_case(target.pk)
    receipt.match()
    receipt.case, receipt.matched_by, receipt.matched_at = case, actor, at
    receipt.save(update_fields=["status", "case", "matched_by", "matched_at"])
    ledger.move(kind="match", amount=receipt.amount, from_account=ledger.unidentified_account(receipt.court_id),
                to_account=ledger.case_account(case.pk, "unallocated"), court_id=case.court_id, case_id=case.pk,
                receipt_id=receipt.pk, actor=actor, at=at, memo=f"不明款认领 流水 {receipt.bank_txn_id}")
    audit_record(actor=actor, action="receipt.match", obj=receipt, court=receipt.court_id, case_id=case.pk,
                 occurred_at=at, before={"status": ReceiptStatus.UNIDENTIFIED},
                 after={"status": receipt.status, "case": case.pk, "number": case.number})
    # SPEC §4: FUNDS_NOTICE runs from when the funds are payable — for unidentified money, the match.
    _became_payable(receipt, case, at, actor)
    return receipt


@transaction.atomic
def receipt_allocate(*, receipt: Receipt, actor: User, allocations: list[tuple[Party, Decimal]],
                     occurred_at: datetime | None = None) -> list[Disbursement]:
    """Several creditors: the judge decides the order and amounts; priority parties first [000 §6]."""
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.case_id is None:
        raise Conflict("不明款须先认领到案件，才能分配。", code="receipt_unidentified")
    case = _lock_case(receipt.case_id)
    _require_court(actor, case.court_id)
    _ensure_judge(actor, case)
    if case.status == CaseStatus.CLOSED:
        raise Conflict("案件已结案。")
    allocated = sum((d.amount for d in Disbursement.objects.filter(receipt=receipt)), ZERO)
    remaining = receipt.amount - allocated
    errors: dict[str, list[str]] = {}
    if not allocations:
        errors["allocations"] = ["请至少分配给一名申请执行人。"]
    parties = [p for p, _ in allocations]
    if any(p.case_id != case.pk or p.role != PartyRole.APPLICANT for p in parties):
        errors.setdefault("allocations", []).append("只能分配给本案的申请执行人。")
    if len({p.pk for p in parties}) != len(parties):
        errors.setdefault("allocations", []).append("同一申请执行人不能重复分配。")
    amounts = []
    for _, amount in allocations:
        try:
            amounts.append(_money(amount, "allocations"))
        except InvalidInput as exc:
            errors.setdefault("allocations", []).extend(exc.errors["allocations"])
    if amounts and sum(amounts, ZERO) != remaining:
        errors.setdefault("allocations", []).append(f"分配金额合计须等于待分配金额 ¥{remaining:,.2f}。")
    protected = [p.protected for p in parties]
    if protected != sorted(protected, reverse=True):
        # [000 §6] 优先保障当事人（如防疫主体）的案款优先发放：须排在其他申请执行人之前。
        errors.setdefault("allocations", []).append(
            "优先保障当事人（如防疫主体）须排在其他申请执行人之前（[000 §6]）。")
    if remaining <= ZERO:
        raise Conflict("该笔款项已全部分配。", code="already_allocated")
    if errors:
        raise InvalidInput(errors)
    at = resolve_occurred_at(occurred_at, previous=receipt.matched_at or receipt.received_at)
    start = (Disbursement.objects.filter(case=case).order_by("-sequence").values_list("sequence", flat=True)
             .first() or 0)
    out = [
        _create_disbursement(case=case, receipt=receipt, party=p, amount=a, sequence=start + i + 1, at=at, actor=actor)
        for i, (p, a) in enumerate(zip(parties, amounts, strict=True))
    ]
    audit_record(actor=actor, action="receipt.allocate", obj=receipt, court=case.court_id, case_id=case.pk,
                 occurred_at=at, after={"allocations": [[p.pk, a] for p, a in zip(parties, amounts, strict=True)]})
    return out


# --- disbursements -----------------------------------------------------------------------------

@transaction.atomic
def disbursement_notify(*, disbursement: Disbursement, actor: User, occurred_at: datetime | None = None,
                        note: str = "") -> Disbursement:
    """The judge's payment notice to finance [004 §22]: meets FUNDS_NOTICE, starts FUNDS_PAY."""
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    _ensure_can(d, d.notify, "发出支付通知")
    _ensure_judge(actor, case)
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.notify()
    d.notified_at = d.last_event_at = at
    d.notified_by = actor
    d.save(update_fields=["status", "notified_at", "notified_by", "last_event_at"])
    ledger.move(kind="notify", amount=d.amount, from_account=ledger.case_account(case.pk, "pending"),
                to_account=ledger.case_account(case.pk, "notified"), court_id=case.court_id, case_id=case.pk,
                receipt_id=d.receipt_id, disbursement_id=d.pk, actor=actor, at=at, memo="支付案款通知")
    _sync_receipt_clocks(d.receipt, at, actor)
    deadlines_on_event(event="funds.notified", at=at, subject=_disbursement_subject(d), court=case.court,
                       actor=actor)
    audit_record(actor=actor, action="disbursement.notify", obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before, after=_snapshot(d), reason=note)
    notify(recipients=_finance_users(case.court_id), kind="funds.notified", case_id=case.pk,
           title=f"{case.number} 支付案款通知 ¥{d.amount:,.2f}",
           body="请在接到通知后 5 个工作日内向申请执行人登记的收款账户发放案款（[004 §22]）。")
    return d


@transaction.atomic
def disbursement_pay(*, disbursement: Disbursement, actor: User, payee_account_no: str, bank_ref: str,
                     idempotency_key: str, occurred_at: datetime | None = None) -> Disbursement:
    """Finance pays the creditor — only to the account confirmed at filing [004 §20] — once per key."""
    _require_role(actor, Role.FINANCE)
    key = (idempotency_key or "").strip()
    if not key or len(key) > 100:
        raise InvalidInput({"idempotency_key": ["须提供幂等键（Idempotency-Key，最长 100 位）。"]})
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    used = PaymentKey.objects.filter(key=key).first()
    if used is not None:
        if used.disbursement_id != d.pk:
            raise Conflict("该幂等键已用于另一笔案款发放。", code="idempotency_key_reused")
        return d  # a retry: the first result, nothing paid again
    _ensure_can(d, d.pay, "发放")
    errors: dict[str, list[str]] = {}
    if not (bank_ref or "").strip():
        errors["bank_ref"] = ["请填写银行交易参考号。"]
    if errors:
        raise InvalidInput(errors)
    g = Guards()
    g.check((payee_account_no or "").strip() == case.payee_account_no, "payee_not_registered",
            f"案款只能发放至立案时确认的收款账户（{case.payee_holder}，{case.payee_bank}，"
            f"账号 {case.payee_account_no}）。",
            "[004 §20]")
    g.raise_if_any()
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.pay()
    d.paid_at = d.last_event_at = at
    d.paid_by = actor
    d.paid_to_account_no, d.paid_to_holder, d.bank_ref = case.payee_account_no, case.payee_holder, bank_ref.strip()
    d.save(update_fields=["status", "paid_at", "paid_by", "paid_to_account_no", "paid_to_holder", "bank_ref",
                          "last_event_at"])
    try:
        with transaction.atomic():
            PaymentKey.objects.create(key=key, disbursement=d, actor=actor)
    except IntegrityError as exc:  # the same key raced in for another disbursement
        raise Conflict("该幂等键已用于另一笔案款发放。", code="idempotency_key_reused") from exc
    ledger.move(kind="pay", amount=d.amount, from_account=ledger.case_account(case.pk, "notified"),
                to_account=ledger.case_account(case.pk, "paid"), court_id=case.court_id, case_id=case.pk,
                receipt_id=d.receipt_id, disbursement_id=d.pk, actor=actor, at=at,
                memo=f"发放至 {case.payee_account_no} 参考号 {d.bank_ref}")
    subject = _disbursement_subject(d)
    deadline_meet(node="FUNDS_PAY", subject=subject, at=at, actor=actor)
    deadline_meet(node="FUNDS_HELD_OUT", subject=subject, at=at, actor=actor)
    _sync_receipt_clocks(d.receipt, at, actor)
    audit_record(actor=actor, action="disbursement.pay", obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before,
                 after={**_snapshot(d), "account_no": d.paid_to_account_no, "bank_ref": d.bank_ref,
                        "idempotency_key": key})
    notify(recipients=[case.judge], kind="funds.paid", case_id=case.pk,
           title=f"{case.number} 案款已发放 ¥{d.amount:,.2f}", body=f"银行交易参考号 {d.bank_ref}")
    return d


@transaction.atomic
def disbursement_hold(*, disbursement: Disbursement, actor: User, reason: str,
                      ground: str = HoldGround.LEGAL_DEFERRAL, approved_by: User | None = None,
                      occurred_at: datetime | None = None) -> Disbursement:
    """Defer payment or escrow on a legal ground [004 §22 第二款]. Holding is the safe direction, so
    the judge may hold at once; a bureau head's approval is recorded here or later (approve_hold)."""
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    _ensure_can(d, d.hold, "暂缓发放")
    _ensure_judge(actor, case)
    errors: dict[str, list[str]] = {}
    if not (reason or "").strip():
        errors["reason"] = ["请写明暂缓发放或提存的法定事由。"]
    if ground not in HoldGround.values:
        errors["ground"] = ["暂缓事由无效。"]
    if errors:
        raise InvalidInput(errors)
    _bureau_head_of(approved_by, case, "approved_by")
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    source_bucket = d.status
    d.hold()
    _set_hold(d, at, ground, reason, approved_by)
    d.save(update_fields=["status", "held_at", "hold_ground", "hold_reason", "hold_approved_by",
                          "hold_approved_at", "released_at", "last_event_at"])
    ledger.move(kind="hold", amount=d.amount, from_account=ledger.case_account(case.pk, source_bucket),
                to_account=ledger.case_account(case.pk, "held"), court_id=case.court_id, case_id=case.pk,
                receipt_id=d.receipt_id, disbursement_id=d.pk, actor=actor, at=at, memo=f"暂缓发放：{reason.strip()}")
    deadlines_cancel(subject=_disbursement_subject(d), at=at, actor=actor, nodes=["FUNDS_PAY", "FUNDS_HELD_OUT"],
                     reason=f"暂缓发放/提存：{reason.strip()}")
    _sync_receipt_clocks(d.receipt, at, actor)
    audit_record(actor=actor, action="disbursement.hold", obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before,
                 after={**_snapshot(d), "ground": ground, "approved_by": approved_by.pk if approved_by else None},
                 reason=reason)
    return d


def _set_hold(d: Disbursement, at: datetime, ground: str, reason: str, approved_by: User | None) -> None:
    d.held_at = d.last_event_at = at
    d.hold_ground, d.hold_reason = ground, reason.strip()
    d.hold_approved_by = approved_by
    d.hold_approved_at = at if approved_by else None
    d.released_at = None


@transaction.atomic
def disbursement_approve_hold(*, disbursement: Disbursement, actor: User, note: str = "") -> Disbursement:
    """The bureau head approves a hold (报批 [004 §22 第二款])."""
    _require_role(actor, Role.BUREAU_HEAD)
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    if d.status != DisbursementStatus.HELD:
        raise Conflict(f"该笔案款当前状态为“{d.get_status_display()}”，无需审批暂缓。")
    if d.hold_approved_by_id is not None:
        raise Conflict("该暂缓发放已经批准。", code="already_approved")
    _bureau_head_of(actor, case, "actor")
    d.hold_approved_by, d.hold_approved_at = actor, timezone.now()
    d.save(update_fields=["hold_approved_by", "hold_approved_at"])
    audit_record(actor=actor, action="disbursement.approve_hold", obj=d, court=case.court_id, case_id=case.pk,
                 after={"approved_by": actor.pk, "ground": d.hold_ground}, reason=note)
    return d


@transaction.atomic
def disbursement_release_hold(*, disbursement: Disbursement, actor: User, reason: str = "",
                              occurred_at: datetime | None = None) -> Disbursement:
    """The cause of the hold has ended: back to pending, FUNDS_HELD_OUT starts (10 days [001])."""
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    _ensure_can(d, d.release_hold, "解除暂缓")
    _ensure_judge(actor, case)
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.release_hold()
    d.released_at = d.last_event_at = at
    d.save(update_fields=["status", "released_at", "last_event_at"])
    ledger.move(kind="release", amount=d.amount, from_account=ledger.case_account(case.pk, "held"),
                to_account=ledger.case_account(case.pk, "pending"), court_id=case.court_id, case_id=case.pk,
                receipt_id=d.receipt_id, disbursement_id=d.pk, actor=actor, at=at, memo="暂缓事由消除")
    deadlines_on_event(event="funds.hold_ended", at=at, subject=_disbursement_subject(d), court=case.court,
                       actor=actor, responsible=case.judge)
    audit_record(actor=actor, action="disbursement.release_hold", obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before, after=_snapshot(d), reason=reason)
    return d


@transaction.atomic
def disbursement_split(*, disbursement: Disbursement, actor: User, disputed_amount: Decimal, reason: str = "",
                       approved_by: User | None = None, occurred_at: datetime | None = None) -> Disbursement:
    """Part of the money is disputed: that part is held, the undisputed part proceeds at once [004 §22].

    The disbursement keeps the undisputed amount, its state and its clocks; a new held disbursement
    takes the disputed amount. Returns the (reduced) original.
    """
    case, d = _lock_disbursement(disbursement)
    _require_court(actor, case.court_id)
    if d.status not in (DisbursementStatus.PENDING, DisbursementStatus.NOTIFIED):
        raise Conflict(f"该笔案款当前状态为“{d.get_status_display()}”，不能拆分。")
    _ensure_judge(actor, case)
    disputed = _money(disputed_amount, "disputed_amount")
    if disputed >= d.amount:
        raise InvalidInput({"disputed_amount": [
            f"争议金额须小于本笔金额 ¥{d.amount:,.2f}；全部有争议的，请暂缓发放。"]})
    _bureau_head_of(approved_by, case, "approved_by")
    at = resolve_occurred_at(occurred_at, previous=d.last_event_at)
    before = _snapshot(d)
    d.amount -= disputed
    d.last_event_at = at
    d.save(update_fields=["amount", "last_event_at"])
    part = Disbursement(case=case, receipt=d.receipt, party=d.party, amount=disputed, sequence=d.sequence,
                        status=DisbursementStatus.HELD, split_from=d, created_at=at, last_event_at=at)
    _set_hold(part, at, HoldGround.DISPUTE, reason or "部分案款有争议", approved_by)
    part.save()
    ledger.move(kind="split", amount=disputed, from_account=ledger.case_account(case.pk, d.status),
                to_account=ledger.case_account(case.pk, "held"), court_id=case.court_id, case_id=case.pk,
                receipt_id=d.receipt_id, disbursement_id=part.pk, actor=actor, at=at,
                memo=f"争议部分暂缓发放（拆分自 #{d.pk}）")
    audit_record(actor=actor, action="disbursement.split", obj=d, court=case.court_id, case_id=case.pk,
                 occurred_at=at, before=before,
                 after={**_snapshot(d), "held_part": part.pk, "disputed_amount": disputed,
                        "approved_by": approved_by.pk if approved_by else None}, reason=reason)
    return d


# --- payee account -------------------------------------------------------------------------------

@transaction.atomic
def payee_change_request(*, case: Case, actor: User, bank: str, account_no: str, holder: str,
                         reason: str) -> PayeeChange:
    """The post judge asks to change the creditor's payee account [004 §20]; nothing changes until a
    bureau head approves."""
    case = _lock_case(case.pk)
    _require_court(actor, case.court_id)
    _ensure_judge(actor, case)
    errors: dict[str, list[str]] = {}
    if not (bank or "").strip():
        errors["bank"] = ["请填写开户行。"]
    if not (account_no or "").strip().isdigit() or not 8 <= len(account_no.strip()) <= 30:
        errors["account_no"] = ["账号应为 8–30 位数字。"]
    elif account_no.strip() == case.payee_account_no:
        errors["account_no"] = ["新账号与现登记账号相同。"]
    if not (holder or "").strip():
        errors["holder"] = ["请填写户名。"]
    if not (reason or "").strip():
        errors["reason"] = ["请写明变更理由。"]
    if errors:
        raise InvalidInput(errors)
    if case.payee_changes.filter(status=PayeeChangeStatus.REQUESTED).exists():
        raise Conflict("本案已有待审批的收款账户变更申请。", code="payee_change_pending")
    change = PayeeChange.objects.create(
        case=case, old_bank=case.payee_bank, old_account_no=case.payee_account_no, old_holder=case.payee_holder,
        new_bank=bank.strip(), new_account_no=account_no.strip(), new_holder=holder.strip(), reason=reason.strip(),
        requested_by=actor, requested_at=timezone.now(),
    )
    audit_record(actor=actor, action="payee_change.request", obj=change, court=case.court_id, case_id=case.pk,
                 before={"account_no": change.old_account_no, "holder": change.old_holder},
                 after={"account_no": change.new_account_no, "holder": change.new_holder, "bank": change.new_bank},
                 reason=change.reason)
    return change


def _lock_change(change: PayeeChange, actor: User) -> tuple[Case, PayeeChange]:
    _require_role(actor, Role.BUREAU_HEAD)
    case = _lock_case(change.case_id)
    _require_court(actor, case.court_id)
    change = PayeeChange.objects.select_for_update().get(pk=change.pk)
    if change.status != PayeeChangeStatus.REQUESTED:
        raise Conflict(f"该申请已处理（{change.get_status_display()}）。")
    if actor.court_id != case.court_id:
        raise PermissionDenied("只能由本院执行局长审批。")
    return case, change


@transaction.atomic
def payee_change_approve(*, change: PayeeChange, actor: User, note: str = "") -> PayeeChange:
    """The bureau head approves: the case's registered payee account changes, audited on the case."""
    case, change = _lock_change(change, actor)
    change.status, change.decided_by, change.decided_at = PayeeChangeStatus.APPROVED, actor, timezone.now()
    change.decision_note = note.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    case.payee_bank, case.payee_holder = change.new_bank, change.new_holder
    case.payee_account_no = change.new_account_no
    case.save(update_fields=["payee_bank", "payee_account_no", "payee_holder", "updated_at"])
    audit_record(actor=actor, action="payee_change.approve", obj=change, court=case.court_id, case_id=case.pk,
                 after={"requested_by": change.requested_by_id}, reason=note)
    audit_record(actor=actor, action="case.payee_change", obj=case, court=case.court_id, case_id=case.pk,
                 before={"bank": change.old_bank, "account_no": change.old_account_no, "holder": change.old_holder},
                 after={"bank": change.new_bank, "account_no": change.new_account_no, "holder": change.new_holder,
                        "approved_by": actor.pk, "requested_by": change.requested_by_id},
                 reason=change.reason)
    return change


@transaction.atomic
def payee_change_reject(*, change: PayeeChange, actor: User, note: str) -> PayeeChange:
    if not (note or "").strip():
        raise InvalidInput({"note": ["请写明不予批准的理由。"]})
    case, change = _lock_change(change, actor)
    change.status, change.decided_by, change.decided_at = PayeeChangeStatus.REJECTED, actor, timezone.now()
    change.decision_note = note.strip()
    change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=actor, action="payee_change.reject", obj=change, court=case.court_id, case_id=case.pk,
                 reason=note)
    return change


def payee_change(*, case: Case, actor: User, bank: str, account_no: str, holder: str, reason: str,
                 approved_by: User) -> PayeeChange:
    """Request and approve in one go, when the bureau head's approval is already in hand (e.g. signed
    on paper): both acts are audited under their own actors."""
    with transaction.atomic():
        change = payee_change_request(case=case, actor=actor, bank=bank, account_no=account_no, holder=holder,
                                      reason=reason)
        if approved_by is None:
            raise InvalidInput({"approved_by": ["变更收款账户须经执行局长批准。"]})
        return payee_change_approve(change=change, actor=approved_by)

