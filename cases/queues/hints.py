"""The next step of a case in the court's words, for the workbench and the case page (issue 17)."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext

from deadlines.rules_data import NODE_NAMES
from enforcement.models import User
from enforcement.templatetags.i18n_data import mark_data

from ..models import Case, CaseStatus


def next_step(case: Case, user: User | None = None, *, next_node: str | None = None) -> str:
    """What should happen next and who does it, e.g. "待执行局收案（执行局内勤办理）"."""
    mine = user is not None and case.judge_id == user.pk
    if case.status == CaseStatus.FILED:
        return gettext("已立案，待执行局收案（执行局内勤办理）")
    if case.status == CaseStatus.RECEIVED and case.judge_id is None:
        return gettext("已收案，待指定承办法官（执行局内勤办理）")
    if case.status == CaseStatus.RECEIVED:
        return gettext("请接收案件") if mine else gettext("已分案，待承办法官接收")
    if case.status == CaseStatus.SUSPENDED:
        return gettext("中止/暂缓中：事由消除后恢复执行")
    if case.status == CaseStatus.CLOSED:
        return (
            gettext("已结案（%(value)s）") % {"value": case.get_closure_display()}
            if case.closure
            else gettext("已结案")
        )
    if next_node:
        # The step's name is the rule set's own wording (data), marked for the English pages' check.
        return format_html(gettext("下一步：{}"), mark_data(NODE_NAMES.get(next_node, "办理下一节点")))
    return gettext("推进执行：查控、处置财产，具备条件后结案")
