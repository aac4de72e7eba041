"""A party's complaint to the judge (SPEC §11): received → answered, or received → referred to the
collegial panel → answered by the panel. FSM declarations only; every write is in services.py."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition


class ComplaintStatus(models.TextChoices):
    RECEIVED = "received", _("待答复")
    REFERRED = "referred", _("已提交合议庭")
    ANSWERED = "answered", _("已答复")


class Complaint(FSMModelMixin, models.Model):
    case = models.ForeignKey("cases.Case", verbose_name=_("案件"), on_delete=models.PROTECT, related_name="complaints")
    party = models.ForeignKey("cases.Party", verbose_name=_("投诉人"), null=True, blank=True, on_delete=models.PROTECT,
                              related_name="complaints")
    content = models.TextField(_("投诉内容"))
    received_at = models.DateTimeField(_("收到时间"))
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT,
                                    related_name="+")
    status = FSMField(_("状态"), default=ComplaintStatus.RECEIVED, choices=ComplaintStatus.choices, protected=True)
    referred_at = models.DateTimeField(_("提交合议庭时间"), null=True, blank=True)
    referral_reason = models.TextField(_("提交合议庭理由"), blank=True)
    answer = models.TextField(_("答复内容"), blank=True)
    answered_at = models.DateTimeField(_("答复时间"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("答复人"), null=True, blank=True,
                                    on_delete=models.PROTECT, related_name="+")
    answered_by_panel = models.BooleanField(_("合议庭答复"), default=False)
    last_event_at = models.DateTimeField()

    # Set by the page code for templates (cases.complaints.views).
    reply_due: datetime | None
    forms: list

    class Meta:
        app_label = "cases"
        verbose_name = _("当事人投诉")
        verbose_name_plural = _("当事人投诉")
        ordering = ["received_at", "id"]
        indexes = [models.Index(fields=["case", "status"], name="complaint_case_status_idx")]

    def __str__(self) -> str:
        return f"投诉#{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status != ComplaintStatus.ANSWERED

    @transition(field=status, source=[ComplaintStatus.RECEIVED, ComplaintStatus.REFERRED],
                target=ComplaintStatus.ANSWERED)
    def mark_answered(self) -> None:
        pass

    @transition(field=status, source=ComplaintStatus.RECEIVED, target=ComplaintStatus.REFERRED)
    def refer(self) -> None:
        pass
