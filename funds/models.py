"""Case funds (SPEC §6.3): receipts on the case account, disbursements to the creditor, the ledger.

FSM declarations only; every write is in services.py. The case account number is ``Case.account_no``
(one case, one account [004 §19], assigned at filing); the payee is the creditor's account confirmed
at filing (``Case.payee_*`` [004 §20]), changed only through an approved ``PayeeChange``.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from enforcement.models import Court

if TYPE_CHECKING:
    from deadlines.models import Deadline

    from .forms import MatchForm, PayeeDecisionForm, PayForm

MONEY: dict[str, Any] = {"max_digits": 16, "decimal_places": 2}
ZERO = Decimal("0.00")


class ReceiptStatus(models.TextChoices):
    IDENTIFIED = "identified", _("已认领")
    UNIDENTIFIED = "unidentified", _("不明款")


class Receipt(FSMModelMixin, models.Model):
    """One credit on the court's enforcement-funds account, as reported by the bank (SPEC §6.3)."""

    court = models.ForeignKey(Court, verbose_name=_("收款法院"), on_delete=models.PROTECT, related_name="+")
    bank_txn_id = models.CharField(_("银行流水号"), max_length=64, unique=True)
    account_no = models.CharField(_("入账案款账号"), max_length=40, db_index=True)
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    payer = models.CharField(_("付款人"), max_length=200)
    received_at = models.DateTimeField(_("到账时间"))
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="receipts")
    status = FSMField(_("状态"), choices=ReceiptStatus.choices, default=ReceiptStatus.UNIDENTIFIED, protected=True)
    matched_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("认领人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    matched_at = models.DateTimeField(_("认领时间"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("录入人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("录入时间"), auto_now_add=True)

    # Set by the page code for templates (funds.views).
    age_days: int
    match_form: MatchForm

    class Meta:
        verbose_name = _("到账款项")
        verbose_name_plural = _("到账款项")
        ordering = ["-received_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive"),
            models.CheckConstraint(
                condition=Q(status=ReceiptStatus.UNIDENTIFIED, case__isnull=True)
                | Q(status=ReceiptStatus.IDENTIFIED, case__isnull=False),
                name="receipt_case_iff_identified",
            ),
        ]
        indexes = [
            models.Index(fields=["court", "status", "received_at"], name="receipt_court_status_idx"),
            # The dashboard's unpaid-money list joins each waiting payment to its receipt's court and
            # arrival from this index alone (no heap visit per payment; issue 16).
            models.Index(fields=["id"], include=["court", "received_at"], name="receipt_court_cover_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.bank_txn_id}（¥{self.amount}）"

    @transition(field=status, source=ReceiptStatus.UNIDENTIFIED, target=ReceiptStatus.IDENTIFIED)
    def match(self) -> None:
        pass


class DisbursementStatus(models.TextChoices):
    PENDING = "pending", _("待发出支付通知")
    NOTIFIED = "notified", _("已通知财务，待发放")
    PAID = "paid", _("已发放")
    HELD = "held", _("暂缓发放/提存")


class HoldGround(models.TextChoices):
    DISPUTE = "dispute", _("部分案款有争议")
    LEGAL_DEFERRAL = "legal_deferral", _("有法定事由延缓发放")
    ESCROW = "escrow", _("提存（申请执行人拒收、下落不明等）")
    OBJECTION = "objection", _("案外人异议审查中")


class Disbursement(FSMModelMixin, models.Model):
    """Money of one receipt owed to one creditor, paid only to the registered payee account."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="disbursements")
    receipt = models.ForeignKey(Receipt, verbose_name=_("来源款项"), on_delete=models.PROTECT,
                                related_name="disbursements")
    party = models.ForeignKey("cases.Party", verbose_name=_("申请执行人"), null=True, blank=True,
                              on_delete=models.PROTECT, related_name="+")
    amount = models.DecimalField(_("金额（元）"), **MONEY)
    sequence = models.PositiveSmallIntegerField(_("发放顺序"), default=1)
    status = FSMField(_("状态"), choices=DisbursementStatus.choices, default=DisbursementStatus.PENDING,
                      protected=True)
    split_from = models.ForeignKey("self", verbose_name=_("拆分自"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="split_parts")
    created_at = models.DateTimeField(_("生成时间"))
    last_event_at = models.DateTimeField(_("最近节点时间"))
    notified_at = models.DateTimeField(_("支付通知时间"), null=True, blank=True)
    notified_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("通知法官"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(_("发放时间"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("发放人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    # The account actually paid, kept as paid: a later payee change does not rewrite what was paid [004 §20].
    paid_to_account_no = models.CharField(_("收款账号"), max_length=40, blank=True)
    paid_to_holder = models.CharField(_("收款户名"), max_length=100, blank=True)
    paid_to_bank = models.CharField(_("收款开户行"), max_length=100, blank=True)
    bank_ref = models.CharField(_("银行交易参考号"), max_length=64, blank=True)
    held_at = models.DateTimeField(_("暂缓时间"), null=True, blank=True)
    held_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("暂缓决定人"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    hold_ground = models.CharField(_("暂缓事由"), max_length=20, choices=HoldGround.choices, blank=True)
    hold_reason = models.TextField(_("暂缓理由"), blank=True)
    hold_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("暂缓审批人（执行局长）"), null=True,
                                         blank=True, on_delete=models.PROTECT, related_name="+")
    hold_approved_at = models.DateTimeField(_("暂缓审批时间"), null=True, blank=True)
    released_at = models.DateTimeField(_("暂缓事由消除时间"), null=True, blank=True)

    # Set by the page code for templates (funds.views).
    pay_deadline: Deadline | None
    pay_form: PayForm

    class Meta:
        verbose_name = _("案款发放")
        verbose_name_plural = _("案款发放")
        ordering = ["case", "sequence", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="disbursement_amount_positive"),
        ]
        indexes = [
            models.Index(fields=["status", "notified_at"], name="disb_status_notified_idx"),
        ]

    def __str__(self) -> str:
        return f"案款发放 #{self.pk}（¥{self.amount}，{self.get_status_display()}）"

    @property
    def hold_awaiting_approval(self) -> bool:
        return self.status == DisbursementStatus.HELD and self.hold_approved_by_id is None

    # --- FSM declarations (SPEC §6.3) ---
    @transition(field=status, source=DisbursementStatus.PENDING, target=DisbursementStatus.NOTIFIED)
    def notify(self) -> None:
        pass

    @transition(field=status, source=DisbursementStatus.NOTIFIED, target=DisbursementStatus.PAID)
    def pay(self) -> None:
        pass

    @transition(field=status, source=[DisbursementStatus.PENDING, DisbursementStatus.NOTIFIED],
                target=DisbursementStatus.HELD)
    def hold(self) -> None:
        pass

    @transition(field=status, source=DisbursementStatus.HELD, target=DisbursementStatus.PENDING)
    def release_hold(self) -> None:
        pass


class PaymentKey(models.Model):
    """An idempotency key of a payment: a key pays at most once, whatever the retries (SPEC §6.3)."""

    key = models.CharField(_("幂等键"), max_length=100, unique=True)
    disbursement = models.ForeignKey(Disbursement, on_delete=models.PROTECT, related_name="payment_keys")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("付款幂等键")
        verbose_name_plural = _("付款幂等键")

    def __str__(self) -> str:
        return self.key


class Posting(models.Model):
    """One line of a double-entry ledger entry. Append-only in the database (migration 0002).

    Accounts: ``bank:<court>`` (debit-normal: money in the court's enforcement-funds account),
    ``unidentified:<court>`` and the case buckets ``case:<id>:unallocated|pending|notified|held|paid``
    (credit-normal: what the court holds for whom, and what it has paid out).
    """

    entry = models.UUIDField(_("分录"), db_index=True)
    kind = models.CharField(_("业务"), max_length=20)
    account = models.CharField(_("科目"), max_length=60, db_index=True)
    court = models.ForeignKey(Court, on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    receipt = models.ForeignKey(Receipt, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    disbursement = models.ForeignKey(Disbursement, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    debit = models.DecimalField(_("借方"), default=ZERO, **MONEY)
    credit = models.DecimalField(_("贷方"), default=ZERO, **MONEY)
    memo = models.CharField(_("摘要"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("记账时间"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")

    class Meta:
        verbose_name = _("账务分录")
        verbose_name_plural = _("账务分录")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gt=0, credit=0) | Q(debit=0, credit__gt=0), name="posting_one_side_positive"
            ),
        ]
        indexes = [models.Index(fields=["case", "account"], name="posting_case_account_idx")]

    def __str__(self) -> str:
        side = f"借 {self.debit}" if self.debit else f"贷 {self.credit}"
        return f"{self.account} {side}"


class PayeeChangeStatus(models.TextChoices):
    REQUESTED = "requested", _("待执行局长审批")
    APPROVED = "approved", _("已批准并变更")
    REJECTED = "rejected", _("未批准")


class PayeeChange(models.Model):
    """A request to change the creditor's payee account: the post judge asks, a bureau head decides
    [004 §20] (the account confirmed at filing is the only one money may go to)."""

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT,
                             related_name="payee_changes")
    status = models.CharField(_("状态"), max_length=20, choices=PayeeChangeStatus.choices,
                              default=PayeeChangeStatus.REQUESTED)
    old_bank = models.CharField(_("原开户行"), max_length=100)
    old_account_no = models.CharField(_("原账号"), max_length=40)
    old_holder = models.CharField(_("原户名"), max_length=100)
    new_bank = models.CharField(_("新开户行"), max_length=100)
    new_account_no = models.CharField(_("新账号"), max_length=40)
    new_holder = models.CharField(_("新户名"), max_length=100)
    reason = models.TextField(_("变更理由"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("申请人"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("申请时间"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("审批人"), null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    decision_note = models.TextField(_("审批意见"), blank=True)

    # Set by the page code for templates (funds.web).
    decision_form: PayeeDecisionForm | None

    class Meta:
        verbose_name = _("收款账户变更")
        verbose_name_plural = _("收款账户变更")
        ordering = ["-requested_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["case"], condition=Q(status=PayeeChangeStatus.REQUESTED),
                                    name="uniq_open_payee_change_per_case"),
        ]

    def __str__(self) -> str:
        return f"{self.case} 收款账户变更（{self.get_status_display()}）"
