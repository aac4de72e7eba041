"""What a party was told and when (SPEC §10): one row per node per party that must know.

The row is the court's record that the party was informed; the delivery itself is an outbox row
(``enforcement.models.Notification``, channel ``sms``) written in the same transaction and sent after
commit. A party without a usable mobile number gets the row with no outbox row and the reason — it is
shown to the judge, never silently dropped."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyEvent(models.TextChoices):
    """The nodes a party is told of (SPEC §10 names), with the name the public progress page shows."""

    FILED = "filed", _("立案")
    ACCEPTED = "accepted", _("承办法官接收案件")
    NOTICE_SENT = "notice_sent", _("发出执行通知书、报告财产令")
    QUERY_RESULT = "query_result", _("网络查控有结果")
    CONTROL = "control", _("采取查封、扣押、冻结措施")
    LEAD_RESULT = "lead_result", _("财产线索核查完毕")
    SANCTION = "sanction", _("采取信用惩戒措施")
    FUNDS_PAID = "funds_paid", _("案款发放")
    SUSPENDED = "suspended", _("中止/暂缓执行")
    RESUMED = "resumed", _("恢复执行")
    CLOSED = "closed", _("结案")
    COMPLAINT_ANSWERED = "complaint_answered", _("答复投诉")
    QUERY_CODE_REISSUED = "query_code_reissued", _("重新生成查询码")


# Nodes that are the party's own business, not the case's progress: not listed on the public page.
PRIVATE_EVENTS = (PartyEvent.COMPLAINT_ANSWERED, PartyEvent.QUERY_CODE_REISSUED)


class PartyMessageStatus(models.TextChoices):
    QUEUED = "queued", _("待发送")
    SENT = "sent", _("已发送")
    UNDELIVERABLE = "undeliverable", _("无法送达")


class PartyMessage(models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.CASCADE,
                             related_name="party_messages")
    party = models.ForeignKey(
        "cases.Party", verbose_name=_("当事人"), on_delete=models.PROTECT, related_name="messages"
    )
    event = models.CharField(_("节点"), max_length=30, choices=PartyEvent.choices)
    channel = models.CharField(_("渠道"), max_length=20, default="sms")
    text = models.TextField(_("告知内容"))
    occurred_at = models.DateTimeField(_("节点时间"))
    created_at = models.DateTimeField(_("生成时间"), auto_now_add=True)
    # The outbox row that carries it; none when the party cannot be reached (see ``undeliverable_reason``).
    notification = models.OneToOneField(
        "enforcement.Notification", null=True, blank=True, on_delete=models.PROTECT, related_name="party_message"
    )
    undeliverable_reason = models.CharField(_("无法送达原因"), max_length=100, blank=True)

    class Meta:
        app_label = "cases"
        verbose_name = _("当事人告知")
        verbose_name_plural = _("当事人告知")
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["case", "created_at"], name="party_message_case_idx")]

    def __str__(self) -> str:
        return f"{self.get_event_display()} → {self.party_id}"

    @property
    def status(self) -> str:
        if self.notification is None:
            return PartyMessageStatus.UNDELIVERABLE
        sent = self.notification.status == "sent"
        return PartyMessageStatus.SENT if sent else PartyMessageStatus.QUEUED

    def get_status_display(self) -> str:
        return str(PartyMessageStatus(self.status).label)
