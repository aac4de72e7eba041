"""Browser forms for network queries, their manual feedback and creditor leads (SPEC §6.1–6.2)."""

from __future__ import annotations

from django import forms

from cases.forms import DATETIME_LOCAL, DateTimeLocalInput, ServerErrorsMixin
from cases.models.property import ExemptKind, PropertyType, QueryChannel
from enforcement.legal import cite


def _occurred_at() -> forms.DateTimeField:
    return forms.DateTimeField(label="发生时间", required=False, widget=DateTimeLocalInput(),
                               input_formats=[DATETIME_LOCAL], help_text="线下已办理的，填写实际时间；不填为现在")


class QueryForm(ServerErrorsMixin, forms.Form):
    channels = forms.MultipleChoiceField(label="查询渠道", choices=QueryChannel.choices,
                                         initial=[QueryChannel.NATIONAL, QueryChannel.PROVINCIAL],
                                         widget=forms.CheckboxSelectMultiple)
    categories = forms.MultipleChoiceField(label="财产类型", choices=PropertyType.choices,
                                           initial=PropertyType.values, widget=forms.CheckboxSelectMultiple,
                                           help_text=cite("终本前须覆盖全部财产类型（[004 §24]）"))
    occurred_at = _occurred_at()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "query")
        super().__init__(*args, **kwargs)


class FeedbackForm(ServerErrorsMixin, forms.Form):
    """Manual entry of (part of) a query's feedback: the categories answered and at most one property."""

    categories = forms.MultipleChoiceField(label="本次反馈覆盖的财产类型", choices=PropertyType.choices,
                                           widget=forms.CheckboxSelectMultiple)
    type = forms.ChoiceField(label="发现财产的类型", choices=[("", "（未发现财产）"), *PropertyType.choices],
                             required=False)
    description = forms.CharField(label="财产情况", required=False, max_length=2000,
                                  help_text="如开户行及账号、不动产坐落、车牌号")
    value = forms.DecimalField(label="估值（元）", required=False, max_digits=16, decimal_places=2, min_value=0)
    online_controllable = forms.BooleanField(label="可线上控制", required=False)
    exempt_kind = forms.ChoiceField(label="豁免类别", choices=ExemptKind.choices, required=False)
    occurred_at = _occurred_at()

    def clean(self):
        data = super().clean()
        if data.get("type") and not data.get("description"):
            self.add_error("description", "请填写发现财产的情况。")
        return data


class LeadForm(ServerErrorsMixin, forms.Form):
    description = forms.CharField(label="线索内容", max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    urgent = forms.BooleanField(label="紧急线索（24 小时内启动调查）", required=False)
    occurred_at = _occurred_at()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "lead")
        super().__init__(*args, **kwargs)
