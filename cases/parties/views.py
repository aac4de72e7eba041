"""Browser side of the parties' side: the "当事人告知" section of the case page (the query code, the
bureau head's reissue, every message with its delivery state — undeliverable ones flagged for the
judge) and the public progress page ``/progress/`` (no login)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from enforcement.errors import DomainError, NotFound
from enforcement.models import Role, User

from .. import selectors as case_selectors
from ..models import Case
from . import lookup, selectors, services
from .forms import ProgressForm, ReissueForm
from .models import PartyMessageStatus


def case_section(user: User, case: Case) -> dict:
    """Context of ``templates/cases/_party_section.html``."""
    rows = list(selectors.messages_of(case))
    return {
        "party_messages": rows,
        "undeliverable_count": sum(1 for m in rows if m.status == PartyMessageStatus.UNDELIVERABLE),
        "query_code": case.query_code,
        "reissue_form": ReissueForm() if user.has_role(Role.BUREAU_HEAD) and user.court_id == case.court_id else None,
    }


@login_required
@require_POST
def query_code_reissue(request, pk: int):
    case = case_selectors.case_for_user(user=request.user, pk=pk, for_detail=False)
    form = ReissueForm(data=request.POST)
    form.is_valid()
    try:
        services.query_code_reissue(case=case, actor=request.user, reason=form.cleaned_data.get("reason", ""))
    except NotFound as exc:
        raise Http404(exc.detail) from exc
    except DomainError as exc:
        messages.error(request, exc.detail)  # the form is offered to bureau heads only: a refusal is rare
        return redirect(f"{reverse('case-detail', args=[case.pk])}#party-messages")
    messages.success(request, gettext("已重新生成查询码，原查询码即日起停止使用；新查询码已发送申请执行人。"))
    return redirect(f"{reverse('case-detail', args=[case.pk])}#party-messages")


def progress(request):
    """``/progress/``: case number + query code → the case's public progress (SPEC §10)."""
    result, status = None, 200
    if request.method == "POST":
        form = ProgressForm(data=request.POST)
        if form.is_valid():
            try:
                result = lookup.progress_lookup(request, number=form.cleaned_data["number"],
                                                code=form.cleaned_data["code"])
            except DomainError as exc:
                form.add_non_field_error(exc.detail)
                status = exc.status
        else:
            status = 400
    else:
        form = ProgressForm()
    return render(request, "progress/progress.html", {"form": form, "result": result}, status=status)
