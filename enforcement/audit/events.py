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

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enforcement.text import Text

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
    label: Text
    detail: Formatter | None = None


KINDS: dict[str, EventKind] = {}
# Families whose code carries a value: "case.milestone.<kind>", "credit.sanction.<action>".
FAMILIES: dict[str, tuple[Text, Callable[[str, Event], tuple[Text, str]]]] = {}
_VALUES: dict[str, dict[str, Text]] = {}
# Payload keys that hold a user id (resolved to names in one query by the pages).
USER_KEYS = ("judge", "approved_by", "handler", "requested_by")


def kind(code: str, label: Text, detail: Formatter | None = None) -> str:
    if code in KINDS:
        raise ValueError(f"audit event kind {code} registered twice")
    KINDS[code] = EventKind(code, label, detail)
    return code


def register_values(name: str, choices: Iterable[tuple[str, Text]]) -> None:
    """Let an app word its choice values in audit lines (``register_values("measure", ControlMeasure.choices)``)."""
    _VALUES.setdefault(name, {}).update({str(v): label for v, label in choices})


def value(name: str, v: Any) -> str:
    if v in (None, ""):
        return ""
    return str(_VALUES.get(name, {}).get(str(v), ""))


def yuan(v: Any) -> str:
    try:
        return f"¥{Decimal(str(v)):,.2f}"
    except (InvalidOperation, TypeError, ValueError):
        return ""


def _join(*parts: str) -> str:
    return gettext("，").join(p for p in parts if p)


def _when(label: str, v: Any) -> str:
    return f"{label}{str(v)[:10]}" if v else ""


def _money(label: Text, key: str) -> Formatter:
    return lambda e: f"{label}{yuan(e.get(key))}" if e.get(key) not in (None, "") else ""


# --- cases ------------------------------------------------------------------------------------

CASE_FILE = kind("case.file", _("立案"), lambda e: _join(
    gettext("案号 %(value)s") % {"value": e.get('number')} if e.get("number") else "",
    gettext("申请执行标的 %(value)s") % {"value": yuan(e.get('claim_amount'))} if e.get("claim_amount") else "",
    gettext("当事人 %(value)s") % {"value": '、'.join(e.get('parties'))} if e.get("parties") else "",
    gettext("恢复自 %(value)s") % {"value": e.get('restored_from')} if e.get("restored_from") else "",
    gettext("案款账号 %(value)s") % {"value": e.get('account_no')} if e.get("account_no") else ""))
CASE_RECEIVE = kind("case.receive", _("移送执行局"))
CASE_ASSIGN = kind(
    "case.assign",
    _("指定承办法官"),
    lambda e: gettext("承办法官 %(value)s") % {"value": e.user("judge")} if e.user("judge") else "",
)
CASE_ACCEPT = kind("case.accept", _("承办法官接收"))
CASE_SUSPEND = kind(
    "case.suspend",
    _("中止/暂缓"),
    lambda e: _join(
        value("suspension_ground", e.after.get("ground")),
        gettext("批准人 %(value)s") % {"value": e.user("approved_by")} if e.user("approved_by") else "",
    ),
)
CASE_RESUME = kind("case.resume", _("恢复"))
CASE_CLOSE = kind("case.close", _("结案"), lambda e: value("closure", e.after.get("closure")))
CASE_RESTORE = kind(
    "case.restore",
    _("恢复执行"),
    lambda e: gettext("新案号 %(value)s") % {"value": e.get("number")} if e.get("number") else "",
)
CASE_TRACK_CONVERT = kind("case.track_convert", _("简案转繁案"))
CASE_PAYEE_CHANGE = kind(
    "case.payee_change",
    _("变更收款账户"),
    lambda e: _join(
        (gettext("由 %(value)s %(value2)s")
         % {"value": e.before.get("holder", ""), "value2": e.before.get("account_no", "")}).strip()
        if e.before.get("account_no")
        else "",
        (gettext("变更为 %(value)s %(value2)s %(value3)s")
         % {
             "value": e.after.get("holder", ""),
             "value2": e.after.get("bank", ""),
             "value3": e.after.get("account_no", ""),
         }).strip(),
        gettext("批准人 %(value)s") % {"value": e.user("approved_by")} if e.user("approved_by") else "",
    ),
)
CASE_LIMIT_STOP_START = kind("case.limit_stop.start", _("审限扣除开始"))
CASE_LIMIT_STOP_END = kind("case.limit_stop.end", _("审限扣除结束"))
# Overrides granted directly by a bureau head before approvals were requests (kept for the record).
OVERRIDE_GRANT = kind("override.grant", _("批准例外"))
OVERRIDE_USE = kind(
    "override.use",
    _("使用例外审批"),
    lambda e: gettext("批准人 %(value)s") % {"value": e.user("approved_by")} if e.user("approved_by") else "",
)


def _approval(e: Event) -> str:
    return _join(value("approval_kind", e.get("kind")), value("guard", e.get("code")))


APPROVAL_REQUEST = kind("approval.request", _("申请执行局长审批"), _approval)
APPROVAL_APPROVE = kind("approval.approve", _("执行局长批准"), lambda e: _join(
    _approval(e), gettext("申请人 %(value)s") % {"value": e.user("requested_by")} if e.user("requested_by") else ""))
APPROVAL_REJECT = kind("approval.reject", _("执行局长不予批准"), lambda e: _join(
    _approval(e), gettext("申请人 %(value)s") % {"value": e.user("requested_by")} if e.user("requested_by") else ""))
APPROVAL_USE = kind("approval.use", _("使用执行局长审批"), lambda e: _join(
    _approval(e), gettext("批准人 %(value)s") % {"value": e.user("approved_by")} if e.user("approved_by") else ""))

# --- property work ----------------------------------------------------------------------------

QUERY_INITIATE = kind(
    "query.initiate",
    _("发起网络查控"),
    lambda e: _join(
        gettext("、").join(filter(None, (value("query_channel", c) for c in e.get("channels") or []))),
        gettext("终本定期查控") if e.get("round_review") else "",
    ),
)
QUERY_FEEDBACK = kind(
    "query.feedback",
    _("网络查控反馈"),
    lambda e: _join(
        gettext("登记财产 %(value)s 项") % {"value": len(e.get("properties") or [])}
        if e.get("properties")
        else gettext("未发现财产"),
        gettext("已覆盖全部财产类型") if e.get("complete") else "",
    ),
)
LEAD_RECEIVE = kind("lead.receive", _("收到财产线索"), lambda e: gettext("紧急线索") if e.get("urgent") else "")
LEAD_START_VERIFICATION = kind("lead.start_verification", _("开始核查线索"))
LEAD_CONFIRM = kind("lead.confirm", _("线索核实属实"))
LEAD_REJECT = kind("lead.reject", _("线索不予认定"))
PROPERTY_CONTROL = kind(
    "property.control",
    _("控制财产"),
    lambda e: _join(
        value("measure", e.after.get("measure")),
        gettext("冻结金额 %(value)s") % {"value": yuan(e.after.get("freeze_amount"))}
        if e.after.get("freeze_amount")
        else "",
        gettext("控制价值 %(value)s") % {"value": yuan(e.after.get("controlled_value"))}
        if e.after.get("controlled_value")
        else "",
    ),
)
PROPERTY_RENEW = kind(
    "property.renew",
    _("续行查封/冻结"),
    lambda e: gettext("第 %(value)s 次续行") % {"value": e.after["renewals"]} if e.after.get("renewals") else "",
)
PROPERTY_START_VALUATION = kind(
    "property.start_valuation", _("启动确定参考价"), lambda e: value("valuation_method", e.after.get("method"))
)
PROPERTY_SET_REFERENCE_PRICE = kind(
    "property.set_reference_price", _("确定参考价"), _money(_("参考价 "), "reference_price")
)
PROPERTY_START_DISPOSAL = kind(
    "property.start_disposal", _("启动处置"), lambda e: value("disposal_method", e.after.get("method"))
)
PROPERTY_SCHEDULE_AUCTION = kind(
    "property.schedule_auction",
    _("发布拍卖公告"),
    lambda e: _join(
        gettext("第 %(value)s 次拍卖") % {"value": e.after["round"]} if e.after.get("round") else "",
        gettext("起拍价 %(value)s") % {"value": yuan(e.after.get("starting_price"))}
        if e.after.get("starting_price")
        else "",
    ),
)
PROPERTY_RECORD_AUCTION_RESULT = kind(
    "property.record_auction_result",
    _("记录处置结果"),
    lambda e: (
        gettext("成交 %(value)s") % {"value": yuan(e.after.get("price"))} if e.after.get("sold") else gettext("流拍")
    ),
)
PROPERTY_END_SELF_DISPOSAL = kind("property.end_self_disposal", _("自行处置结束（未成交）"))
PROPERTY_TRANSFER_TO_RESTORED = kind(
    "property.transfer_to_restored",
    _("财产转入恢复执行案件"),
    lambda e: gettext("原案 %(value)s") % {"value": e.after["from_case"]} if e.after.get("from_case") else "",
)
PROPERTY_REALIZE = kind("property.realize", _("价款到账"))
PROPERTY_RELEASE = kind("property.release", _("解除控制"))
PROPERTY_PARTIAL_RELEASE = kind(
    "property.partial_release", _("部分解除冻结（滚动解封）"), _money(_("解除冻结 "), "amount")
)

# --- parties: complaints, the query code, public progress (SPEC §10, §11) ----------------------

COMPLAINT_RECEIVE = kind("complaint.receive", _("收到当事人投诉"))
COMPLAINT_REFER = kind("complaint.refer", _("投诉提交合议庭"))
COMPLAINT_ANSWER = kind("complaint.answer", _("答复当事人投诉"))
QUERY_CODE_REISSUE = kind("case.query_code.reissue", _("重新生成查询码"))
PROGRESS_LOOKUP = kind("progress.lookup", _("公开查询案件进度"))

# --- courts working together (SPEC §11) ---------------------------------------------------------

SUPERVISION_ISSUE = kind("supervision.issue", _("上级法院督办"))
SUPERVISION_REPLY = kind("supervision.reply", _("回复督办"))
CASE_TRANSFER_TAKE_UP = kind("case.transfer.take_up", _("提级执行"))
CASE_TRANSFER_REASSIGN = kind("case.transfer.reassign", _("指令执行"))
TRANSFER_KINDS = {"take_up": CASE_TRANSFER_TAKE_UP, "reassign": CASE_TRANSFER_REASSIGN}
DISPUTE_REPORT = kind("dispute.report", _("报请协调执行争议"))
DISPUTE_REFER = kind("dispute.refer", _("报请上级法院协调"))
DISPUTE_START_COORDINATION = kind("dispute.start_coordination", _("上级法院启动协调"))
DISPUTE_RESOLVE = kind("dispute.resolve", _("作出协调意见"))
DISPUTE_IMPLEMENT = kind("dispute.implement", _("落实协调意见"))
DELEGATION_REQUEST = kind("delegation.request", _("委托其他法院办理事项"))
DELEGATION_ACCEPT = kind("delegation.accept", _("受托法院接受委托"))
DELEGATION_COMPLETE = kind("delegation.complete", _("委托事项办结"))
DELEGATION_RETURN = kind("delegation.return", _("委托事项退回"))

# --- petitions --------------------------------------------------------------------------------

PETITION_RECEIVE = kind(
    "petition.receive",
    _("收到信访"),
    lambda e: gettext("信访人 %(value)s") % {"value": e.after["petitioner"]} if e.after.get("petitioner") else "",
)
PETITION_REGISTER = kind("petition.register", _("信访录入"))
PETITION_RESOLVE = kind("petition.resolve", _("信访办结并答复"))

# --- funds ------------------------------------------------------------------------------------

RECEIPT_RECORD = kind(
    "receipt.record",
    _("案款到账"),
    lambda e: _join(
        yuan(e.after.get("amount")),
        gettext("付款人 %(value)s") % {"value": e.after["payer"]} if e.after.get("payer") else "",
        value("receipt_status", e.after.get("status")),
    ),
)
RECEIPT_MATCH = kind(
    "receipt.match",
    _("不明款认领"),
    lambda e: gettext("认领至 %(value)s") % {"value": e.after["number"]} if e.after.get("number") else "",
)
RECEIPT_ALLOCATE = kind(
    "receipt.allocate", _("分配案款"), lambda e: _join(*(yuan(a) for _party, a in e.after.get("allocations") or []))
)
STATEMENT_IMPORT = kind(
    "statement.import",
    _("导入银行流水"),
    lambda e: _join(
        gettext("新增 %(value)s 笔") % {"value": e.after.get("created", 0)},
        gettext("重复 %(value)s 笔") % {"value": e.after.get("duplicates", 0)},
        gettext("不明款 %(value)s 笔") % {"value": e.after.get("unidentified", 0)},
    ),
)
DISBURSEMENT_CREATE = kind("disbursement.create", _("生成待发放案款"), _money("", "amount"))
DISBURSEMENT_NOTIFY = kind("disbursement.notify", _("发出支付案款通知"), _money("", "amount"))
DISBURSEMENT_PAY = kind(
    "disbursement.pay",
    _("发放案款"),
    lambda e: _join(
        yuan(e.after.get("amount")),
        gettext("收款账号 %(value)s") % {"value": e.after["account_no"]} if e.after.get("account_no") else "",
        gettext("银行流水号 %(value)s") % {"value": e.after["bank_ref"]} if e.after.get("bank_ref") else "",
    ),
)
DISBURSEMENT_HOLD = kind(
    "disbursement.hold",
    _("暂缓发放/提存"),
    lambda e: _join(yuan(e.after.get("amount")), value("hold_ground", e.after.get("ground"))),
)
DISBURSEMENT_APPROVE_HOLD = kind(
    "disbursement.approve_hold", _("批准暂缓发放/提存"), lambda e: value("hold_ground", e.after.get("ground"))
)
DISBURSEMENT_RELEASE_HOLD = kind("disbursement.release_hold", _("暂缓事由消除"), _money("", "amount"))
DISBURSEMENT_SPLIT = kind("disbursement.split", _("拆分争议款项"), _money(_("争议部分 "), "disputed_amount"))
PAYEE_CHANGE_REQUEST = kind(
    "payee_change.request",
    _("申请变更收款账户"),
    lambda e: _join(
        (
            gettext("变更为 %(value)s %(value2)s %(value3)s")
            % {
                "value": e.after.get("holder", ""),
                "value2": e.after.get("bank", ""),
                "value3": e.after.get("account_no", ""),
            }
        ).strip()
    ),
)
PAYEE_CHANGE_APPROVE = kind("payee_change.approve", _("批准变更收款账户"))
PAYEE_CHANGE_REJECT = kind("payee_change.reject", _("驳回变更收款账户"))

# --- credit -----------------------------------------------------------------------------------

CREDIT_CORRECTION_RECEIVE = kind("credit.correction.receive", _("收到失信纠正申请"))
CREDIT_CORRECTION_DECIDE = kind(
    "credit.correction.decide", _("审查失信纠正申请"), lambda e: value("correction_outcome", e.after.get("outcome"))
)

# --- the clock, alerts, rules and calendars -----------------------------------------------------


def _node(e: Event) -> str:
    return value("node", e.get("node"))


DEADLINE_START = kind(
    "deadline.start", _("期限开始计算"), lambda e: _join(_node(e), _when(gettext("届满 "), e.after.get("due_at")))
)
DEADLINE_MEET = kind(
    "deadline.meet", _("节点完成"), lambda e: _join(_node(e), gettext("逾期完成") if e.after.get("late") else "")
)
DEADLINE_CANCEL = kind("deadline.cancel", _("期限撤销"), _node)
DEADLINE_PAUSE = kind("deadline.pause", _("期限暂停计算"))
DEADLINE_RESUME = kind("deadline.resume", _("期限顺延"))
DEADLINE_RETIME = kind("deadline.retime", _("期限重新计算"), lambda e: _when(gettext("届满 "), e.after.get("due_at")))
DEADLINE_RECOMPUTE = kind(
    "deadline.recompute", _("期限按日历重算"), lambda e: _when(gettext("届满 "), e.after.get("due_at"))
)
DEADLINE_END_BREACHED = kind("deadline.end_breached", _("超期节点随对象终止（超期记录保留）"))
DEADLINE_CORRECT_START = kind(
    "deadline.correct_start",
    _("更正起算时间"),
    lambda e: _join(_when(gettext("起算 "), e.after.get("started_at")), _when(gettext("届满 "), e.after.get("due_at"))),
)
ALERT_ACKNOWLEDGE = kind("alert.acknowledge", _("确认预警"))
ALERT_PROMPT = kind(
    "alert.prompt",
    _("督促承办人"),
    lambda e: _join(e.user("handler"), _node(e), value("alert_level", e.after.get("level"))),
)
ALERT_ESCALATE = kind("alert.escalate", _("升级督办"), _node)
RULE_ADD = kind("rule.add", _("新增期限规则"))
RULE_CHANGE = kind("rule.change", _("修改期限规则"))
RULE_DELETE = kind("rule.delete", _("删除期限规则"))
RULESET_ADD = kind("ruleset.add", _("新增规则集"))
RULESET_CHANGE = kind("ruleset.change", _("修改规则集"))
RULESET_DELETE = kind("ruleset.delete", _("删除规则集"))
RULESET_SEED = kind("ruleset.seed", _("载入规则集"))
CALENDAR_CREATE = kind("calendar.create", _("新建工作日历"))
CALENDAR_SEED = kind("calendar.seed", _("载入法定节假日"))
CALENDAR_LOAD_YEAR = kind(
    "calendar.load_year",
    _("载入年度节假日安排"),
    lambda e: gettext("%(value)s年") % {"value": e.after["year"]} if e.after.get("year") else "",
)
CALENDAR_DAY_CREATE = kind("calendar.day_create", _("新增节假日/调休日"), lambda e: str(e.after.get("date", "")))
CALENDAR_DAY_UPDATE = kind("calendar.day_update", _("修改节假日/调休日"), lambda e: str(e.after.get("date", "")))
CALENDAR_DAY_DELETE = kind("calendar.day_delete", _("删除节假日/调休日"), lambda e: str(e.before.get("date", "")))
METRICS_EXPORT = kind(
    "metrics.export",
    _("导出核心指标"),
    lambda e: _join(
        gettext("%(value)s 至 %(value2)s") % {"value": e.after.get("from", ""), "value2": e.after.get("to", "")}
        if e.after.get("from")
        else "",
        str(e.after.get("format", "")).upper(),
    ),
)

# --- rule what-if drafts (deadlines/whatif) ---------------------------------------------------


def _span(e: Event) -> str:
    return (
        gettext("%(value)s 至 %(value2)s") % {"value": e.after.get("from", ""), "value2": e.after.get("to", "")}
        if e.after.get("from")
        else ""
    )


RULEDRAFT_CREATE = kind(
    "ruledraft.create", _("新建规则试算草案"), lambda e: _join(str(e.after.get("name", "")), _span(e))
)
RULEDRAFT_SET_PERIOD = kind("ruledraft.set_period", _("修改试算期间"), _span)
RULEDRAFT_CHANGE_RULE = kind(
    "ruledraft.change_rule",
    _("修改草案规则"),
    lambda e: _join(
        _node(e),
        f"{e.after.get('period')} {value('unit', e.after.get('unit'))}".strip() if e.after.get("period") else "",
    ),
)
RULEDRAFT_ADD_RULE = kind(
    "ruledraft.add_rule",
    _("草案新增规则"),
    lambda e: _join(
        _node(e),
        f"{e.after.get('period')} {value('unit', e.after.get('unit'))}".strip() if e.after.get("period") else "",
    ),
)
RULEDRAFT_REMOVE_RULE = kind("ruledraft.remove_rule", _("草案删除规则"), _node)
RULEDRAFT_RUN = kind("ruledraft.run", _("运行规则试算"))
RULEDRAFT_ADOPT = kind(
    "ruledraft.adopt",
    _("采纳试算规则"),
    lambda e: (
        gettext("自 %(value)s 起施行") % {"value": str(e.after["effective_from"])[:10]}
        if e.after.get("effective_from")
        else ""
    ),
)
RULEDRAFT_EXPORT = kind("ruledraft.export", _("导出试算报告"), lambda e: str(e.after.get("format", "")).upper())

# --- documents and accounts -------------------------------------------------------------------

DOCUMENT_GENERATE = kind(
    "document.generate",
    _("生成法律文书"),
    lambda e: _join(
        value("document_kind", e.after.get("kind")),
        gettext("第 %(value)s 版") % {"value": e.after["version"]} if e.after.get("version") else "",
    ),
)
USER_LOGIN = kind("user.login", _("登录"))
USER_LOGIN_FAILED = kind("user.login_failed", _("登录失败"))
USER_LOGOUT = kind("user.logout", _("退出登录"))
USER_TOKEN_LOGIN = kind("user.token_login", _("接口令牌登录"))

# --- families ---------------------------------------------------------------------------------

CASE_MILESTONE = "case.milestone."
CREDIT_SANCTION = "credit.sanction."
SANCTION_ACTIONS = {
    "propose": _("提请信用惩戒"),
    "decide": _("作出信用惩戒决定"),
    "serve": _("送达信用惩戒决定"),
    "grant_grace": _("给予宽限期"),
    "publish": _("发布信用惩戒"),
    "lift_ground": _("出现解除事由"),
    "lift": _("解除信用惩戒"),
    "shield": _("屏蔽失信信息"),
    "extend": _("延长失信期限"),
}


def milestone(kind_value: str) -> str:
    """The code of recording a milestone, e.g. ``milestone("notice_sent")`` → case.milestone.notice_sent."""
    return CASE_MILESTONE + kind_value


def sanction(action: str) -> str:
    if action not in SANCTION_ACTIONS:
        raise ValueError(f"unknown sanction action {action}")
    return CREDIT_SANCTION + action


def _milestone(rest: str, e: Event) -> tuple[Text, str]:
    return gettext("记录节点"), value("milestone", rest)


def _sanction(rest: str, e: Event) -> tuple[Text, str]:
    label = SANCTION_ACTIONS.get(rest, "")
    detail = _join(
        value("sanction_kind", e.get("kind")),
        gettext("被执行人 %(value)s") % {"value": e.after["party"]} if e.after.get("party") else "",
        gettext("宽限 %(value)s 个月") % {"value": e.after["months"]} if e.after.get("months") else "",
        gettext("延长 %(value)s 年") % {"value": e.after["years"]} if e.after.get("years") else "",
    )
    return label, detail


FAMILIES[CASE_MILESTONE] = (_("记录节点"), _milestone)
FAMILIES[CREDIT_SANCTION] = (_("信用惩戒"), _sanction)


def label_of(code: str) -> Text:
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


def describe(code: str, before: Any = None, after: Any = None, users: dict[int, str] | None = None) -> tuple[Text, str]:
    """(label, detail) of an event, e.g. ("发放案款", "¥12,000.00，收款账号 6222…")."""
    e = Event(before if isinstance(before, dict) else {}, after if isinstance(after, dict) else {}, users or {})
    if code in KINDS:
        k = KINDS[code]
        return k.label, (k.detail(e) if k.detail else "")
    for prefix, (_label, fmt) in FAMILIES.items():
        if code.startswith(prefix):
            label, detail = fmt(code.removeprefix(prefix), e)
            return label or _label, detail
    return gettext("其他操作"), ""


def label_events(events: list) -> list:
    """Set ``label`` and ``detail`` on each AuditEvent, naming the users they refer to in one query."""
    from enforcement.models import User

    ids = user_ids((ev.before, ev.after) for ev in events)
    users = {u.pk: u.display_name for u in User.objects.filter(pk__in=ids)} if ids else {}
    for ev in events:
        ev.label, ev.detail = describe(ev.action, ev.before, ev.after, users)
    return events
