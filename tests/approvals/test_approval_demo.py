"""The demo (SPEC §13 "Demo data"): one approval request waiting in ly_head's inbox, and ly_judge's
indivisible house whose whole seizure is refused as over_seizure, offering the request."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.models import Property
from enforcement.models import ApprovalRequest, User

pytestmark = pytest.mark.django_db


def test_the_demo_has_one_pending_request_and_the_house_whose_seizure_is_refused(settings, api):
    settings.DEBUG = True
    settings.DEMO_PASSWORD = "demo"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("loaddemo", verbosity=0)
    # one request, pending, in the Luoyang bureau head's inbox, asked by the case's judge
    (req,) = ApprovalRequest.objects.select_related("case", "requested_by")
    assert (req.status, req.kind, req.requested_by.username, req.case.judge_id) == (
        "pending", "suspension", "ly_judge2", req.requested_by.pk)
    head = User.objects.get(username="ly_head")
    inbox = api(head).get("/api/v1/approvals/?status=pending").json()
    assert [a["id"] for a in inbox["results"]] == [req.pk]
    assert api(head).get(f"/api/v1/approvals/{req.pk}/transitions/").json() == ["approve", "reject"]
    # ly_judge's indivisible house: seizing it whole is refused, and the refusal offers the override
    judge = User.objects.get(username="ly_judge")
    house = Property.objects.get(case__judge=judge, description__contains="不可分割")
    r = api(judge).post(f"/api/v1/properties/{house.pk}/transitions/control/",
                        {"measure": "seize", "value": str(house.value)}, format="json")
    assert r.status_code == 422 and (r.json()["code"], r.json()["approval_kind"]) == ("over_seizure", "override")
    # loading again changes nothing
    call_command("loaddemo", verbosity=0)
    assert ApprovalRequest.objects.count() == 1
