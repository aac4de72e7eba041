"""Demo data (SPEC §13 "Demo data"): the court tree, the demo cast and a few dozen lived-in cases.

``manage.py loaddemo`` calls the steps below in order; each step is idempotent on its own:
courts are found by code, users by username, cases by their enforcement basis (unique per court
in the demo set). Cases are filed and advanced only through ``cases.services``, with event times
(``filed_at`` / ``occurred_at``) spread over the past months, so every guard, audit event and
lifecycle hook runs exactly as it would for a clerk or judge entering the acts.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from cases import services
from cases.models import BasisKind, Case, CaseKind, Closure, MilestoneKind, PartyKind, PartyRole, SuspensionGround
from cases.models.property import ALL_CATEGORIES, QueryChannel
from cases.property import services as property_services
from cases.validators import resident_id_check_digit, uscc_check_char
from credit import services as credit_services
from credit.models import SanctionKind
from enforcement.models import Court, CourtLevel, Role, User, UserRole
from funds import services as funds_services

# --- courts --------------------------------------------------------------------------------

# (name, code, level, parent code) — parents first.
COURTS: list[tuple[str, str, str, str | None]] = [
    ("最高人民法院", "最高法", CourtLevel.SUPREME, None),
    ("河南省高级人民法院", "豫", CourtLevel.HIGH, "最高法"),
    ("洛阳市中级人民法院", "豫03", CourtLevel.INTERMEDIATE, "豫"),
    ("洛阳市西工区人民法院", "豫0303", CourtLevel.BASIC, "豫03"),
    ("浙江省高级人民法院", "浙", CourtLevel.HIGH, "最高法"),
    ("杭州市中级人民法院", "浙01", CourtLevel.INTERMEDIATE, "浙"),
]


@dataclass
class Result:
    """What one step found and what it added."""

    total: int = 0
    created: int = 0


def load_courts() -> tuple[dict[str, Court], Result]:
    courts: dict[str, Court] = {}
    result = Result()
    for name, code, level, parent_code in COURTS:
        court, created = Court.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": courts.get(parent_code)}
        )
        courts[code] = court
        result.total += 1
        result.created += created
    return courts, result


# --- users ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class DemoUser:
    username: str
    name: str
    court: str | None  # court code
    roles: tuple[str, ...]
    phone: str = ""


USERS: list[DemoUser] = [
    DemoUser("ly_clerk", "李晓燕", "豫03", (Role.FILING_CLERK,), "13937901021"),
    DemoUser("ly_bureau", "王建军", "豫03", (Role.BUREAU_CLERK,), "13937901032"),
    DemoUser("ly_judge", "陈志远", "豫03", (Role.POST_JUDGE,), "13937901043"),
    DemoUser("ly_judge2", "刘海燕", "豫03", (Role.POST_JUDGE,), "13937901054"),
    DemoUser("ly_officer", "赵磊", "豫03", (Role.OFFICER,), "13937901065"),
    DemoUser("ly_finance", "孙丽娟", "豫03", (Role.FINANCE,), "13937901076"),
    DemoUser("ly_supervisor", "周国平", "豫03", (Role.SUPERVISOR,), "13937901087"),
    DemoUser("ly_head", "吴卫东", "豫03", (Role.BUREAU_HEAD,), "13937901098"),
    DemoUser("xg_clerk", "冯雪", "豫0303", (Role.FILING_CLERK,), "13838812011"),
    DemoUser("xg_bureau", "褚红霞", "豫0303", (Role.BUREAU_CLERK,), "13838812022"),
    DemoUser("xg_judge", "郑文涛", "豫0303", (Role.POST_JUDGE,), "13838812033"),
    DemoUser("hz_clerk", "沈佳怡", "浙01", (Role.FILING_CLERK,), "13958107011"),
    DemoUser("hz_bureau", "楼建平", "浙01", (Role.BUREAU_CLERK,), "13958107022"),
    DemoUser("hz_judge", "钱思远", "浙01", (Role.POST_JUDGE,), "13958107033"),
    DemoUser("hz_supervisor", "蒋美玲", "浙01", (Role.SUPERVISOR,), "13958107044"),
    DemoUser("ha_supervisor", "韩振华", "豫", (Role.SUPERVISOR,), "13703719055"),
    DemoUser("admin", "系统管理员", None, (Role.ADMIN,)),
]


def load_users(courts: dict[str, Court], *, password: str) -> tuple[dict[str, User], Result]:
    """Create the demo cast. An existing user is left as it is (its password is not reset)."""
    users: dict[str, User] = {}
    result = Result()
    for spec in USERS:
        is_admin = Role.ADMIN in spec.roles
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = User(
                username=spec.username, name=spec.name, phone=spec.phone,
                court=courts[spec.court] if spec.court else None,
                is_staff=is_admin, is_superuser=is_admin,
            )
            user.set_password(password)
            user.save()
            result.created += 1
        for role in spec.roles:
            UserRole.objects.get_or_create(user=user, role=role)
        user.__dict__.pop("roles", None)  # roles is a cached_property
        users[spec.username] = user
        result.total += 1
    return users, result


# --- parties -------------------------------------------------------------------------------

_PERSON_AREAS = {"豫": ["410302", "410303", "410305", "410311", "410323"],
                 "浙": ["330102", "330105", "330106", "330108", "330109", "330110"]}
_ORG_AREAS = {"豫": ["410300", "410303", "410305", "410311"], "浙": ["330100", "330106", "330108", "330109"]}
_USCC_BODY_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_REPRESENTATIVES = ["张国庆", "李红旗", "王志强", "刘建设", "陈卫国", "杨永刚", "黄振东", "周立新", "吴长江",
                    "徐海波", "孙明辉", "马建华", "朱永福", "胡德胜", "郭振宇", "何建军"]


@dataclass(frozen=True)
class Person:
    """A natural person party; the resident ID is derived from the name, so it is stable."""

    name: str
    protected: bool = False


@dataclass(frozen=True)
class Org:
    """An organisation party; ``organ`` marks a Party or government organ (SPEC §6.1 flags)."""

    name: str
    organ: bool = False
    protected: bool = False


def _rng(seed: str) -> random.Random:
    return random.Random(f"enforcement-demo:{seed}")


def resident_id(name: str, province: str) -> str:
    """A GB 11643 resident ID with a correct check digit, stable for a given name."""
    rng = _rng(name)
    born = datetime(rng.randint(1962, 1998), rng.randint(1, 12), rng.randint(1, 28))
    first17 = f"{rng.choice(_PERSON_AREAS[province])}{born:%Y%m%d}{rng.randint(10, 999):03d}"
    return first17 + resident_id_check_digit(first17)


def credit_code(name: str, province: str, *, organ: bool = False) -> str:
    """A GB 32100 unified social credit code with a correct check character ("11": organ, "91": company)."""
    rng = _rng(name)
    body = "".join(rng.choice(_USCC_BODY_CHARS) for _ in range(7))
    first17 = f"{'11' if organ else '91'}{rng.choice(_ORG_AREAS[province])}{'00' if organ else 'MA'}{body}"
    return first17 + uscc_check_char(first17)


def mobile(name: str) -> str:
    rng = _rng(f"phone:{name}")
    return f"1{rng.choice(['35', '37', '38', '39', '50', '58', '77', '86', '88'])}{rng.randint(0, 99999999):08d}"


def party_data(spec: Person | Org, role: str, province: str) -> services.PartyData:
    if isinstance(spec, Person):
        return services.PartyData(
            role=role, name=spec.name, kind=PartyKind.PERSON, id_number=resident_id(spec.name, province),
            phone=mobile(spec.name), protected=spec.protected,
        )
    return services.PartyData(
        role=role, name=spec.name, kind=PartyKind.ORGANIZATION,
        id_number=credit_code(spec.name, province, organ=spec.organ), phone=mobile(spec.name),
        legal_representative=_rng(f"rep:{spec.name}").choice(_REPRESENTATIVES),
        government_organ=spec.organ, protected=spec.protected,
    )


_BANKS = {
    "豫": ["中国工商银行股份有限公司洛阳西工支行", "中国建设银行股份有限公司洛阳涧西支行",
          "中国农业银行股份有限公司洛阳分行营业部", "洛阳农村商业银行股份有限公司西工支行"],
    "浙": ["中国工商银行股份有限公司杭州西湖支行", "招商银行股份有限公司杭州分行",
          "杭州银行股份有限公司滨江支行", "浙江萧山农村商业银行股份有限公司"],
}


def payee_account(spec: Person | Org, province: str) -> services.PayeeAccount:
    """The creditor's account confirmed at filing [004 §20]: a debit card for a person, a basic account
    for an organisation."""
    rng = _rng(f"account:{spec.name}")
    if isinstance(spec, Person):
        number = f"6222{rng.randint(0, 10**15 - 1):015d}"
    else:
        number = f"{'41' if province == '豫' else '33'}{rng.randint(0, 10**18 - 1):018d}"
    return services.PayeeAccount(bank=rng.choice(_BANKS[province]), account_no=number, holder=spec.name)


# --- cases ---------------------------------------------------------------------------------

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

SCENARIOS: dict[str, list[Step]] = {
    "property": _PROPERTY,
    "funds_paid": _FUNDS_PAID,
    "funds_waiting": _FUNDS_WAITING,
    "lead": _LEAD,
    "listing_grace": _LISTING_GRACE,
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

# Who acts at each court: filing clerk, bureau clerk, bureau head (approves suspensions) or None.
STAFF = {
    "豫03": ("ly_clerk", "ly_bureau", "ly_head"),
    "豫0303": ("xg_clerk", "xg_bureau", None),
    "浙01": ("hz_clerk", "hz_bureau", None),
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
             (Org("洛阳恒信商贸有限公司"), Person("徐强")), 90, "in_progress", judge="ly_judge"),
    DemoCase("豫03", "（2025）豫03民初1309号民事调解书", "180000.00", (Person("陈静"),), (Person("黄勇"),),
             75, "in_progress", judge="ly_judge"),
    DemoCase("豫03", _lz(20250391), "1480000.00", (Org("河南伊洛建筑工程有限公司"),),
             (Org("洛阳市西工区城市管理局", organ=True),), 60, "in_progress", judge="ly_judge", non_litigation=True),
    DemoCase("豫03", "（2026）豫03民初15号民事判决书", "265300.00", (Person("吴秀英"),), (Org("洛阳新区物流有限公司"),),
             110, "resumed", judge="ly_judge", livelihood=True),
    DemoCase("豫03", "（2025）豫03民初1130号民事判决书", "720000.00", (Org("洛阳宏达建材有限公司"),),
             (Org("洛阳康泰医疗器械有限公司", protected=True),), 140, "grace", judge="ly_judge"),
    DemoCase("豫03", "（2025）豫03民初1355号民事判决书", "560000.00", (Org("洛阳农村商业银行股份有限公司"),),
             (Person("朱红梅"),), 120, "in_progress", judge="ly_judge2"),
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


def _office_hours(day: datetime, rng: random.Random) -> datetime:
    """A moment in office hours on ``day`` or the next working day (weekends skipped)."""
    d = day.date()
    while d.weekday() >= 5:
        d += timedelta(days=1)
    at = datetime.combine(d, time(8, 30)) + timedelta(minutes=rng.randint(0, 9 * 60))
    return timezone.make_aware(at)


def event_times(spec: DemoCase, now: datetime) -> Iterator[datetime]:
    """Filing time, then one time per step: each after the previous one and before ``now``."""
    rng = _rng(f"times:{spec.basis}")
    start = timezone.localtime(now) - timedelta(days=spec.days_ago)
    previous = _office_hours(start, rng)
    yield previous
    offset = 0
    for _, gap, _ in SCENARIOS[spec.scenario]:
        offset += gap
        at = max(_office_hours(start + timedelta(days=offset), rng), previous + timedelta(minutes=rng.randint(5, 90)))
        previous = min(at, now - timedelta(minutes=1))
        yield previous


def _province(court_code: str) -> str:
    return court_code[0]


def file_demo_case(spec: DemoCase, courts: dict[str, Court], users: dict[str, User], now: datetime) -> list[Case]:
    """File one demo case and walk it through its scenario. Returns the case(s) created (a restoration
    adds the new linked case)."""
    court = courts[spec.court]
    clerk, bureau, head = (users[u] if u else None for u in STAFF[spec.court])
    judge = users[spec.judge] if spec.judge else None
    province = _province(spec.court)
    times = event_times(spec, now)
    data = services.FilingData(
        basis=spec.basis,
        basis_kind=BasisKind.NON_LITIGATION if spec.non_litigation else BasisKind.LITIGATION,
        claim_amount=Decimal(spec.claim),
        parties=[party_data(a, PartyRole.APPLICANT, province) for a in spec.applicants]
        + [party_data(r, PartyRole.RESPONDENT, province) for r in spec.respondents],
        payee_account=payee_account(spec.applicants[0], province),
        flags=services.CaseFlags(livelihood=spec.livelihood, four_kinds=spec.four_kinds),
    )
    case = services.case_file(actor=clerk, data=data, court=court, filed_at=next(times))
    created = [case]
    finance = users.get(FINANCE.get(spec.court, ""))
    query = None
    for (act, _, details), at in zip(SCENARIOS[spec.scenario], times, strict=True):
        if act == "receive":
            case = services.case_receive(case=case, actor=bureau, occurred_at=at)
        elif act == "assign":
            case = services.case_assign(case=case, actor=bureau, judge=judge, occurred_at=at)
        elif act == "accept":
            case = services.case_accept(case=case, actor=judge, occurred_at=at)
        elif act == "suspend":
            ground = details["ground"]
            case = services.case_suspend(case=case, actor=judge, reason=REASONS[ground], ground=ground,
                                         approved_by=head, occurred_at=at)
        elif act == "resume":
            case = services.case_resume(case=case, actor=judge, reason=REASONS["resume"], occurred_at=at)
        elif act == "close":
            closure = details["closure"]
            case = services.case_close(case=case, actor=judge, closure=closure, reason=REASONS[closure],
                                       occurred_at=at)
        elif act == "query":
            query = property_services.query_initiate(
                case=case, actor=judge, channels=list(QueryChannel.values), occurred_at=at
            )
        elif act == "query_feedback":
            property_services.query_feedback(
                query=query, actor=judge, categories=list(ALL_CATEGORIES), properties=[], occurred_at=at
            )
        elif act == "notice":
            services.case_record_milestone(case=case, actor=judge, kind=MilestoneKind.NOTICE_SENT, occurred_at=at,
                                           note="执行通知书、报告财产令已直接送达被执行人。")
        elif act == "restrict":
            restrict_respondents(case, judge, at)
        elif act == "found":
            query = query or case.queries.order_by("-id").first()
            found = [property_services.FoundProperty(type=t, description=d, value=Decimal(v), online_controllable=o)
                     for t, d, v, o in details["properties"]]
            property_services.query_feedback(query=query, actor=judge, categories=list(ALL_CATEGORIES),
                                             properties=found, occurred_at=at)
        elif act == "freeze":
            deposit = case.properties.get(type="bank_deposit")
            property_services.property_control(prop=deposit, actor=judge, measure="freeze",
                                               amount=Decimal(details["amount"]), occurred_at=at)
        elif act in ("seize", "valuation", "price", "disposal", "auction"):
            house = case.properties.get(type="real_estate")
            _house_step(act, house, judge, details, at)
        elif act == "receipt":
            receipt_no = f"DEMO-{case.account_no[-8:]}-{len(created)}"
            funds_services.receipt_record(actor=finance, court=court, data=funds_services.ReceiptData(
                bank_txn_id=receipt_no, account_no=case.account_no, amount=Decimal(details["amount"]),
                payer=case.parties.filter(role=PartyRole.RESPONDENT).first().name, received_at=at))
        elif act == "notify":
            d = case.disbursements.get()
            funds_services.disbursement_notify(disbursement=d, actor=judge, occurred_at=at)
        elif act == "pay":
            d = case.disbursements.get()
            funds_services.disbursement_pay(disbursement=d, actor=finance, payee_account_no=case.payee_account_no,
                                            bank_ref=f"HVPS{at:%Y%m%d}{d.pk:06d}", idempotency_key=f"demo-pay-{d.pk}",
                                            occurred_at=at)
        elif act == "lead":
            property_services.lead_receive(case=case, actor=judge, urgent=details["urgent"], occurred_at=at,
                                           description="申请执行人反映：被执行人在洛阳市老城区有一间临街商铺对外出租，"
                                                       "租金由其亲属代收。")
        elif act == "listing_grace":
            debtor = case.parties.filter(role=PartyRole.RESPONDENT).order_by("id").first()
            listing = credit_services.sanction_propose(case=case, party=debtor, kind=SanctionKind.DISHONEST_LIST,
                                                       ground="able_but_refuses", actor=judge, occurred_at=at)
            credit_services.sanction_decide(sanction=listing, actor=judge, occurred_at=at + timedelta(minutes=5),
                                            served_at=at + timedelta(minutes=30))
            credit_services.sanction_grant_grace(sanction=listing, actor=judge, months=1,
                                                 occurred_at=at + timedelta(minutes=40))
        elif act == "restore":
            case = services.case_restore(case=case, actor=judge, reason=REASONS["restore"], occurred_at=at)
            created.append(case)
        else:
            raise ValueError(f"unknown demo act {act!r}")
    return created


def _house_step(act: str, house, judge: User, details: dict, at: datetime) -> None:
    ps = property_services
    if act == "seize":
        ps.property_control(prop=house, actor=judge, measure="seize", mode="live", value=Decimal(details["value"]),
                            occurred_at=at)
    elif act == "valuation":
        ps.property_start_valuation(prop=house, actor=judge, method=details["method"], occurred_at=at)
    elif act == "price":
        ps.property_set_reference_price(prop=house, actor=judge, amount=Decimal(details["amount"]), occurred_at=at)
    elif act == "disposal":
        ps.property_start_disposal(prop=house, actor=judge, method=details["method"], occurred_at=at)
    elif act == "auction":
        ps.property_schedule_auction(prop=house, actor=judge, announced_at=at,
                                     auction_at=at + timedelta(days=details["days"]),
                                     starting_price=Decimal(details["starting_price"]), occurred_at=at)


def restrict_respondents(case: Case, judge: User, at: datetime) -> None:
    """限制消费 for every debtor: proposed, decided (served the same day) and published."""
    for i, party in enumerate(case.parties.filter(role=PartyRole.RESPONDENT).order_by("id")):
        t = at + timedelta(minutes=10 * i)
        s = credit_services.sanction_propose(case=case, party=party, kind=SanctionKind.CONSUMPTION_RESTRICTION,
                                             actor=judge, occurred_at=t)
        credit_services.sanction_decide(sanction=s, actor=judge, occurred_at=t + timedelta(minutes=2),
                                        served_at=t + timedelta(minutes=3))
        credit_services.sanction_publish(sanction=s, actor=judge, occurred_at=t + timedelta(minutes=5))


def load_cases(courts: dict[str, Court], users: dict[str, User], *, now: datetime | None = None,
               ) -> tuple[list[Case], Result]:
    """File the demo cases not filed yet (a case is identified by its court and enforcement basis)."""
    now = now or timezone.now()
    result = Result()
    created: list[Case] = []
    existing = set(
        Case.objects.filter(kind=CaseKind.FIRST, court__code__in=STAFF).values_list("court__code", "basis")
    )
    # Oldest first, so case numbers follow the filing order.
    for spec in sorted(CASES, key=lambda c: -c.days_ago):
        result.total += 1
        if (spec.court, spec.basis) in existing:
            continue
        with transaction.atomic():
            created += file_demo_case(spec, courts, users, now)
        result.created += 1
    return created, result
