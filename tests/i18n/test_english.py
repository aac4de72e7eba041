"""English through Django's i18n (SPEC §1: zh-hans by default, English available).

(a) the English catalogue translates every msgid, nothing fuzzy, and the committed .mo says the same;
(b) every page a demo role can open, fetched in English, shows no Chinese in the interface chrome —
    data (party names, case numbers, court names, what users typed, the Chinese legal documents)
    is marked in the templates with ``data-i18n="data"`` or a ``lang`` of its own and is left out;
(c) by default the same pages still speak Chinese and carry none of the English translations.
"""

from __future__ import annotations

import gettext
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation

from cases.lists import case_lists
from cases.models import Case
from deadlines.models import Calendar, Deadline, RuleDraft
from enforcement.models import User

LOCALE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"
CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
ROLES = ("ly_judge", "ly_clerk", "ly_bureau", "ly_officer", "ly_finance", "ly_supervisor", "ly_head", "admin")
DASHBOARD_TABS = ("alerts", "limit", "review", "controls", "funds", "unidentified", "sanctions", "late", "approvals",
                  "overrides", "replies", "disputes", "delegations")


# --- (a) the catalogue ----------------------------------------------------------------------------

def _po_entries(path: Path) -> list[dict]:
    """msgid, msgstr and flags of each entry of a .po file (header left out)."""
    entries, cur, field = [], None, None
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            if cur is not None and cur["msgid"]:
                entries.append(cur)
            cur, field = None, None
            continue
        cur = cur or {"msgid": "", "msgstr": "", "flags": ""}
        if line.startswith("#,"):
            cur["flags"] += line
        elif line.startswith("#"):
            continue
        elif m := re.match(r'(msgid|msgstr|msgid_plural|msgstr\[\d+\]|msgctxt) (".*")$', line):
            field = m.group(1)
            cur[field] = _unquote(m.group(2))
        elif line.startswith('"'):
            assert field is not None, "a continuation line before any field"
            cur[field] += _unquote(line)
    return entries


def _unquote(s: str) -> str:
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(0)), s[1:-1])


def test_every_msgid_is_translated_without_fuzzy_entries_and_keeps_its_placeholders():
    entries = _po_entries(LOCALE / "django.po")
    assert len(entries) > 1000
    untranslated = [e["msgid"] for e in entries if not e["msgstr"].strip()]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    still_chinese = [e["msgid"] for e in entries if CHINESE.search(e["msgstr"])]
    placeholders = [e["msgid"] for e in entries
                    if sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(e["msgstr"]))]
    assert not untranslated, untranslated[:5]
    assert not fuzzy, fuzzy[:5]
    assert not still_chinese, still_chinese[:5]
    assert not placeholders, placeholders[:5]


def test_the_committed_mo_is_compiled_from_the_po():
    with open(LOCALE / "django.mo", "rb") as f:
        catalog = gettext.GNUTranslations(f)._catalog
    po = {e["msgid"]: e["msgstr"] for e in _po_entries(LOCALE / "django.po")}
    mo = {k: v for k, v in catalog.items() if k}
    assert mo == po, "locale/en/LC_MESSAGES/django.mo is stale: run `make messages`"


# --- (b) pages in English --------------------------------------------------------------------------

class Chrome(HTMLParser):
    """The text a reader of the interface sees, minus what the templates mark as data."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
    SHOWN_ATTRS = ("title", "aria-label", "placeholder", "alt")

    def __init__(self, page_lang: str):
        super().__init__(convert_charrefs=True)
        self.page_lang = page_lang
        self.stack: list[bool] = []  # per open element: is it (inside) data?
        self.parts: list[str] = []

    def _hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1]

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        lang = a.get("lang")
        # An <option> whose value is a database id names a record (a court, a judge, a party): data.
        # Options keyed by a code are choices, worded by the interface, and are checked.
        data = (self._hidden() or tag in ("script", "style") or a.get("data-i18n") == "data"
                or (lang is not None and not lang.startswith(self.page_lang))
                or (tag == "option" and (a.get("value") or "").isdigit()))
        # data-i18n-attrs="data": the element's attributes quote data (an aria-label "Accept <case number>")
        if not data and a.get("data-i18n-attrs") != "data":
            self.parts.extend(a[k] for k in self.SHOWN_ATTRS if a.get(k))
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.parts.append(a["value"])
        if tag not in self.VOID:
            self.stack.append(data)

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not self._hidden() and data.strip():
            self.parts.append(data.strip())


def chrome_text(html: str, lang: str) -> list[str]:
    parser = Chrome(lang)
    parser.feed(html)
    return parser.parts


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    """A request in English leaves its language active in the thread: the next test starts in Chinese."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("loaddemo", verbosity=0)


def _pages_for(user: User) -> list[str]:
    """Every page the role can open: the menus' lists, each demo case and deadline it sees, the dashboard
    tabs, metrics, what-if drafts, the calendar upload, the documents' previews, the public lookup."""
    urls = [reverse("home"), reverse("case-list"), reverse("case-list") + "?scope=all", reverse("case-file"),
            reverse("bureau-queue"), reverse("funds-queue"), reverse("funds-unidentified"), reverse("coordination"),
            reverse("notifications"), reverse("credit-sanction-list"), reverse("dashboard"),
            reverse("dashboard-metrics"), reverse("whatif-list"), reverse("approval-inbox"), "/progress/",
            "/no-such-page/"]
    urls += [reverse("dashboard") + f"?tab={tab}" for tab in DASHBOARD_TABS]
    cases = Case.objects.filter(court=user.court).order_by("id") if user.court_id else Case.objects.none()
    for case in cases:
        urls.append(reverse("case-detail", args=[case.pk]))
    # The case page's full, paged lists: each list of a case in every state the role sees.
    for case in cases.order_by("status", "-id").distinct("status"):
        urls += [reverse("case-section-list", args=[case.pk, name]) for name in case_lists()]
    for d in Deadline.objects.filter(case__in=cases).order_by("node", "id").distinct("node")[:40]:
        urls.append(reverse("deadline-explain", args=[d.pk]))
    for draft in RuleDraft.objects.order_by("id"):
        urls.append(reverse("whatif-draft", args=[draft.pk]))
    if user.is_staff:
        urls += [reverse("admin:deadlines_calendar_upload", args=[c.pk]) for c in Calendar.objects.order_by("id")[:1]]
    return urls


def _offences(client: Client, urls: list[str], lang: str) -> list[tuple[str, str]]:
    found = []
    for url in urls:
        r = client.get(url)
        if r.status_code in (301, 302, 405) or "text/html" not in r.get("Content-Type", ""):
            continue
        assert r.status_code in (200, 403, 404), (url, r.status_code)
        found += [(url, t) for t in chrome_text(r.content.decode(), lang) if CHINESE.search(t)]
    return found


def english_client(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_every_page_of_every_demo_role_has_no_chinese_chrome_in_english(demo):
    offences = []
    for username in ROLES:
        user = User.objects.get(username=username)
        offences += [(username, *o) for o in _offences(english_client(user), _pages_for(user), "en")]
    offences += [("anonymous", *o) for o in _offences(english_client(None), ["/login/", "/progress/"], "en")]
    unique = {}
    for who, url, text in offences:
        unique.setdefault(text, (who, url))
    assert not unique, "\n".join(f"{who} {url}: {text[:120]}" for text, (who, url) in list(unique.items())[:60])


def test_a_refusal_reads_in_english(demo):
    clerk = User.objects.get(username="ly_clerk")
    case = Case.objects.filter(court=clerk.court, status="in_progress").order_by("id").first()
    r = english_client(clerk).post(reverse("case-transition", args=[case.pk, "close"]), {"closure": "performed"},
                                   follow=True)
    text = " ".join(chrome_text(r.content.decode(), "en"))
    assert r.status_code == 422
    # The refusal names the case judge: that name is data, the sentence around it English.
    assert f"Only the case judge of this case ({case.judge.display_name}) may make this decision." in text, text[:800]
    assert not CHINESE.search(text.replace(case.judge.display_name, "")), text[:800]


def test_the_language_switch_sets_english_and_back(demo):
    client = Client()
    client.force_login(User.objects.get(username="ly_judge"))
    assert "我的工作台" in client.get(reverse("home")).content.decode()
    r = client.post(reverse("set_language"), {"language": "en", "next": reverse("home")})
    assert r.status_code == 302
    page = client.get(reverse("home")).content.decode()
    assert "My workbench" in page and '<html lang="en">' in page
    assert 'name="language" value="zh-hans"' in page
    client.post(reverse("set_language"), {"language": "zh-hans", "next": reverse("home")})
    assert "我的工作台" in client.get(reverse("home")).content.decode()


# --- (c) the Chinese default -------------------------------------------------------------------------

def test_by_default_pages_speak_chinese_with_no_english_translation_left_in(demo):
    english = {e["msgstr"] for e in _po_entries(LOCALE / "django.po") if len(e["msgstr"].split()) >= 3}
    judge = User.objects.get(username="ly_judge")
    client = Client()
    client.force_login(judge)
    home = client.get(reverse("home")).content.decode()
    assert "我的工作台" in home and '<html lang="zh-hans">' in home
    case = Case.objects.filter(judge=judge).order_by("id").first()
    for url in (reverse("home"), reverse("case-list"), reverse("case-detail", args=[case.pk]), reverse("coordination")):
        text = "\n".join(chrome_text(client.get(url).content.decode(), "zh"))
        leaked = [s for s in english if s in text]
        assert not leaked, (url, leaked[:5])
