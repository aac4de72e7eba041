"""``{{ value|data }}``: marks what a page shows that is data, not interface (a party's name, a case
number, a court, text a user typed, a rule's own wording), so the English pages can be checked for
Chinese interface text while data stays as the court wrote it (``tests/i18n/test_english.py``).

In the default language the value is rendered exactly as before, without a mark: the Chinese pages
do not change."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


def in_default_language() -> bool:
    return (translation.get_language() or settings.LANGUAGE_CODE) == settings.LANGUAGE_CODE


def mark_data(value) -> str:
    """``value`` inside a data mark on a translated page; escaped ``value`` as it is on a Chinese page."""
    if in_default_language():
        return conditional_escape(value)
    return format_html('<span data-i18n="data">{}</span>', value)


@register.filter(is_safe=True, needs_autoescape=True)
def data(value, autoescape=True):
    if value is None or value == "" or in_default_language():
        return value
    text = conditional_escape(value) if autoescape else value
    return mark_safe(f'<span data-i18n="data">{text}</span>')
