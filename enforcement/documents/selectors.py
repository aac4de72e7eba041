"""Reads of the electronic dossier, through the court scope (SPEC §1, §9)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from cases.models import Case
from enforcement.models import Document, User
from enforcement.selectors import court_ids_visible_to


def documents_visible_to(user: User) -> QuerySet[Document]:
    return Document.objects.filter(case__court_id__in=court_ids_visible_to(user))


def documents_of_case(case: Case) -> QuerySet[Document]:
    """A case's documents, newest first, without the PDF bytes."""
    return (Document.objects.filter(case_id=case.pk).defer("content").select_related("created_by")
            .order_by("-created_at", "-id"))


def document_for_user(*, user: User, pk: int | str) -> Document:
    return get_object_or_404(documents_visible_to(user).select_related("case", "case__court"), pk=pk)

