"""Rule versions (SPEC §4): an edit makes a new version in force from a date; a deadline is timed by
the versions in force on its start event's ``occurred_at``, and its explanation names the version."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

from deadlines import rule_versions
from deadlines.corrections import deadline_correct_start
from deadlines.models import Deadline, Rule
from deadlines.selectors import deadline_explain, rules_in_force
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")


def at(*args):
    return datetime(*args, tzinfo=SH)


def national(node):
    return Rule.objects.get(rule_set__code="national", node=node, effective_to__isnull=True)


def test_a_deadline_is_timed_by_the_rule_version_in_force_on_its_start_events_occurred_at(rules, people):
    # given CASE_ACCEPT shortened from 7 to 3 days from 2026-06-01 (version 2)
    v1 = national("CASE_ACCEPT")
    v2 = rule_versions.rule_revise(rule=v1, actor=None, changes={"period": 3}, effective_from=date(2026, 6, 1))
    # when two cases are entered today, one filed on 2026-05-20 (before), one on 2026-06-02 (after)
    before = file_case(people.clerk, filed_at=at(2026, 5, 20, 9))
    after = file_case(people.clerk, filed_at=at(2026, 6, 2, 9))
    # then each is timed by the version in force on its filing day, and says so
    d1 = Deadline.objects.get(case=before, node="CASE_ACCEPT")
    d2 = Deadline.objects.get(case=after, node="CASE_ACCEPT")
    assert d1.bound_rule_id == v1.pk and d1.due_at == at(2026, 5, 27, 23, 59, 59)
    assert d2.bound_rule_id == v2.pk and d2.due_at == at(2026, 6, 5, 23, 59, 59)
    assert "第1版" in deadline_explain(d1)["explanation"]
    x2 = deadline_explain(d2)
    assert x2["bound_rule"]["version"] == 2 and "第2版，自2026-06-01起施行" in x2["explanation"]


def test_an_admin_rule_edit_today_does_not_retime_a_case_whose_start_event_was_last_month(rules, people):
    # Reproduction (issue 12): an edit today re-timed a case whose start event was last month.
    # given a case filed on 2026-11-02 (CASE_ACCEPT 7 days → 11-09)
    case = file_case(people.clerk, filed_at=at(2026, 11, 2, 9))
    d = Deadline.objects.get(case=case, node="CASE_ACCEPT")
    due = d.due_at
    # when the admin shortens the rule today, and a second case with last month's filing is entered after
    rule_versions.rule_revise(rule=national("CASE_ACCEPT"), actor=None, changes={"period": 2})
    late_entry = file_case(people.clerk, filed_at=at(2026, 11, 2, 9))
    # then neither is timed by today's version: both keep the rule in force on 2026-11-02
    d.refresh_from_db()
    assert d.due_at == due == at(2026, 11, 9, 23, 59, 59)
    assert Deadline.objects.get(case=late_entry, node="CASE_ACCEPT").due_at == due
    assert d.bound_rule.version == 1


def test_rules_in_force_for_a_court_on_a_date_is_one_selector(rules, people, django_assert_max_num_queries):
    v1 = national("QUERY_START")
    v2 = rule_versions.rule_revise(rule=v1, actor=None, changes={"period": 4}, effective_from=date(2026, 6, 1))
    with django_assert_max_num_queries(4):
        luoyang_2021 = rules_in_force(court=rules.luoyang, on=date(2021, 6, 1))
    codes = {(r.rule_set.code, r.node, r.pk) for r in luoyang_2021}
    # the Luoyang 2021 set applies to Luoyang in 2021, with the national version 1
    assert ("luoyang-2021", "QUERY_START") in {(c, n) for c, n, _ in codes}
    assert ("national", "QUERY_START", v1.pk) in codes
    # in 2026 the Luoyang set has lapsed and national version 2 applies; Hangzhou gets Zhejiang's set
    later = rules_in_force(court=rules.luoyang, on=date(2026, 7, 1))
    assert {r.rule_set.code for r in later} == {"national"}
    assert v2.pk in {r.pk for r in later} and v1.pk not in {r.pk for r in later}
    assert "zhejiang-2016" in {r.rule_set.code for r in rules_in_force(court=rules.hangzhou, on=date(2026, 7, 1))}


def test_a_corrected_start_is_timed_by_the_version_in_force_on_the_corrected_date(rules, people):
    # given CASE_ACCEPT 7 days, 3 days from 2026-06-01, and a case filed on 2026-06-02 (version 2 → 06-05)
    v1 = national("CASE_ACCEPT")
    rule_versions.rule_revise(rule=v1, actor=None, changes={"period": 3}, effective_from=date(2026, 6, 1))
    case = file_case(people.clerk, filed_at=at(2026, 6, 2, 9))
    d = Deadline.objects.get(case=case, node="CASE_ACCEPT")
    # when the bureau head corrects the filing to 2026-05-29 (version 1 then in force: 7 days → 06-05)
    d = deadline_correct_start(deadline=d, actor=people.head, started_at=at(2026, 5, 29, 9), reason="立案日期录入错误")
    # then version 1 binds
    assert d.bound_rule_id == v1.pk and d.due_at == at(2026, 6, 5, 23, 59, 59)
