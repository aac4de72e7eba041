"""The acts that need the bureau head's approval, registered by the floor that does them (SPEC §11a).

The kernel keeps the request and its four eyes; whether the requester could do the act at all, and
what ``code`` / ``object`` must name, is the act's own rule -- a case judge for an override, a
clerk of the court for a deadline correction -- so each floor registers its acts here in its
``AppConfig.ready`` (the kernel does not import the floors above).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from enforcement.models import User
from enforcement.text import Text


@dataclass(frozen=True)
class ApprovalAct:
    kind: str
    # Could this user do the act on this case (role, post) once it is approved? Court scope is checked apart.
    may_request: Callable[[User, Any], bool]
    refused: Text  # why someone else may not ask, in the court's words
    # Raise InvalidInput for a wrong code/object; return the label of the object ("房产 …"), or "".
    check: Callable[[Any, str, int | None], str] | None = None
    # The act is done by the approver himself (a deadline correction): using it is not a second pair of eyes.
    approver_acts: bool = False
    # Where a request names a record that is itself the act asked for (a payee change awaiting its
    # decision), approving the request does that act: ``on_approve(request, approver, note)`` runs in
    # the approval's transaction and the request is used by it; ``on_reject`` likewise on a rejection.
    on_approve: Callable[[Any, User, str], None] | None = None
    on_reject: Callable[[Any, User, str], None] | None = None


_acts: dict[str, ApprovalAct] = {}
_guard_labels: dict[str, Text] = {}


def register_act(act: ApprovalAct) -> ApprovalAct:
    _acts[act.kind] = act
    return act


def act_for(kind: str) -> ApprovalAct | None:
    return _acts.get(kind)


def register_guards(labels: Mapping[str, Text]) -> None:
    """The guards an override may let pass, with their Chinese names (cases registers its §7 codes)."""
    _guard_labels.update(labels)


def overridable_guards() -> dict[str, Text]:
    return dict(_guard_labels)


def guard_label(code: str) -> Text:
    return _guard_labels.get(code, "")
