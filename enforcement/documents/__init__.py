"""Case documents (SPEC §9), a room that reads every floor (cases, funds, credit):

* ``numerals`` — amounts and dates in the Chinese of legal documents;
* ``render`` — who may generate what, each document's context, HTML/PDF rendering and the
  ``document_generate`` service (append-only versions with their SHA-256);
* ``selectors`` — the dossier's reads through the court scope;
* ``api`` / ``views`` — the REST endpoints and the browser pages.

The names below are the package's public surface (``from enforcement.documents import …``).
"""

from .numerals import amount_in_capitals, chinese_date, money
from .render import (
    SUBJECT_TYPES,
    document_generate,
    download_name,
    ensure_may_draw,
    may_generate,
    parse_subject_id,
    render_html,
    render_pdf,
    resolve_subject,
)
from .selectors import document_for_user, documents_of_case, documents_visible_to

__all__ = [
    "SUBJECT_TYPES", "amount_in_capitals", "chinese_date", "document_for_user", "document_generate",
    "documents_of_case", "documents_visible_to", "download_name", "ensure_may_draw", "may_generate", "money",
    "parse_subject_id",
    "render_html", "render_pdf", "resolve_subject",
]
