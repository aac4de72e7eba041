"""``{{ value|data }}``: marks what a page shows that is data, not interface (a party's name, a case
number, a court, text a user typed, a rule's own wording), so the English pages can be checked for
Chinese interface text while data stays as the court wrote it (``tests/i18n/test_english.py``)."""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter(is_safe=True, needs_autoescape=True)
def data(value, autoescape=True):
    if value is None or value == "":
        return value
    text = conditional_escape(value) if autoescape else value
    return mark_safe(f'<span data-i18n="data">{text}</span>')
