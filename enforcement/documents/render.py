"""Legal documents generated from case data (SPEC §9): 执行通知书, 报告财产令, 限制消费令,
失信决定书, 终结本次执行程序裁定书, 案款支付通知书.

``document_generate`` renders ``templates/documents/<kind>.html`` with WeasyPrint to an A4 PDF and
stores it as a new, append-only ``Document`` version with its SHA-256 (electronic dossier
[004 §12]); the browser preview renders the same template as HTML.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext

from cases.models import Case, PartyKind, PartyRole
from cases.selectors import case_for_user
from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, Guards, InvalidInput, PermissionDenied
from enforcement.models import Document, DocumentKind, Role, User

from .numerals import amount_in_capitals, chinese_date, money

# --- who may generate what ----------------------------------------------------------------------

# Documents about one sanction or one disbursement name it as their subject.
SUBJECT_TYPES = {
    DocumentKind.CONSUMPTION_RESTRICTION_ORDER: "sanction",
    DocumentKind.DISHONEST_DECISION: "sanction",
    DocumentKind.PAYMENT_NOTICE: "disbursement",
}


def may_generate(user: User, case: Case, kind: str) -> bool:
    """The case's post judge and the court's enforcement officers draw up documents; finance
    also issues the payment notice it acts on [004 §22]. Court scope is checked by the caller."""
    if case.judge_id is not None and case.judge_id == user.pk:
        return True
    same_court = user.court_id == case.court_id
    if same_court and user.has_role(Role.OFFICER):
        return True
    return same_court and kind == DocumentKind.PAYMENT_NOTICE and user.has_role(Role.FINANCE)


def _parse_kind(kind: Any) -> DocumentKind:
    if kind not in DocumentKind.values:
        raise InvalidInput({"kind": [gettext("不支持的文书类型：%(kind)s。") % {"kind": kind}]})
    return DocumentKind(kind)


def parse_subject_id(kind: DocumentKind, subject_id: Any) -> int | None:
    if subject_id in (None, ""):
        if kind in SUBJECT_TYPES:
            what = "惩戒措施" if SUBJECT_TYPES[kind] == "sanction" else "案款发放记录"
            raise InvalidInput(
                {"subject": [gettext("出具%(label)s须指定所依据的%(what)s。") % {"label": kind.label, "what": what}]}
            )
        return None
    if kind not in SUBJECT_TYPES:
        raise InvalidInput({"subject": [gettext("%(label)s无需指定关联对象。") % {"label": kind.label}]})
    if isinstance(subject_id, bool) or not str(subject_id).isascii() or not str(subject_id).isdigit():
        raise InvalidInput({"subject": [gettext("须为整数 id。")]})
    return int(subject_id)


def resolve_subject(case: Case, kind: DocumentKind, subject_id: int | None):
    """The sanction or disbursement the document is about; it must belong to ``case`` (else 400)."""
    if kind in (DocumentKind.CONSUMPTION_RESTRICTION_ORDER, DocumentKind.DISHONEST_DECISION):
        from credit.models import Sanction, SanctionKind

        wanted = (
            SanctionKind.CONSUMPTION_RESTRICTION
            if kind == DocumentKind.CONSUMPTION_RESTRICTION_ORDER
            else SanctionKind.DISHONEST_LIST
        )
        sanction = Sanction.objects.select_related("party").filter(case_id=case.pk, pk=subject_id).first()  # type: ignore[misc]  # None is IS NULL
        if sanction is None:
            raise InvalidInput({"subject": [gettext("本案没有该惩戒措施。")]})
        if sanction.kind != wanted:
            raise InvalidInput(
                {
                    "subject": [
                        gettext("该措施为“%(value)s”，不能据以出具%(label)s。")
                        % {"value": sanction.get_kind_display(), "label": kind.label}
                    ]
                }
            )
        return sanction
    if kind == DocumentKind.PAYMENT_NOTICE:
        from funds.models import Disbursement, DisbursementStatus

        d = (
            Disbursement.objects.select_related("receipt", "party", "notified_by")
            .filter(case_id=case.pk, pk=subject_id)  # type: ignore[misc]  # None is IS NULL
            .first()
        )
        if d is None:
            raise InvalidInput({"subject": [gettext("本案没有该案款发放记录。")]})
        if d.status == DisbursementStatus.HELD:
            # A held payment must not reach finance until the hold ends [004 §22].
            raise Conflict(gettext("该笔案款已暂缓发放或提存，不能出具案款支付通知书。"), code="disbursement_held")
        return d
    return None


TERMINATION_RULING_NOT_ALLOWED = "termination_ruling_not_allowed"
COURT_FUNDS_BANK_MISSING = "court_funds_bank_missing"


def ensure_may_draw(case: Case, kind: DocumentKind, *, at: datetime | None = None) -> None:
    """The 终本 ruling (终结本次执行程序裁定书) is the closure's own document: only for a case closed by
    终本, or one being closed so — in progress with every 终本 condition of SPEC §7 met (a bureau
    head's granted override counting) [004 §24], [002]. Anything else is 409
    ``termination_ruling_not_allowed``, with the unmet conditions named.

    The 执行通知书 must tell the debtor where to pay: the bank, the holder and the case's account
    [004 §20]. Without the court's bank on record it is 409 ``court_funds_bank_missing``."""
    if kind == DocumentKind.EXECUTION_NOTICE and not case.court.funds_bank.strip():
        raise Conflict(
            gettext(
                "%(name)s执行款专户的开户行尚未登记，执行通知书无法写明付款账户。请系统管理员在“法院”信息中"
                "登记开户行后再出具。"
            )
            % {"name": case.court.name},
            code=COURT_FUNDS_BANK_MISSING,
        )
    if kind != DocumentKind.TERMINATION_RULING:
        return
    from cases.models import CaseStatus, Closure
    from cases.rules import OVERRIDABLE, run_close_guards
    from enforcement.models import ApprovalKind, ApprovalStatus

    if case.status == CaseStatus.CLOSED and case.closure == Closure.TERMINATED_ROUND:
        return
    if case.status == CaseStatus.IN_PROGRESS:
        approved = set(case.approval_requests.filter(kind=ApprovalKind.OVERRIDE, status=ApprovalStatus.APPROVED)
                       .values_list("code", flat=True))
        guards = Guards([v for v in run_close_guards(case, Closure.TERMINATED_ROUND, at or timezone.now())
                         if not (v.code in OVERRIDABLE and v.code in approved)])
        if not guards.violations:
            return
        raise Conflict(
            gettext("本案尚不具备终结本次执行程序的条件，不能制作终结本次执行程序裁定书：")
            + "；".join(v.detail.rstrip("。") for v in guards.violations)
            + "。",
            code=TERMINATION_RULING_NOT_ALLOWED,
        )
    closed_as = (
        f"以“{case.get_closure_display()}”方式结案"
        if case.status == CaseStatus.CLOSED
        else (f"处于“{case.get_status_display()}”状态")
    )
    raise Conflict(
        gettext(
            "本案%(closed_as)s，只有以终结本次执行程序方式结案或正在以该方式结案的案件，"
            "才能制作终结本次执行程序裁定书。"
        )
        % {"closed_as": closed_as},
        code=TERMINATION_RULING_NOT_ALLOWED,
    )


# --- what each document says ----------------------------------------------------------------------


@dataclass(frozen=True)
class PartyLine:
    """A party as introduced in a document: name, identity, and for an organisation its representative."""

    name: str
    kind: str
    id_label: str
    id_number: str
    representative: str

    @property
    def is_organization(self) -> bool:
        return self.kind == PartyKind.ORGANIZATION


def _party_line(p) -> PartyLine:
    org = p.kind == PartyKind.ORGANIZATION
    return PartyLine(
        name=p.name,
        kind=p.kind,
        id_label="统一社会信用代码" if org else "公民身份号码",
        id_number=p.id_number,
        representative=p.legal_representative if org else "",
    )


# 最高人民法院关于限制被执行人高消费及有关消费的若干规定 第三条: the behaviours a restricted debtor
# (and, for an organisation, its legal representative, principal persons in charge, persons
# directly responsible and actual controller) may not engage in.
RESTRICTED_CONSUMPTION = (
    "乘坐交通工具时，选择飞机、列车软卧、轮船二等以上舱位",
    "在星级以上宾馆、酒店、夜总会、高尔夫球场等场所进行高消费",
    "购买不动产或者新建、扩建、高档装修房屋",
    "租赁高档写字楼、宾馆、公寓等场所办公",
    "购买非经营必需车辆",
    "旅游、度假",
    "子女就读高收费私立学校",
    "支付高额保费购买保险理财产品",
    "乘坐G字头动车组列车全部座位、其他动车组列车一等以上座位等其他非生活和工作必需的消费行为",
)

# 最高人民法院关于公布失信被执行人名单信息的若干规定 第一条: the item of each listing ground.
LISTING_GROUND_ITEMS = {
    "able_but_refuses": "一",
    "obstructs_by_fraud_violence": "二",
    "false_litigation_or_evasion": "三",
    "property_report_breach": "四",
    "restriction_breach": "五",
    "settlement_breach": "六",
}

# 报告财产令: the property to report (最高人民法院关于民事执行中财产调查若干问题的规定).
REPORTABLE_PROPERTY = (
    "收入、银行存款、现金、理财产品、有价证券",
    "土地使用权、房屋等不动产",
    "交通运输工具、机器设备、产品、原材料等动产",
    "债权、股权、投资权益、基金份额、信托受益权、知识产权等财产性权利",
    "其他应当报告的财产",
)


def printed_number(case: Case) -> str:
    """The case number as printed on a document, with full-width brackets: （2026）豫03执1号."""
    return case.number.replace("(", "（").replace(")", "）")


def _common(case: Case, today: date) -> dict:
    parties = list(case.parties.all())
    applicants = [_party_line(p) for p in parties if p.role == PartyRole.APPLICANT]
    respondents = [_party_line(p) for p in parties if p.role == PartyRole.RESPONDENT]
    return {
        "case": case,
        "number": printed_number(case),
        "court": case.court,
        "judge": case.judge,
        "applicants": applicants,
        "respondents": respondents,
        "applicant_names": "、".join(p.name for p in applicants),
        "respondent_names": "、".join(p.name for p in respondents),
        "claim": money(case.claim_amount),
        "claim_capitals": amount_in_capitals(case.claim_amount),
        "costs": money(case.costs) if case.costs else "",
        "costs_capitals": amount_in_capitals(case.costs) if case.costs else "",
        "filed_date": chinese_date(timezone.localtime(case.filed_at).date()),
        "date": chinese_date(today),
    }


def _sanction_context(case: Case, sanction) -> dict:
    party = _party_line(sanction.party)
    persons = [p for p in (sanction.persons or []) if isinstance(p, dict) and p.get("name")]
    if party.is_organization and not persons and party.representative:
        persons = [{"name": party.representative, "role": "法定代表人", "id_number": ""}]
    decided = sanction.decided_at or sanction.proposed_at
    return {
        "sanction": sanction,
        "debtor": party,
        "persons": persons,
        "ground_item": LISTING_GROUND_ITEMS.get(sanction.ground, ""),
        "decided_date": chinese_date(timezone.localtime(decided).date()),
        "grace_until": chinese_date(sanction.grace_until) if sanction.grace_until else "",
        "term_until": chinese_date(sanction.term_until) if sanction.term_until else "",
        "restricted": RESTRICTED_CONSUMPTION,
    }


def _termination_context(case: Case) -> dict:
    from cases.models import LeadStatus, MilestoneKind, PropertyType, QueryChannel
    from credit.models import SanctionKind, SanctionStatus
    from funds.selectors import case_paid_total

    type_labels = dict(PropertyType.choices)
    channel_labels = dict(QueryChannel.choices)
    queries = []
    for q in case.queries.prefetch_related("properties").order_by("initiated_at", "id"):
        found = list(q.properties.all())
        queries.append(
            {
                "date": chinese_date(timezone.localtime(q.initiated_at).date()),
                "channels": "、".join(f"“{channel_labels.get(c, c)}”" for c in q.channels),
                "categories": "、".join(str(type_labels.get(c, c)) for c in q.categories),
                "complete": q.complete,
                "missing": "、".join(str(type_labels.get(c, c)) for c in q.categories if c not in q.covered),
                "found": "、".join(f"{p.get_type_display()}（{p.description}）" for p in found),
            }
        )
    properties = []
    for p in case.properties.order_by("id"):
        line = f"{p.get_type_display()}：{p.description}"
        facts = []
        if p.measure:
            facts.append(f"已{p.get_measure_display()}")
        if p.disposal_method:
            facts.append(f"处置方式为{p.get_disposal_method_display()}")
        if p.sold_price is not None:
            facts.append(f"成交价{money(p.sold_price)}元")
        facts.append(f"现状态为“{p.get_status_display()}”")
        if p.release_reason:
            facts.append(f"解除理由：{p.release_reason}")
        properties.append(f"{line}（{'，'.join(facts)}）")
    leads = list(case.leads.order_by("received_at", "id"))
    paid = case_paid_total(case)
    outstanding = max(case.claim_amount - paid, Decimal("0"))
    restricted = case.sanctions.filter(
        kind=SanctionKind.CONSUMPTION_RESTRICTION,
        status__in=(SanctionStatus.DECIDED, SanctionStatus.GRACE, SanctionStatus.ACTIVE),
    ).exists()
    notice_sent = (
        case.milestones.filter(kind=MilestoneKind.NOTICE_SENT).exists()
        or case.documents.filter(kind=DocumentKind.EXECUTION_NOTICE).exists()
    )
    return {
        "notice_sent": notice_sent,
        "queries": queries,
        "properties": properties,
        "leads": [
            {"description": lead.description, "status": lead.get_status_display(), "reason": lead.reason}
            for lead in leads
        ],
        "open_leads": sum(1 for lead in leads if lead.status in (LeadStatus.RECEIVED, LeadStatus.VERIFYING)),
        "paid": money(paid),
        "paid_capitals": amount_in_capitals(paid),
        "outstanding": money(outstanding),
        "outstanding_capitals": amount_in_capitals(outstanding),
        "restriction_in_force": restricted,
    }


def _payment_context(case: Case, d) -> dict:
    creditor = (
        d.party.name if d.party_id else "、".join(p.name for p in case.parties.all() if p.role == PartyRole.APPLICANT)
    )
    # A paid disbursement prints the account it was actually paid to, kept on it at pay time; a later
    # (approved) payee change applies to payments still to come, never to the record of a past one [004 §20].
    if d.paid_at is not None and d.paid_to_account_no:
        payee = {
            "holder": d.paid_to_holder,
            "bank": d.paid_to_bank or "（发放时未记录）",
            "account_no": d.paid_to_account_no,
        }
    else:
        payee = {"holder": case.payee_holder, "bank": case.payee_bank, "account_no": case.payee_account_no}
    return {
        "payee": payee,
        "disbursement": d,
        "creditor": creditor,
        "amount": money(d.amount),
        "amount_capitals": amount_in_capitals(d.amount),
        "received_date": chinese_date(timezone.localtime(d.receipt.received_at).date()),
        "receipt_amount": money(d.receipt.amount),
        "receipt": d.receipt,
    }


# The title as printed under the court's name (a 终本 ruling is an 执行裁定书, a listing a 决定书).
PRINTED_TITLES = {
    DocumentKind.EXECUTION_NOTICE: "执行通知书",
    DocumentKind.PROPERTY_REPORT_ORDER: "报告财产令",
    DocumentKind.CONSUMPTION_RESTRICTION_ORDER: "限制消费令",
    DocumentKind.DISHONEST_DECISION: "决定书",
    DocumentKind.TERMINATION_RULING: "执行裁定书",
    DocumentKind.PAYMENT_NOTICE: "案款支付通知书",
}


def document_context(case: Case, kind: DocumentKind, subject=None, *, today: date | None = None) -> dict:
    ctx = _common(case, today or timezone.localdate())
    ctx["kind"] = kind
    ctx["title"] = kind.label
    ctx["printed_title"] = PRINTED_TITLES[kind]
    if kind in (DocumentKind.CONSUMPTION_RESTRICTION_ORDER, DocumentKind.DISHONEST_DECISION):
        ctx.update(_sanction_context(case, subject))
    elif kind == DocumentKind.TERMINATION_RULING:
        ctx.update(_termination_context(case))
    elif kind == DocumentKind.PAYMENT_NOTICE:
        ctx.update(_payment_context(case, subject))
    elif kind == DocumentKind.PROPERTY_REPORT_ORDER:
        ctx["reportable"] = REPORTABLE_PROPERTY
    return ctx


def render_html(case: Case, kind: DocumentKind, subject=None, *, preview: bool = False) -> str:
    # A legal document is written in Chinese whatever the language of the interface that asks for it.
    with translation.override(settings.LANGUAGE_CODE):
        ctx = document_context(case, kind, subject)
        ctx["preview"] = preview
        return render_to_string(f"documents/{kind.value}.html", ctx)


def render_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


# --- the service ----------------------------------------------------------------------------------


def _case_for_documents(user: User, case: Case | int) -> Case:
    """Re-read the case through the actor's court scope (other courts: 404) with what documents print."""
    pk = case.pk if isinstance(case, Case) else case
    return case_for_user(user=user, pk=pk)


@transaction.atomic
def document_generate(*, case: Case | int, kind: str, actor: User, subject_id: int | str | None = None) -> Document:
    """Render ``kind`` for ``case`` and store it as the next version (SPEC §9: never overwrites)."""
    case = _case_for_documents(actor, case)
    kind = _parse_kind(kind)
    if not may_generate(actor, case, kind):
        raise PermissionDenied(
            gettext("只有本案承办法官或本院执行员可以出具%(label)s") % {"label": kind.label}
            + (gettext("，财务人员可以出具案款支付通知书") if kind == DocumentKind.PAYMENT_NOTICE else "")
            + "。"
        )
    subject_pk = parse_subject_id(kind, subject_id)
    subject = resolve_subject(case, kind, subject_pk)
    ensure_may_draw(case, kind)
    pdf = render_pdf(render_html(case, kind, subject))
    # Versions of one case are numbered under the case row's lock, so two concurrent generations
    # get n+1 and n+2 rather than colliding on the unique constraint.
    Case.objects.select_for_update(of=("self",)).filter(pk=case.pk).first()
    last = Document.objects.filter(case_id=case.pk, kind=kind).aggregate(v=Max("version"))["v"] or 0
    digest = hashlib.sha256(pdf).hexdigest()
    doc = Document.objects.create(
        case=case,
        kind=kind,
        version=last + 1,
        subject_type=SUBJECT_TYPES.get(kind, ""),
        subject_id=subject_pk,
        sha256=digest,
        size=len(pdf),
        content=pdf,
        created_by=actor,
        created_at=timezone.now(),
    )
    audit_record(
        actor=actor,
        action=events.DOCUMENT_GENERATE,
        obj=doc,
        court=case.court_id,
        case_id=case.pk,
        after={
            "kind": kind.value,
            "version": doc.version,
            "sha256": digest,
            "subject_type": doc.subject_type,
            "subject_id": subject_pk,
        },
    )
    return doc


def download_name(doc: Document) -> str:
    """（2026）豫03执1号-执行通知书-第1版.pdf"""
    return f"{printed_number(doc.case)}-{doc.get_kind_display()}-第{doc.version}版.pdf"
