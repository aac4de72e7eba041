"""The rule what-if replay (SPEC §11b): which deadlines a shorter QUERY_START would have made breaches."""

from __future__ import annotations

from datetime import date

import pytest

from deadlines.models import Alert, Deadline
from deadlines.whatif import replay as replay_mod
from deadlines.whatif.replay import TrialRule, replay
from enforcement.models import AuditEvent

pytestmark = pytest.mark.django_db

PERIOD = {"date_from": date(2026, 9, 1), "date_to": date(2026, 10, 20)}
QUERY_3WD = [TrialRule(pk="t1", node="QUERY_START", start_event="case.received", period=3, unit="working_days")]


def _numbers(items):
    return sorted(i["case_number"] for i in items)


def test_whatif_query_start_3_working_days_adds_exactly_these_breaches_by_judge(history, people, courts):
    h = history
    report = replay(court=courts.luoyang, trial=QUERY_3WD, **PERIOD)

    assert _numbers(report["added"]) == sorted([h.b.number, h.e.number, h.c.number, h.f.number, h.xg.number])
    assert report["removed"] == []
    by_judge = {j["judge_name"]: (j["breaches_added"], j["breaches_removed"]) for j in report["by_judge"]}
    assert by_judge == {"陈法官": (2, 0), "刘法官": (2, 0), "郑法官": (1, 0)}
    (node,) = report["by_node"]
    assert node["node"] == "QUERY_START"
    assert node["deadlines"] == 8  # a, b, e, e_ok, c, d, f, xg: not august (before the period), not hz
    assert node["breaches_live"] == 1  # d
    assert node["breaches_draft"] == 6
    assert node["breaches_added"] == 5
    assert report["cases"] == 8
    assert {m["month"]: m["breaches_added"] for m in report["by_month"]} == {"2026-09": 4, "2026-10": 1}


def test_whatif_holiday_and_makeup_day_draft_due_skips_national_day(history, courts):
    """Received Mon 9-28: 3 working days are 9-29, 9-30 and 10-08 (10-01…10-07 National Day);
    the rules in force give 5: … 10-08, 10-09 and the make-up Saturday 10-10."""
    report = replay(court=courts.luoyang, trial=QUERY_3WD, **PERIOD)
    (e,) = [i for i in report["added"] if i["case_number"] == history.e.number]
    assert e["due"].startswith("2026-10-08T23:59:59")
    assert e["live_due"].startswith("2026-10-10T23:59:59")
    assert e["done_at"].startswith("2026-10-09T10:00")


def test_whatif_open_node_breached_under_draft_counts_now(history, courts):
    report = replay(court=courts.luoyang, trial=QUERY_3WD, **PERIOD)
    (f,) = [i for i in report["added"] if i["case_number"] == history.f.number]
    assert f["done_at"] is None
    assert f["due"].startswith("2026-10-16T23:59:59")


def test_whatif_median_slack_days_per_node(history, courts):
    report = replay(court=courts.luoyang, trial=QUERY_3WD, **PERIOD)
    (node,) = report["by_node"]
    # Done nodes: a, b, e, e_ok, c, d, xg. Slack under the draft (due − done, days): a +0.6 (9-10 23:59 − 10:00),
    # b −0.4, e −0.4, e_ok +0.6, c −3.4 (due 9-10), d −5.4, xg −3.4 (received 9-08: due 9-11) … median −0.4.
    assert node["median_slack_days"] == -0.4
    assert node["median_slack_days_live"] > node["median_slack_days"]


def test_whatif_longer_period_changes_nothing_earliest_due_binds(history, courts):
    """A local rule adds to the rules in force; the earliest due binds (SPEC §4): 10 working days never bind."""
    trial = [TrialRule(pk="t", node="QUERY_START", start_event="case.received", period=10, unit="working_days")]
    report = replay(court=courts.luoyang, trial=trial, **PERIOD)
    assert report["added"] == report["removed"] == []
    assert report["by_node"][0]["retimed"] == 0


def test_whatif_rule_from_another_start_event_reads_the_subjects_other_clocks(history, courts):
    """QUERY_START 1 day from acceptance (case.accepted, which starts NOTICE_SEND): a rule whose start event
    is not the node's own is timed from the moment the subject's other clocks record for that event."""
    trial = [TrialRule(pk="t", node="QUERY_START", start_event="case.accepted", period=1, unit="days")]
    report = replay(court=courts.luoyang, trial=trial, **PERIOD)
    # a (queried 3 days after acceptance) is late under a 1-day rule; nothing is on time any more but none.
    assert history.a.number in _numbers(report["added"])


def test_whatif_replay_writes_nothing(history, courts):
    before = (list(Deadline.objects.order_by("id").values_list("id", "due_at", "status")), Alert.objects.count(),
              AuditEvent.objects.count())
    replay(court=courts.luoyang, trial=QUERY_3WD, **PERIOD)
    after = (list(Deadline.objects.order_by("id").values_list("id", "due_at", "status")), Alert.objects.count(),
             AuditEvent.objects.count())
    assert before == after


def test_whatif_queries_do_not_grow_with_cases(history, courts, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        replay(court=courts.luoyang, trial=QUERY_3WD, **PERIOD)


def test_whatif_trial_rules_from_changes_copies_start_event_and_condition(history, courts):
    trial = replay_mod.trial_rules_from_changes(courts.luoyang, [{"node": "CASE_LIMIT", "period": 4,
                                                                 "unit": "months"}], date(2026, 10, 20))
    # CASE_LIMIT has three national rules (one plain, two conditioned): each is changed.
    assert len(trial) == 3
    assert {t.start_event for t in trial} == {"case.filed"}
    assert sum(t.conditioned for t in trial) == 2
