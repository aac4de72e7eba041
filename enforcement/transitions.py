"""The uniform transitions interface (SPEC §13): one registry per resource, one generic endpoint.

Each resource declares its transitions as ``TransitionSpec`` rows: the parameters' serializer, who
may see the button (role + state, no guards), and the service function that does the work.
``GET <resource>/<id>/transitions/`` lists what the caller may fire now; ``POST
<resource>/<id>/transitions/<name>/`` validates parameters and calls the service.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .models import User
from .text import Text


@dataclass(frozen=True)
class TransitionSpec:
    name: str
    label: Text  # Chinese button text
    params: type[serializers.Serializer]
    available: Callable[[User, Any], bool]  # role + state, for listing buttons
    run: Callable[..., Any]  # service: run(obj=..., actor=..., **params) -> obj
    style: str = "primary"


class Registry:
    def __init__(self) -> None:
        self._specs: dict[str, TransitionSpec] = {}

    def register(self, spec: TransitionSpec) -> None:
        self._specs[spec.name] = spec

    def get(self, name: str) -> TransitionSpec | None:
        return self._specs.get(name)

    def all(self) -> list[TransitionSpec]:
        return list(self._specs.values())

    def available(self, user: User, obj: Any) -> list[TransitionSpec]:
        return [s for s in self._specs.values() if s.available(user, obj)]


# No act recorded in this system happened before it could have been: the earliest time an
# ``occurred_at`` may name. (Before 1901 Asia/Shanghai is local mean time, +08:05:43, which is not
# an RFC 3339 offset: such a time could not even be answered in the API's own format.)
EARLIEST_OCCURRED_AT = datetime(2000, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


class OccurredAtMixin(serializers.Serializer):
    occurred_at = serializers.DateTimeField(required=False, allow_null=True, label=_("发生时间"),
                                            help_text=_("线下实际发生时间；不得晚于现在，不得早于上一节点"))

    def validate_occurred_at(self, value: datetime | None) -> datetime | None:
        if value is not None and value < EARLIEST_OCCURRED_AT:
            raise serializers.ValidationError("发生时间不得早于 2000 年 1 月 1 日。")
        return value


# --- the generic endpoints -----------------------------------------------------------------

from drf_spectacular.utils import OpenApiResponse, extend_schema  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.views import APIView  # noqa: E402

from .errors import NotFound  # noqa: E402


class TransitionsBase(APIView):
    """Subclasses set ``registry`` and implement ``get_object`` (court-scoped) and ``render``."""

    registry: Registry
    # For the schema generator only: a subclass that overrides ``post`` without its own
    # ``extend_schema`` still documents the common parameter instead of failing to guess one.
    serializer_class = OccurredAtMixin

    def get_object(self, request, pk):
        raise NotImplementedError  # pragma: no cover - abstract

    def render(self, request, obj) -> dict:
        raise NotImplementedError  # pragma: no cover - abstract


class TransitionListView(TransitionsBase):
    @extend_schema(responses=OpenApiResponse(description="the names of the transitions the caller may fire now"))
    def get(self, request, pk):
        obj = self.get_object(request, pk)
        return Response([s.name for s in self.registry.available(request.user, obj)])


class TransitionFireView(TransitionsBase):
    @extend_schema(request=OccurredAtMixin, responses=OpenApiResponse(description="the object after the transition"))
    def post(self, request, pk, name):
        from .drf import validate

        obj = self.get_object(request, pk)
        spec = self.registry.get(name)
        if spec is None:
            raise NotFound(gettext("没有名为 %(name)s 的操作。") % {"name": name}, code="unknown_transition")
        params = validate(spec.params, request.data)
        result = spec.run(obj=obj, actor=request.user, **params)
        return Response(self.render(request, result))


def transition_endpoints(*, name: str, registry: Registry, fetch: Callable[[User, Any], Any],
                         serializer: type[serializers.BaseSerializer],
                         ) -> tuple[type[TransitionListView], type[TransitionFireView]]:
    """The two uniform endpoints of one resource: ``fetch(user, pk)`` is its court-scoped get (404
    otherwise) and ``serializer`` renders the object after a transition."""
    attrs = {
        "registry": registry,
        "get_object": lambda self, request, pk: fetch(request.user, pk),
        "render": lambda self, request, obj: serializer(fetch(request.user, obj.pk)).data,
    }
    return (type(f"{name}TransitionList", (TransitionListView,), dict(attrs)),
            type(f"{name}TransitionFire", (TransitionFireView,), dict(attrs)))
