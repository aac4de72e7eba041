"""Property-based: any sequence of receipts, matchings, allocations, notices, holds, releases, splits
and payments keeps the ledger's invariants (SPEC §6.3) after every step."""

from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule, run_state_machine_as_test

from enforcement.errors import DomainError
from funds import ledger, services
from funds.models import ZERO, Disbursement, Receipt

AMOUNTS = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("99999.99"), places=2)


def make_machine(people, single, multi):
    class FundsMachine(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            self.atomic = transaction.atomic()
            self.atomic.__enter__()  # each example runs in a savepoint, rolled back in teardown
            self.txn = 0
            self.keys: dict[int, str] = {}

        def teardown(self):
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)

        def _pick(self, data, qs):
            items = list(qs.order_by("pk"))
            return data.draw(st.sampled_from(items)) if items else None

        @rule(amount=AMOUNTS, where=st.sampled_from(["single", "multi", "unknown"]))
        def receive(self, amount, where):
            self.txn += 1
            account = {"single": single.account_no, "multi": multi.account_no, "unknown": "1234000000000000"}[where]
            services.receipt_record(actor=people.finance, data=services.ReceiptData(
                f"P-{self.txn}", account, amount, "张伟", timezone.now()))
            # the same delivery again records nothing
            services.receipt_record(actor=people.finance, data=services.ReceiptData(
                f"P-{self.txn}", account, amount, "张伟", timezone.now()))

        @rule(data=st.data(), to_multi=st.booleans())
        def match(self, data, to_multi):
            r = self._pick(data, Receipt.objects.filter(status="unidentified"))
            if r is not None:
                services.receipt_match(receipt=r, actor=people.finance, case=(multi if to_multi else single).number)

        @rule(data=st.data(), share=st.integers(min_value=0, max_value=100))
        def allocate(self, data, share):
            r = self._pick(data, Receipt.objects.filter(case=multi))
            if r is None:
                return
            remaining = r.amount - sum((d.amount for d in r.disbursements.all()), ZERO)
            if remaining <= 0:
                return
            protected, ordinary = (multi.parties.get(role="applicant", protected=True),
                                   multi.parties.get(role="applicant", protected=False))
            first = (remaining * share / 100).quantize(Decimal("0.01"))
            rows = [(protected, first), (ordinary, remaining - first)]
            services.receipt_allocate(receipt=r, actor=people.judge, allocations=[x for x in rows if x[1] > 0])

        @rule(data=st.data())
        def notify(self, data):
            d = self._pick(data, Disbursement.objects.filter(status="pending"))
            if d is not None:
                services.disbursement_notify(disbursement=d, actor=people.judge)

        @rule(data=st.data(), replay=st.booleans())
        def pay(self, data, replay):
            d = self._pick(data, Disbursement.objects.filter(status__in=["notified", "paid"]))
            if d is None:
                return
            key = self.keys.setdefault(d.pk, f"k-{d.pk}")
            before = ledger.case_balances(d.case_id)["paid"]
            if d.status == "paid" and not replay:
                return
            services.disbursement_pay(disbursement=d, actor=people.finance, payee_account_no=d.case.payee_account_no,
                                      bank_ref=f"B-{d.pk}", idempotency_key=key)
            after = ledger.case_balances(d.case_id)["paid"]
            assert after - before == (d.amount if d.status == "notified" else ZERO)

        @rule(data=st.data())
        def pay_elsewhere(self, data):
            d = self._pick(data, Disbursement.objects.filter(status="notified"))
            if d is None:
                return
            with pytest.raises(DomainError) as exc:
                services.disbursement_pay(disbursement=d, actor=people.finance, payee_account_no="6222000000000000",
                                          bank_ref="X", idempotency_key=f"bad-{d.pk}")
            assert exc.value.code == "payee_not_registered"

        @rule(data=st.data())
        def hold(self, data):
            d = self._pick(data, Disbursement.objects.filter(status__in=["pending", "notified"]))
            if d is not None:
                services.disbursement_hold(disbursement=d, actor=people.judge, reason="法定事由")

        @rule(data=st.data())
        def release(self, data):
            d = self._pick(data, Disbursement.objects.filter(status="held"))
            if d is not None:
                services.disbursement_release_hold(disbursement=d, actor=people.judge)

        @rule(data=st.data(), share=st.integers(min_value=1, max_value=99))
        def split(self, data, share):
            d = self._pick(data, Disbursement.objects.filter(status__in=["pending", "notified"],
                                                             amount__gt=Decimal("0.01")))
            if d is None:
                return
            disputed = max((d.amount * share / 100).quantize(Decimal("0.01")), Decimal("0.01"))
            if disputed < d.amount:
                services.disbursement_split(disbursement=d, actor=people.judge, disputed_amount=disputed)

        @invariant()
        def ledger_is_consistent(self):
            assert ledger.verify() == []
            for case in (single, multi):
                b = ledger.case_balances(case.pk)
                assert b["received"] == sum((b[k] for k in ledger.BUCKETS), ZERO)
                assert all(b[k] >= 0 for k in ledger.BUCKETS)

    return FundsMachine


def test_any_sequence_of_funds_operations_keeps_the_ledger_invariants(case, two_creditor_case, people):
    machine = make_machine(people, case, two_creditor_case)
    run_state_machine_as_test(machine, settings=settings(
        max_examples=12, stateful_step_count=12, deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    ))
