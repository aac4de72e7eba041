"""The sanction transitions offered by the API and the browser (SPEC §13), all calling services.

Registered as the ``sanctions`` resource, so the generic browser endpoint
``/objects/sanctions/<pk>/transitions/<name>/`` and the API's transitions endpoints find them.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from enforcement import resources
from enforcement.models import Role, User
from enforcement.transitions import OccurredAtMixin, Registry, TransitionSpec

from . import selectors, services
from .models import JUDGE_LIFT_REASONS, LIFT_GROUNDS, LIFTABLE_STATUSES, LiftReason, Sanction, SanctionKind
from .models import SanctionStatus as S

registry = Registry()


def _is_judge(user: User, s: Sanction) -> bool:
    return s.case.judge_id is not None and s.case.judge_id == user.pk


class NoParams(OccurredAtMixin):
    pass


class DecideParams(OccurredAtMixin):
    served_at = serializers.DateTimeField(required=False, allow_null=True, label=_("决定书送达时间"),
                                          help_text=_("已送达的填写送达时间；尚未送达的可稍后登记送达"))


class ServeParams(serializers.Serializer):
    served_at = serializers.DateTimeField(required=False, allow_null=True, label=_("送达时间"),
                                          help_text=_("不填为现在"))


class GraceParams(OccurredAtMixin):
    months = serializers.ChoiceField(choices=[(1, _("一个月")), (2, _("两个月")), (3, _("三个月"))], label=_("宽限期"),
                                     help_text=_("宽限期内暂不发布惩戒信息"))


class LiftGroundParams(OccurredAtMixin):
    reason = serializers.ChoiceField(choices=[(r, LiftReason(r).label) for r in LIFT_GROUNDS], label=_("解除事由"))
    urgent = serializers.BooleanField(required=False, default=False, label=_("情况紧急，申请立即解除"))


class LiftParams(OccurredAtMixin):
    reason = serializers.ChoiceField(choices=[(r, LiftReason(r).label) for r in JUDGE_LIFT_REASONS],
                                     label=_("解除原因"))
    urgent = serializers.BooleanField(required=False, default=False, label=_("情况紧急，立即解除"))
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, label=_("说明"))


class ShieldParams(OccurredAtMixin):
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000, label=_("说明"))


class ExtendParams(OccurredAtMixin):
    years = serializers.ChoiceField(choices=[(1, _("一年")), (2, _("两年")), (3, _("三年"))], label=_("延长期限"))
    reason = serializers.CharField(max_length=2000, label=_("延长理由"))


registry.register(TransitionSpec(
    "decide", gettext_lazy("作出惩戒决定"), DecideParams,
    lambda u, s: s.status == S.PROPOSED and _is_judge(u, s),
    lambda *, obj, actor, **p: services.sanction_decide(sanction=obj, actor=actor, **p),
))
registry.register(TransitionSpec(
    "serve", gettext_lazy("登记决定书送达"), ServeParams,
    lambda u, s: s.status in (S.DECIDED, S.GRACE) and s.served_at is None
    and (_is_judge(u, s) or (u.has_role(Role.OFFICER) and u.court_id == s.court_id)),
    lambda *, obj, actor, **p: services.sanction_serve(sanction=obj, actor=actor, **p),
    style="secondary",
))
registry.register(TransitionSpec(
    "grant_grace", gettext_lazy("给予宽限期"), GraceParams,
    lambda u, s: s.status == S.DECIDED and _is_judge(u, s),
    lambda *, obj, actor, **p: services.sanction_grant_grace(sanction=obj, actor=actor, **p),
    style="secondary",
))
registry.register(TransitionSpec(
    "publish", gettext_lazy("发布（推送征信平台）"), NoParams,
    lambda u, s: s.status in (S.DECIDED, S.GRACE) and _is_judge(u, s),
    lambda *, obj, actor, **p: services.sanction_publish(sanction=obj, actor=actor, **p),
))
registry.register(TransitionSpec(
    "lift_ground", gettext_lazy("登记解除事由"), LiftGroundParams,
    lambda u, s: s.status in LIFTABLE_STATUSES and not s.lift_ground
    and (_is_judge(u, s) or (u.has_role(Role.OFFICER) and u.court_id == s.court_id)),
    lambda *, obj, actor, **p: services.sanction_lift_ground(sanction=obj, actor=actor, **p),
    style="secondary",
))
registry.register(TransitionSpec(
    "lift", gettext_lazy("解除"), LiftParams,
    lambda u, s: s.status in LIFTABLE_STATUSES and _is_judge(u, s),
    lambda *, obj, actor, **p: services.sanction_lift(sanction=obj, actor=actor, **p),
    style="danger",
))
registry.register(TransitionSpec(
    "shield", gettext_lazy("屏蔽失信信息"), ShieldParams,
    lambda u, s: s.status == S.ACTIVE and s.kind == SanctionKind.DISHONEST_LIST and _is_judge(u, s),
    lambda *, obj, actor, **p: services.sanction_shield(sanction=obj, actor=actor, **p),
    style="secondary",
))
registry.register(TransitionSpec(
    "extend", gettext_lazy("延长失信期限"), ExtendParams,
    lambda u, s: s.status == S.ACTIVE and s.kind == SanctionKind.DISHONEST_LIST and s.term_until is not None
    and not s.extended_years and _is_judge(u, s),
    lambda *, obj, actor, **p: services.sanction_extend(sanction=obj, actor=actor, **p),
    style="secondary",
))


resources.register(resources.Resource(
    "sanctions", registry,
    lambda user, pk: selectors.sanction_for_user(user=user, pk=pk),
    lambda s: s.case,
    gettext_lazy("信用惩戒"),
))
