"""The catalogue of audit event kinds (SPEC §12; STYLE: the audit vocabulary is a catalogue).

Each kind is a constant (its stored code, e.g. ``CASE_FILE = "case.file"``) registered with its
Chinese label and a formatter that turns the event's ``before``/``after`` payload into the line a
court user reads (amounts, names, the change that matters). Services name a kind by its constant;
the case timeline, the supervisors' lists, exports and the translation all render through
``describe``, so a kind without a label cannot reach a page (``test_every_recorded_kind_has_a_label``).

Choice values in payloads (a measure, a closure type) are worded by the labels the apps register in
their ``AppConfig.ready`` through ``register_values`` — the kernel does not import the floors above.
A module over 400 lines would be split by app; this one is one table and stays together.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

Payload = dict[str, Any]


@dataclass(frozen=True)
class Event:
    """What a formatter sees: the payload and the names of users it refers to (by id)."""

    before: Payload
    after: Payload
    users: dict[int, str]

    def get(self, key: str, default: Any = None) -> Any:
        return self.after.get(key, self.before.get(key, default))

    def user(self, key: str) -> str:
        uid = self.get(key)
        return self.users.get(uid, "") if isinstance(uid, int) else ""


Formatter = Callable[[Event], str]


@dataclass(frozen=True)
class EventKind:
    code: str
    label: str
    detail: Formatter | None = None


KINDS: dict[str, EventKind] = {}
# Families whose code carries a value: "case.milestone.<kind>", "credit.sanction.<action>".
FAMILIES: dict[str, tuple[str, Callable[[str, Event], tuple[str, str]]]] = {}
_VALUES: dict[str, dict[str, str]] = {}
# Payload keys that hold a user id (resolved to names in one query by the pages).
USER_KEYS = ("judge", "approved_by", "handler", "requested_by")


def kind(code: str, label: str, detail: Formatter | None = None) -> str:
    if code in KINDS:
        raise ValueError(f"audit event kind {code} registered twice")
    KINDS[code] = EventKind(code, label, detail)
    return code


def register_values(name: str, choices: Iterable[tuple[str, object]]) -> None:
    """Let an app word its choice values in audit lines (``register_values("measure", ControlMeasure.choices)``)."""
    _VALUES.setdefault(name, {}).update({str(v): str(label) for v, label in choices})


def value(name: str, v: Any) -> str:
    if v in (None, ""):
        return ""
    return _VALUES.get(name, {}).get(str(v), "")


def yuan(v: Any) -> str:
    try:
        return f"¥{Decimal(str(v)):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return ""


def _join(*parts: str) -> str:
    return "，".join(p for p in parts if p)


def _when(label: str, v: Any) -> str:
    return f"{label}{str(v)[:10]}" if v else ""


def _money(label: str, key: str) -> Formatter:
    return lambda e: f"{label}{yuan(e.get(key))}" if e.get(key) not in (None, "") else ""


# --- cases ------------------------------------------------------------------------------------

CASE_FILE = kind("case.file", "立案", lambda e: _join(
    f"案号 {e.get('number')}" if e.get("number") else "",
    f"申请执行标的 {yuan(e.get('claim_amount'))}" if e.get("claim_amount") else "",
    f"当事人 {'、'.join(e.get('parties'))}" if e.get("parties") else "",
    f"恢复自 {e.get('restored_from')}" if e.get("restored_from") else "",
    f"案款账号 {e.get('account_no')}" if e.get("account_no") else ""))
CASE_RECEIVE = kind("case.receive", "移送执行局")
CASE_ASSIGN = kind("case.assign", "指定承办法官", lambda e: f"承办法官 {e.user('judge')}" if e.user("judge") else "")
CASE_ACCEPT = kind("case.accept", "承办法官接收")
CASE_SUSPEND = kind("case.suspend", "中止/暂缓", lambda e: _join(
    value("suspension_ground", e.after.get("ground")),
    f"批准人 {e.user('approved_by')}" if e.user("approved_by") else ""))
CASE_RESUME = kind("case.resume", "恢复")
CASE_CLOSE = kind("case.close", "结案", lambda e: value("closure", e.after.get("closure")))
CASE_RESTORE = kind("case.restore", "恢复执行", lambda e: f"新案号 {e.get('number')}" if e.get("number") else "")
CASE_TRACK_CONVERT = kind("case.track_convert", "简案转繁案")
CASE_PAYEE_CHANGE = kind("case.payee_change", "变更收款账户", lambda e: _join(
    f"由 {e.before.get('holder', '')} {e.before.get('account_no', '')}".strip() if e.before.get("account_no") else "",
    f"变更为 {e.after.get('holder', '')} {e.after.get('bank', '')} {e.after.get('account_no', '')}".strip(),
    f"批准人 {e.user('approved_by')}" if e.user("approved_by") else ""))
CASE_LIMIT_STOP_START = kind("case.limit_stop.start", "审限扣除开始")
CASE_LIMIT_STOP_END = kind("case.limit_stop.end", "审限扣除结束")
# Overrides granted directly by a bureau head before approvals were requests (kept for the record).
OVERRIDE_GRANT = kind("override.grant", "批准例外")
OVERRIDE_USE = kind("override.use", "使用例外审批",
                    lambda e: f"批准人 {e.user('approved_by')}" if e.user("approved_by") else "")


def _approval(e: Event) -> str:
    return _join(value("approval_kind", e.get("kind")), value("guard", e.get("code")))


APPROVAL_REQUEST = kind("approval.request", "申请执行局长审批", _approval)
APPROVAL_APPROVE = kind("approval.approve", "执行局长批准", lambda e: _join(
    _approval(e), f"申请人 {e.user('requested_by')}" if e.user("requested_by") else ""))
APPROVAL_REJECT = kind("approval.reject", "执行局长不予批准", lambda e: _join(
    _approval(e), f"申请人 {e.user('requested_by')}" if e.user("requested_by") else ""))
APPROVAL_USE = kind("approval.use", "使用执行局长审批", lambda e: _join(
    _approval(e), f"批准人 {e.user('approved_by')}" if e.user("approved_by") else ""))

# --- property work ----------------------------------------------------------------------------

QUERY_INITIATE = kind("query.initiate", "发起网络查控", lambda e: _join(
    "、".join(filter(None, (value("query_channel", c) for c in e.get("channels") or []))),
    "终本定期查控" if e.get("round_review") else ""))
QUERY_FEEDBACK = kind("query.feedback", "网络查控反馈", lambda e: _join(
    f"登记财产 {len(e.get('properties') or [])} 项" if e.get("properties") else "未发现财产",
    "已覆盖全部财产类型" if e.get("complete") else ""))
LEAD_RECEIVE = kind("lead.receive", "收到财产线索", lambda e: "紧急线索" if e.get("urgent") else "")
LEAD_START_VERIFICATION = kind("lead.start_verification", "开始核查线索")
LEAD_CONFIRM = kind("lead.confirm", "线索核实属实")
LEAD_REJECT = kind("lead.reject", "线索不予认定")
PROPERTY_CONTROL = kind("property.control", "控制财产", lambda e: _join(
    value("measure", e.after.get("measure")),
    f"冻结金额 {yuan(e.after.get('freeze_amount'))}" if e.after.get("freeze_amount") else "",
    f"控制价值 {yuan(e.after.get('controlled_value'))}" if e.after.get("controlled_value") else ""))
PROPERTY_RENEW = kind("property.renew", "续行查封/冻结",
                      lambda e: f"第 {e.after['renewals']} 次续行" if e.after.get("renewals") else "")
PROPERTY_START_VALUATION = kind("property.start_valuation", "启动确定参考价",
                                lambda e: value("valuation_method", e.after.get("method")))
PROPERTY_SET_REFERENCE_PRICE = kind("property.set_reference_price", "确定参考价",
                                    _money("参考价 ", "reference_price"))
PROPERTY_START_DISPOSAL = kind("property.start_disposal", "启动处置",
                               lambda e: value("disposal_method", e.after.get("method")))
PROPERTY_SCHEDULE_AUCTION = kind("property.schedule_auction", "发布拍卖公告", lambda e: _join(
    f"第 {e.after['round']} 次拍卖" if e.after.get("round") else "",
    f"起拍价 {yuan(e.after.get('starting_price'))}" if e.after.get("starting_price") else ""))
PROPERTY_RECORD_AUCTION_RESULT = kind("property.record_auction_result", "记录处置结果", lambda e: (
    f"成交 {yuan(e.after.get('price'))}" if e.after.get("sold") else "流拍"))
PROPERTY_END_SELF_DISPOSAL = kind("property.end_self_disposal", "自行处置结束（未成交）")
PROPERTY_TRANSFER_TO_RESTORED = kind("property.transfer_to_restored", "财产转入恢复执行案件",
                                     lambda e: f"原案 {e.after['from_case']}" if e.after.get("from_case") else "")
PROPERTY_REALIZE = kind("property.realize", "价款到账")
PROPERTY_RELEASE = kind("property.release", "解除控制")
PROPERTY_PARTIAL_RELEASE = kind("property.partial_release", "部分解除冻结（滚动解封）",
                                _money("解除冻结 ", "amount"))

# --- parties: complaints, the query code, public progress (SPEC §10, §11) ----------------------

COMPLAINT_RECEIVE = kind("complaint.receive", "收到当事人投诉")
COMPLAINT_REFER = kind("complaint.refer", "投诉提交合议庭")
COMPLAINT_ANSWER = kind("complaint.answer", "答复当事人投诉")
QUERY_CODE_REISSUE = kind("case.query_code.reissue", "重新生成查询码")
PROGRESS_LOOKUP = kind("progress.lookup", "公开查询案件进度")

# --- courts working together (SPEC §11) ---------------------------------------------------------

SUPERVISION_ISSUE = kind("supervision.issue", "上级法院督办")
SUPERVISION_REPLY = kind("supervision.reply", "回复督办")
CASE_TRANSFER_TAKE_UP = kind("case.transfer.take_up", "提级执行")
CASE_TRANSFER_REASSIGN = kind("case.transfer.reassign", "指令执行")
TRANSFER_KINDS = {"take_up": CASE_TRANSFER_TAKE_UP, "reassign": CASE_TRANSFER_REASSIGN}
DISPUTE_REPORT = kind("dispute.report", "报请协调执行争议")
DISPUTE_REFER = kind("dispute.refer", "报请上级法院协调")
DISPUTE_START_COORDINATION = kind("dispute.start_coordination", "上级法院启动协调")
DISPUTE_RESOLVE = kind("dispute.resolve", "作出协调意见")
DISPUTE_IMPLEMENT = kind("dispute.implement", "落实协调意见")
DELEGATION_REQUEST = kind("delegation.request", "委托其他法院办理事项")
DELEGATION_ACCEPT = kind("delegation.accept", "受托法院接受委托")
DELEGATION_COMPLETE = kind("delegation.complete", "委托事项办结")
DELEGATION_RETURN = kind("delegation.return", "委托事项退回")

# --- petitions --------------------------------------------------------------------------------

PETITION_RECEIVE = kind("petition.receive", "收到信访",
                        lambda e: f"信访人 {e.after['petitioner']}" if e.after.get("petitioner") else "")
PETITION_REGISTER = kind("petition.register", "信访录入")
PETITION_RESOLVE = kind("petition.resolve", "信访办结并答复")

# --- funds ------------------------------------------------------------------------------------

RECEIPT_RECORD = kind("receipt.record", "案款到账", lambda e: _join(
    yuan(e.after.get("amount")), f"付款人 {e.after['payer']}" if e.after.get("payer") else "",
    value("receipt_status", e.after.get("status"))))
RECEIPT_MATCH = kind("receipt.match", "不明款认领",
                     lambda e: f"认领至 {e.after['number']}" if e.after.get("number") else "")
RECEIPT_ALLOCATE = kind("receipt.allocate", "分配案款", lambda e: _join(
    *(yuan(a) for _party, a in e.after.get("allocations") or [])))
STATEMENT_IMPORT = kind("statement.import", "导入银行流水", lambda e: _join(
    f"新增 {e.after.get('created', 0)} 笔", f"重复 {e.after.get('duplicates', 0)} 笔",
    f"不明款 {e.after.get('unidentified', 0)} 笔"))
DISBURSEMENT_CREATE = kind("disbursement.create", "生成待发放案款", _money("", "amount"))
DISBURSEMENT_NOTIFY = kind("disbursement.notify", "发出支付案款通知", _money("", "amount"))
DISBURSEMENT_PAY = kind("disbursement.pay", "发放案款", lambda e: _join(
    yuan(e.after.get("amount")), f"收款账号 {e.after['account_no']}" if e.after.get("account_no") else "",
    f"银行流水号 {e.after['bank_ref']}" if e.after.get("bank_ref") else ""))
DISBURSEMENT_HOLD = kind("disbursement.hold", "暂缓发放/提存", lambda e: _join(
    yuan(e.after.get("amount")), value("hold_ground", e.after.get("ground"))))
DISBURSEMENT_APPROVE_HOLD = kind("disbursement.approve_hold", "批准暂缓发放/提存",
                                 lambda e: value("hold_ground", e.after.get("ground")))
DISBURSEMENT_RELEASE_HOLD = kind("disbursement.release_hold", "暂缓事由消除", _money("", "amount"))
DISBURSEMENT_SPLIT = kind("disbursement.split", "拆分争议款项", _money("争议部分 ", "disputed_amount"))
PAYEE_CHANGE_REQUEST = kind("payee_change.request", "申请变更收款账户", lambda e: _join(
    f"变更为 {e.after.get('holder', '')} {e.after.get('bank', '')} {e.after.get('account_no', '')}".strip()))
PAYEE_CHANGE_APPROVE = kind("payee_change.approve", "批准变更收款账户")
PAYEE_CHANGE_REJECT = kind("payee_change.reject", "驳回变更收款账户")

# --- credit -----------------------------------------------------------------------------------

CREDIT_CORRECTION_RECEIVE = kind("credit.correction.receive", "收到失信纠正申请")
CREDIT_CORRECTION_DECIDE = kind("credit.correction.decide", "审查失信纠正申请",
                                lambda e: value("correction_outcome", e.after.get("outcome")))

# --- the clock, alerts, rules and calendars -----------------------------------------------------


def _node(e: Event) -> str:
    return value("node", e.get("node"))


DEADLINE_START = kind("deadline.start", "期限开始计算",
                      lambda e: _join(_node(e), _when("届满 ", e.after.get("due_at"))))
DEADLINE_MEET = kind("deadline.meet", "节点完成", lambda e: _join(_node(e), "逾期完成" if e.after.get("late") else ""))
DEADLINE_CANCEL = kind("deadline.cancel", "期限撤销", _node)
DEADLINE_PAUSE = kind("deadline.pause", "期限暂停计算")
DEADLINE_RESUME = kind("deadline.resume", "期限顺延")
DEADLINE_RETIME = kind("deadline.retime", "期限重新计算", lambda e: _when("届满 ", e.after.get("due_at")))
DEADLINE_RECOMPUTE = kind("deadline.recompute", "期限按日历重算", lambda e: _when("届满 ", e.after.get("due_at")))
DEADLINE_END_BREACHED = kind("deadline.end_breached", "超期节点随对象终止（超期记录保留）")
DEADLINE_CORRECT_START = kind("deadline.correct_start", "更正起算时间", lambda e: _join(
    _when("起算 ", e.after.get("started_at")), _when("届满 ", e.after.get("due_at"))))
ALERT_ACKNOWLEDGE = kind("alert.acknowledge", "确认预警")
ALERT_PROMPT = kind("alert.prompt", "督促承办人", lambda e: _join(
    e.user("handler"), _node(e), value("alert_level", e.after.get("level"))))
ALERT_ESCALATE = kind("alert.escalate", "升级督办", _node)
RULE_ADD = kind("rule.add", "新增期限规则")
RULE_CHANGE = kind("rule.change", "修改期限规则")
RULE_DELETE = kind("rule.delete", "删除期限规则")
RULESET_ADD = kind("ruleset.add", "新增规则集")
RULESET_CHANGE = kind("ruleset.change", "修改规则集")
RULESET_DELETE = kind("ruleset.delete", "删除规则集")
RULESET_SEED = kind("ruleset.seed", "载入规则集")
CALENDAR_CREATE = kind("calendar.create", "新建工作日历")
CALENDAR_SEED = kind("calendar.seed", "载入法定节假日")
CALENDAR_LOAD_YEAR = kind("calendar.load_year", "载入年度节假日安排",
                          lambda e: f"{e.after['year']}年" if e.after.get("year") else "")
CALENDAR_DAY_CREATE = kind("calendar.day_create", "新增节假日/调休日", lambda e: str(e.after.get("date", "")))
CALENDAR_DAY_UPDATE = kind("calendar.day_update", "修改节假日/调休日", lambda e: str(e.after.get("date", "")))
CALENDAR_DAY_DELETE = kind("calendar.day_delete", "删除节假日/调休日", lambda e: str(e.before.get("date", "")))
METRICS_EXPORT = kind("metrics.export", "导出核心指标", lambda e: _join(
    f"{e.after.get('from', '')} 至 {e.after.get('to', '')}" if e.after.get("from") else "",
    str(e.after.get("format", "")).upper()))

# --- rule what-if drafts (deadlines/whatif) ---------------------------------------------------

def _span(e: Event) -> str:
    return f"{e.after.get('from', '')} 至 {e.after.get('to', '')}" if e.after.get("from") else ""


RULEDRAFT_CREATE = kind("ruledraft.create", "新建规则试算草案",
                        lambda e: _join(str(e.after.get("name", "")), _span(e)))
RULEDRAFT_SET_PERIOD = kind("ruledraft.set_period", "修改试算期间", _span)
RULEDRAFT_CHANGE_RULE = kind("ruledraft.change_rule", "修改草案规则", lambda e: _join(
    _node(e), f"{e.after.get('period')} {value('unit', e.after.get('unit'))}".strip() if e.after.get("period") else ""))
RULEDRAFT_ADD_RULE = kind("ruledraft.add_rule", "草案新增规则", lambda e: _join(
    _node(e), f"{e.after.get('period')} {value('unit', e.after.get('unit'))}".strip() if e.after.get("period") else ""))
RULEDRAFT_REMOVE_RULE = kind("ruledraft.remove_rule", "草案删除规则", _node)
RULEDRAFT_RUN = kind("ruledraft.run", "运行规则试算")
RULEDRAFT_ADOPT = kind("ruledraft.adopt", "采纳试算规则", lambda e: (
    f"自 {str(e.after['effective_from'])[:10]} 起施行" if e.after.get("effective_from") else ""))
RULEDRAFT_EXPORT = kind("ruledraft.export", "导出试算报告", lambda e: str(e.after.get("format", "")).upper())

# --- documents and accounts -------------------------------------------------------------------

DOCUMENT_GENERATE = kind("document.generate", "生成法律文书", lambda e: _join(
    value("document_kind", e.after.get("kind")), f"第 {e.after['version']} 版" if e.after.get("version") else ""))
USER_LOGIN = kind("user.login", "登录")
USER_LOGIN_FAILED = kind("user.login_failed", "登录失败")
USER_LOGOUT = kind("user.logout", "退出登录")
USER_TOKEN_LOGIN = kind("user.token_login", "接口令牌登录")

# --- families ---------------------------------------------------------------------------------

CASE_MILESTONE = "case.milestone."
CREDIT_SANCTION = "credit.sanction."
SANCTION_ACTIONS = {
    "propose": "提请信用惩戒", "decide": "作出信用惩戒决定", "serve": "送达信用惩戒决定", "grant_grace": "给予宽限期",
    "publish": "发布信用惩戒", "lift_ground": "出现解除事由", "lift": "解除信用惩戒", "shield": "屏蔽失信信息",
    "extend": "延长失信期限",
}


def milestone(kind_value: str) -> str:
    """The code of recording a milestone, e.g. ``milestone("notice_sent")`` → case.milestone.notice_sent."""
    return CASE_MILESTONE + kind_value


def sanction(action: str) -> str:
    if action not in SANCTION_ACTIONS:
        raise ValueError(f"unknown sanction action {action}")
    return CREDIT_SANCTION + action


def _milestone(rest: str, e: Event) -> tuple[str, str]:
    return "记录节点", value("milestone", rest)


def _sanction(rest: str, e: Event) -> tuple[str, str]:
    label = SANCTION_ACTIONS.get(rest, "")
    detail = _join(value("sanction_kind", e.get("kind")),
                   f"被执行人 {e.after['party']}" if e.after.get("party") else "",
                   f"宽限 {e.after['months']} 个月" if e.after.get("months") else "",
                   f"延长 {e.after['years']} 年" if e.after.get("years") else "")
    return label, detail


FAMILIES[CASE_MILESTONE] = ("记录节点", _milestone)
FAMILIES[CREDIT_SANCTION] = ("信用惩戒", _sanction)


def label_of(code: str) -> str:
    """The Chinese label of a kind; '' for a code the catalogue does not know."""
    if code in KINDS:
        return KINDS[code].label
    for prefix, (_label, fmt) in FAMILIES.items():
        if code.startswith(prefix):
            return fmt(code.removeprefix(prefix), Event({}, {}, {}))[0]
    return ""


def user_ids(payloads: Iterable[tuple[Any, Any]]) -> set[int]:
    """Ids of the users the payloads name, so a page resolves them in one query."""
    out: set[int] = set()
    for before, after in payloads:
        for p in (before, after):
            if isinstance(p, dict):
                out.update(v for k in USER_KEYS if isinstance(v := p.get(k), int))
    return out


def describe(code: str, before: Any = None, after: Any = None, users: dict[int, str] | None = None) -> tuple[str, str]:
    """(label, detail) of an event, e.g. ("发放案款", "¥12,000.00，收款账号 6222…")."""
    e = Event(before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}, users or {})
    if code in KINDS:
        k = KINDS[code]
        return k.label, (k.detail(e) if k.detail else "")
    for prefix, (_label, fmt) in FAMILIES.items():
        if code.startswith(prefix):
            label, detail = fmt(code.removeprefix(prefix), e)
            return label or _label, detail
    return "其他操作", ""


def label_events(events: list) -> list:
    """Set ``label`` and ``detail`` on each AuditEvent, naming the users they refer to in one query."""
    from enforcement.models import User

    ids = user_ids((ev.before, ev.after) for ev in events)
    users = {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)} if ids else {}
    for ev in events:
        ev.label, ev.detail = describe(ev.action, ev.before, ev.after, users)
    return events
