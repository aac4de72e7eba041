"""Browser forms of the credit section. They render fields and carry the errors the service reported;
the rules themselves live in services/rules."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _

from cases.forms import DATETIME_INPUT_FORMATS, DateTimeLocalInput, ServerErrorsMixin
from cases.models import Case, PartyRole

from .models import CorrectionOutcome, ListingGround, SanctionKind


def parse_persons(text: str) -> list[dict]:
    """One person a line: ``姓名，职务，证件号`` (职务 and 证件号 optional; ASCII or Chinese commas)."""
    persons = []
    for line in text.splitlines():
        parts = [p.strip() for p in line.replace(gettext("，"), ",").split(",")]
        if not parts or not parts[0]:
            continue
        persons.append({"name": parts[0], "role": parts[1] if len(parts) > 1 else "",
                        "id_number": parts[2] if len(parts) > 2 else ""})
    return persons


class SanctionProposeForm(ServerErrorsMixin, forms.Form):
    party = forms.TypedChoiceField(label=_("被执行人"), coerce=int)
    kind = forms.ChoiceField(label=_("惩戒措施"), choices=SanctionKind.choices)
    ground = forms.ChoiceField(
        label=_("失信事由"),
        required=False,
        choices=[("", gettext_lazy("（限制消费、限制出境可不选）"))] + ListingGround.choices,
        help_text=_("纳入失信名单须选择法定事由之一；纳入失信名单同时限制消费"),
    )
    persons = forms.CharField(
        label=_("单位的有关人员"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "被执行人为单位的，每行一人：姓名，职务（法定代表人/主要负责人/实际控制人等），证件号；不填则为登记的法定代表人"
        ),
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    occurred_at = forms.DateTimeField(
        label=_("提出时间"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=_("不填为现在"),
    )

    def __init__(self, *args, case: Case, **kwargs) -> None:
        kwargs.setdefault("prefix", "sanction")
        kwargs.setdefault("auto_id", "id_credit_%s")
        super().__init__(*args, **kwargs)
        respondents = [p for p in case.parties.all() if p.role == PartyRole.RESPONDENT]
        cast(forms.ChoiceField, self.fields["party"]).choices = [(p.pk, p.name) for p in respondents]


class CorrectionForm(ServerErrorsMixin, forms.Form):
    content = forms.CharField(label=_("纠正申请内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    received_at = forms.DateTimeField(
        label=_("收到时间"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=_("不填为现在"),
    )

    def __init__(self, *args, sanction_id: int, **kwargs) -> None:
        kwargs.setdefault("prefix", "correction")
        kwargs.setdefault("auto_id", f"id_correction{sanction_id}_%s")
        super().__init__(*args, **kwargs)


class CorrectionDecideForm(ServerErrorsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("审查结果"),
        choices=[(CorrectionOutcome.CORRECTED, _("予以纠正（解除措施）")), (CorrectionOutcome.REJECTED, _("驳回申请"))],
    )
    note = forms.CharField(label=_("审查意见"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, correction_id: int, **kwargs) -> None:
        kwargs.setdefault("prefix", "review")
        kwargs.setdefault("auto_id", f"id_review{correction_id}_%s")
        super().__init__(*args, **kwargs)
