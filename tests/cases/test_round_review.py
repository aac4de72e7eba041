"""ROUND_REVIEW (SPEC §4): a terminated-round (终本) case is re-queried every 6 months for 5 years from
its closure, then no more; on restoration the property the review found moves to the restored case."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from cases import services
from cases.models import Property
from cases.property import services as ps
from deadlines.models import Deadline, DeadlineStatus
from enforcement.models import AuditEvent
from tests.factories import file_case

pytestmark = pytest.mark.usefixtures("core_close_guards")

SH = ZoneInfo("Asia/Shanghai")
ALL = ["bank_deposit", "real_estate", "vehicle", "equity", "securities", "insurance", "online_payment", "other"]


def at(*args):
    return datetime(*args, tzinfo=SH)


@pytest.fixture
def rules(courts):
    from deadlines.calendar_services import calendar_seed_national
    from deadlines.services import rulesets_seed

    calendar_seed_national()
    rulesets_seed()


def terminated(people, filed, accepted, closed):
    c = file_case(people.clerk, filed_at=filed)
    c = services.case_receive(case=c, actor=people.bureau, occurred_at=accepted)
    c = services.case_assign(case=c, actor=people.bureau, judge=people.judge, occurred_at=accepted)
    c = services.case_accept(case=c, actor=people.judge, occurred_at=accepted)
    return c, closed


def reviews(case):
    return list(Deadline.objects.filter(node="ROUND_REVIEW", subject_type="case", subject_id=case.pk)
                .order_by("started_at"))


def review(case, people, when):
    return ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=when)


def test_round_review_stops_after_five_years_from_the_termination(rules, people):
    # given a case closed by 终本 on 2021-06-01
    case, closed = terminated(people, at(2021, 1, 4, 9), at(2021, 1, 5, 9), at(2021, 6, 1, 10))
    case = services.case_close(case=case, actor=people.judge, closure="terminated_round", occurred_at=closed)
    assert ps.round_review_ends(case) == at(2026, 6, 1, 23, 59, 59)
    # when reviewed on 2025-12-01: the next review (due 2026-06-01) still falls within the five years
    review(case, people, at(2025, 12, 1, 10))
    assert reviews(case)[-1].status == DeadlineStatus.RUNNING
    assert reviews(case)[-1].due_at == at(2026, 6, 1, 23, 59, 59)
    # when reviewed on 2026-05-29: a next one (2026-11-29) would fall after them
    review(case, people, at(2026, 5, 29, 10))
    # then the series ends: every review met, none running
    assert [d.status for d in reviews(case)] == [DeadlineStatus.MET, DeadlineStatus.MET]
    assert not Deadline.objects.filter(node="ROUND_REVIEW", status__in=["running", "paused"]).exists()


def test_round_review_runs_every_six_months_within_the_five_years(rules, people):
    case, closed = terminated(people, at(2024, 1, 2, 9), at(2024, 1, 3, 9), at(2024, 6, 3, 10))
    case = services.case_close(case=case, actor=people.judge, closure="terminated_round", occurred_at=closed)
    review(case, people, at(2024, 12, 2, 10))
    first, second = reviews(case)
    assert first.status == DeadlineStatus.MET and second.status == DeadlineStatus.RUNNING
    # 6 months from 2024-12-02: 2025-06-02, in the Dragon Boat holiday → 2025-06-03
    assert second.due_at == at(2025, 6, 3, 23, 59, 59)


def test_on_restoration_the_property_found_by_the_review_moves_to_the_restored_case(rules, people, api):
    # given a 终本 case: a cabinet found before the closure, a car found by the review, a flat by a lead
    case, closed = terminated(people, at(2026, 2, 2, 9), at(2026, 2, 3, 9), at(2026, 6, 10, 10))
    q = ps.query_initiate(case=case, actor=people.judge, channels=["national"], occurred_at=at(2026, 2, 5, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=ALL, occurred_at=at(2026, 2, 6, 9),
                      properties=[ps.FoundProperty("other", "旧文件柜", Decimal("300"))])
    case = services.case_close(case=case, actor=people.judge, closure="terminated_round", occurred_at=closed)
    q = review(case, people, at(2026, 7, 1, 9))
    ps.query_feedback(query=q, actor=people.judge, categories=ALL, occurred_at=at(2026, 7, 2, 9),
                      properties=[ps.FoundProperty("vehicle", "新购轿车", Decimal("90000"))])
    lead = ps.lead_receive(case=case, actor=people.judge, description="被执行人名下新购住房",
                           occurred_at=at(2026, 7, 3, 9))
    ps.lead_confirm(lead=lead, actor=people.judge, type="real_estate", value=Decimal("300000"),
                    occurred_at=at(2026, 7, 5, 9))
    cabinet, car, flat = Property.objects.order_by("id")
    # when the case is restored
    new = services.case_restore(case=case, actor=people.judge, reason="发现可供执行财产", occurred_at=at(2026, 7, 6, 9))
    # then what was found after the closure is the restored case's, with its clocks and its owner
    car.refresh_from_db(), flat.refresh_from_db(), cabinet.refresh_from_db()
    assert (car.case_id, flat.case_id, cabinet.case_id) == (new.pk, new.pk, case.pk)
    respondent = new.parties.get(role="respondent")
    assert car.owner_id == flat.owner_id == respondent.pk
    control = Deadline.objects.get(node="CONTROL_OFFLINE", subject_type="property", subject_id=car.pk)
    assert control.case_id == new.pk and control.due_at == at(2026, 7, 7, 23, 59, 59)
    assert AuditEvent.objects.filter(action="property.transfer_to_restored", case_id=new.pk).count() == 2
    # and the restored case's page and API list them
    r = api(people.judge).get(f"/api/v1/properties/?case={new.pk}")
    assert sorted(p["id"] for p in r.json()["results"]) == sorted([car.pk, flat.pk])
