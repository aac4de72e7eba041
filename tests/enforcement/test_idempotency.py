"""``Idempotency-Key`` on creating POSTs (SPEC §13 "Idempotency"): the same key with the same body
returns the first answer without doing the act again; the same key with a different body is 409
``idempotency_key_reused``; keys are kept at least 24 hours."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Case
from enforcement.models import AuditEvent, IdempotencyRecord
from tests.factories import case_payload

pytestmark = pytest.mark.usefixtures("pinned_clock")


def _file(client, body, key="file-1", **extra):
    return client.post("/api/v1/cases/", body, format="json", HTTP_IDEMPOTENCY_KEY=key, **extra)


@pytest.mark.smoke
def test_a_filing_retried_with_the_same_key_and_body_files_one_case_and_answers_the_first_answer(people, api):
    # given
    clerk = api(people.clerk)
    # when: the client did not see the answer and sends the filing again
    first = _file(clerk, case_payload())
    again = _file(clerk, case_payload())
    # then
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Case.objects.count() == 1 and AuditEvent.objects.filter(action="case.file").count() == 1


def test_the_same_key_with_a_different_body_is_refused_with_idempotency_key_reused(people, api):
    # given
    clerk = api(people.clerk)
    _file(clerk, case_payload())
    # when
    other = _file(clerk, case_payload(claim_amount="99.00"))
    # then
    assert other.status_code == 409
    assert other.json()["code"] == "idempotency_key_reused" and other.json()["detail"]
    assert Case.objects.count() == 1


def test_the_same_key_on_another_operation_is_a_different_request(people, api, courts):
    clerk = api(people.clerk)
    _file(clerk, case_payload())
    r = clerk.post("/api/v1/cases/?court=1", case_payload(), format="json", HTTP_IDEMPOTENCY_KEY="file-1")
    assert (r.status_code, r.json()["code"]) == (409, "idempotency_key_reused")


def test_json_bodies_are_compared_as_data_not_as_bytes(people, api):
    clerk = api(people.clerk)
    body = case_payload()
    first = clerk.post("/api/v1/cases/", json.dumps(body), content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY="k")
    reordered = json.dumps(dict(reversed(list(body.items()))), indent=2)
    again = clerk.post("/api/v1/cases/", reordered, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k")
    assert again.status_code == 201 and again.json()["id"] == first.json()["id"]
    assert Case.objects.count() == 1


def test_keys_belong_to_their_user(people, api, courts):
    # given: two clerks happen to pick the same key
    from enforcement.models import Role
    from tests.factories import UserFactory

    other_clerk = UserFactory(username="ly_clerk2", court=courts.luoyang, roles=[Role.FILING_CLERK])
    # when
    mine = _file(api(people.clerk), case_payload())
    theirs = _file(api(other_clerk), case_payload())
    # then: each filed its own case
    assert mine.status_code == theirs.status_code == 201
    assert mine.json()["id"] != theirs.json()["id"]


def test_a_refused_request_keeps_no_key_so_the_corrected_request_can_use_it(people, api):
    clerk = api(people.clerk)
    refused = _file(clerk, case_payload(claim_amount="-1"))
    corrected = _file(clerk, case_payload())
    assert refused.status_code == 400 and corrected.status_code == 201
    assert Case.objects.count() == 1


def test_a_key_past_its_retention_starts_afresh(people, api, settings):
    clerk = api(people.clerk)
    _file(clerk, case_payload())
    IdempotencyRecord.objects.update(created_at=timezone.now() - settings.IDEMPOTENCY_KEY_TTL - timedelta(minutes=1))
    again = _file(clerk, case_payload())
    assert again.status_code == 201 and "Idempotent-Replayed" not in again
    assert Case.objects.count() == 2


def test_a_key_within_24_hours_still_answers_the_first_answer(people, api):
    clerk = api(people.clerk)
    first = _file(clerk, case_payload())
    IdempotencyRecord.objects.update(created_at=timezone.now() - timedelta(hours=23, minutes=59))
    assert _file(clerk, case_payload()).json() == first.json()


def test_an_empty_or_overlong_key_is_a_400_on_the_header(people, api):
    clerk = api(people.clerk)
    for key in ("  ", "k" * 256):
        r = _file(clerk, case_payload(), key=key)
        assert (r.status_code, r.json()["code"], list(r.json()["errors"])) == (400, "invalid", ["Idempotency-Key"])
    assert not Case.objects.exists()


def test_a_statement_upload_retried_with_the_same_key_imports_once(people, api, rules_and_case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from funds.models import Receipt

    case = rules_and_case
    csv = ("bank_txn_id,account_no,amount,payer,received_at\n"
           f"T-1,{case.account_no},100.00,张伟,2026-11-20T10:00:00+08:00\n").encode()
    finance = api(people.finance)
    answers = [finance.post("/api/v1/funds/statements/", {"file": SimpleUploadedFile("s.csv", csv, "text/csv")},
                            format="multipart", HTTP_IDEMPOTENCY_KEY="stmt-1") for _ in range(2)]
    assert [r.status_code for r in answers] == [answers[0].status_code] * 2 and answers[0].status_code < 300
    assert answers[1]["Idempotent-Replayed"] == "true"
    assert Receipt.objects.count() == 1


@pytest.fixture
def rules_and_case(people):
    from cases.models import CaseStatus
    from deadlines.calendar_services import calendar_seed_national
    from deadlines.services import rulesets_seed
    from tests.factories import advance, file_case

    calendar_seed_national()
    rulesets_seed()
    return advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_file_one_case(people):
    from rest_framework.test import APIClient

    from tests.cases.test_case_numbers import run_in_threads

    def post(i):
        c = APIClient()
        c.force_authenticate(user=people.clerk)
        return _file(c, case_payload(), key="same")

    results = run_in_threads(8, post)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert [r.status_code for r in results] == [201] * 8
    assert len({r.content for r in results}) == 1 and Case.objects.count() == 1
