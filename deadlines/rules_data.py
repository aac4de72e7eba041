"""The rule sets of SPEC §4 as data rows, loaded by ``deadlines.services.rulesets_seed``.

Each row: (node, 中文节点, start event, period, unit, condition, source). Start events are the names
services pass to ``deadline_start`` (see EVENTS below). After seeding, admins edit rules in the
admin site; edits apply to deadlines started afterwards (SPEC §4).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from enforcement import legal

# Start events and what they mean (Chinese, for explanations).
EVENTS = {
    "case.filed": "立案",
    "case.received": "执行局收案",
    "case.accepted": "承办法官接收案件",
    "case.closed_terminated_round": "以终本方式结案",
    "query.feedback": "网络查控反馈",
    "lead.received": "收到财产线索",
    "property.controlled": "财产被控制",
    "property.renewed": "续行查封、冻结",
    "property.priced": "确定财产处置参考价",
    "property.self_disposal_allowed": "准许被执行人自行处置",
    "property.found": "发现可供执行财产",
    "property.auction_failed": "拍卖流拍",
    "query.round_review": "终本案件定期网络查控",
    "funds.arrived": "案款到账",
    "funds.notified": "发出案款支付通知",
    "funds.hold_ended": "暂缓发放/提存事由消除",
    "sanction.lift_ground": "出现解除限制消费事由",
    "complaint.received": "收到当事人投诉",
    "petition.received": "收到信访",
    "dispute.reported": "报请协调执行争议",
    "dispute.resolved": "上级法院作出协调意见",
    "dispute.organ_unresolved": "与其他执法机关协商不成、需报上级法院协调",
    "dispute.organ_referred": "报请上级法院协调与其他执法机关的争议",
    "delegation.requested": "发出执行事项委托",
    "delegation.accepted": "受托法院接受委托",
    "supervision.issued": "上级法院下达督办意见",
    "sanction.correction_requested": "收到失信纠正申请",
}

NODE_NAMES = {
    "CASE_ACCEPT": "承办法官接收案件",
    "NOTICE_SEND": "发出执行通知书、报告财产令",
    "QUERY_START": "发起网络查控",
    "CONTROL_ONLINE": "网上控制可线上控制的财产",
    "CONTROL_OFFLINE": "控制不能线上控制的财产",
    "LEAD_URGENT": "开始核查紧急财产线索",
    "LEAD_VERIFY": "核查财产线索并告知申请执行人",
    "PRICE_START": "启动确定财产处置参考价程序",
    "DISPOSAL_START": "启动财产处置程序",
    "SELF_DISPOSAL_END": "被执行人自行处置期满",
    "AUCTION_RELIST": "流拍后再次拍卖",
    "FUNDS_NOTICE": "向财务部门发出案款支付通知",
    "FUNDS_PAY": "财务部门发放案款",
    "FUNDS_OUT": "案款发放完毕",
    "FUNDS_HELD_OUT": "暂缓发放/提存案款发放",
    "RESTRICTION_LIFT": "解除限制消费措施",
    "RESTORE": "终本案件恢复执行",
    "COMPLAINT_REPLY": "答复当事人投诉",
    "PETITION_REGISTER": "信访录入系统",
    "PETITION_RESOLVE": "信访办结并答复",
    "DISPUTE_RESOLVE": "上级法院协调执行争议",
    "DISPUTE_IMPLEMENT": "下级法院落实协调意见",
    "DISPUTE_REFER": "报请上级法院协调与其他执法机关的争议",
    "DISPUTE_COORDINATE": "上级法院启动与其他部门的协调",
    "DELEGATION_ACCEPT": "受托法院接受委托事项",
    "DELEGATION_DONE": "受托法院办结委托事项",
    "SUPERVISION_REPLY": "回复上级法院督办",
    "CASE_LIMIT": "法定审限内结案",
    "CONTROL_EXPIRY": "续行查封、冻结",
    "ROUND_REVIEW": "终本案件定期网络查控",
    "CORRECTION_REPLY": "审查失信纠正申请",
}

# The documents behind the short source codes (kept in the kernel, where refusals cite them too).
SOURCE_DOCUMENTS = legal.SOURCE_DOCUMENTS

ROUND_SOURCE = "最高人民法院关于严格规范终结本次执行程序的规定"

NATIONAL: dict[str, Any] = {
    "code": "national",
    "name": "全国规则（最高人民法院）",
    "source": "最高人民法院关于人民法院办理执行案件若干期限的规定（法发〔2006〕35号）；"
              "最高人民法院关于进一步完善执行权制约机制加强执行监督的意见（2021年12月6日）",
    "applies_everywhere": True,
    "effective_from": None,
    "effective_to": None,
    "settings": {"over_seizure_ratio": "1.20", "due_soon_working_days": 3},
    "courts": [],
    "rules": [
        ("CASE_ACCEPT", "case.filed", 7, "days", {}, "[SPC2006 §2]"),
        ("NOTICE_SEND", "case.accepted", 3, "days", {}, "[SPC2006 §4]"),
        ("QUERY_START", "case.received", 5, "working_days", {}, "[004 §13]"),
        ("CONTROL_ONLINE", "query.feedback", 0, "immediately", {"online_controllable": True}, "[004 §13]"),
        ("CONTROL_OFFLINE", "query.feedback", 3, "working_days", {"online_controllable": False}, "[004 §13]"),
        ("LEAD_URGENT", "lead.received", 24, "hours", {"urgent": True}, "[004 §13]"),
        ("LEAD_VERIFY", "lead.received", 5, "days", {}, "[SPC2006 §6]"),
        ("PRICE_START", "property.controlled", 30, "days", {"needs_sale": True}, "[004 §16]"),
        ("DISPOSAL_START", "property.priced", 10, "days", {}, "[004 §16]"),
        ("SELF_DISPOSAL_END", "property.self_disposal_allowed", 90, "days", {}, "[004 §17]"),
        # 流拍后应当在三十日内再次拍卖; after the second round fails the property is sold (变卖) instead.
        ("AUCTION_RELIST", "property.auction_failed", 30, "days", {"relist": True}, "[SPC2016 §26]"),
        ("FUNDS_NOTICE", "funds.arrived", 10, "working_days", {}, "[004 §22]"),
        ("FUNDS_PAY", "funds.notified", 5, "working_days", {}, "[004 §22]"),
        ("FUNDS_HELD_OUT", "funds.hold_ended", 10, "days", {}, "[001]"),
        ("RESTRICTION_LIFT", "sanction.lift_ground", 3, "working_days", {}, "[004 §23]"),
        ("RESTRICTION_LIFT", "sanction.lift_ground", 0, "immediately", {"urgent": True}, "[004 §23]"),
        ("RESTORE", "property.found", 3, "working_days", {}, "[002]"),
        ("COMPLAINT_REPLY", "complaint.received", 3, "days", {}, "[001]"),
        ("PETITION_REGISTER", "petition.received", 5, "working_days", {}, "[004 §30]"),
        ("PETITION_RESOLVE", "petition.received", 30, "working_days", {}, "[004 §30]"),
        ("DISPUTE_RESOLVE", "dispute.reported", 1, "months", {}, "[004 §27]"),
        ("DISPUTE_IMPLEMENT", "dispute.resolved", 15, "working_days", {}, "[004 §27]"),
        # [004 §27] 与检察、公安及其他执法机关的执行争议：需报上级法院协调的，5 个工作日内报请；
        # 上级法院 10 个工作日内启动与其他部门的协调程序.
        ("DISPUTE_REFER", "dispute.organ_unresolved", 5, "working_days", {}, "[004 §27]"),
        ("DISPUTE_COORDINATE", "dispute.organ_referred", 10, "working_days", {}, "[004 §27]"),
        # Delegated tasks (执行事项委托 [004 §27]): the periods are local practice, kept as rule data so a
        # court's rule set can change them (SPEC §11).
        ("DELEGATION_ACCEPT", "delegation.requested", 3, "working_days", {}, "执行事项委托工作惯例"),
        ("DELEGATION_DONE", "delegation.accepted", 30, "days", {}, "执行事项委托工作惯例"),
        # [004 §28] 督促执行: the handling court's reply, 15 days by local practice (rule data).
        ("SUPERVISION_REPLY", "supervision.issued", 15, "days", {}, "[004 §28]"),
        ("CASE_LIMIT", "case.filed", 6, "months", {}, "[SPC2006 §1]"),
        ("CASE_LIMIT", "case.filed", 3, "months", {"basis_kind": "non_litigation"}, "[SPC2006 §1]"),
        ("CASE_LIMIT", "case.filed", 3, "months", {"government_organ_debtor": True}, "[002]"),
        # Control lapses: bank freeze 1 year, movables 2 years, real estate and other rights 3 years;
        # warned 30 days ahead (civil-procedure interpretation, beyond the seeds).
        ("CONTROL_EXPIRY", "property.controlled", 12, "months", {"control_class": "bank"}, "民诉法解释第485条"),
        ("CONTROL_EXPIRY", "property.controlled", 24, "months", {"control_class": "movable"}, "民诉法解释第485条"),
        ("CONTROL_EXPIRY", "property.controlled", 36, "months", {"control_class": "immovable"}, "民诉法解释第485条"),
        ("CONTROL_EXPIRY", "property.renewed", 12, "months", {"control_class": "bank"}, "民诉法解释第485条"),
        ("CONTROL_EXPIRY", "property.renewed", 24, "months", {"control_class": "movable"}, "民诉法解释第485条"),
        ("CONTROL_EXPIRY", "property.renewed", 36, "months", {"control_class": "immovable"}, "民诉法解释第485条"),
        ("ROUND_REVIEW", "case.closed_terminated_round", 6, "months", {}, ROUND_SOURCE),
        ("ROUND_REVIEW", "query.round_review", 6, "months", {}, ROUND_SOURCE),
        # Correction requests against a listing are reviewed promptly; 15 days by default (SPEC §6.4).
        ("CORRECTION_REPLY", "sanction.correction_requested", 15, "days", {}, "[004 §23]"),
    ],
}

LUOYANG: dict[str, Any] = {
    "code": "luoyang-2021",
    "name": "洛阳市中级人民法院执行领域突出问题专项整治规则（2021）",
    "source": "洛中法〔2021〕26号",
    "applies_everywhere": False,
    "effective_from": date(2021, 3, 20),
    "effective_to": date(2021, 12, 31),
    "settings": {},
    "courts": ["洛阳市中级人民法院"],
    "rules": [
        ("CASE_ACCEPT", "case.filed", 3, "days", {}, "[001]"),
        ("NOTICE_SEND", "case.filed", 10, "days", {}, "[001]"),
        ("QUERY_START", "case.accepted", 3, "days", {}, "[001]"),
        ("CONTROL_ONLINE", "query.feedback", 48, "hours", {"online_controllable": True}, "[001]"),
        ("CONTROL_OFFLINE", "query.feedback", 10, "working_days", {"online_controllable": False}, "[001]"),
        ("DISPOSAL_START", "property.priced", 30, "days", {}, "[001]"),
        ("FUNDS_OUT", "funds.arrived", 30, "days", {}, "[001]"),
    ],
}

ZHEJIANG: dict[str, Any] = {
    "code": "zhejiang-2016",
    "name": "浙江法院基本解决执行难实施方案规则（2016）",
    "source": "浙高法〔2016〕55号",
    "applies_everywhere": False,
    "effective_from": date(2016, 4, 29),
    "effective_to": None,
    # [002 §4] 各次拍卖降价，原则上应一次性降足: a later auction round takes the whole 20 % cut at once.
    "settings": {"auction_cut_in_full": True},
    "courts": ["浙江省高级人民法院"],
    "rules": [
        ("LEAD_VERIFY", "lead.received", 7, "working_days", {}, "[002]"),
        ("FUNDS_OUT", "funds.arrived", 7, "working_days", {}, "[002]"),
    ],
}

RULE_SETS = [NATIONAL, LUOYANG, ZHEJIANG]
