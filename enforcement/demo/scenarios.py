"""The demo case catalogue: a few dozen cases at three courts, each with the scenario of acts that
brings it to its state today."""

from __future__ import annotations

from dataclasses import dataclass

from cases.models import Closure, SuspensionGround

from .parties import (
    Org,
    Person,
)

# One step of a scenario: (act, days after the previous act, details).
Step = tuple[str, int, dict]

REASONS = {
    Closure.PERFORMED: "被执行人已全部履行生效法律文书确定的给付义务。",
    Closure.WITHDRAWN: "双方当事人达成执行和解协议，申请执行人书面撤回执行申请。",
    Closure.TERMINATED_ROUND: "经网络查控及实地调查，未发现被执行人有可供执行的财产，"
                              "申请执行人书面同意终结本次执行程序。",
    Closure.TERMINATED: "被执行人死亡，无遗产可供执行，又无义务承担人。",
    Closure.NOT_ENFORCED: "经审查，仲裁裁决存在法定不予执行情形，裁定不予执行。",
    Closure.TRANSFERRED_BANKRUPTCY: "被执行人住所地人民法院已裁定受理对被执行人的破产申请。",
    SuspensionGround.SUSPENSION: "案外人对执行标的提出书面异议，依法中止对该标的的执行。",
    SuspensionGround.POSTPONEMENT: "被执行人提供充分担保并经申请执行人同意，暂缓执行三个月。",
    SuspensionGround.PERFORMANCE_GRACE: "被执行人为疫情防控保障企业，给予两个月履行宽限期。",
    SuspensionGround.BANKRUPTCY_REVIEW: "被执行人不能清偿到期债务且明显缺乏清偿能力，经申请执行人同意移送破产审查。",
    "resume": "中止执行的情形已经消失，依法恢复执行。",
    "restore": "申请执行人提供了被执行人新的财产线索，申请恢复执行。",
}

_RECEIVED: list[Step] = [("receive", 1, {})]
_ASSIGNED: list[Step] = [*_RECEIVED, ("assign", 1, {})]
# Accepted, and the execution notice with the property-report order sent the next day (NOTICE_SEND).
_IN_PROGRESS: list[Step] = [*_ASSIGNED, ("accept", 2, {}), ("notice", 1, {})]


def _suspended(ground: str) -> list[Step]:
    return [*_IN_PROGRESS, ("suspend", 35, {"ground": ground})]


def _closed(closure: str, after: int) -> list[Step]:
    return [*_IN_PROGRESS, ("close", after, {"closure": closure})]


# 终本 only after a network query covering every property category [004 §24] and with every debtor
# under a published consumption restriction [002]; the query finds nothing.
_TERMINATED_ROUND: list[Step] = [
    *_IN_PROGRESS, ("query", 1, {}), ("query_feedback", 7, {}), ("restrict", 20, {}),
    ("close", 85, {"closure": Closure.TERMINATED_ROUND}),
]


# Property work: a query finding a deposit and a house; the deposit frozen, the house seized, priced.
_PROPERTY: list[Step] = [
    *_IN_PROGRESS, ("query", 2, {}),
    ("found", 5, {"properties": [
        ("bank_deposit", "中国建设银行洛阳分行 账户尾号 3318", "260000.00", True),
        ("real_estate", "洛阳市洛龙区开元大道 218 号 2 幢 1 单元 1602 室", "1200000.00", False),
    ]}),
    ("freeze", 0, {"amount": "260000.00"}),
    ("seize", 3, {"value": "1200000.00"}),
    ("valuation", 6, {"method": "online_inquiry"}),
    ("price", 18, {"amount": "1150000.00"}),
    ("disposal", 4, {"method": "online_auction"}),
    ("auction", 1, {"starting_price": "805000.00", "days": 32}),
]
# Funds: the money arrives; (a) paid out within the 10 + 5 clock, (b) still waiting for the notice.
_FUNDS_PAID: list[Step] = [*_IN_PROGRESS, ("receipt", 12, {"amount": "98500.00"}), ("notify", 6, {}),
                           ("pay", 3, {})]
_FUNDS_WAITING: list[Step] = [*_IN_PROGRESS, ("receipt", 20, {"amount": "60000.00"})]
# A creditor's lead, and a dishonest listing decided with a one-month grace period [003 §8].
_LEAD: list[Step] = [*_IN_PROGRESS, ("lead", 6, {"urgent": False})]
_LISTING_GRACE: list[Step] = [*_IN_PROGRESS, ("listing_grace", 20, {})]
# Two complaints of the creditor, each on its own 3-day clock [001]: one answered by the judge, one
# referred to the collegial panel as a major dispute and not yet answered.
_COMPLAINTS: list[Step] = [
    *_IN_PROGRESS,
    ("complaint", 20, {"content": "立案已近一个月，法院尚未告知是否查到被执行人的财产。"}),
    ("answer_complaint", 2, {"answer": "本院已于立案后发起网络查控，被执行人名下暂未发现可供执行的存款和车辆，"
                                       "承办法官将于本周内赴其住所地实地调查，结果将及时告知您。"}),
    ("complaint", 40, {"content": "被执行人将名下房产低价转让给亲属，请求法院认定转让无效并予以查封。"}),
    ("refer_complaint", 1, {"reason": "涉及被执行人转让财产的效力认定，争议重大，提交合议庭评议。"}),
]

# An indivisible house worth far more than the claim: seizing it whole is refused as over_seizure
# until the bureau head approves the override (SPEC §7, §11a) — the judge asks from the refusal.
_HOUSE_INDIVISIBLE: list[Step] = [
    *_IN_PROGRESS, ("query", 2, {}),
    ("found", 5, {"properties": [
        ("real_estate", "洛阳市洛龙区龙门大道 66 号 9 幢独栋住宅（一证一房，不可分割）", "3600000.00", False),
    ]}),
]
# A request waiting in the bureau head's inbox: the judge asks to suspend while the debtor is in
# hospital (SPEC §6.1 suspend: judge + approval).
_APPROVAL_PENDING: list[Step] = [
    *_IN_PROGRESS, ("query", 3, {}), ("query_feedback", 6, {}),
    ("ask", 9, {"kind": "suspension",
                "reason": "被执行人朱红梅因脑梗住院治疗（洛阳市中心医院诊断证明），现无法到庭配合执行，"
                          "拟中止执行，待其出院后恢复。"}),
]

SCENARIOS: dict[str, list[Step]] = {
    "property": _PROPERTY,
    "house_indivisible": _HOUSE_INDIVISIBLE,
    "approval_pending": _APPROVAL_PENDING,
    "funds_paid": _FUNDS_PAID,
    "funds_waiting": _FUNDS_WAITING,
    "lead": _LEAD,
    "listing_grace": _LISTING_GRACE,
    "complaints": _COMPLAINTS,
    "filed": [],
    "received": _RECEIVED,
    "assigned": _ASSIGNED,
    "in_progress": _IN_PROGRESS,
    "suspended": _suspended(SuspensionGround.SUSPENSION),
    "postponed": _suspended(SuspensionGround.POSTPONEMENT),
    "grace": _suspended(SuspensionGround.PERFORMANCE_GRACE),
    "resumed": [*_suspended(SuspensionGround.SUSPENSION), ("resume", 30, {})],
    "performed": _closed(Closure.PERFORMED, 90),
    "withdrawn": _closed(Closure.WITHDRAWN, 40),
    "terminated_round": _TERMINATED_ROUND,  # [002]: closed more than three months after filing
    "terminated": _closed(Closure.TERMINATED, 60),
    "not_enforced": _closed(Closure.NOT_ENFORCED, 35),
    # 执转破 [004 §5]: suspended for the review, resumed when the bankruptcy court accepts, then closed.
    "bankruptcy": [*_IN_PROGRESS, ("suspend", 60, {"ground": SuspensionGround.BANKRUPTCY_REVIEW}),
                   ("resume", 40, {}), ("close", 1, {"closure": Closure.TRANSFERRED_BANKRUPTCY})],
    # Restoration creates a new linked case (执恢), which is then received and assigned again.
    "restored": [*_TERMINATED_ROUND, ("restore", 45, {}), *_ASSIGNED],
    "restored_in_progress": [*_TERMINATED_ROUND, ("restore", 45, {}), *_IN_PROGRESS],
}

# The finance officer of each court (bank receipts, payments).
FINANCE = {"豫03": "ly_finance"}

# Who acts at each court: filing clerk, bureau clerk, bureau head (approves suspensions, SPEC §6.1).
STAFF = {
    "豫03": ("ly_clerk", "ly_bureau", "ly_head"),
    "豫0303": ("xg_clerk", "xg_bureau", "xg_head"),
    "浙01": ("hz_clerk", "hz_bureau", "hz_head"),
}


@dataclass(frozen=True)
class DemoCase:
    court: str
    basis: str
    claim: str
    applicants: tuple[Person | Org, ...]
    respondents: tuple[Person | Org, ...]
    days_ago: int
    scenario: str
    judge: str = ""
    livelihood: bool = False
    four_kinds: bool = False
    non_litigation: bool = False

    def __post_init__(self) -> None:
        steps = SCENARIOS[self.scenario]
        # Each act may slip to the next working day (up to 2 days); the last must still be in the past.
        if sum(gap for _, gap, _ in steps) + 3 > self.days_ago:
            raise ValueError(f"{self.basis}: scenario {self.scenario} does not fit in {self.days_ago} days")
        if any(act == "assign" for act, _, _ in steps) and not self.judge:
            raise ValueError(f"{self.basis}: scenario {self.scenario} needs a judge")


def _lz(n: int) -> str:
    return f"洛阳仲裁委员会（{n // 10000}）洛仲裁字第{n % 10000:04d}号裁决书"


def _hz(n: int) -> str:
    return f"杭州仲裁委员会（{n // 10000}）杭仲裁字第{n % 10000:04d}号裁决书"


CASES: list[DemoCase] = [
    # --- 洛阳市中级人民法院 ---
    DemoCase("豫03", _lz(20250312), "486300.00", (Org("洛阳中原石化设备有限公司"),), (Org("洛阳恒信商贸有限公司"),),
             12, "filed", non_litigation=True),
    DemoCase("豫03", "（2025）豫03民初1187号民事判决书", "3265000.00", (Org("河南伊洛建筑工程有限公司"),),
             (Org("洛阳瑞丰置业有限公司"),), 8, "filed", four_kinds=True),
    DemoCase("豫03", "（2026）豫03民初96号民事调解书", "1200000.00", (Org("中国银行股份有限公司洛阳分行"),),
             (Org("洛阳牡丹文化传媒有限公司"), Person("杨磊")), 3, "filed"),
    DemoCase("豫03", "（2025）豫03民初1420号民事判决书", "830000.00", (Org("洛阳农村商业银行股份有限公司"),),
             (Person("胡建国"),), 20, "received"),
    DemoCase("豫03", _lz(20260058), "215640.50", (Org("洛阳新区物流有限公司"),),
             (Org("洛阳市涧西区鑫源机械制造有限公司"),), 15, "received", non_litigation=True),
    DemoCase("豫03", "（2025）豫03民初1502号民事判决书", "356800.00", (Person("王芳"),), (Org("洛阳瑞丰置业有限公司"),),
             30, "assigned", judge="ly_judge"),
    DemoCase("豫03", "（2026）豫03民初33号民事判决书", "642000.00", (Org("洛阳宏达建材有限公司"),),
             (Org("河南洛宁农业开发有限公司"),), 24, "assigned", judge="ly_judge"),
    DemoCase("豫03", _lz(20250477), "98500.00", (Person("刘洋"),), (Org("洛阳市老城区福顺餐饮管理有限公司"),),
             18, "assigned", judge="ly_judge", non_litigation=True),
    DemoCase("豫03", "（2025）豫03民初1266号民事判决书", "2150000.00", (Org("中国银行股份有限公司洛阳分行"),),
             (Org("洛阳恒信商贸有限公司"), Person("徐强")), 90, "house_indivisible", judge="ly_judge"),
    DemoCase("豫03", "（2025）豫03民初1309号民事调解书", "180000.00", (Person("陈静"),), (Person("黄勇"),),
             75, "complaints", judge="ly_judge"),
    DemoCase("豫03", _lz(20250391), "1480000.00", (Org("河南伊洛建筑工程有限公司"),),
             (Org("洛阳市西工区城市管理局", organ=True),), 60, "in_progress", judge="ly_judge", non_litigation=True),
    DemoCase("豫03", "（2026）豫03民初15号民事判决书", "265300.00", (Person("吴秀英"),), (Org("洛阳新区物流有限公司"),),
             110, "resumed", judge="ly_judge", livelihood=True),
    DemoCase("豫03", "（2025）豫03民初1130号民事判决书", "720000.00", (Org("洛阳宏达建材有限公司"),),
             (Org("洛阳康泰医疗器械有限公司", protected=True),), 140, "grace", judge="ly_judge"),
    DemoCase("豫03", "（2025）豫03民初1355号民事判决书", "560000.00", (Org("洛阳农村商业银行股份有限公司"),),
             (Person("朱红梅"),), 120, "approval_pending", judge="ly_judge2"),
    DemoCase("豫03", "（2025）豫03民初1098号民事判决书", "310000.00", (Org("河南洛宁农业开发有限公司"),),
             (Person("郭志刚"),), 150, "suspended", judge="ly_judge2"),
    DemoCase("豫03", "（2025）豫03民初0987号民事判决书", "425000.00", (Org("洛阳恒信商贸有限公司"),),
             (Org("洛阳中原石化设备有限公司"),), 260, "performed", judge="ly_judge"),
    DemoCase("豫03", _lz(20250266), "156000.00", (Person("马超"),), (Org("洛阳市涧西区鑫源机械制造有限公司"),),
             230, "withdrawn", judge="ly_judge2", non_litigation=True),
    DemoCase("豫03", "（2025）豫03民初0856号民事判决书", "980000.00", (Org("中国银行股份有限公司洛阳分行"),),
             (Person("罗军"),), 300, "terminated_round", judge="ly_judge"),
    DemoCase("豫03", "（2025）豫03民初0790号民事判决书", "1350000.00", (Org("洛阳瑞丰置业有限公司"),),
             (Person("谢明"),), 320, "restored", judge="ly_judge2"),
    DemoCase("豫03", _lz(20250198), "268000.00", (Org("洛阳新区物流有限公司"),), (Org("河南伊洛建筑工程有限公司"),),
             200, "not_enforced", judge="ly_judge2", non_litigation=True),
    DemoCase("豫03", "（2025）豫03民初0912号民事判决书", "4860000.00", (Org("洛阳农村商业银行股份有限公司"),),
             (Org("洛阳金鼎铸造有限公司"),), 280, "bankruptcy", judge="ly_judge", four_kinds=True),
    DemoCase("豫03", "（2025）豫03民初1011号民事判决书", "88000.00", (Person("何晓燕"),), (Person("高峰"),),
             190, "terminated", judge="ly_judge2"),
    DemoCase("豫03", "（2025）豫03民初1388号民事判决书", "1380000.00", (Org("中国农业银行股份有限公司洛阳分行"),),
             (Org("洛阳龙门文旅开发有限公司"),), 100, "property", judge="ly_judge"),
    DemoCase("豫03", "（2025）豫03民初1412号民事判决书", "98500.00", (Person("周桂兰"),), (Person("韩冬"),),
             70, "funds_paid", judge="ly_judge", livelihood=True),
    DemoCase("豫03", "（2026）豫03民初41号民事判决书", "60000.00", (Person("钱海燕"),),
             (Org("洛阳市伊川县宏远运输有限公司"),), 50, "funds_waiting", judge="ly_judge"),
    DemoCase("豫03", "（2026）豫03民初58号民事判决书", "340000.00", (Org("洛阳宏达建材有限公司"),), (Person("蒋涛"),),
             40, "lead", judge="ly_judge"),
    DemoCase("豫03", "（2025）豫03民初1460号民事判决书", "520000.00", (Org("洛阳农村商业银行股份有限公司"),),
             (Person("邓伟"),), 45, "listing_grace", judge="ly_judge2"),
    # --- 洛阳市西工区人民法院 ---
    DemoCase("豫0303", "（2025）豫0303民初1234号民事判决书", "150000.00", (Org("洛阳宏达建材有限公司"),),
             (Person("张伟"),), 5, "filed"),
    DemoCase("豫0303", "（2026）豫0303民初210号民事调解书", "60000.00", (Person("李娜"),), (Person("赵敏"),),
             10, "received"),
    DemoCase("豫0303", "（2026）豫0303民初188号民事判决书", "36800.00", (Person("林婷"),),
             (Org("洛阳市西工区佳美装饰工程有限公司"),), 14, "assigned", judge="xg_judge", livelihood=True),
    DemoCase("豫0303", "（2025）豫0303民初2876号民事判决书", "200000.00", (Person("孙丽"),), (Person("唐建华"),),
             80, "in_progress", judge="xg_judge"),
    DemoCase("豫0303", "洛劳人仲案字〔2026〕第112号仲裁裁决书", "42600.00", (Person("梁秀兰"),),
             (Org("洛阳润泽物业服务有限公司"),), 45, "in_progress", judge="xg_judge", livelihood=True,
             non_litigation=True),
    DemoCase("豫0303", "（2025）豫0303民初3012号民事判决书", "24000.00", (Person("宋佳"),), (Person("彭涛"),),
             100, "postponed", judge="xg_judge", livelihood=True),
    DemoCase("豫0303", "（2025）豫0303民初2410号民事判决书", "75000.00", (Person("许文博"),), (Person("曹磊"),),
             210, "performed", judge="xg_judge"),
    DemoCase("豫0303", "（2025）豫0303民初2133号民事判决书", "128000.00", (Org("洛阳恒信商贸有限公司"),),
             (Person("曾凡"),), 250, "terminated_round", judge="xg_judge"),
    # --- 杭州市中级人民法院 ---
    DemoCase("浙01", _hz(20260415), "378000.00", (Org("杭州钱塘纺织有限公司"),), (Org("杭州临平五金制品有限公司"),),
             6, "filed", non_litigation=True),
    DemoCase("浙01", "（2026）浙01民初102号民事判决书", "5620000.00", (Org("浙江之江建设集团有限公司"),),
             (Org("杭州运河置业有限公司"),), 16, "received", four_kinds=True),
    DemoCase("浙01", "（2025）浙01民初1876号民事判决书", "2800000.00", (Org("中国工商银行股份有限公司杭州分行"),),
             (Org("杭州西溪科技有限公司"), Person("沈建华")), 22, "assigned", judge="hz_judge"),
    DemoCase("浙01", "（2025）浙01民初1650号民事判决书", "690000.00", (Org("杭州滨江网络科技有限公司"),),
             (Org("杭州萧山汽车配件有限公司"),), 85, "in_progress", judge="hz_judge"),
    DemoCase("浙01", "（2025）浙01民初1702号民事判决书", "120000.00", (Person("楼晓东"),),
             (Org("杭州运河餐饮有限公司"),), 65, "in_progress", judge="hz_judge", livelihood=True),
    DemoCase("浙01", _hz(20250902), "455000.00", (Org("杭州萧山汽车配件有限公司"),), (Org("杭州西溪科技有限公司"),),
             130, "suspended", judge="hz_judge", non_litigation=True),
    DemoCase("浙01", "（2025）浙01民初1321号民事判决书", "1150000.00", (Org("浙江之江建设集团有限公司"),),
             (Org("杭州钱塘纺织有限公司"),), 240, "performed", judge="hz_judge"),
    DemoCase("浙01", "（2025）浙01民初1210号民事判决书", "310000.00", (Org("杭州临平五金制品有限公司"),),
             (Person("方志强"),), 290, "restored_in_progress", judge="hz_judge"),
]
