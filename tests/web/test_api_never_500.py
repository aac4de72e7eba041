"""SPEC §13: bad input gets a 4xx with a stable code, never a 500 — on every API endpoint.

Walks the URLconf under /api/v1/, fills path parameters with real ids of the demo data (and with
ids that do not exist), and sends malformed bodies and query strings as several roles.
"""

import json
import re

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.test import APIClient

from enforcement.models import User

GARBAGE_BODIES = [
    None,
    "not json at all",
    json.dumps([1, 2, 3]),
    json.dumps({"occurred_at": "yesterday", "amount": "abc", "case": "²", "judge": -1, "closure": "x"}),
    json.dumps({"channels": "national", "categories": [None], "properties": [{"type": 5, "value": "1e999"}]}),
    json.dumps({"amount": "9" * 40, "claim_amount": "-0.001", "reason": "", "served_at": "2026-13-45T99:00:00"}),
    json.dumps({"parties": [{"role": "x"}], "payee_account": "x", "flags": [], "kind": {}, "party": "1"}),
]
QUERY_STRINGS = [
    "",
    "?q=%00&status=%00",
    "?case=abc",
    "?court=²&status=nope",
    "?from=2026-02-30&to=x",
    "?page=999999&page_size=-1",
    "?due_before=tomorrow&provisional=maybe",
    "?level=loud&rule=X",
]


def api_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from api_patterns(p, route)
        elif isinstance(p, URLPattern) and route.startswith("api/v1/"):
            yield route


def fill(route: str, pk: int, name: str) -> str:
    route = re.sub(r"<int:\w+>", str(pk), route)
    route = re.sub(r"<str:\w+>", name, route)
    route = re.sub(r"<[^>]+>", "1", route)
    return "/" + route.lstrip("^").rstrip("$")


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("loaddemo", verbosity=0)


def test_no_api_endpoint_answers_500_to_bad_input(demo):
    routes = sorted(set(api_patterns()))
    assert len(routes) > 40
    users = [User.objects.get(username=u) for u in ("ly_judge", "ly_finance", "ha_supervisor")]
    failures = []
    for user in users:
        client = APIClient(raise_request_exception=False)
        client.force_authenticate(user=user)
        for route in routes:
            if "schema" in route or "docs" in route:
                continue
            for pk in (5, 987654):
                for name in ("accept", "control", "pay", "publish", "acknowledge", "nope"):
                    url = fill(route, pk, name)
                    for qs in QUERY_STRINGS if pk == 5 else [""]:
                        r = client.get(url + qs)
                        if r.status_code >= 500:
                            failures.append(("GET", url + qs, user.username, r.status_code))
                    for body in GARBAGE_BODIES:
                        r = client.post(url, data=body, content_type="application/json")
                        if r.status_code >= 500:
                            failures.append(("POST", url, user.username, body, r.status_code))
                    if "<str:" not in route:
                        break
                if "<int:" not in route:
                    break
    assert not failures, failures[:10]
