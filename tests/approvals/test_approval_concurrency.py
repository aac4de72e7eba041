"""Races on PostgreSQL (SPEC §13: 409 on a lost race): two bureau heads approving one request at
once — one wins, the other gets 409; ten attempts to use one approval — one act passes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cases.models import Property
from cases.property import services as ps
from enforcement.models import ApprovalRequest, AuditEvent, Role
from tests.cases.test_case_numbers import run_in_threads
from tests.factories import UserFactory, approved

from .conftest import ALL, HOUSE, ask, at

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks")


def client_of(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user=user)
    return c


def test_two_concurrent_approvals_of_one_request_one_succeeds_one_is_409(people, courts, case):
    head2 = UserFactory(username="ly_head2", name="杨副局长", court=courts.luoyang, roles=[Role.BUREAU_HEAD])
    req = ask(client_of(people.judge), case, "suspension", reason="被执行人重病住院").json()
    heads = [people.head, head2]

    def approve(i):
        return client_of(heads[i]).post(f"/api/v1/approvals/{req['id']}/transitions/approve/", {"note": f"同意{i}"},
                                        format="json")

    results = run_in_threads(2, approve)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert sorted(r.status_code for r in results) == [200, 409]
    loser = next(r for r in results if r.status_code == 409)
    assert loser.json()["code"] == "approval_decided"
    winner = next(r for r in results if r.status_code == 200).json()
    stored = ApprovalRequest.objects.get(pk=req["id"])
    assert (stored.status, stored.decided_by_id, stored.note) == ("approved", winner["decided_by"], winner["note"])
    assert AuditEvent.objects.filter(action="approval.approve").count() == 1


def test_an_approval_is_used_at_most_once_under_ten_concurrent_attempts(people, case):
    # given ten indivisible houses of one case, each too valuable to seize whole, and one approval for any of them
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 2, 5, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=ALL, occurred_at=at(2026, 2, 6, 9), properties=[
        ps.FoundProperty("real_estate", f"{HOUSE}之{i + 1}", Decimal("900000")) for i in range(10)])
    houses = list(Property.objects.filter(case=case).order_by("id"))
    req = approved(case, "override", approver=people.head, code="over_seizure", reason="一证一房，无法分割")

    def seize(i):
        return client_of(people.judge).post(f"/api/v1/properties/{houses[i].pk}/transitions/control/",
                                            {"measure": "seize", "value": "900000.00"}, format="json")

    # when ten seizures race for it
    results = run_in_threads(10, seize)
    # then exactly one passes, the others are refused by the guard, and the approval is used once
    assert not [r for r in results if isinstance(r, Exception)], results
    codes = sorted(r.status_code for r in results)
    assert codes == [200] + [422] * 9, [r.content for r in results]
    assert {r.json()["code"] for r in results if r.status_code == 422} == {"over_seizure"}
    req.refresh_from_db()
    assert req.status == "used"
    assert AuditEvent.objects.filter(action="approval.use", object_id=str(req.pk)).count() == 1
    assert Property.objects.filter(case=case, status="controlled").count() == 1
