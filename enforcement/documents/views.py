"""Browser side of generated documents (SPEC §9): the documents section of the case page, the HTML
preview of a document, the PDF download, and the generate action. Thin: the same service and
selectors as the API. URL patterns are included by ``enforcement.web_urls``."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from cases import lists
from cases.models import Case
from cases.selectors import case_for_user
from enforcement import documents
from enforcement.documents.api import pdf_response
from enforcement.errors import DomainError, NotFound
from enforcement.models import DocumentKind, User
from enforcement.views import report_refusal


@dataclass(frozen=True)
class Offer:
    """One document the user may preview (and, if ``may_generate``, generate) for this case."""

    kind: DocumentKind
    subject_id: int | None
    subject_label: str
    may_generate: bool

    @property
    def query(self) -> str:
        return f"?subject={self.subject_id}" if self.subject_id else ""


def _subject_offers(case: Case) -> dict[str, list[tuple[int, str]]]:
    from credit.models import SanctionKind
    from funds.models import Disbursement, DisbursementStatus

    out: dict[str, list[tuple[int, str]]] = {k: [] for k in documents.SUBJECT_TYPES}
    for s in case.sanctions.select_related("party").order_by("proposed_at", "id"):
        if s.kind == SanctionKind.CONSUMPTION_RESTRICTION:
            key = DocumentKind.CONSUMPTION_RESTRICTION_ORDER
        elif s.kind == SanctionKind.DISHONEST_LIST:
            key = DocumentKind.DISHONEST_DECISION
        else:
            continue
        out[key].append(
            (
                s.pk,
                gettext("%(value)s · %(name)s（%(value2)s）")
                % {"value": s.get_kind_display(), "name": s.party.name, "value2": s.get_status_display()},
            )
        )
    # A payment notice is offered for the latest payable disbursements (the case page is bounded,
    # cases.lists); an older one is generated from its own row the same way with ?subject=.
    payable = Disbursement.objects.filter(case_id=case.pk).exclude(status=DisbursementStatus.HELD)
    for d in reversed(payable.order_by("-id")[:lists.SECTION_LIMIT]):
        out[DocumentKind.PAYMENT_NOTICE].append(
            (
                d.pk,
                gettext("案款发放 #%(pk)s · %(value)s 元（%(value2)s）")
                % {"pk": d.pk, "value": documents.money(d.amount), "value2": d.get_status_display()},
            )
        )
    return out


def case_section(user: User, case: Case) -> dict:
    """The context of ``templates/documents/_case_section.html``: the case's document versions and
    the documents that can be drawn up now, each with preview and (if allowed) generate."""
    docs, more = lists.latest(documents.documents_of_case(case), case, "documents")
    subjects = _subject_offers(case)
    offers: list[Offer] = []
    for kind in DocumentKind:
        allowed = documents.may_generate(user, case, kind)
        if kind in documents.SUBJECT_TYPES:
            offers.extend(Offer(kind, pk, label, allowed) for pk, label in subjects[kind])
        else:
            offers.append(Offer(kind, None, "", allowed))
    return {"documents": docs, "documents_more": more, "document_offers": offers,
            "documents_may_generate": any(o.may_generate for o in offers)}


def case_lists() -> list[lists.CaseList]:
    """The full list of the case's documents (cases.lists)."""
    return [lists.CaseList("documents", _("法律文书"), "documents/lists/_documents.html",
                           lambda user, case: documents.documents_of_case(case))]


def _back(case_id: int):
    return redirect(reverse("case-detail", args=[case_id]) + "#documents")


@login_required
@require_POST
def generate(request, case_id: int):
    case = case_for_user(user=request.user, pk=case_id, for_detail=False)
    try:
        doc = documents.document_generate(
            case=case,
            kind=request.POST.get("kind", ""),
            actor=request.user,
            subject_id=request.POST.get("subject") or None,
        )
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        report_refusal(request, exc)
        return _back(case.pk)
    messages.success(
        request,
        gettext("已生成%(value)s（第%(version)s版），已存入电子卷宗。")
        % {"value": doc.get_kind_display(), "version": doc.version},
    )
    return _back(case.pk)


@login_required
@require_GET
def preview(request, case_id: int, kind: str):
    """The document as it would be generated now, rendered as HTML from the same template."""
    case = case_for_user(user=request.user, pk=case_id)
    if kind not in DocumentKind.values:
        raise Http404(gettext("没有这种文书。"))
    kind = DocumentKind(kind)
    try:
        subject_pk = documents.parse_subject_id(kind, request.GET.get("subject"))
        subject = documents.resolve_subject(case, kind, subject_pk)
        documents.ensure_may_draw(case, kind)
    except DomainError as exc:
        errors = [str(e) for errs in getattr(exc, "errors", {}).values() for e in errs] or [exc.detail]
        return render(
            request,
            "documents/preview_error.html",
            {"case": case, "title": kind.label, "errors": errors},
            status=exc.status,
        )
    return HttpResponse(documents.render_html(case, kind, subject, preview=True))


@login_required
@require_GET
def download(request, pk: int):
    return pdf_response(documents.document_for_user(user=request.user, pk=pk))


urlpatterns = [
    path("documents/cases/<int:case_id>/generate/", generate, name="document-generate"),
    path("documents/preview/<int:case_id>/<str:kind>/", preview, name="document-preview"),
    path("documents/<int:pk>.pdf", download, name="document-download"),
]
