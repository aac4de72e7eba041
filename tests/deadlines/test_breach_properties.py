"""Property-based (SPEC §4 "A breach is a fact of time"): random sequences of acts on one case —
receipt, assignment, acceptance, milestones, suspension and resumption, closure — each with a random
backdated ``occurred_at``, interleaved with random scans as time passes. After every step:

* a deadline whose due is earlier than now, whose node is not met and whose clock is neither
  stopped nor ended before its due reads ``breached`` (model, API serializer), scan or no scan;
* no act moves the due of a deadline that was breached before the act's ``occurred_at``, nor turns
  it into anything but breached or met late;
* a node met late stays met late; a cancelled clock was cancelled before its due.
"""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import time_machine
from django.db import transaction
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule, run_state_machine_as_test

from cases import services as case_services
from cases.models import Case, CaseStatus
from deadlines.api import DeadlineSerializer
from deadlines.models import Deadline, DeadlineStatus
from deadlines.scan import scan_deadlines
from enforcement.errors import DomainError
from tests.factories import file_case

SH = ZoneInfo("Asia/Shanghai")
START = datetime(2026, 11, 2, 9, 0, tzinfo=SH)
FRACTIONS = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


def make_machine(people):
    class ClockMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()  # each example runs in a savepoint, rolled back in teardown
            self.travel = time_machine.travel(START, tick=False)
            self.clock = self.travel.start()
            self.now = START
            self.case = file_case(people.clerk, filed_at=START)
            self.last = START  # the case's latest event: a backdated act may not precede it
            self.met_late: set[int] = set()
            self.cancelled_before_due: set[int] = set()

        def teardown(self):
            self.travel.stop()
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        # --- time -----------------------------------------------------------------------------
        @rule(hours=st.integers(min_value=1, max_value=24 * 12))
        def time_passes(self, hours):
            self.now += timedelta(hours=hours)
            self.clock.move_to(self.now)

        @rule(back=FRACTIONS)
        def scan(self, back):
            # the beat may run late, or a manual scan "as of" an earlier moment
            scan_deadlines(now=self.now - (self.now - self.last) * back)

        # --- acts -----------------------------------------------------------------------------
        def _act(self, fraction, do):
            occurred = self.last + (self.now - self.last) * fraction
            breached_before = {
                d.pk: d.due_at for d in Deadline.objects.filter(case=self.case)
                if d.breached_by(occurred) and d.completed_at is None
            }
            try:
                with transaction.atomic():
                    do(occurred)
            except DomainError:
                return
            self.last = occurred
            self.case = Case.objects.get(pk=self.case.pk)
            for d in Deadline.objects.filter(pk__in=breached_before):
                assert d.due_at == breached_before[d.pk], (d.node, "a breached due moved")
                assert d.current_status == DeadlineStatus.BREACHED or (
                    d.status == DeadlineStatus.MET and d.completed_late), (d.node, d.status)

        @precondition(lambda self: self.case.status == CaseStatus.FILED)
        @rule(f=FRACTIONS)
        def receive(self, f):
            self._act(f, lambda at: case_services.case_receive(case=self.case, actor=people.bureau, occurred_at=at))

        @precondition(lambda self: self.case.status == CaseStatus.RECEIVED and self.case.judge_id is None)
        @rule(f=FRACTIONS)
        def assign(self, f):
            self._act(f, lambda at: case_services.case_assign(case=self.case, actor=people.bureau,
                                                              judge=people.judge, occurred_at=at))

        @precondition(lambda self: self.case.status == CaseStatus.RECEIVED and self.case.judge_id is not None)
        @rule(f=FRACTIONS)
        def accept(self, f):
            self._act(f, lambda at: case_services.case_accept(case=self.case, actor=people.judge, occurred_at=at))

        @precondition(lambda self: self.case.status in (CaseStatus.RECEIVED, CaseStatus.IN_PROGRESS))
        @rule(f=FRACTIONS, kind=st.sampled_from(["notice_sent", "query_initiated"]))
        def milestone(self, f, kind):
            self._act(f, lambda at: case_services.case_record_milestone(case=self.case, actor=people.judge,
                                                                        kind=kind, occurred_at=at))

        @precondition(lambda self: self.case.status == CaseStatus.IN_PROGRESS)
        @rule(f=FRACTIONS)
        def suspend(self, f):
            self._act(f, lambda at: case_services.case_suspend(case=self.case, actor=people.judge,
                                                               reason="被执行人重病住院", approved_by=people.head,
                                                               occurred_at=at))

        @precondition(lambda self: self.case.status == CaseStatus.SUSPENDED)
        @rule(f=FRACTIONS)
        def resume(self, f):
            self._act(f, lambda at: case_services.case_resume(case=self.case, actor=people.judge, occurred_at=at))

        @precondition(lambda self: self.case.status == CaseStatus.IN_PROGRESS)
        @rule(f=FRACTIONS)
        def close(self, f):
            def do(at):
                case_services.case_close(case=self.case, actor=people.judge, closure="performed", occurred_at=at)
                self.cancelled_before_due |= set(
                    Deadline.objects.filter(case=self.case, status=DeadlineStatus.CANCELLED, completed_at=at,
                                            due_at__gte=at).values_list("pk", flat=True))
            self._act(f, do)

        # --- what must hold after every step ----------------------------------------------------
        @invariant()
        def overdue_reads_breached(self):
            for d in Deadline.objects.filter(case=self.case).select_related("bound_rule__rule_set", "case"):
                shown = DeadlineSerializer(d).data["status"]
                assert shown == d.current_status
                if d.status == DeadlineStatus.CANCELLED:
                    assert d.pk in self.cancelled_before_due or d.completed_at <= d.due_at, d.node
                    continue
                stopped = d.status == DeadlineStatus.PAUSED
                if d.due_at < self.now and d.status != DeadlineStatus.MET and not stopped:
                    assert shown == "breached", (d.node, d.status, d.due_at, self.now)

        @invariant()
        def met_late_stays_met_late(self):
            late = set(Deadline.objects.filter(case=self.case, status=DeadlineStatus.MET, completed_late=True)
                       .values_list("pk", flat=True))
            assert self.met_late <= late
            self.met_late = late

    return ClockMachine


def test_no_sequence_of_backdated_acts_and_scans_hides_a_breach(rules, people):
    run_state_machine_as_test(make_machine(people), settings=settings(
        max_examples=15, stateful_step_count=14, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    ))
