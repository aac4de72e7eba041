"""``POST /api/v1/rulesets/what-if/`` (SPEC §13): replay rule changes over a court subtree's past cases."""

from __future__ import annotations

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from enforcement.drf import validate
from enforcement.errors import NotFound
from enforcement.models import Court

from . import services


class ChangeInput(serializers.Serializer):
    node = serializers.CharField(max_length=40)
    period = serializers.IntegerField(min_value=0, max_value=3650)
    unit = serializers.CharField(max_length=20)
    start_event = serializers.CharField(max_length=60, required=False)


# ``from`` is a Python keyword, so the serializer is built with type() to have a field of that name.
WhatIfInput = type("WhatIfInput", (serializers.Serializer,), {
    "court": serializers.IntegerField(),
    "from": serializers.DateField(),
    "to": serializers.DateField(),
    "changes": ChangeInput(many=True, allow_empty=False),
})


_item = inline_serializer("WhatIfDeadline", {
    "deadline": serializers.IntegerField(), "case": serializers.IntegerField(),
    "case_number": serializers.CharField(), "node": serializers.CharField(), "due": serializers.DateTimeField(),
    "live_due": serializers.DateTimeField(), "done_at": serializers.DateTimeField(allow_null=True),
    "judge": serializers.IntegerField(allow_null=True), "judge_name": serializers.CharField(),
})

WhatIfReport = inline_serializer("WhatIfReport", {
    "court": serializers.IntegerField(), "court_name": serializers.CharField(),
    "from": serializers.DateField(), "to": serializers.DateField(), "generated_at": serializers.DateTimeField(),
    "cases": serializers.IntegerField(), "deadlines": serializers.IntegerField(),
    "by_node": inline_serializer("WhatIfNode", {
        "node": serializers.CharField(), "name": serializers.CharField(), "deadlines": serializers.IntegerField(),
        "retimed": serializers.IntegerField(), "breaches_live": serializers.IntegerField(),
        "breaches_draft": serializers.IntegerField(), "breaches_added": serializers.IntegerField(),
        "breaches_removed": serializers.IntegerField(),
        "median_slack_days": serializers.FloatField(allow_null=True),
        "median_slack_days_live": serializers.FloatField(allow_null=True),
    }, many=True),
    "by_judge": inline_serializer("WhatIfJudge", {
        "judge": serializers.IntegerField(allow_null=True), "judge_name": serializers.CharField(),
        "breaches_added": serializers.IntegerField(), "breaches_removed": serializers.IntegerField(),
    }, many=True),
    "by_month": inline_serializer("WhatIfMonth", {
        "month": serializers.CharField(), "breaches_added": serializers.IntegerField(),
        "breaches_removed": serializers.IntegerField(),
    }, many=True),
    "added": _item.__class__(many=True), "removed": _item.__class__(many=True),
})


class WhatIf(APIView):
    """A bureau head or supervisor of the court (or its administrator); the court's subtree; the cases
    filed from ``from`` to ``to``. Writes nothing."""

    @extend_schema(
        request=WhatIfInput,
        responses={200: WhatIfReport},
    )
    def post(self, request):
        data = validate(WhatIfInput, request.data)
        court = Court.objects.filter(pk=data["court"]).first()
        if court is None:
            raise NotFound(gettext("未找到该法院。"))
        report = services.what_if(actor=request.user, court=court, date_from=data["from"],
                                  date_to=data["to"], changes=data["changes"])
        return Response(report)
