"""``{{ rule.source|cite }}``: a legal source as the document's name and article in Chinese."""

from django import template

from enforcement.legal import cite as cite_source

register = template.Library()


@register.filter
def cite(value) -> str:
    """"[004 §13]" → 《最高人民法院关于进一步完善执行权制约机制加强执行监督的意见》第十三条."""
    return cite_source(str(value or ""))
