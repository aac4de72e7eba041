"""The case page shows the latest rows of each section; this module gives every section its full,
paged list (``/cases/<pk>/lists/<name>/``) and the "全部 N 条" link under the bounded section.

A list is a queryset the user may see, ordered newest first, and a template rendering its rows
read-only (the actions stay on the case page, next to the latest rows). The case module provides
the deadlines, property, lead, query and timeline lists; funds and documents provide theirs as
``case_lists()`` in their own modules, found the way the case page finds their sections."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from typing import Any

from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cases.property import selectors as pselectors
from deadlines.models import Deadline
from enforcement.models import User
from enforcement.text import Text

from . import selectors
from .models import Case

# How many rows each section of the case page shows before "全部 N 条".
SECTION_LIMIT = 10
# Rows per page of a full list.
LIST_PAGE_SIZE = 50


@dataclass(frozen=True)
class CaseList:
    name: str
    title: Text
    template: str
    rows: Callable[[User, Case], QuerySet]
    # Sets what the row template shows on the rows of one page (labels, colours), in a constant
    # number of queries.
    decorate: Callable[[list, Case], Any] | None = None


@dataclass(frozen=True)
class More:
    """The link under a bounded section: shown when the section holds more than it shows."""

    total: int
    shown: int
    url: str

    @property
    def hidden(self) -> int:
        return self.total - self.shown


def list_url(case: Case, name: str) -> str:
    return reverse("case-section-list", args=[case.pk, name])


def latest(qs: QuerySet, case: Case, name: str, *, limit: int = SECTION_LIMIT) -> tuple[list, More]:
    """The first ``limit`` rows of ``qs`` (already ordered newest first) and the link to all of
    them; always two queries, so the case page runs as many whatever the case holds."""
    rows = list(qs[:limit])
    return rows, More(total=qs.count(), shown=len(rows), url=list_url(case, name))


# --- the case module's own lists ----------------------------------------------------------------

def deadlines_newest_first(case: Case) -> QuerySet[Deadline]:
    """Running clocks first (the soonest due on top), then the finished ones, last finished first."""
    return (Deadline.objects.filter(case=case).select_related("bound_rule__rule_set")
            .order_by(F("completed_at").desc(nulls_first=True), "due_at", "-id"))


def timeline_newest_first(case: Case) -> QuerySet:
    from .views import TIMELINE_HIDDEN

    return (selectors.case_events(case=case).exclude(action__in=TIMELINE_HIDDEN)
            .order_by("-occurred_at", "-id"))


def _decorate_deadlines(rows: list, case: Case) -> None:
    from .sections import decorate_deadlines

    decorate_deadlines(rows, case.court)


def _decorate_events(rows: list, case: Case) -> None:
    from .views import decorate_events

    decorate_events(rows)


def _own_lists() -> list[CaseList]:
    return [
        CaseList("deadlines", _("节点期限"), "cases/lists/_deadlines.html",
                 lambda user, case: deadlines_newest_first(case), _decorate_deadlines),
        CaseList("properties", _("财产"), "cases/lists/_properties.html",
                 lambda user, case: pselectors.properties_visible_to(user).filter(case=case).order_by("-id")),
        CaseList("leads", _("财产线索"), "cases/lists/_leads.html",
                 lambda user, case: pselectors.leads_visible_to(user).filter(case=case)
                 .order_by("-received_at", "-id")),
        CaseList("queries", _("网络查控"), "cases/lists/_queries.html",
                 lambda user, case: pselectors.queries_visible_to(user).filter(case=case)
                 .order_by("-initiated_at", "-id")),
        CaseList("timeline", _("办案记录"), "cases/lists/_timeline.html",
                 lambda user, case: timeline_newest_first(case), _decorate_events),
    ]


def case_lists() -> dict[str, CaseList]:
    out = {lst.name: lst for lst in _own_lists()}
    for module in ("funds.web", "enforcement.documents.views"):
        try:
            provider = import_module(module).case_lists
        except (ImportError, AttributeError):
            continue
        out.update({lst.name: lst for lst in provider()})
    return out
