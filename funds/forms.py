"""Browser forms for funds. They render fields and carry errors; the services decide."""

from __future__ import annotations

import uuid

from django import forms
from django.utils.translation import gettext, gettext_lazy

from cases.forms import ServerErrorsMixin


class PayForm(ServerErrorsMixin, forms.Form):
    """One row of the finance queue: the payee account is prefilled with the registered one [004 §20]."""

    payee_account_no = forms.CharField(label=gettext_lazy("收款账号"), max_length=40,
                                       help_text=gettext_lazy("须为立案时确认的收款账号，其他账号将被拦截"))
    bank_ref = forms.CharField(label=gettext_lazy("银行交易参考号"), max_length=64)
    idempotency_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args, disbursement=None, **kwargs) -> None:
        if disbursement is not None:
            kwargs.setdefault("prefix", f"pay{disbursement.pk}")
            kwargs.setdefault("initial", {"payee_account_no": disbursement.case.payee_account_no,
                                          "idempotency_key": uuid.uuid4().hex})
        super().__init__(*args, **kwargs)


class MatchForm(ServerErrorsMixin, forms.Form):
    case = forms.CharField(label=gettext_lazy("案号"), max_length=60, help_text=gettext_lazy("如 (2026)豫03执1号"))

    def __init__(self, *args, receipt=None, **kwargs) -> None:
        if receipt is not None:
            kwargs.setdefault("prefix", f"match{receipt.pk}")
        super().__init__(*args, **kwargs)


class AllocateForm(ServerErrorsMixin, forms.Form):
    """Several creditors: an amount and a payment order per applicant (priority parties first [000 §6])."""

    def __init__(self, *args, receipt=None, applicants=(), remaining=None, **kwargs) -> None:
        kwargs.setdefault("prefix", f"alloc{receipt.pk}" if receipt is not None else "alloc")
        super().__init__(*args, **kwargs)
        self.applicants = list(applicants)
        self.remaining = remaining
        for i, p in enumerate(self.applicants, start=1):
            label = f"{p.name}{gettext('（优先保障）') if p.protected else ''}"
            self.fields[f"amount_{p.pk}"] = forms.DecimalField(
                label=gettext("%(label)s 分配金额（元）") % {"label": label},
                required=False,
                max_digits=16,
                decimal_places=2,
                min_value=0,
            )
            self.fields[f"order_{p.pk}"] = forms.IntegerField(
                label=gettext("%(label)s 发放顺序") % {"label": label}, min_value=1, initial=i
            )

    def allocations(self) -> list[tuple]:
        rows = []
        for p in self.applicants:
            amount = self.cleaned_data.get(f"amount_{p.pk}")
            if amount:
                rows.append((self.cleaned_data.get(f"order_{p.pk}") or 0, p.pk, p, amount))
        return [(p, amount) for _, _, p, amount in sorted(rows, key=lambda r: (r[0], r[1]))]


class PayeeChangeForm(ServerErrorsMixin, forms.Form):
    bank = forms.CharField(label=gettext_lazy("新开户行"), max_length=100)
    account_no = forms.CharField(label=gettext_lazy("新账号"), max_length=30)
    holder = forms.CharField(label=gettext_lazy("新户名"), max_length=100)
    reason = forms.CharField(label=gettext_lazy("变更理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "payee")
        super().__init__(*args, **kwargs)


class PayeeDecisionForm(ServerErrorsMixin, forms.Form):
    note = forms.CharField(
        label=gettext_lazy("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
