"""Concurrent acts on one coordination object (PostgreSQL, SPEC §6: exactly one wins, the others
get a conflict and nothing is done twice)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection
from rest_framework.test import APIClient

from cases.models import Case, CaseTransfer, Delegation
from deadlines.models import Deadline

from .conftest import at

N = 10


def _run_concurrently(fn) -> list:
    barrier, results = threading.Barrier(N), [None] * N

    def worker(i):
        try:
            barrier.wait()
            results[i] = fn(i)
        except Exception as exc:  # noqa: BLE001 - reported as the result, asserted below
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def _client(user):
    c = APIClient()
    c.force_authenticate(user=user)
    return c


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_take_ups_of_one_case_move_it_once(cast, courts, xg_case):
    results = _run_concurrently(lambda i: _client(cast.head).post(
        f"/api/v1/cases/{xg_case.pk}/transfer/", {"kind": "take_up", "reason": f"提级执行 {i}"}, format="json"))
    codes = sorted(r.status_code for r in results)
    # one moved it; the others found it already 洛阳中院's own case
    assert codes == [201] + [422] * (N - 1)
    assert CaseTransfer.objects.count() == 1
    case = Case.objects.get(pk=xg_case.pk)
    assert case.court_id == courts.luoyang.pk and case.number == CaseTransfer.objects.get().to_number


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_acceptances_of_one_task_accept_it_once(cast, courts, ly_case):
    from cases.coordination import services

    d = services.delegation_request(case=ly_case, actor=cast.judge, to_court=courts.hangzhou, task="serve",
                                    details="送达执行通知书", occurred_at=at(2026, 4, 2, 9))
    results = _run_concurrently(lambda i: _client(cast.hz_bureau).post(
        f"/api/v1/delegations/{d.pk}/transitions/accept/", {"handler": cast.hz_judge.pk}, format="json"))
    assert sorted(r.status_code for r in results) == [200] + [409] * (N - 1)
    assert Delegation.objects.get(pk=d.pk).status == "accepted"
    assert Deadline.objects.filter(node="DELEGATION_DONE", subject_id=d.pk).count() == 1
