from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from enforcement.models import Role

from .factories import UserFactory, court_tree


@pytest.fixture
def courts(db):
    return court_tree()


@pytest.fixture
def people(courts):
    """The demo cast (SPEC §13 demo users), built by factories."""
    ly, xg, hz, ha = courts.luoyang, courts.xigong, courts.hangzhou, courts.henan
    return SimpleNamespace(
        clerk=UserFactory(username="ly_clerk", name="李立案", court=ly, roles=[Role.FILING_CLERK]),
        bureau=UserFactory(username="ly_bureau", name="王内勤", court=ly, roles=[Role.BUREAU_CLERK]),
        judge=UserFactory(username="ly_judge", name="陈法官", court=ly, roles=[Role.POST_JUDGE]),
        judge2=UserFactory(username="ly_judge2", name="刘法官", court=ly, roles=[Role.POST_JUDGE]),
        officer=UserFactory(username="ly_officer", name="赵执行员", court=ly, roles=[Role.OFFICER]),
        finance=UserFactory(username="ly_finance", name="孙财务", court=ly, roles=[Role.FINANCE]),
        supervisor=UserFactory(username="ly_supervisor", name="周监管", court=ly, roles=[Role.SUPERVISOR]),
        head=UserFactory(username="ly_head", name="吴局长", court=ly, roles=[Role.BUREAU_HEAD]),
        xg_judge=UserFactory(username="xg_judge", name="郑法官", court=xg, roles=[Role.POST_JUDGE]),
        xg_clerk=UserFactory(username="xg_clerk", name="冯立案", court=xg, roles=[Role.FILING_CLERK]),
        hz_judge=UserFactory(username="hz_judge", name="钱法官", court=hz, roles=[Role.POST_JUDGE]),
        hz_supervisor=UserFactory(username="hz_supervisor", name="蒋监管", court=hz, roles=[Role.SUPERVISOR]),
        ha_supervisor=UserFactory(username="ha_supervisor", name="韩监管", court=ha, roles=[Role.SUPERVISOR]),
    )


@pytest.fixture
def api():
    def client_for(user=None):
        client = APIClient()
        if user is not None:
            client.force_authenticate(user=user)
        return client

    return client_for


# --- foundation acceptance fixtures ---------------------------------------------------------

@pytest.fixture
def pinned_clock():
    """Pin "now" to 2026-11-25 10:00 Asia/Shanghai (ticking), so case numbers and the
    three-month termination rule do not depend on the day the suite runs."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    import time_machine

    with time_machine.travel(datetime(2026, 11, 25, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=True) as t:
        yield t


@pytest.fixture
def core_close_guards(monkeypatch):
    """Only the foundation's own close guard (termination_too_early) runs.

    Other modules register more 终本 guards (query, leads, property, restriction — SPEC §7); tests of
    the case state machine itself isolate from them so they test one rule at a time.
    """
    from cases import rules

    monkeypatch.setattr(rules, "_close_guards", [rules.termination_too_early])
    return rules


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """PBKDF2 costs ~0.3 s per demo user; tests hash with MD5 (never in production settings)."""
    from django.conf import settings
    from django.contrib.auth import hashers

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    hashers.get_hashers.cache_clear()
    hashers.get_hashers_by_algorithm.cache_clear()


def pytest_collection_modifyitems(config, items):
    """PostgreSQL-only tests (concurrency, SKIP LOCKED) are skipped before any fixture runs on SQLite:
    a transactional test's flush would hit the append-only triggers there."""
    import os

    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)
