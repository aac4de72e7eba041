"""Resources with transitions, by the name used in URLs (SPEC §13: cases, properties, leads,
disbursements, sanctions, alerts, petitions).

The browser's generic action endpoint (``/objects/<resource>/<pk>/transitions/<name>/``) and the
case page's sections find an object's transitions, its court-scoped fetch and its case here, so a
new resource needs no new view code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from enforcement.text import Text

from .models import User
from .transitions import Registry


@dataclass(frozen=True)
class Resource:
    name: str
    registry: Registry
    fetch: Callable[[User, Any], Any]  # court-scoped get or 404 (Http404)
    case_of: Callable[[Any], Any]  # the case page the object is shown on
    label: Text = ""  # Chinese noun, e.g. "财产"


_resources: dict[str, Resource] = {}


def register(resource: Resource) -> Resource:
    _resources[resource.name] = resource
    return resource


def get(name: str) -> Resource | None:
    return _resources.get(name)


def require(name: str) -> Resource:
    """A resource the caller's own module registered (always there once the apps are loaded)."""
    return _resources[name]


def all_resources() -> list[Resource]:
    return list(_resources.values())
