"""Properties of the period arithmetic (SPEC §3) over random start dates and periods.

Runs on an in-memory calendar built from the chinesecalendar package (2004–2026 confirmed), so no
database is needed; periods starting late in 2026 run into unconfirmed 2027 (weekends only).
"""

from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from deadlines.calendar import (
    add_months,
    add_working_days,
    compute_due,
    national_view_from_package,
    working_days_between,
)

CAL = national_view_from_package()
starts = st.dates(min_value=date(2005, 1, 1), max_value=date(2026, 12, 31))
periods = st.integers(min_value=1, max_value=60)
fast = settings(max_examples=200, deadline=None)


@fast
@given(start=starts, n=periods)
def test_working_day_period_always_ends_on_a_working_day(start, n):
    due = compute_due(start, n, "working_days", cal=CAL).due.date()
    assert CAL.is_working_day(due)
    assert due > start


@fast
@given(start=starts, n=periods, m=periods, unit=st.sampled_from(["working_days", "days", "months"]))
def test_due_is_monotone_in_the_period(start, n, m, unit):
    n, m = sorted((n, m))
    assert compute_due(start, n, unit, cal=CAL).due <= compute_due(start, m, unit, cal=CAL).due


@fast
@given(start=starts, n=periods, m=periods)
def test_adding_n_then_m_working_days_equals_adding_n_plus_m(start, n, m):
    assert add_working_days(add_working_days(start, n, CAL), m, CAL) == add_working_days(start, n + m, CAL)


@fast
@given(start=starts, n=st.integers(min_value=0, max_value=400))
def test_working_days_between_counts_exactly_the_working_days_added(start, n):
    assert working_days_between(start, add_working_days(start, n, CAL), CAL) == n


@fast
@given(a=starts, span=st.integers(min_value=0, max_value=120))
def test_working_days_between_matches_counting_day_by_day(a, span):
    b = a + timedelta(days=span)
    brute = sum(1 for i in range(1, span + 1) if CAL.is_working_day(a + timedelta(days=i)))
    assert working_days_between(a, b, CAL) == brute


@fast
@given(start=starts, n=periods)
def test_days_period_ends_on_first_working_day_on_or_after_start_plus_n(start, n):
    nominal = start + timedelta(days=n)
    due = compute_due(start, n, "days", cal=CAL).due.date()
    assert due >= nominal
    assert CAL.is_working_day(due)
    # no earlier working day between the nominal last day and the due day
    assert all(not CAL.is_working_day(nominal + timedelta(days=i)) for i in range((due - nominal).days))


@fast
@given(start=starts, n=st.integers(min_value=1, max_value=24))
def test_months_period_ends_on_first_working_day_on_or_after_the_clamped_month_day(start, n):
    nominal = add_months(start, n)
    due = compute_due(start, n, "months", cal=CAL).due.date()
    assert nominal.day == min(start.day, nominal.day) and nominal.month == (start.month - 1 + n) % 12 + 1
    assert due >= nominal and CAL.is_working_day(due)
    assert all(not CAL.is_working_day(nominal + timedelta(days=i)) for i in range((due - nominal).days))
