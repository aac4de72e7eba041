"""factory_boy factories and small builders that go through the real services."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import factory

from cases import services
from cases.models import Case, CaseStatus
from enforcement.models import Court, CourtLevel, Role, User, UserRole

# Valid identity numbers (check digits correct) for test parties.
PERSON_ID = "410302198507150019"
ORG_USCC = "91410300MA44C9XY8J"


class CourtFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Court
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"测试法院{n}")
    code = factory.Sequence(lambda n: f"测{n}")
    level = CourtLevel.BASIC
    funds_bank = factory.LazyAttribute(lambda o: f"中国建设银行{o.name.removesuffix('人民法院')}支行")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"用户{n}")
    court = factory.SubFactory(CourtFactory)
    password = factory.PostGenerationMethodCall("set_password", "demo")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        for role in extracted or []:
            UserRole.objects.get_or_create(user=self, role=role)
        self.save()
        self.__dict__.pop("roles", None)


def court_tree() -> SimpleNamespace:
    supreme = CourtFactory(name="最高人民法院", code="最高法", level=CourtLevel.SUPREME)
    henan = CourtFactory(name="河南省高级人民法院", code="豫", level=CourtLevel.HIGH, parent=supreme)
    luoyang = CourtFactory(name="洛阳市中级人民法院", code="豫03", level=CourtLevel.INTERMEDIATE, parent=henan)
    xigong = CourtFactory(name="洛阳市西工区人民法院", code="豫0303", level=CourtLevel.BASIC, parent=luoyang)
    zhejiang = CourtFactory(name="浙江省高级人民法院", code="浙", level=CourtLevel.HIGH, parent=supreme)
    hangzhou = CourtFactory(name="杭州市中级人民法院", code="浙01", level=CourtLevel.INTERMEDIATE, parent=zhejiang)
    return SimpleNamespace(supreme=supreme, henan=henan, luoyang=luoyang, xigong=xigong, zhejiang=zhejiang,
                           hangzhou=hangzhou)


def filing_data(**overrides) -> services.FilingData:
    parties = overrides.pop("parties", None) or [
        services.PartyData(role="applicant", name="洛阳市宏达建材有限公司", kind="organization", id_number=ORG_USCC),
        services.PartyData(role="respondent", name="张伟", kind="person", id_number=PERSON_ID, phone="13800138000"),
    ]
    data: dict[str, Any] = dict(
        basis="（2025）豫0303民初1234号民事判决书",
        claim_amount=Decimal("150000.00"),
        parties=parties,
        payee_account=services.PayeeAccount(bank="中国工商银行洛阳分行", account_no="6222021705001234567",
                                            holder="洛阳市宏达建材有限公司"),
    )
    data.update(overrides)
    return services.FilingData(**data)


def file_case(clerk: User, *, filed_at: datetime | None = None, **overrides) -> Case:
    return services.case_file(actor=clerk, data=filing_data(**overrides), filed_at=filed_at)


def bureau_head_of(case: Case) -> User:
    """A bureau head of the case's court, to approve its suspension (SPEC §6.1 judge + approval)."""
    head = User.objects.filter(court_id=case.court_id, role_rows__role=Role.BUREAU_HEAD, is_active=True).first()
    return head or UserFactory.create(username=f"head_{case.court_id}", name="执行局长", court=case.court,
                               roles=[Role.BUREAU_HEAD])


def approved(case: Case, kind: str, *, approver: User | None = None, requester: User | None = None, code: str = "",
             object_id: int | None = None, reason: str = "确有必要，请予批准"):
    """An approval request (SPEC §11a) asked by ``requester`` (default: the case judge) and approved by
    ``approver`` (default: a bureau head of the court), through the services."""
    from enforcement.approvals.services import approval_approve, approval_request

    case.refresh_from_db()
    actor = requester or case.judge
    assert actor is not None
    req = approval_request(case=case, actor=actor, kind=kind, code=code, object_id=object_id,
                           reason=reason)
    return approval_approve(request=req, actor=approver or bureau_head_of(case), note="同意")


def advance(case: Case, to: str, *, bureau: User, judge: User) -> Case:
    """Walk a freshly filed case through the services to ``to`` (received / in_progress / suspended)."""
    if to == CaseStatus.FILED:
        return case
    case = services.case_receive(case=case, actor=bureau)
    if to == CaseStatus.RECEIVED:
        return case
    case = services.case_assign(case=case, actor=bureau, judge=judge)
    case = services.case_accept(case=case, actor=judge)
    if to == CaseStatus.IN_PROGRESS:
        return case
    if to == CaseStatus.SUSPENDED:
        return services.case_suspend(case=case, actor=judge, reason="被执行人重病住院",
                                     approved_by=bureau_head_of(case))
    raise ValueError(to)


def case_payload(**overrides) -> dict:
    """A valid ``POST /api/v1/cases/`` body (SPEC §13 Cases); override any top-level key."""
    data = {
        "basis": "（2025）豫0303民初1234号民事判决书",
        "claim_amount": "150000.00",
        "parties": [
            {"role": "applicant", "name": "洛阳市宏达建材有限公司", "kind": "organization", "id_number": ORG_USCC},
            {"role": "respondent", "name": "张伟", "kind": "person", "id_number": PERSON_ID, "phone": "13800138000"},
        ],
        "payee_account": {"bank": "中国工商银行洛阳分行", "account_no": "6222021705001234567",
                          "holder": "洛阳市宏达建材有限公司"},
    }
    data.update(overrides)
    return data
