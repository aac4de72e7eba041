"""Every page of the demo data renders for the people who use it — no 500 anywhere."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from cases.models import Case
from deadlines.models import Deadline
from enforcement.models import User


@pytest.fixture
def demo(db, settings):
    settings.DEBUG = True
    call_command("loaddemo", verbosity=0)


@pytest.mark.smoke
def test_every_demo_case_page_renders_for_its_judge(demo, client):
    for username in ("ly_judge", "ly_judge2", "xg_judge", "hz_judge"):
        user = User.objects.get(username=username)
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200
        for case in Case.objects.filter(judge=user):
            r = client.get(reverse("case-detail", args=[case.pk]))
            assert r.status_code == 200, (username, case.number)
        d = Deadline.objects.filter(case__judge=user).first()
        assert client.get(reverse("deadline-explain", args=[d.pk])).status_code == 200


def test_demo_landing_pages_render_for_every_role(demo, client):
    for username in ("ly_clerk", "ly_bureau", "ly_officer", "ly_finance", "ly_supervisor", "ly_head",
                     "ha_supervisor", "hz_supervisor", "admin"):
        client.force_login(User.objects.get(username=username))
        r = client.get(reverse("home"), follow=True)
        assert r.status_code == 200, username
        assert client.get(reverse("case-list")).status_code == 200, username
        assert client.get(reverse("notifications")).status_code == 200, username
        case = Case.objects.filter(court__code="豫03").order_by("id").last()
        assert client.get(reverse("case-detail", args=[case.pk])).status_code in (200, 404), username
