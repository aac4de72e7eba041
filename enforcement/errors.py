"""One domain error type carrying a stable code (SPEC §7, §13).

Services raise these; the API maps them to ``{"code", "detail", ...}`` responses and the browser
shows ``detail`` on the form. Nothing re-implements a rule outside the service layer.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .legal import cite


@dataclass(frozen=True)
class Violation:
    code: str
    detail: str
    source: str = ""
    # The approval kind (SPEC §11a) that lets this act pass, if the requester may ask for one.
    approval_kind: str = ""

    @property
    def source_text(self) -> str:
        """The source as a reader sees it: 《document》第n条 (the API keeps the short code)."""
        return cite(self.source)

    @property
    def message(self) -> str:
        """The refusal as one sentence for a page: the reason and, if any, its legal basis."""
        return f"{self.detail}（依据{self.source_text}）" if self.source else self.detail

    def as_dict(self) -> dict:
        data = {"code": self.code, "detail": self.detail}
        if self.source:
            data["source"] = self.source
        if self.approval_kind:
            data["approval_kind"] = self.approval_kind
        return data


class DomainError(Exception):
    """Base class. ``status`` is the HTTP status the API answers with."""

    status = 422
    default_code = "rule_violated"

    def __init__(self, detail: str, *, code: str | None = None, status: int | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.code = code or self.default_code
        if status is not None:
            self.status = status

    def as_dict(self) -> dict:
        return {"code": self.code, "detail": self.detail}


class InvalidInput(DomainError):
    """400: malformed input, with per-field errors."""

    status = 400
    default_code = "invalid"

    def __init__(self, errors: dict[str, list[str]], detail: str = "输入有误，请检查标出的字段。", *,
                 code: str | None = None) -> None:
        super().__init__(detail, code=code)
        self.errors = errors

    def as_dict(self) -> dict:
        return {"code": self.code, "detail": self.detail, "errors": self.errors}


class PermissionDenied(DomainError):
    status = 403
    default_code = "permission_denied"


class NotFound(DomainError):
    status = 404
    default_code = "not_found"


class Conflict(DomainError):
    """409: not allowed from the current state, or lost a race to a concurrent change."""

    status = 409
    default_code = "transition_not_allowed"


class GuardFailed(DomainError):
    """422: one or more SPEC §7 rules blocked the act. All failing rules are reported."""

    status = 422

    def __init__(self, violations: list[Violation]) -> None:
        assert violations
        self.violations = violations
        first = violations[0]
        super().__init__("；".join(v.detail for v in violations), code=first.code)

    @property
    def approval_kind(self) -> str:
        """The first approval the client may ask for to pass these guards (empty: none)."""
        return next((v.approval_kind for v in self.violations if v.approval_kind), "")

    def as_dict(self) -> dict:
        data = {
            "code": self.code,
            "detail": self.detail,
            "violations": [v.as_dict() for v in self.violations],
        }
        if self.approval_kind:
            data["approval_kind"] = self.approval_kind
        return data


@dataclass
class Guards:
    """Collects every failing guard so the judge sees all reasons in one answer (SPEC §7)."""

    violations: list[Violation] = field(default_factory=list)

    def check(self, ok: bool, code: str, detail: str, source: str = "") -> None:
        if not ok:
            self.violations.append(Violation(code, detail, source))

    def add(self, violation: Violation) -> None:
        self.violations.append(violation)

    def raise_if_any(self) -> None:
        if self.violations:
            raise GuardFailed(self.violations)
