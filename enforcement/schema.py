"""The OpenAPI schema's error answers (SPEC §13): every operation documents the 4xx it can answer,
with the body ``enforcement.drf.exception_handler`` really sends, added here once for all
operations by their kind rather than by hand on each.

* 400 ``invalid`` with per-field ``errors`` (or ``malformed_request``): writes, lists (their
  filters, ``page_size``) and reads that take query parameters;
* 401 ``not_authenticated`` / ``authentication_failed`` / ``token_expired``: every operation that
  authenticates; 403 ``permission_denied``: the same;
* 404 ``not_found``: every operation on an object (a path with an id: another court's object is
  not found), every write (the objects its body names) and every list (a page past the last);
* 409 ``transition_not_allowed`` and the other state conflicts, 422 the SPEC §7 guards with every
  ``violations`` entry: every write.
An operation that declares a status itself (``@extend_schema(responses=…)``) keeps its own; a view
whose answers differ from its kind's names them in ``error_statuses``.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")

DESCRIPTIONS = {
    "400": "输入有误：errors 按字段列出原因（code invalid），或请求体无法解析（malformed_request）。",
    "401": "未登录、令牌无效或已过期（not_authenticated、authentication_failed、token_expired）。",
    "403": "无权进行此操作（permission_denied 或具体的权限代码）。",
    "404": "对象不存在或不在本人可见的法院范围内（not_found）；列表页码超出范围。",
    "409": "对象当前状态不允许此操作，或与同时进行的修改冲突（transition_not_allowed 等）。",
    "422": "违反办案规则被拦截：violations 列出全部未通过的规则及依据（SPEC §7）。",
    "429": "尝试次数过多，暂时拒绝（throttled），Retry-After 给出等待秒数。",
}


class ViolationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="规则代码")
    detail = serializers.CharField(help_text="拦截原因")
    # A declared field named like Field.source in the stubs; at run time it is just the body's key.
    source = serializers.CharField(required=False, help_text="依据（规范性文件条款代码）")  # type: ignore[assignment]


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer (``enforcement.errors`` / ``enforcement.drf.exception_handler``)."""

    code = serializers.CharField(help_text="稳定的错误代码")
    detail = serializers.CharField(help_text="中文说明")
    # A declared field named like Serializer.errors in the stubs; at run time it is just the body's key.
    errors = serializers.DictField(child=serializers.JSONField(), required=False,  # type: ignore[assignment]
                                   help_text="400：按字段列出的错误")
    violations = ViolationSerializer(many=True, required=False, help_text="422：全部未通过的规则")


class AutoSchema(SpectacularAutoSchema):
    def _error_statuses(self) -> list[str]:
        declared = getattr(self.view, "error_statuses", None)
        if declared is not None:
            return list(declared)
        statuses = []
        writes = self.method in WRITE_METHODS
        has_object = "{" in self.path
        is_list = self.method == "GET" and self._is_list_view()
        if writes or is_list or (self.method == "GET" and self.get_override_parameters()):
            statuses.append("400")
        if any(self.get_auth()):  # [{}] is "no authentication" (a public operation)
            statuses += ["401", "403"]
        if has_object or is_list or writes:  # a write names other objects in its body too
            statuses.append("404")
        if writes:
            statuses += ["409", "422"]
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        if direction != "response":
            return responses
        for status in self._error_statuses():
            if status not in responses:
                responses[status] = self._get_response_for_code(ErrorSerializer, status, direction=direction)
                responses[status]["description"] = DESCRIPTIONS[status]
        return dict(sorted(responses.items()))
