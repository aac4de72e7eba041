"""Browser forms for network queries, their manual feedback and creditor leads (SPEC §6.1–6.2)."""

from __future__ import annotations

from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cases.forms import DATETIME_INPUT_FORMATS, DateTimeLocalInput, ServerErrorsMixin
from cases.models.property import ExemptKind, PropertyType, QueryChannel
from enforcement.legal import cite


def _occurred_at() -> forms.DateTimeField:
    return forms.DateTimeField(
        label=_("发生时间"),
        required=False,
        widget=DateTimeLocalInput(),
        input_formats=DATETIME_INPUT_FORMATS,
        help_text=_("线下已办理的，填写实际时间；不填为现在"),
    )


class QueryForm(ServerErrorsMixin, forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("查询渠道"),
        choices=QueryChannel.choices,
        initial=[QueryChannel.NATIONAL, QueryChannel.PROVINCIAL],
        widget=forms.CheckboxSelectMultiple,
    )
    categories = forms.MultipleChoiceField(
        label=_("财产类型"),
        choices=PropertyType.choices,
        initial=PropertyType.values,
        widget=forms.CheckboxSelectMultiple,
        help_text=lazy(cite, str)(_("终本前须覆盖全部财产类型（[004 §24]）")),
    )
    occurred_at = _occurred_at()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "query")
        super().__init__(*args, **kwargs)


class FeedbackForm(ServerErrorsMixin, forms.Form):
    """Manual entry of (part of) a query's feedback: the categories answered and the properties found,
    several in one submit (a deposit and a house are one feedback, not two rounds). Row 1's fields
    keep their plain names (``type``, ``description`` …); rows 2 … ``ROWS`` end in ``_2`` … ."""

    ROWS = 3
    PROPERTY_FIELDS = ("type", "description", "value", "online_controllable", "exempt_kind")

    categories = forms.MultipleChoiceField(
        label=_("本次反馈覆盖的财产类型"), choices=PropertyType.choices, widget=forms.CheckboxSelectMultiple
    )
    occurred_at = _occurred_at()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for row in range(1, self.ROWS + 1):
            for name, field in self._property_fields().items():
                self.fields[self._name(name, row)] = field
        self.fields["occurred_at"] = self.fields.pop("occurred_at")  # last, as on every form

    @staticmethod
    def _name(name: str, row: int) -> str:
        return name if row == 1 else f"{name}_{row}"

    @staticmethod
    def _property_fields() -> dict[str, forms.Field]:
        return {
            "type": forms.ChoiceField(
                label=gettext("发现财产的类型"),
                choices=[("", gettext("（未发现财产）")), *PropertyType.choices],
                required=False,
            ),
            "description": forms.CharField(
                label=gettext("财产情况"),
                required=False,
                max_length=2000,
                help_text=gettext("如开户行及账号、不动产坐落、车牌号"),
            ),
            "value": forms.DecimalField(
                label=gettext("估值（元）"), required=False, max_digits=16, decimal_places=2, min_value=0
            ),
            "online_controllable": forms.BooleanField(label=gettext("可线上控制"), required=False),
            "exempt_kind": forms.ChoiceField(label=gettext("豁免类别"), choices=ExemptKind.choices, required=False),
        }

    def property_rows(self) -> list[list]:
        """The bound fields of each property row, for the template."""
        return [[self[self._name(n, row)] for n in self.PROPERTY_FIELDS] for row in range(1, self.ROWS + 1)]

    def found(self) -> list[dict]:
        """The properties entered (rows with a type), as the service's ``FoundProperty`` arguments."""
        rows = []
        for row in range(1, self.ROWS + 1):
            d = {n: self.cleaned_data.get(self._name(n, row)) for n in self.PROPERTY_FIELDS}
            if d["type"]:
                rows.append({**d, "exempt_kind": d["exempt_kind"] or ""})
        return rows

    def clean(self):
        data = super().clean()
        for row in range(1, self.ROWS + 1):
            if data.get(self._name("type", row)) and not data.get(self._name("description", row)):
                self.add_error(self._name("description", row), gettext("请填写发现财产的情况。"))
        return data


class LeadForm(ServerErrorsMixin, forms.Form):
    description = forms.CharField(label=_("线索内容"), max_length=4000, widget=forms.Textarea(attrs={"rows": 2}))
    urgent = forms.BooleanField(label=_("紧急线索（24 小时内启动调查）"), required=False)
    occurred_at = _occurred_at()

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "lead")
        super().__init__(*args, **kwargs)
