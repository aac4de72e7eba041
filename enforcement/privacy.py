"""Personal data on screens and in answers (SPEC §10): personal ID numbers and phone numbers are
masked on every list (pages, API lists, exports) and on the public page; the full value shows only
on the case's own detail, to its own court's users. Every place that shows one calls this module."""

from __future__ import annotations


def mask_id_number(value: str | None) -> str:
    """``410302199001011234`` → ``4103**********1234``; short codes keep their first character."""
    n = (value or "").strip()
    if len(n) <= 8:
        return n[:1] + "*" * max(len(n) - 1, 0) if n else ""
    return n[:4] + "*" * (len(n) - 8) + n[-4:]


def mask_phone(value: str | None) -> str:
    """``13800001234`` → ``138****1234``; anything shorter than a mobile number is masked whole."""
    p = (value or "").strip()
    return p[:3] + "****" + p[-4:] if len(p) >= 11 else "*" * len(p)


def sees_full(user, court_id: int | None) -> bool:
    """Whether ``user`` may see the full values on a case's own detail: its own court's users only
    (an upper court sees the case, not its parties' full numbers)."""
    return bool(user is not None and user.is_authenticated and court_id is not None and user.court_id == court_id)


def shown_id_number(value: str | None, *, full: bool) -> str:
    return (value or "") if full else mask_id_number(value)


def shown_phone(value: str | None, *, full: bool) -> str:
    return (value or "") if full else mask_phone(value)


def mask_persons(persons: list[dict] | None) -> list[dict]:
    """A list of ``{"name", "role", "id_number"}`` (e.g. a sanction's persons) with masked numbers."""
    return [{**p, "id_number": mask_id_number(p.get("id_number"))} if p.get("id_number") else dict(p)
            for p in (persons or [])]
