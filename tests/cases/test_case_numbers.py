"""Case numbers (SPEC §13 Cases: ``(2026)豫03执123号`` per court and year) and concurrency
(SPEC §6: concurrent transitions on one object — exactly one wins, the other gets a conflict)."""

from __future__ import annotations

import threading
from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection

from cases import services
from cases.models import Case, CaseNumberCounter, CaseStatus, Closure, Party
from enforcement.errors import InvalidInput
from enforcement.models import AuditEvent, Role
from tests.factories import UserFactory, advance, case_payload, file_case

SH = ZoneInfo("Asia/Shanghai")


@pytest.mark.smoke
@pytest.mark.usefixtures("pinned_clock")
def test_numbers_run_per_court_and_year(people):
    # when
    ly1, ly2 = file_case(people.clerk), file_case(people.clerk)
    xg1 = file_case(people.xg_clerk)
    ly3 = file_case(people.clerk)
    last_year = file_case(people.clerk, filed_at=datetime(2025, 12, 31, 23, 30, tzinfo=SH))
    # then
    assert [ly1.number, ly2.number, ly3.number] == ["(2026)豫03执1号", "(2026)豫03执2号", "(2026)豫03执3号"]
    assert xg1.number == "(2026)豫0303执1号"
    assert last_year.number == "(2025)豫03执1号"
    assert (ly3.year, ly3.seq, last_year.year, last_year.seq) == (2026, 3, 2025, 1)


@pytest.mark.usefixtures("pinned_clock")
def test_the_year_is_the_local_year_in_china(people):
    # when: 2025-12-31 16:30 UTC is already 2026-01-01 00:30 in Asia/Shanghai
    case = file_case(people.clerk, filed_at=datetime.fromisoformat("2025-12-31T16:30:00+00:00"))
    # then
    assert case.number == "(2026)豫03执1号"


@pytest.mark.usefixtures("pinned_clock", "core_close_guards")
def test_restored_cases_are_numbered_in_their_own_series(people):
    # given
    first = advance(file_case(people.clerk, filed_at=datetime(2026, 3, 1, tzinfo=SH)), CaseStatus.IN_PROGRESS,
                    bureau=people.bureau, judge=people.judge)
    services.case_close(case=first, actor=people.judge, closure=Closure.TERMINATED_ROUND)
    # when
    restored = services.case_restore(case=first, actor=people.judge)
    after = file_case(people.clerk)
    # then
    assert restored.number == "(2026)豫03执恢1号"
    assert after.number == "(2026)豫03执2号"


@pytest.mark.smoke
@pytest.mark.usefixtures("pinned_clock")
def test_a_failed_filing_does_not_consume_a_number(people, monkeypatch):
    # given: something inside the filing transaction refuses after the number was drawn
    def refuse(case, event, at, actor, **extra):
        if event == "file":
            raise InvalidInput({"parties": ["当事人信息有误。"]})

    monkeypatch.setattr(services, "_lifecycle_listeners", [*services._lifecycle_listeners, refuse])
    counts = (Case.objects.count(), Party.objects.count(), AuditEvent.objects.count())
    # when
    with pytest.raises(InvalidInput):
        file_case(people.clerk)
    # then
    assert (Case.objects.count(), Party.objects.count(), AuditEvent.objects.count()) == counts
    monkeypatch.setattr(services, "_lifecycle_listeners", [f for f in services._lifecycle_listeners if f is not refuse])
    assert file_case(people.clerk).number == "(2026)豫03执1号"


@pytest.mark.usefixtures("pinned_clock")
def test_a_rejected_api_filing_does_not_consume_a_number(people, api):
    # given
    clerk = api(people.clerk)
    # when
    bad = clerk.post("/api/v1/cases/", case_payload(claim_amount="-5"), format="json")
    good = clerk.post("/api/v1/cases/", case_payload(), format="json")
    # then
    assert bad.status_code == 400
    assert good.status_code == 201
    assert good.json()["number"] == "(2026)豫03执1号"


@pytest.mark.usefixtures("pinned_clock")
def test_an_explicit_number_is_kept_and_must_be_unique(people, api):
    # given
    clerk = api(people.clerk)
    # when
    given = clerk.post("/api/v1/cases/", case_payload(number="(2026)豫03执900号"), format="json")
    duplicate = clerk.post("/api/v1/cases/", case_payload(number="(2026)豫03执900号"), format="json")
    assigned = clerk.post("/api/v1/cases/", case_payload(), format="json")
    # then
    assert given.status_code == 201 and given.json()["number"] == "(2026)豫03执900号"
    assert duplicate.status_code == 400 and "number" in duplicate.json()["errors"]
    assert duplicate.json()["code"] == "case_number_taken"
    assert assigned.json()["number"] == "(2026)豫03执1号"
    assert Case.objects.count() == 2


@pytest.mark.usefixtures("pinned_clock")
def test_a_given_number_must_be_in_the_filing_courts_own_series_and_year(people, api, courts):
    # given: SPEC §13 "Case numbers" -- 洛阳中院 numbers as 豫03, 杭州中院 as 浙01
    clerk = api(people.clerk)
    refused = {
        "another court's series": "(2026)浙01执9号",
        "a lower court's series": "(2026)豫0303执9号",
        "another year": "(2025)豫03执9号",
        "the restored series": "(2026)豫03执恢9号",
        "not a number": "豫03执9号",
        "a leading zero": "(2026)豫03执09号",
    }
    # when
    answers = {why: clerk.post("/api/v1/cases/", case_payload(number=n), format="json") for why, n in refused.items()}
    full_width = clerk.post("/api/v1/cases/", case_payload(number="（2026）豫03执9号"), format="json")
    # then
    assert {why: (r.status_code, r.json()["code"], list(r.json()["errors"])) for why, r in answers.items()} == {
        why: (400, "case_number_not_in_series", ["number"]) for why in refused
    }
    assert full_width.status_code == 201 and full_width.json()["number"] == "(2026)豫03执9号"
    assert list(Case.objects.values_list("number", flat=True)) == ["(2026)豫03执9号"]


@pytest.mark.usefixtures("pinned_clock")
def test_the_answer_for_another_courts_number_does_not_tell_whether_it_exists(people, api, courts):
    # given: 杭州中院 has filed (2026)浙01执1号; (2026)浙01执2号 does not exist
    hz_clerk = UserFactory(username="hz_clerk", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    assert file_case(hz_clerk).number == "(2026)浙01执1号"
    clerk = api(people.clerk)
    # when
    existing = clerk.post("/api/v1/cases/", case_payload(number="(2026)浙01执1号"), format="json")
    missing = clerk.post("/api/v1/cases/", case_payload(number="(2026)浙01执2号"), format="json")
    # then
    assert (existing.status_code, existing.json()) == (missing.status_code, missing.json())
    assert existing.status_code == 400


@pytest.mark.usefixtures("pinned_clock")
def test_a_clerk_cannot_take_another_courts_numbers_and_its_numbering_keeps_working(people, api, courts):
    # given: the reproduction of issue 13 -- ly_clerk tried (2026)浙01执9号 and 10号 as Luoyang cases
    hz_clerk = UserFactory(username="hz_clerk", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    ly = api(people.clerk)
    tries = [ly.post("/api/v1/cases/", case_payload(number=f"(2026)浙01执{n}号"), format="json") for n in (9, 10)]
    # when: 杭州中院 files twelve cases with automatic numbers
    hz = api(hz_clerk)
    filed = [hz.post("/api/v1/cases/", case_payload(), format="json") for _ in range(12)]
    # then
    assert [r.status_code for r in tries] == [400, 400]
    assert [r.status_code for r in filed] == [201] * 12
    assert [r.json()["number"] for r in filed] == [f"(2026)浙01执{n}号" for n in range(1, 13)]
    assert not Case.objects.filter(court=courts.luoyang).exists()


@pytest.mark.usefixtures("pinned_clock")
def test_automatic_numbering_skips_numbers_taken_by_hand(people, api):
    # given: numbers 2 and 3 of the series were given by hand, ahead of the counter
    clerk = api(people.clerk)
    for n in (2, 3):
        assert clerk.post("/api/v1/cases/", case_payload(number=f"(2026)豫03执{n}号"), format="json").status_code == 201
    # when
    numbers = [clerk.post("/api/v1/cases/", case_payload(), format="json").json()["number"] for _ in range(3)]
    # then
    assert numbers == ["(2026)豫03执1号", "(2026)豫03执4号", "(2026)豫03执5号"]
    assert CaseNumberCounter.objects.get(court=people.clerk.court, year=2026, series="first").last == 5


@pytest.mark.usefixtures("pinned_clock")
def test_automatic_numbering_skips_a_legacy_number_that_sits_in_the_series(people, courts):
    # given: a case filed before the series check, under 杭州中院's number but as a Luoyang case
    stray = file_case(people.clerk)
    Case.objects.filter(pk=stray.pk).update(number="(2026)浙01执1号", seq=None)
    hz_clerk = UserFactory(username="hz_clerk", court=courts.hangzhou, roles=[Role.FILING_CLERK])
    # when
    case = file_case(hz_clerk)
    # then
    assert case.number == "(2026)浙01执2号"


def test_every_case_gets_its_own_account(people):
    # when
    accounts = {file_case(people.clerk).account_no for _ in range(3)} | {file_case(people.xg_clerk).account_no}
    # then: one case, one account [004 §19]
    assert len(accounts) == 4


# --- concurrency (PostgreSQL: row locks) ---------------------------------------------------

def run_in_threads(n: int, work) -> list:
    """Start n threads at once on ``work(i)``; each closes its own connection at the end."""
    barrier = threading.Barrier(n)
    results: list = [None] * n

    def target(i: int) -> None:
        try:
            barrier.wait()
            results[i] = work(i)
        except Exception as exc:  # collected and asserted by the test
            results[i] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=target, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency needs PostgreSQL row locks")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_filings_get_distinct_gap_free_numbers(people):
    # given
    require_postgres()
    year = datetime.now(SH).year
    # when
    results = run_in_threads(20, lambda i: file_case(people.clerk).number)
    # then
    errors = [r for r in results if isinstance(r, Exception)]
    assert not errors, errors
    assert sorted(results, key=lambda n: int(n.split("执")[1][:-1])) == [
        f"({year})豫03执{i}号" for i in range(1, 21)
    ]
    assert CaseNumberCounter.objects.get(court=people.clerk.court, year=year, series="first").last == 20
    assert len(set(Case.objects.values_list("account_no", flat=True))) == 20
    call_command("verify_audit", stdout=StringIO(), stderr=StringIO())  # the chain stayed linear


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("n", [2, 8])
def test_concurrent_accepts_one_wins_the_others_conflict(people, api, n):
    # given
    require_postgres()
    case = advance(file_case(people.clerk), CaseStatus.RECEIVED, bureau=people.bureau, judge=people.judge)
    services.case_assign(case=case, actor=people.bureau, judge=people.judge)
    url = f"/api/v1/cases/{case.pk}/transitions/accept/"
    # when
    responses = run_in_threads(n, lambda i: api(people.judge).post(url, {}, format="json"))
    # then
    assert not [r for r in responses if isinstance(r, Exception)], responses
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] + [409] * (n - 1)
    assert {r.json()["code"] for r in responses if r.status_code == 409} == {"transition_not_allowed"}
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.accept").count() == 1
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_closures_one_wins_the_others_conflict(people, api):
    # given
    require_postgres()
    case = advance(file_case(people.clerk), CaseStatus.IN_PROGRESS, bureau=people.bureau, judge=people.judge)
    closures = ["performed", "withdrawn", "terminated", "not_enforced"]
    url = f"/api/v1/cases/{case.pk}/transitions/close/"
    # when
    responses = run_in_threads(4, lambda i: api(people.judge).post(url, {"closure": closures[i]}, format="json"))
    # then
    assert sorted(r.status_code for r in responses) == [200, 409, 409, 409]
    winner = next(r for r in responses if r.status_code == 200).json()["closure"]
    case.refresh_from_db()
    assert (case.status, case.closure) == (CaseStatus.CLOSED, winner)
    assert AuditEvent.objects.filter(case_id=case.pk, action="case.close").count() == 1
