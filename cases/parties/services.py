"""Every write of the parties' side (SPEC §10): telling the parties of a node, issuing and reissuing
the query code. ``parties_tell`` is called inside the acting service's transaction — by the case
lifecycle hook for the case's own nodes, and directly by the property, credit and funds services for
theirs — and writes one ``PartyMessage`` per party that must know, in that transaction; delivery is
the outbox's, after commit."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.errors import PermissionDenied
from enforcement.models import Notification, Role, User
from enforcement.notifications import queue as outbox_queue

from ..models import Case, MilestoneKind, Party, PartyRole
from ..services import _lock, _require_court
from . import codes, texts
from .models import PartyEvent, PartyMessage

APPLICANTS = (PartyRole.APPLICANT,)
BOTH = (PartyRole.APPLICANT, PartyRole.RESPONDENT)

# Who must know of each node (SPEC §10); the third party (案外人) is told only what concerns him.
RECIPIENTS: dict[str, tuple[str, ...]] = {
    PartyEvent.FILED: APPLICANTS,
    PartyEvent.ACCEPTED: BOTH,
    PartyEvent.NOTICE_SENT: BOTH,
    PartyEvent.QUERY_RESULT: APPLICANTS,
    PartyEvent.CONTROL: BOTH,
    PartyEvent.LEAD_RESULT: APPLICANTS,
    PartyEvent.SANCTION: BOTH,
    PartyEvent.FUNDS_PAID: APPLICANTS,
    PartyEvent.SUSPENDED: BOTH,
    PartyEvent.RESUMED: BOTH,
    PartyEvent.CLOSED: BOTH,
    PartyEvent.QUERY_CODE_REISSUED: APPLICANTS,
}

_MOBILE = re.compile(r"1[3-9]\d{9}")


def sms_address(phone: str) -> tuple[str, str]:
    """(address, reason): the mobile number a text can go to, or why there is none."""
    raw = re.sub(r"[\s\-()（）]", "", phone or "")
    if raw.startswith("+86"):
        raw = raw[3:]
    elif raw.startswith("0086"):
        raw = raw[4:]
    if not raw:
        return "", "未登记联系电话"
    if not _MOBILE.fullmatch(raw):
        return "", "联系电话不是有效的手机号码，无法发送短信"
    return raw, ""


def _route(messages: list[PartyMessage], addresses: list[str]) -> None:
    """The one place party messages enter the outbox: an SMS row per reachable party, written in this
    transaction and delivered after commit by ``enforcement.notifications``."""
    rows = [
        Notification(address=address, channel="sms", kind=f"party.{m.event}", case_id=m.case_id,
                     title=f"{m.case.number} {m.get_event_display()}", body=m.text)
        for m, address in zip(messages, addresses, strict=True) if address
    ]
    created = iter(outbox_queue(rows))
    for m, address in zip(messages, addresses, strict=True):
        if address:
            m.notification = next(created)


def parties_tell(*, case: Case, event: str, at: datetime, text: Callable[[str], str],
                 parties: Iterable[Party] | None = None) -> list[PartyMessage]:
    """Tell every party who must know of ``event`` (or the given ``parties``); ``text(role)`` words it."""
    if parties is None:
        parties = case.parties.filter(role__in=RECIPIENTS[event]).order_by("role", "id")
    messages, addresses = [], []
    # A party reads Chinese whatever language the acting user's interface is in.
    with translation.override(settings.LANGUAGE_CODE):
        for party in parties:
            address, reason = sms_address(party.phone)
            messages.append(PartyMessage(case=case, party=party, event=event, text=text(party.role),
                                         occurred_at=at, undeliverable_reason=reason))
            addresses.append(address)
        _route(messages, addresses)
    return PartyMessage.objects.bulk_create(messages)


# --- the case's own nodes, through the lifecycle hook ------------------------------------------

def on_case_event(case: Case, event: str, at: datetime, actor: User | None, **extra) -> None:
    """Registered with ``cases.services.on_case_lifecycle``: runs inside the acting transaction."""
    if event == "file":
        query_code_issue(case=case)
        parties_tell(case=case, event=PartyEvent.FILED, at=at, text=lambda role: texts.filed(case, role))
    elif event == "accept":
        parties_tell(case=case, event=PartyEvent.ACCEPTED, at=at, text=lambda role: texts.accepted(case, role))
    elif event == f"milestone:{MilestoneKind.NOTICE_SENT}":
        parties_tell(case=case, event=PartyEvent.NOTICE_SENT, at=at,
                     text=lambda role: texts.notice_sent(case, role))
    elif event == "suspend":
        stop = extra.get("stop")
        ground = stop.ground if stop is not None else "suspension"
        parties_tell(case=case, event=PartyEvent.SUSPENDED, at=at,
                     text=lambda role: texts.suspended(case, role, ground=ground))
    elif event == "resume":
        parties_tell(case=case, event=PartyEvent.RESUMED, at=at, text=lambda role: texts.resumed(case, role))
    elif event == "close":
        parties_tell(case=case, event=PartyEvent.CLOSED, at=at, text=lambda role: texts.closed(case, role))


# --- the query code -----------------------------------------------------------------------------

def _assign_code(case: Case) -> None:
    """A fresh code, unique within the court (the database constraint decides a collision)."""
    for _ in range(10):
        case.query_code = codes.generate()
        try:
            with transaction.atomic():
                case.save(update_fields=["query_code"])
            return
        except IntegrityError:
            continue
    raise RuntimeError("could not draw a free query code")  # 31^8 codes: practically unreachable


def query_code_issue(*, case: Case) -> Case:
    """At filing (SPEC §10): the case gets its code; it is sent in the ``filed`` message."""
    if not case.query_code:
        _assign_code(case)
    return case


@transaction.atomic
def query_code_reissue(*, case: Case, actor: User, reason: str = "") -> Case:
    """The bureau head issues a new code (e.g. the old one leaked); the old one stops working at once.
    The audit records that it changed, never the code itself."""
    case = _lock(case)
    _require_court(actor, case.court_id)
    if not actor.has_role(Role.BUREAU_HEAD):
        raise PermissionDenied(gettext("只有执行局长可以重新生成查询码。"))
    _assign_code(case)
    audit_record(actor=actor, action=events.QUERY_CODE_REISSUE, obj=case, court=case.court_id, case_id=case.pk,
                 after={"query_code": "reissued"}, reason=reason.strip())
    parties_tell(case=case, event=PartyEvent.QUERY_CODE_REISSUED, at=timezone.now(),
                 text=lambda role: texts.query_code_reissued(case, role))
    return case


# --- nodes of the property, credit and funds services (called from inside their transactions) ----

def _respondent_named(case: Case, party: Party | None) -> list[Party]:
    """The applicants, and the one respondent a measure concerns (not every co-debtor)."""
    applicants = list(case.parties.filter(role=PartyRole.APPLICANT).order_by("id"))
    return [*applicants, party] if party is not None and party.role == PartyRole.RESPONDENT else applicants


def parties_tell_query_result(*, case: Case, at: datetime, covered: list[str], found: dict[str, int]) -> None:
    """The applicant learns what the network query found, by category — never an account number."""
    parties_tell(case=case, event=PartyEvent.QUERY_RESULT, at=at,
                 text=lambda role: texts.query_result(case, role, covered=covered, found=found))


def parties_tell_control(*, case: Case, owner: Party | None, at: datetime, property_type: str,
                         measure: str) -> None:
    parties_tell(case=case, event=PartyEvent.CONTROL, at=at, parties=_respondent_named(case, owner),
                 text=lambda role: texts.control(case, role, property_type=property_type, measure=measure))


def parties_tell_lead_result(*, case: Case, at: datetime, result: str) -> None:
    parties_tell(case=case, event=PartyEvent.LEAD_RESULT, at=at,
                 text=lambda role: texts.lead_result(case, role, result=result))


def parties_tell_sanction(*, case: Case, debtor: Party, at: datetime, kinds: list[str]) -> None:
    """The debtor, and the applicant, learn of a credit sanction decided (SPEC §10)."""
    kind = "、".join(dict.fromkeys(kinds))
    parties_tell(case=case, event=PartyEvent.SANCTION, at=at, parties=_respondent_named(case, debtor),
                 text=lambda role: texts.sanction(case, role, kind=kind, person=debtor.name))


def parties_tell_funds_paid(*, case: Case, payee: Party | None, at: datetime, amount) -> None:
    """The applicant paid learns the amount and the date (not the account: it is his own)."""
    parties = [payee] if payee is not None and payee.role == PartyRole.APPLICANT else None
    parties_tell(case=case, event=PartyEvent.FUNDS_PAID, at=at, parties=parties,
                 text=lambda role: texts.funds_paid(case, role, amount=amount, at=at))
