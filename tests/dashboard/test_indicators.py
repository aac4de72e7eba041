"""The SPEC §8 indicators on a hand-made history (conftest ``history``), period 2026-01-01 … 2026-06-30.

Cases (L = 洛阳中院, X = 西工区法院):
  c1 L filed 2025-10-01, closed 2026-02-10 执行完毕, claim 100000, paid 60000 (2025-12) + 40000 (arrived 01-05,
     paid 01-20), property, limit met on time — 132 days
  c2 L filed 2025-11-15, open, limit due 2026-05-15 passed → overdue
  c3 L filed 2025-06-01, closed 2025-12-20 终本 (before the period: not counted anywhere), limit met late
  c4 X filed 2026-01-10, closed 2026-03-01 终本, claim 50000, nothing paid, no property — 50 days;
     CASE_ACCEPT met late on 01-20
  c5 X restored, filed 2026-02-01, closed 2026-06-20 撤回, claim 20000, paid 5000 (arrived 06-01, paid 06-08),
     money received (= with property), limit due 05-01 met late → overdue — 139 days
  c6 X filed 2026-03-01, open, limit due 2026-09-01 → not overdue
  c7 L filed 2026-05-01, closed 2026-07-05 (after the period), limit due 06-15 met late → overdue in the period
  c8 L filed 2026-07-02 (after the period): not counted
  c9 X filed 2025-12-01, closed 2026-04-10 终结执行, claim 30000, property, limit met on time — 130 days
"""

from __future__ import annotations

from datetime import date

import pytest

from deadlines.supervision import metrics
from deadlines.supervision.metrics import Period

from .conftest import NOW

H1 = Period(date(2026, 1, 1), date(2026, 6, 30))


@pytest.fixture
def stats(history):
    metrics.stats_refresh(now=NOW)
    return history


def subtree(courts):
    return [courts.luoyang.pk, courts.xigong.pk]


def figures(courts, period=H1):
    return metrics.indicators(court_ids=subtree(courts), period=period)


def test_closure_rate_is_closed_over_carried_over_plus_newly_filed(stats, courts):
    # given carried over c1 c2 c9, newly filed c4 c5 c6 c7; closed in the period c1 c4 c5 c9
    # when
    r = figures(courts)["closure_rate"]
    # then 4 ÷ (3 + 4)
    assert r == {"value": round(4 / 7, 4), "closed": 4, "carried_over": 3, "filed": 4}


def test_actual_closure_rate_leaves_out_terminated_round_and_withdrawn(stats, courts):
    # c1 performed and c9 terminated count; c4 终本 and c5 撤回 do not
    assert figures(courts)["actual_closure_rate"] == {"value": 0.5, "closed_actual": 2, "closed": 4}


def test_recovery_rate_is_money_paid_over_claims_of_cases_closed_in_the_period(stats, courts):
    # paid 100000 (c1, both payments) + 5000 (c5) over claims 100000 + 50000 + 20000 + 30000
    assert figures(courts)["recovery_rate"] == {"value": 0.525, "paid": "105000.00", "claim": "200000.00"}


def test_average_days_to_close_and_the_first_enforcement_average(stats, courts):
    r = figures(courts)["average_days_to_close"]
    # (132 + 50 + 139 + 130) ÷ 4; first-enforcement only (c5 is restored): (132 + 50 + 130) ÷ 3
    assert (r["value"], r["days"], r["closed"]) == (112.8, 451, 4)
    assert r["first_enforcement"] == {"value": 104.0, "days": 312, "closed": 3, "target": 70}


def test_overdue_rate_counts_late_closures_and_open_cases_past_their_limit(stats, courts):
    # c2 open past due, c5 closed late, c7 limit passed in the period (closed late after it); c3 left before
    assert figures(courts)["overdue_rate"] == {"value": round(3 / 7, 4), "overdue": 3, "cases": 7, "target": 0.03}


def test_within_limit_rate_is_over_closed_cases_with_property(stats, courts):
    # with property: c1 (property), c5 (money received), c9 (property); in time: c1, c9
    assert figures(courts)["within_limit_rate"] == {"value": round(2 / 3, 4), "within_limit": 2,
                                                    "closed_with_property": 3}


def test_average_days_to_pay_counts_payments_made_in_the_period(stats, courts):
    # 01-05 → 01-20 (15 days) and 06-01 → 06-08 (7 days); the December payment is outside
    assert figures(courts)["average_days_to_pay"] == {"value": 11.0, "days": 22, "paid": 2, "amount": "45000.00"}


def test_node_on_time_rate_counts_open_breached_nodes_as_late(stats, courts):
    r = metrics.indicators(court_ids=subtree(courts), period=H1, now=NOW)
    # CASE_LIMIT met in the period: c1, c4, c9 on time, c5 late; c2's limit fell due 05-15 and is still
    # open: late too, not left out. CASE_ACCEPT of c4 late.
    assert r["node_on_time"]["CASE_LIMIT"] == {"name": "法定审限内结案", "value": 0.6, "on_time": 3, "met": 4,
                                               "open_late": 1}
    assert r["node_on_time"]["CASE_ACCEPT"]["value"] == 0.0
    assert r["node_on_time_overall"] == {"value": 0.5, "on_time": 3, "met": 5, "open_late": 1}


def test_a_node_due_after_now_is_not_late_yet(stats, courts):
    # c6's limit falls due 2026-09-01: open but not yet due on 07-15
    later = Period(date(2026, 7, 1), date(2026, 12, 31))
    r = metrics.indicators(court_ids=[courts.xigong.pk], period=later, now=NOW)
    assert r["node_on_time_overall"]["open_late"] == 0


def test_the_metrics_page_states_the_on_time_definition(client, stats, people, courts):
    client.force_login(people.supervisor)
    body = client.get("/dashboard/metrics/?from=2026-01-01&to=2026-06-30").content.decode()
    assert "超期未完成的节点按逾期计入" in body
    assert ">2026年1月<" in body and ">26-01<" not in body


def test_each_court_gets_its_own_figures(stats, courts):
    by_court = {c["court"]: c for c in figures(courts)["courts"]}
    # 洛阳中院 alone: carried c1 c2, filed c7, closed c1; 西工区: carried c9, filed c4 c5 c6, closed c4 c5 c9
    assert by_court[courts.luoyang.pk]["closure_rate"] == {"value": round(1 / 3, 4), "closed": 1, "carried_over": 2,
                                                           "filed": 1}
    assert by_court[courts.xigong.pk]["closure_rate"] == {"value": 0.75, "closed": 3, "carried_over": 1, "filed": 3}


def test_an_empty_denominator_gives_null_not_zero(stats, courts):
    # given a period before any case
    r = figures(courts, Period(date(2020, 1, 1), date(2020, 12, 31)))
    # then
    assert r["closure_rate"]["value"] is None
    assert r["recovery_rate"]["value"] is None
    assert r["average_days_to_close"]["value"] is None
    assert r["node_on_time"] == {}


def test_trend_is_one_entry_per_month_of_the_period(stats, courts):
    trend = figures(courts)["trend"]
    assert [m["month"] for m in trend] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05", "2026-06"]
    # February: only c1 closed (132 days)
    assert trend[1]["average_days_to_close"]["value"] == 132.0


PERIODS = [H1, Period(date(2026, 2, 10), date(2026, 2, 10)), Period(date(2025, 1, 1), date(2026, 12, 31)),
           Period(date(2026, 3, 15), date(2026, 7, 4)), Period(date(2025, 12, 20), date(2026, 1, 20))]


@pytest.mark.parametrize("period", PERIODS, ids=lambda p: f"{p.start}..{p.end}")
@pytest.mark.parametrize("scope", ["subtree", "xigong"])
def test_the_summary_tables_give_the_same_figures_as_the_direct_computation(stats, courts, period, scope):
    # given
    ids = subtree(courts) if scope == "subtree" else [courts.xigong.pk]
    # when
    summary = metrics.indicators(court_ids=ids, period=period, per_court=False, trend=False, now=NOW)
    direct = metrics.indicators_direct(court_ids=ids, period=period, now=NOW)
    # then
    assert summary == direct
