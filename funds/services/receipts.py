"""Receipts (SPEC §6.3): the bank feed and statement import (the same bank transaction twice
records once), matching unidentified money to a case, and allocating a receipt among creditors.
A receipt that becomes payable starts its clocks and creates the creditor's pending disbursement."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext

from cases.models import Case, CaseStatus, Party, PartyRole
from cases.services import _ensure_judge, _require_court, _require_role
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput
from enforcement.legal import cite
from enforcement.models import Court, Role, User
from enforcement.selectors import court_ids_visible_to
from enforcement.timeutil import CLOCK_SKEW, resolve_occurred_at

from .. import ledger
from ..models import (
    ZERO,
    Disbursement,
    Receipt,
    ReceiptStatus,
)
from ._common import (
    CENT,
    FEED_ROLES,
    _became_payable,
    _create_disbursement,
    _lock_case,
    _money,
)


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
        raise InvalidInput({"court": [gettext("请指定收款法院。")]})
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
            raise Conflict(
                gettext("银行流水号 %(txn)s 已入账，但金额或账号与本次不一致，请核对银行流水。") % {"txn": txn},
                code="bank_txn_conflict",
            ) from None
        return existing, False
    at = data.received_at
    bank = ledger.bank_account(receipt.court_id)
    if case is not None:
        case = _lock_case(case.pk)
        ledger.post(
            kind="receipt",
            court_id=case.court_id,
            case_id=case.pk,
            receipt_id=receipt.pk,
            actor=actor,
            at=at,
            memo=f"{receipt.payer} 流水 {txn}",
            lines=[
                ledger.Line(bank, debit=receipt.amount),
                ledger.Line(ledger.case_account(case.pk, "unallocated"), credit=receipt.amount),
            ],
        )
    else:
        ledger.post(
            kind="receipt",
            court_id=receipt.court_id,
            receipt_id=receipt.pk,
            actor=actor,
            at=at,
            memo=f"不明款 {receipt.payer} 流水 {txn}",
            lines=[
                ledger.Line(bank, debit=receipt.amount),
                ledger.Line(ledger.unidentified_account(receipt.court_id), credit=receipt.amount),
            ],
        )
    audit_record(
        actor=actor,
        action=events.RECEIPT_RECORD,
        obj=receipt,
        court=receipt.court_id,
        case_id=receipt.case_id,
        occurred_at=at,
        after={
            "bank_txn_id": txn,
            "account_no": account_no,
            "amount": receipt.amount,
            "payer": receipt.payer,
            "status": receipt.status,
        },
    )
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
    raise InvalidInput({"file": [gettext("无法识别文件编码，请使用 UTF-8 或 GBK 编码的 CSV 文件。")]})


def parse_statement(content: bytes | str) -> list[tuple[int, ReceiptData]]:
    """Parse and validate a whole CSV statement; any bad row → 400 listing every bad line, nothing parsed."""
    from django.utils.dateparse import parse_date, parse_datetime

    text = _decode(content)
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip() for h in (reader.fieldnames or [])]
    missing = [c for c in STATEMENT_COLUMNS if c not in header]
    if missing:
        raise InvalidInput(
            {
                "file": [
                    gettext("CSV 缺少列：%(value)s（第 1 行须为列名：%(value2)s）。")
                    % {"value": ", ".join(missing), "value2": ",".join(STATEMENT_COLUMNS)}
                ]
            }
        )
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
                datetime.combine(d, datetime.min.time()) if (d := parse_date(value)) else None
            )
        except ValueError:
            when = None
        if when is None:
            errors.append("received_at：到账时间格式应为 YYYY-MM-DD HH:MM[:SS]")
        elif timezone.is_naive(when):
            when = timezone.make_aware(when)
        data = ReceiptData(
            bank_txn_id=row["bank_txn_id"],
            account_no=row["account_no"],
            amount=amount if amount is not None else Decimal("1"),
            payer=row["payer"],
            received_at=when or timezone.now(),
        )
        errors += [
            f"{k}：{m}"
            for k, msgs in _validate_receipt(data).items()
            for m in msgs
            if not (k == "amount" and amount is None) and not (k == "received_at" and when is None)
        ]
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
            {
                "file": [gettext("第 %(line)s 行：%(msg)s") % {"line": line, "msg": msg} for line, msg in problems],
                "lines": [str(line) for line, _ in problems],
            },
            detail=gettext("银行流水有 %(value)s 行有误，未导入任何记录。") % {"value": len(problems)},
        )
    if not rows and not seen:
        raise InvalidInput({"file": [gettext("文件中没有流水记录。")]})
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
            {
                "file": [gettext("第 %(line)s 行：%(msg)s") % {"line": line, "msg": msg} for line, msg in conflicts],
                "lines": [str(line) for line, _ in conflicts],
            },
            detail=gettext("银行流水有 %(value)s 行与已入账记录矛盾，未导入任何记录。") % {"value": len(conflicts)},
        )
    if actor is not None or created:
        audit_record(
            actor=actor,
            action=events.STATEMENT_IMPORT,
            object_type="funds.statement",
            object_id=court.pk,
            court=court.pk,
            after={"created": created, "duplicates": duplicates, "unidentified": unidentified},
        )
    return ImportResult(created, duplicates, unidentified)


def find_case_for_match(ref: str | int) -> Case | None:
    ref = str(ref).strip()
    if ref.isascii() and ref.isdigit():
        return Case.objects.filter(pk=int(ref)).first()
    return Case.objects.filter(number=ref).first()


@transaction.atomic
def receipt_match(
    *, receipt: Receipt, actor: User, case: Case | str | int, occurred_at: datetime | None = None
) -> Receipt:
    """A finance officer identifies unidentified money as a case's (SPEC §6.3); its clocks start now."""
    _require_role(actor, Role.FINANCE, Role.ADMIN)
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    _require_court(actor, receipt.court_id)
    if receipt.status != ReceiptStatus.UNIDENTIFIED:
        raise Conflict(gettext("该款项已认领，不能再次认领。"))
    target = case if isinstance(case, Case) else find_case_for_match(case)
    visible = court_ids_visible_to(actor)
    if target is None or not Case.objects.filter(pk=target.pk, court_id__in=visible).exists():
        raise InvalidInput({"case": [gettext("未找到该案件，请核对案号。")]})
    if target.court_id != receipt.court_id:
        raise InvalidInput({"case": [gettext("该案件不属于本笔款项的收款法院。")]})
    at = resolve_occurred_at(occurred_at, previous=receipt.received_at)
    case = _lock_case(target.pk)
    receipt.match()
    receipt.case, receipt.matched_by, receipt.matched_at = case, actor, at
    receipt.save(update_fields=["status", "case", "matched_by", "matched_at"])
    ledger.move(
        kind="match",
        amount=receipt.amount,
        from_account=ledger.unidentified_account(receipt.court_id),
        to_account=ledger.case_account(case.pk, "unallocated"),
        court_id=case.court_id,
        case_id=case.pk,
        receipt_id=receipt.pk,
        actor=actor,
        at=at,
        memo=f"不明款认领 流水 {receipt.bank_txn_id}",
    )
    audit_record(
        actor=actor,
        action=events.RECEIPT_MATCH,
        obj=receipt,
        court=receipt.court_id,
        case_id=case.pk,
        occurred_at=at,
        before={"status": ReceiptStatus.UNIDENTIFIED},
        after={"status": receipt.status, "case": case.pk, "number": case.number},
    )
    # SPEC §4: FUNDS_NOTICE runs from when the funds are payable — for unidentified money, the match.
    _became_payable(receipt, case, at, actor)
    return receipt


@transaction.atomic
def receipt_allocate(
    *, receipt: Receipt, actor: User, allocations: list[tuple[Party, Decimal]], occurred_at: datetime | None = None
) -> list[Disbursement]:
    """Several creditors: the judge decides the order and amounts; priority parties first [000 §6]."""
    receipt = Receipt.objects.select_for_update().get(pk=receipt.pk)
    if receipt.case_id is None:
        raise Conflict(gettext("不明款须先认领到案件，才能分配。"), code="receipt_unidentified")
    case = _lock_case(receipt.case_id)
    _require_court(actor, case.court_id)
    _ensure_judge(actor, case)
    if case.status == CaseStatus.CLOSED:
        raise Conflict(gettext("案件已结案。"))
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
            cite("优先保障当事人（如防疫主体）须排在其他申请执行人之前（依据[000 §6]）。")
        )
    if remaining <= ZERO:
        raise Conflict(gettext("该笔款项已全部分配。"), code="already_allocated")
    if errors:
        raise InvalidInput(errors)
    at = resolve_occurred_at(occurred_at, previous=receipt.matched_at or receipt.received_at)
    start = Disbursement.objects.filter(case=case).order_by("-sequence").values_list("sequence", flat=True).first() or 0
    out = [
        _create_disbursement(case=case, receipt=receipt, party=p, amount=a, sequence=start + i + 1, at=at, actor=actor)
        for i, (p, a) in enumerate(zip(parties, amounts, strict=True))
    ]
    audit_record(
        actor=actor,
        action=events.RECEIPT_ALLOCATE,
        obj=receipt,
        court=case.court_id,
        case_id=case.pk,
        occurred_at=at,
        after={"allocations": [[p.pk, a] for p, a in zip(parties, amounts, strict=True)]},
    )
    return out
