"""The words a party reads at each node (SPEC §10): plain Chinese for a citizen, no internal codes,
no account numbers except the case's own account, no ID numbers. One function per node; each takes
the case, the party's role and what the node needs, and returns the text."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from ..models import Case, PartyRole

HOTLINE = "12368"  # the courts' litigation-service line, where breaches can be reported [004 §20]


def _head(case: Case) -> str:
    return f"【{case.court.name}】"


def _day(at) -> str:
    d = timezone.localtime(at)
    return f"{d.year}年{d.month}月{d.day}日"


def filed(case: Case, role: str) -> str:
    return (f"{_head(case)}您申请执行的案件已于{_day(case.filed_at)}立案，案号{case.number}。"
            f"本案案款账号为{case.account_no}（一案一账号），被执行人的履行款项只能汇入该账号，"
            f"请勿向其他任何账户付款。查询码：{case.query_code}，可凭案号和查询码在“执行案件进度查询”"
            f"查看办理进度。如发现违规行为，可拨打{HOTLINE}反映。")


def accepted(case: Case, role: str) -> str:
    judge = case.judge
    phone = judge.phone if judge is not None and judge.phone else f"{HOTLINE}（诉讼服务热线）"
    name = judge.display_name if judge is not None else "承办法官"
    return f"{_head(case)}案件{case.number}已由承办法官{name}接收办理，联系电话：{phone}。"


def notice_sent(case: Case, role: str) -> str:
    if role == PartyRole.RESPONDENT:
        return (f"{_head(case)}法院已就案件{case.number}向您发出执行通知书和报告财产令，请按通知书的要求"
                f"履行义务、如实申报财产；款项只能汇入本案案款账号{case.account_no}。")
    return f"{_head(case)}案件{case.number}已向被执行人发出执行通知书和报告财产令。"


def query_result(case: Case, role: str, *, covered: list[str], found: dict[str, int]) -> str:
    scope = "、".join(map(str, covered)) or "各类财产"
    if found:
        what = "、".join(f"{label}{n}项" for label, n in found.items())
        return (f"{_head(case)}案件{case.number}网络查控（{scope}）已反馈，发现被执行人名下{what}，"
                f"法院将依法采取控制措施。")
    return f"{_head(case)}案件{case.number}网络查控（{scope}）已反馈，暂未发现被执行人名下可供执行的财产。"


def control(case: Case, role: str, *, property_type: str, measure: str) -> str:
    if role == PartyRole.RESPONDENT:
        return f"{_head(case)}因案件{case.number}，法院已对您名下的{property_type}采取{measure}措施。"
    return f"{_head(case)}案件{case.number}中，法院已对被执行人名下的{property_type}采取{measure}措施。"


def lead_result(case: Case, role: str, *, result: str) -> str:
    return f"{_head(case)}案件{case.number}：{result}"


def sanction(case: Case, role: str, *, kind: str, person: str) -> str:
    if role == PartyRole.RESPONDENT:
        return (f"{_head(case)}因未履行案件{case.number}确定的义务，法院已决定对{person}采取{kind}措施。"
                f"全部履行义务后，可以申请解除。")
    return f"{_head(case)}案件{case.number}中，法院已决定对被执行人采取{kind}措施。"


def funds_paid(case: Case, role: str, *, amount: Decimal, at) -> str:
    return (f"{_head(case)}案件{case.number}的执行案款{amount:,.2f}元已于{_day(at)}发放至您在立案时确认的"
            f"收款账户，请注意查收。")


# How a citizen is told why the case stopped, by the ground of the stop (SPEC §6.1 suspend).
SUSPENSION_WORDS = {
    "suspension": "依法中止执行",
    "postponement": "决定暂缓执行",
    "performance_grace": "给予被执行人履行宽限期，宽限期内暂停执行",
    "bankruptcy_review": "移送破产审查，审查期间中止执行",
    "force_majeure": "因不可抗力中止执行",
}


def suspended(case: Case, role: str, *, ground: str) -> str:
    words = SUSPENSION_WORDS.get(ground, "依法中止执行")
    return f"{_head(case)}案件{case.number}已{words}，期间执行期限停止计算；恢复执行时法院将另行告知。"


def resumed(case: Case, role: str) -> str:
    return f"{_head(case)}案件{case.number}已恢复执行。"


def closed(case: Case, role: str) -> str:
    text = f"{_head(case)}案件{case.number}已于{_day(case.closed_at)}结案，结案方式：{case.get_closure_display()}。"
    if case.closure == "terminated_round" and role == PartyRole.APPLICANT:
        text += "发现被执行人有可供执行的财产的，可以申请恢复执行。"
    return text


def complaint_answered(case: Case, role: str, *, answer: str, by_panel: bool) -> str:
    who = "经合议庭评议，" if by_panel else ""
    return f"{_head(case)}关于您对案件{case.number}的投诉，{who}答复如下：{answer}"


def query_code_reissued(case: Case, role: str) -> str:
    return (f"{_head(case)}案件{case.number}的查询码已重新生成，新查询码：{case.query_code}，"
            f"原查询码即日起停止使用。")
