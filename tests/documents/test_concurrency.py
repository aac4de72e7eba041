"""Concurrent generation (PostgreSQL): versions are numbered under the case lock, so simultaneous
generations of one document get distinct consecutive versions rather than colliding (SPEC §9)."""

import threading

import pytest
from django.db import connection

from enforcement.documents import document_generate
from enforcement.models import Document

N = 4


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_generations_get_consecutive_versions(case, people):
    # given N users generating the same notice at once
    barrier = threading.Barrier(N)
    errors: list = []

    def worker():
        try:
            barrier.wait()
            document_generate(case=case, kind="execution_notice", actor=people.judge)
        except Exception as exc:  # noqa: BLE001 - asserted below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(N)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # then every one succeeded with its own version
    assert errors == []
    versions = sorted(Document.objects.filter(case=case, kind="execution_notice").values_list("version", flat=True))
    assert versions == list(range(1, N + 1))
