"""The parameters of the complaint acts, shared by the API and the browser forms, and the
``complaints`` resource with its transitions ``answer`` and ``refer`` (SPEC §13)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enforcement.resources import Resource, register
from enforcement.transitions import OccurredAtMixin, Registry, TransitionSpec

from . import selectors, services
from .models import Complaint, ComplaintStatus


class ReceiveParams(serializers.Serializer):
    party = serializers.IntegerField(min_value=1, label=_("投诉人"))
    content = serializers.CharField(max_length=4000, label=_("投诉内容"))
    received_at = serializers.DateTimeField(required=False, allow_null=True, label=_("收到时间"),
                                            help_text=_("线下收到投诉的时间；不得晚于现在"))


class AnswerParams(OccurredAtMixin):
    answer = serializers.CharField(max_length=4000, label=_("答复内容"), help_text=_("将以短信告知投诉人"))


class ReferParams(OccurredAtMixin):
    reason = serializers.CharField(max_length=2000, label=_("提交合议庭理由"), help_text=_("重大争议的具体情况"))


registry = Registry()
registry.register(TransitionSpec(
    "answer", _("答复投诉"), AnswerParams,
    lambda u, c: services.may_answer(u, c, c.case),
    lambda *, obj, actor, **p: services.complaint_answer(complaint=obj, actor=actor, **p),
))
registry.register(TransitionSpec(
    "refer", _("提交合议庭"), ReferParams,
    lambda u, c: c.status == ComplaintStatus.RECEIVED and c.case.judge_id == u.pk,
    lambda *, obj, actor, **p: services.complaint_refer(complaint=obj, actor=actor, **p),
    style="secondary",
))


def _case_of(c: Complaint):
    return c.case


register(Resource("complaints", registry, selectors.complaint_for_user, _case_of, _("当事人投诉")))
