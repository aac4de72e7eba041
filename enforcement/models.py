"""Shared kernel data: courts, users and roles, the audit trail, the notifications, the transactional
outbox, the idempotency keys of the API and the requests for a bureau head's approval."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class CourtLevel(models.TextChoices):
    SUPREME = "supreme", _("最高人民法院")
    HIGH = "high", _("高级人民法院")
    INTERMEDIATE = "intermediate", _("中级人民法院")
    BASIC = "basic", _("基层人民法院")


class Court(models.Model):
    """A court in the tree 最高 → 高级 → 中级 → 基层.

    ``path`` is a materialised path ("/1/4/9/") so a subtree is one indexed prefix query.
    """

    name = models.CharField(_("名称"), max_length=100, unique=True)
    code = models.CharField(_("案号代字"), max_length=20, unique=True, help_text=_("用于案号，如 豫03"))
    level = models.CharField(_("级别"), max_length=20, choices=CourtLevel.choices)
    parent = models.ForeignKey(
        "self", verbose_name=_("上级法院"), null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)
    # The court's enforcement-funds account, under which each case gets its own account number (一案一账号
    # [004 §19]); the 执行通知书 prints bank, holder and the case's number so the debtor can pay [004 §20].
    funds_bank = models.CharField(_("执行款专户开户行"), max_length=100, blank=True)
    funds_account_name = models.CharField(_("执行款专户账户名称"), max_length=100, blank=True,
                                          help_text=_("留空则为本院名称"))

    class Meta:
        verbose_name = _("法院")
        verbose_name_plural = _("法院")
        ordering = ["path"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        super().save(*args, **kwargs)
        path = f"{self.parent.path if self.parent is not None else '/'}{self.pk}/"
        if path != self.path:
            self.path = path
            type(self).objects.filter(pk=self.pk).update(path=path)

    @property
    def funds_account_holder(self) -> str:
        return self.funds_account_name or self.name

    def ancestors(self) -> list[Court]:
        """This court's ancestors, root first (itself excluded)."""
        ids = [int(p) for p in self.path.strip("/").split("/") if p][:-1]
        by_id = {c.pk: c for c in Court.objects.filter(pk__in=ids)}
        return [by_id[i] for i in ids if i in by_id]

    def subtree_ids(self) -> models.QuerySet:
        return Court.objects.filter(path__startswith=self.path).values("pk")


class Role(models.TextChoices):
    FILING_CLERK = "filing_clerk", _("立案庭书记员")
    BUREAU_CLERK = "bureau_clerk", _("执行局内勤")
    POST_JUDGE = "post_judge", _("员额法官")
    OFFICER = "officer", _("执行员/法官助理")
    FINANCE = "finance", _("财务人员")
    SUPERVISOR = "supervisor", _("专人监管")
    BUREAU_HEAD = "bureau_head", _("执行局长")
    ADMIN = "admin", _("系统管理员")


class UserRole(models.Model):
    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="role_rows")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("用户角色")
        verbose_name_plural = _("用户角色")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="uniq_user_role")]

    def __str__(self) -> str:
        return self.get_role_display()


class User(AbstractUser):
    """A court staff member. Belongs to exactly one court; holds one or more roles."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    court = models.ForeignKey(Court, verbose_name=_("所属法院"), null=True, blank=True, on_delete=models.PROTECT)
    phone = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username

    @cached_property
    def roles(self) -> frozenset[str]:
        if "role_rows" in getattr(self, "_prefetched_objects_cache", {}):
            return frozenset(r.role for r in self.role_rows.all())
        return frozenset(UserRole.objects.filter(user_id=self.pk).values_list("role", flat=True))

    def has_role(self, *roles: str) -> bool:
        return self.is_superuser or bool(self.roles.intersection(roles))


class AuditEvent(models.Model):
    """An append-only record of an act (SPEC §12).

    UPDATE and DELETE are refused by database triggers (migration 0002). Each event carries the
    hash of the previous event of the same chain (one chain per court, plus a global chain), keyed
    with AUDIT_KEY, and checkpoints of the chains' heads are kept outside the database, so an
    edited, removed or forged row is detected by ``manage.py verify_audit``.
    """

    chain = models.CharField(max_length=30, editable=False)
    seq = models.PositiveBigIntegerField(editable=False)
    occurred_at = models.DateTimeField(_("发生时间"), db_index=True)
    recorded_at = models.DateTimeField(_("录入时间"))
    actor = models.ForeignKey(
        User, verbose_name=_("操作人"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    court = models.ForeignKey(
        Court, verbose_name=_("法院"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case_id = models.BigIntegerField(_("案件"), null=True, blank=True, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=50)
    object_id = models.CharField(_("对象"), max_length=50)
    action = models.CharField(_("动作"), max_length=60)
    before = models.JSONField(_("变更前"), null=True, blank=True)
    after = models.JSONField(_("变更后"), null=True, blank=True)
    reason = models.TextField(_("理由"), blank=True)
    late_entry = models.BooleanField(_("补录"), default=False, db_index=True)
    prev_hash = models.CharField(max_length=64, editable=False)
    hash = models.CharField(max_length=64, editable=False)
    # How ``hash`` was computed (enforcement.audit.chain): 1 plain SHA-256, rows from before the
    # key; 2 HMAC-SHA256 under AUDIT_KEY, every row since. No default: the writer always says.
    scheme = models.PositiveSmallIntegerField(
        _("哈希算法"), editable=False, choices=[(1, _("SHA-256（无密钥，旧）")), (2, _("HMAC-SHA256（密钥）"))]
    )

    class Meta:
        verbose_name = _("审计事件")
        verbose_name_plural = _("审计事件")
        ordering = ["recorded_at", "id"]
        constraints = [models.UniqueConstraint(fields=["chain", "seq"], name="uniq_audit_chain_seq")]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.object_type}#{self.object_id}"


class Notification(models.Model):
    """Outbox: one message to one recipient on one channel, delivered after commit (SPEC §5, §10)."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发送")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")

    recipient = models.ForeignKey(User, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications")
    address = models.CharField(_("外部地址"), max_length=100, blank=True, help_text=_("当事人手机号等"))
    channel = models.CharField(_("渠道"), max_length=20, default="inapp")
    kind = models.CharField(_("类型"), max_length=50)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    sent_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"], name="notif_inbox_idx")]

    def __str__(self) -> str:
        return self.title


class OutboxMessage(models.Model):
    """The transactional outbox (STYLE "Every write is one service function"): every side effect that
    leaves the database -- a Celery task, a notification's delivery, a message to the credit platform
    -- is one row written in the act's transaction. A relay hands it to the broker after commit and a
    sweep (beat, every minute) again for anything still queued, so a broker outage delays the effect
    and never fails the act or loses it. ``topic`` names the handler (``enforcement.outbox``) that the
    worker runs with ``payload``; a row is done once, whatever the re-deliveries."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("待发出")  # written; the broker has not accepted it yet
        SENT = "sent", _("已交队列")  # accepted by the broker; the worker has not run it yet
        RUNNING = "running", _("执行中")  # a worker is carrying it out
        DONE = "done", _("已完成")  # the handler ran

    topic = models.CharField(_("类型"), max_length=60)
    payload = models.JSONField(_("参数"), default=dict)
    status = models.CharField(_("状态"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    created_at = models.DateTimeField(_("写入时间"), default=timezone.now)
    attempts = models.PositiveIntegerField(_("发出次数"), default=0)
    last_attempt_at = models.DateTimeField(_("最近发出"), null=True, blank=True)
    last_error = models.TextField(_("最近错误"), blank=True)
    done_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("待办外发")
        verbose_name_plural = _("待办外发")
        ordering = ["id"]
        indexes = [
            models.Index(fields=["status", "created_at"], name="outbox_pending_idx",
                         condition=~models.Q(status="done")),
        ]

    def __str__(self) -> str:
        return f"{self.topic} #{self.pk}（{self.get_status_display()}）"


class IdempotencyRecord(models.Model):
    """The first answer to a ``POST`` sent with an ``Idempotency-Key`` (SPEC §13 "Idempotency"): one
    per user and key, written in the act's transaction, so the act and its answer commit together."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(_("幂等键"), max_length=255)
    fingerprint = models.CharField(_("请求指纹"), max_length=64)
    status_code = models.PositiveSmallIntegerField(_("响应状态"), null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(_("响应内容"), default=b"")
    created_at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("幂等键")
        verbose_name_plural = _("幂等键")
        constraints = [models.UniqueConstraint(fields=["user", "key"], name="uniq_idempotency_user_key")]

    def __str__(self) -> str:
        return self.key


class DocumentKind(models.TextChoices):
    """The legal documents the system generates (SPEC §9)."""

    EXECUTION_NOTICE = "execution_notice", _("执行通知书")
    PROPERTY_REPORT_ORDER = "property_report_order", _("报告财产令")
    CONSUMPTION_RESTRICTION_ORDER = "consumption_restriction_order", _("限制消费令")
    DISHONEST_DECISION = "dishonest_decision", _("失信决定书")
    TERMINATION_RULING = "termination_ruling", _("终结本次执行程序裁定书")
    PAYMENT_NOTICE = "payment_notice", _("案款支付通知书")


class Document(models.Model):
    """One generated version of a legal document, kept in the electronic dossier [004 §12].

    Append-only in the database (migration 0003): a version is never changed or removed, and
    regenerating writes version n+1. The PDF bytes live in the row itself rather than under
    MEDIA_ROOT, so the append-only trigger protects the content too (a file on disk can be
    overwritten by anything with write access), the bytes commit or roll back with the row and its
    audit event, and no document is reachable through the public media URL — only through the
    scoped download views. Lists defer ``content``.
    """

    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("文书类型"), max_length=40, choices=DocumentKind.choices)
    version = models.PositiveIntegerField(_("版本"))
    # What the document is about besides the case: a credit sanction or a funds disbursement.
    subject_type = models.CharField(_("关联对象类型"), max_length=30, blank=True)
    subject_id = models.BigIntegerField(_("关联对象"), null=True, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64)
    size = models.PositiveIntegerField(_("字节数"))
    content = models.BinaryField("PDF", editable=False)
    created_by = models.ForeignKey(User, verbose_name=_("生成人"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("生成时间"))

    class Meta:
        verbose_name = _("法律文书")
        verbose_name_plural = _("法律文书")
        ordering = ["case", "kind", "version"]
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "version"], name="uniq_document_case_kind_version"),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="document_version_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（第{self.version}版）"


class ApprovalKind(models.TextChoices):
    """The acts that need the bureau head's approval (SPEC §11a), as the court words them."""

    OVERRIDE = "override", _("例外放行拦截规则")
    APPRAISAL = "appraisal", _("委托评估（或不动产、车辆定向询价）")
    SUSPENSION = "suspension", _("中止/暂缓执行")
    PAYEE_CHANGE = "payee_change", _("变更收款账户")
    DEADLINE_CORRECTION = "deadline_correction", _("更正期限起算时间")
    CLOCK_STOP = "clock_stop", _("扣除审限")


class ApprovalStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    APPROVED = "approved", _("已批准")
    REJECTED = "rejected", _("不予批准")
    USED = "used", _("已使用")


class ApprovalRequest(FSMModelMixin, models.Model):
    """A request for the bureau head's approval of one act on one case (SPEC §11a, §12 four eyes).

    The requester asks with a reason; a bureau head of the case's court approves or rejects it with a
    note; an approved request is what the act consumes, once (``used_at``/``used_by``), in the act's
    own transaction. ``code`` names the guard an override lets pass; ``object_id`` the property,
    deadline, disbursement … the act is about, when it is about one (empty: any of the case's)."""

    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="approval_requests")
    kind = models.CharField(_("审批事项"), max_length=30, choices=ApprovalKind.choices)
    code = models.CharField(_("拦截规则"), max_length=50, blank=True)
    object_id = models.BigIntegerField(_("对象"), null=True, blank=True)
    reason = models.TextField(_("申请理由"))
    requested_by = models.ForeignKey(User, verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("申请时间"), default=timezone.now)
    status = FSMField(_("状态"), default=ApprovalStatus.PENDING, choices=ApprovalStatus.choices, protected=True)
    decided_by = models.ForeignKey(User, verbose_name=_("审批人"), null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("审批时间"), null=True, blank=True)
    note = models.TextField(_("审批意见"), blank=True)
    used_at = models.DateTimeField(_("使用时间"), null=True, blank=True)
    used_by = models.ForeignKey(User, verbose_name=_("使用人"), null=True, blank=True, on_delete=models.PROTECT,
                                related_name="+")

    class Meta:
        verbose_name = _("审批申请")
        verbose_name_plural = _("审批申请")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["court", "status"], name="approval_court_status_idx"),
            models.Index(fields=["case", "kind", "status"], name="approval_case_kind_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}（{self.get_status_display()}）"

    @transition(field=status, source=ApprovalStatus.PENDING, target=ApprovalStatus.APPROVED)
    def approve(self) -> None:
        pass

    @transition(field=status, source=ApprovalStatus.PENDING, target=ApprovalStatus.REJECTED)
    def reject(self) -> None:
        pass

    @transition(field=status, source=ApprovalStatus.APPROVED, target=ApprovalStatus.USED)
    def use(self) -> None:
        pass
