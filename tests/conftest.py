import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.db import connection
from rest_framework.test import APIClient

from enforcement.models import Role

from . import tools
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


@pytest.fixture(autouse=True)
def _audit_checkpoints_in_tmp(settings, tmp_path):
    """Each test anchors its audit chains in its own checkpoint file, never in the developer's var/."""
    settings.AUDIT_CHECKPOINT_FILE = tmp_path / "audit-checkpoints.jsonl"


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
    if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL (set DATABASE_URL)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


# --- browser tests (Playwright driving Debian's Chromium against the live server) -------------
# One definition for every folder (tests/browser, tests/dashboard …): a second session-scoped
# Playwright in the same thread would fail ("Sync API inside the asyncio loop").

CHROMIUM = tools.CHROMIUM
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium():
    tools.require_chromium()  # fails, never skips: a run without a browser has not tested the pages
    tools.require_cjk_fonts()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in the test thread; Django would otherwise refuse ORM
    # calls from it ("You cannot call this from an async context"). Only while the browser runs.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, live_app):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN", timezone_id="Asia/Shanghai")
    context.set_default_timeout(15_000)
    pg = context.new_page()
    yield pg
    context.close()


@pytest.fixture
def screenshot():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(pg, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        pg.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def live_app(transactional_db, live_server):
    """The live server, with a teardown that lets the transactional flush pass the audit triggers.

    After a live-server test Django empties every table. PostgreSQL does it with TRUNCATE, which the
    append-only triggers (SPEC §12) do not intercept; SQLite does it with DELETE, which they refuse.
    On SQLite the triggers are lifted for that cleanup only and recreated from their stored SQL.
    """
    yield live_server
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger'")
        triggers = cursor.fetchall()
        for name, _table, _sql in triggers:
            cursor.execute(f'DROP TRIGGER "{name}"')
        for table in sorted({table for _name, table, _sql in triggers}):
            cursor.execute(f'DELETE FROM "{table}"')
        for _name, _table, sql in triggers:
            cursor.execute(sql)
