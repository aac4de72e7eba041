"""The funds ledger (SPEC §6.3): immutable double-entry postings; every balance is derived from them.

Invariant, per case and in total: received = paid + notified + pending + held + unallocated, and
no account below zero. Callers lock the case row (or, for unidentified money, the receipt row)
before posting, so the balance check and the posting cannot interleave with another movement.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.errors import Conflict

from .models import ZERO, Posting

BUCKETS = ("unallocated", "pending", "notified", "held", "paid")


def case_account(case_id: int, bucket: str) -> str:
    assert bucket in BUCKETS, bucket
    return f"case:{case_id}:{bucket}"


def bank_account(court_id: int) -> str:
    return f"bank:{court_id}"


def unidentified_account(court_id: int) -> str:
    return f"unidentified:{court_id}"


def is_debit_normal(account: str) -> bool:
    return account.startswith("bank:")


@dataclass(frozen=True)
class Line:
    account: str
    debit: Decimal = ZERO
    credit: Decimal = ZERO


def balance(account: str) -> Decimal:
    agg = Posting.objects.filter(account=account).aggregate(d=Sum("debit"), c=Sum("credit"))
    d, c = agg["d"] or ZERO, agg["c"] or ZERO
    return d - c if is_debit_normal(account) else c - d


def post(*, kind: str, lines: Iterable[Line], court_id: int, actor=None, case_id: int | None = None,
         receipt_id: int | None = None, disbursement_id: int | None = None, memo: str = "",
         at=None) -> uuid.UUID:
    """Write one balanced entry. Refuses an unbalanced entry or one that takes an account below zero."""
    lines = [ln for ln in lines if ln.debit or ln.credit]
    debit = sum((ln.debit for ln in lines), ZERO)
    credit = sum((ln.credit for ln in lines), ZERO)
    if not lines or debit != credit:
        raise ValueError(f"unbalanced ledger entry {kind}: debit {debit} != credit {credit}")
    # No balance below zero: a credit-normal account is reduced by a debit, a debit-normal one by a credit.
    for ln in lines:
        reducing = ln.credit if is_debit_normal(ln.account) else ln.debit
        if reducing and balance(ln.account) - reducing < ZERO:
            raise Conflict(
                gettext("账户 %(account)s 余额不足，不能记账（%(kind)s）。") % {"account": ln.account, "kind": kind},
                code="insufficient_balance",
            )
    entry = uuid.uuid4()
    at = at or timezone.now()
    Posting.objects.bulk_create(
        [
            Posting(
                entry=entry,
                kind=kind,
                account=ln.account,
                court_id=court_id,
                case_id=case_id,
                receipt_id=receipt_id,
                disbursement_id=disbursement_id,
                debit=ln.debit,
                credit=ln.credit,
                memo=memo[:200],
                created_at=at,
                created_by=actor,
            )
            for ln in lines
        ]
    )
    return entry


def move(*, kind: str, amount: Decimal, from_account: str, to_account: str, **kwargs) -> uuid.UUID:
    """Move money between two credit-normal accounts: debit the source, credit the target."""
    return post(kind=kind, lines=[Line(from_account, debit=amount), Line(to_account, credit=amount)], **kwargs)


def case_balances(case_id: int) -> dict[str, Decimal]:
    """The case's balances (credit-normal) by bucket, and ``received``: money identified to the case."""
    rows = (
        Posting.objects.filter(case_id=case_id, account__startswith=f"case:{case_id}:")
        .values("account")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    out = {b: ZERO for b in BUCKETS}
    for r in rows:
        out[r["account"].rsplit(":", 1)[1]] = (r["c"] or ZERO) - (r["d"] or ZERO)
    received = (
        Posting.objects.filter(
            case_id=case_id,
            account=case_account(case_id, "unallocated"),
            kind__in=("receipt", "match"),
        ).aggregate(c=Sum("credit"))["c"]
        or ZERO
    )
    return {"received": received, **out}


def balances_by_case(case_ids: Iterable[int]) -> dict[int, dict[str, Decimal]]:
    """Bucket balances of many cases in one query (lists, the finance queue)."""
    ids = list(case_ids)
    out: dict[int, dict[str, Decimal]] = {i: {b: ZERO for b in BUCKETS} for i in ids}
    rows = (
        Posting.objects.filter(case_id__in=ids)
        .filter(account__startswith="case:")
        .values("case_id", "account")
        .annotate(d=Sum("debit"), c=Sum("credit"))
    )
    for r in rows:
        out[r["case_id"]][r["account"].rsplit(":", 1)[1]] = (r["c"] or ZERO) - (r["d"] or ZERO)
    return out


def unpaid_total(case_id: int) -> Decimal:
    b = case_balances(case_id)
    return b["unallocated"] + b["pending"] + b["notified"] + b["held"]


def all_balances() -> dict[str, Decimal]:
    rows = Posting.objects.values("account").annotate(d=Sum("debit"), c=Sum("credit"))
    result: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for r in rows:
        d, c = r["d"] or ZERO, r["c"] or ZERO
        result[r["account"]] = d - c if is_debit_normal(r["account"]) else c - d
    return dict(result)


def unbalanced_entries() -> list:
    from django.db.models import F

    return list(
        Posting.objects.values("entry")
        .annotate(d=Sum("debit"), c=Sum("credit"))
        .filter(~Q(d=F("c")))
        .values_list("entry", flat=True)
    )


def verify() -> list[str]:
    """Every discrepancy between the ledger's invariants and the funds records, one line each (Chinese).

    Checks: every entry balanced; no account below zero; per case received = paid + notified +
    pending + held + unallocated, received = the case's identified receipts, each bucket = the
    disbursements in that state; per court the bank account = case money + unidentified money.
    """
    from .models import Disbursement, Receipt, ReceiptStatus

    problems: list[str] = []
    for entry in unbalanced_entries():
        problems.append(f"分录 {entry} 借贷不平衡")
    balances = all_balances()
    for account, amount in sorted(balances.items()):
        if amount < ZERO:
            problems.append(f"科目 {account} 余额为负：{amount}")
    receipts_by_case: dict[int, Decimal] = defaultdict(lambda: ZERO)
    unidentified_by_court: dict[int, Decimal] = defaultdict(lambda: ZERO)
    received_by_court: dict[int, Decimal] = defaultdict(lambda: ZERO)
    for r in Receipt.objects.values("case_id", "court_id", "status", "amount"):
        received_by_court[r["court_id"]] += r["amount"]
        if r["status"] == ReceiptStatus.IDENTIFIED:
            receipts_by_case[r["case_id"]] += r["amount"]
        else:
            unidentified_by_court[r["court_id"]] += r["amount"]
    by_state: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for d in Disbursement.objects.values("case_id", "status", "amount"):
        by_state[d["case_id"]][d["status"]] += d["amount"]
    case_ids = set(receipts_by_case) | set(by_state) | {int(a.split(":")[1]) for a in balances if a.startswith("case:")}
    held_by_court: dict[int, Decimal] = defaultdict(lambda: ZERO)
    courts = dict(Posting.objects.filter(case_id__in=case_ids).values_list("case_id", "court_id").distinct())
    for case_id in sorted(case_ids):
        b = case_balances(case_id)
        buckets = sum((b[k] for k in BUCKETS), ZERO)
        if b["received"] != buckets:
            problems.append(f"案件 {case_id}：到账 {b['received']} ≠ 各科目合计 {buckets}")
        if b["received"] != receipts_by_case[case_id]:
            problems.append(f"案件 {case_id}：账面到账 {b['received']} ≠ 到账记录合计 {receipts_by_case[case_id]}")
        states = by_state[case_id]
        for bucket in ("pending", "notified", "held", "paid"):
            if b[bucket] != states[bucket]:
                problems.append(f"案件 {case_id}：科目 {bucket} 余额 {b[bucket]} ≠ 该状态发放记录合计 {states[bucket]}")
        allocated = sum(states.values(), ZERO)
        if b["unallocated"] != receipts_by_case[case_id] - allocated:
            problems.append(
                f"案件 {case_id}：待分配 {b['unallocated']} ≠ 到账 {receipts_by_case[case_id]} − 已分配 {allocated}"
            )
        if case_id in courts:
            held_by_court[courts[case_id]] += buckets
    for court_id in sorted(set(received_by_court) | set(unidentified_by_court)):
        bank = balances.get(bank_account(court_id), ZERO)
        unidentified = balances.get(unidentified_account(court_id), ZERO)
        if bank != received_by_court[court_id]:
            problems.append(f"法院 {court_id}：银行科目 {bank} ≠ 到账记录合计 {received_by_court[court_id]}")
        if unidentified != unidentified_by_court[court_id]:
            problems.append(
                f"法院 {court_id}：不明款科目 {unidentified} ≠ 不明款记录合计 {unidentified_by_court[court_id]}"
            )
        if bank != held_by_court[court_id] + unidentified:
            problems.append(
                f"法院 {court_id}：银行科目 {bank} ≠ 案件款 {held_by_court[court_id]} + 不明款 {unidentified}"
            )
    return problems
