"""The demo court tree (SPEC §13 "Demo data") and its cast of users, one per role at each court."""

from __future__ import annotations

from dataclasses import dataclass

from enforcement.models import Court, CourtLevel, Role, User, UserRole

# (name, code, level, parent code) — parents first.
COURTS: list[tuple[str, str, str, str | None]] = [
    ("最高人民法院", "最高法", CourtLevel.SUPREME, None),
    ("河南省高级人民法院", "豫", CourtLevel.HIGH, "最高法"),
    ("洛阳市中级人民法院", "豫03", CourtLevel.INTERMEDIATE, "豫"),
    ("洛阳市西工区人民法院", "豫0303", CourtLevel.BASIC, "豫03"),
    ("浙江省高级人民法院", "浙", CourtLevel.HIGH, "最高法"),
    ("杭州市中级人民法院", "浙01", CourtLevel.INTERMEDIATE, "浙"),
]
# Each court's enforcement-funds account bank (printed on the 执行通知书 with the case's account).
FUNDS_BANKS = {
    "最高法": "中国工商银行北京东城支行",
    "豫": "中国工商银行郑州金水支行",
    "豫03": "中国建设银行洛阳西工支行",
    "豫0303": "中国农业银行洛阳西工支行",
    "浙": "中国工商银行杭州西湖支行",
    "浙01": "中国建设银行杭州上城支行",
}


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
            code=code, defaults={"name": name, "level": level, "parent": courts.get(parent_code or "")}
        )
        if not court.funds_bank and code in FUNDS_BANKS:
            court.funds_bank = FUNDS_BANKS[code]
            court.save(update_fields=["funds_bank"])
        courts[code] = court
        result.total += 1
        result.created += created
    return courts, result



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
    # A basic court's bureau head who also judges cases: he approves his colleagues' suspensions, never
    # his own acts (SPEC §12 four eyes).
    DemoUser("xg_head", "卫国庆", "豫0303", (Role.POST_JUDGE, Role.BUREAU_HEAD), "13838812044"),
    DemoUser("hz_clerk", "沈佳怡", "浙01", (Role.FILING_CLERK,), "13958107011"),
    DemoUser("hz_bureau", "楼建平", "浙01", (Role.BUREAU_CLERK,), "13958107022"),
    DemoUser("hz_judge", "钱思远", "浙01", (Role.POST_JUDGE,), "13958107033"),
    DemoUser("hz_supervisor", "蒋美玲", "浙01", (Role.SUPERVISOR,), "13958107044"),
    DemoUser("hz_head", "施国华", "浙01", (Role.BUREAU_HEAD,), "13958107055"),
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
