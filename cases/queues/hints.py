"""The next step of a case in the court's words, for the workbench and the case page (issue 17)."""

from __future__ import annotations

from deadlines.rules_data import NODE_NAMES
from enforcement.models import User

from ..models import Case, CaseStatus


def next_step(case: Case, user: User | None = None, *, next_node: str | None = None) -> str:
    """What should happen next and who does it, e.g. "待执行局收案（执行局内勤办理）"."""
    mine = user is not None and case.judge_id == user.pk
    if case.status == CaseStatus.FILED:
        return "已立案，待执行局收案（执行局内勤办理）"
    if case.status == CaseStatus.RECEIVED and case.judge_id is None:
        return "已收案，待指定承办法官（执行局内勤办理）"
    if case.status == CaseStatus.RECEIVED:
        return "请接收案件" if mine else "已分案，待承办法官接收"
    if case.status == CaseStatus.SUSPENDED:
        return "中止/暂缓中：事由消除后恢复执行"
    if case.status == CaseStatus.CLOSED:
        return f"已结案（{case.get_closure_display()}）" if case.closure else "已结案"
    if next_node:
        return f"下一步：{NODE_NAMES.get(next_node, '办理下一节点')}"
    return "推进执行：查控、处置财产，具备条件后结案"
