"""The public progress form (SPEC §10): case number and query code."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..forms import ServerErrorsMixin


class ProgressForm(ServerErrorsMixin, forms.Form):
    number = forms.CharField(label=_("案号"), max_length=60, widget=forms.TextInput(
        attrs={"placeholder": _("如：(2026)豫03执12号"), "autocomplete": "off"}))
    code = forms.CharField(label=_("查询码"), max_length=20, help_text=_("8 位，见立案短信或执行通知书"),
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters",
                                                         "spellcheck": "false"}))


class ReissueForm(ServerErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("理由"), required=False, max_length=500, help_text=_("如原查询码已泄露"),
                             widget=forms.TextInput())

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("prefix", "querycode")
        super().__init__(*args, **kwargs)
