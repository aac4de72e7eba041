"""Petitions (信访) about enforcement (SPEC §11): received → registered → resolved with an answer,
on the PETITION_REGISTER (5 working days) and PETITION_RESOLVE (30 working days) clocks [004 §30]."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition

from enforcement.models import Court

from .case import Case


class PetitionStatus(models.TextChoices):
    RECEIVED = "received", _("已接收")
    REGISTERED = "registered", _("已录入")
    RESOLVED = "resolved", _("已办结")


class Petition(FSMModelMixin, models.Model):
    court = models.ForeignKey(Court, verbose_name=_("法院"), on_delete=models.PROTECT, related_name="petitions")
    case = models.ForeignKey(Case, verbose_name=_("涉及案件"), null=True, blank=True, on_delete=models.PROTECT,
                             related_name="petitions")
    petitioner = models.CharField(_("信访人"), max_length=100)
    content = models.TextField(_("信访事项"))
    received_at = models.DateTimeField(_("收到时间"))
    registered_at = models.DateTimeField(_("录入时间"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    answer = models.TextField(_("答复意见"), blank=True)
    status = FSMField(_("状态"), default=PetitionStatus.RECEIVED, choices=PetitionStatus.choices, protected=True)
    received_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    last_event_at = models.DateTimeField()

    class Meta:
        verbose_name = _("信访")
        verbose_name_plural = _("信访")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["court", "status"], name="petition_court_status_idx")]

    def __str__(self) -> str:
        return f"信访#{self.pk} {self.petitioner}"

    @transition(field=status, source=PetitionStatus.RECEIVED, target=PetitionStatus.REGISTERED)
    def register(self) -> None:
        pass

    @transition(field=status, source=[PetitionStatus.RECEIVED, PetitionStatus.REGISTERED],
                target=PetitionStatus.RESOLVED)
    def resolve(self) -> None:
        pass
