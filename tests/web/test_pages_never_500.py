"""Browser pages answer bad input with a message or a 4xx, never a 500 (walks the URLconf)."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from enforcement.models import User

QUERY_STRINGS = ["", "?page=abc&status=nope&q=%00", "?court=²&from=2026-02-30&to=x&level=loud&tab=zz",
                 "?sort=evil&node=X&overdue=maybe&track=??"]
POSTS = [{}, {"x": "y"}, {"properties-1-control-measure": "freeze", "note": "a" * 5000, "amount": "1e999"}]
SKIP = ("admin/", "api/v1/", "i18n/", "logout/", "login/", "static/", "media/")


def web_patterns(resolver=None, prefix=""):
    resolver = resolver or get_resolver()
    for p in resolver.url_patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            yield from web_patterns(p, route)
        elif isinstance(p, URLPattern) and not route.startswith(SKIP):
            yield route


def fill(route: str, pk: int) -> str:
    route = re.sub(r"<int:\w+>", str(pk), route)
    route = re.sub(r"<str:(\w+)>", lambda m: {"resource": "properties", "name": "control", "kind": "execution_notice",
                                              "action": "approve"}.get(m.group(1), "x"), route)
    route = re.sub(r"<[^>]+>", "1", route)
    return "/" + route


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("loaddemo", verbosity=0)


def test_no_page_answers_500(demo):
    routes = sorted(set(web_patterns()))
    failures = []
    for username in ("ly_judge", "ly_finance", "ly_supervisor", "ly_clerk"):
        client = Client(raise_request_exception=False)
        client.force_login(User.objects.get(username=username))
        for route in routes:
            for pk in (3, 987654):
                url = fill(route, pk)
                for qs in QUERY_STRINGS:
                    r = client.get(url + qs)
                    if r.status_code >= 500:
                        failures.append(("GET", url + qs, username, r.status_code))
                for data in POSTS:
                    r = client.post(url, data)
                    if r.status_code >= 500:
                        failures.append(("POST", url, username, data, r.status_code))
                if "<int:" not in route:
                    break
    assert not failures, failures[:10]
