"""Demo parties with well-formed identities: resident ID numbers and unified social credit codes
with valid check characters, mobile numbers and payee accounts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime

from cases import services
from cases.models import PartyKind
from cases.validators import resident_id_check_digit, uscc_check_char

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
