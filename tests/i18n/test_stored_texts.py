"""Stored texts are worded in the default language whatever the acting user's interface language
(README "Languages"): a staff notification written by an act done in English reads Chinese."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from cases.models import Case
from enforcement.models import ApprovalKind, ApprovalRequest, Notification, User
from enforcement.notifications import notify


@pytest.fixture(autouse=True)
def _chinese_after_each_test():
    yield
    translation.activate(settings.LANGUAGE_CODE)


def test_notify_builds_its_text_in_the_default_language(db):
    user = User.objects.create_user(username="u1", password="x")
    with translation.override("en"):
        assert gettext("待审批") == "Awaiting approval"
        (n,) = notify(recipients=[user], kind="test", title=lambda: gettext("待审批"),
                      body=lambda: ApprovalKind.SUSPENSION.label)
    assert (n.title, n.body) == ("待审批", "中止/暂缓执行")


def test_an_english_session_users_act_stores_a_chinese_notification(db, settings):
    settings.DEBUG = True
    call_command("loaddemo", verbosity=0)
    judge = User.objects.get(username="ly_judge")
    case = Case.objects.filter(judge=judge, status="in_progress").order_by("id").first()
    ApprovalRequest.objects.filter(case=case, status="pending").delete()
    client = Client()
    client.force_login(judge)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    r = client.post(reverse("approval-ask"), {"case": case.pk, "kind": ApprovalKind.SUSPENSION,
                                              "reason": "被执行人住院治疗"}, follow=True)
    assert r.status_code == 200
    assert "Submitted for the bureau head&#x27;s approval" in r.content.decode()  # the page speaks English
    n = Notification.objects.filter(case_id=case.pk, kind="approval_requested").latest("id")
    assert n.title == f"{case.number} 待审批：中止/暂缓执行", n.title
    assert n.body == f"{judge.display_name} 申请：被执行人住院治疗"
