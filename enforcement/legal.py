"""The legal documents behind the short source codes that rules and guards cite.

Rules, guards and the API keep the short code (``[004 §13]``, SPEC §4 and §7); every page, refusal
and document shows the document's name and article in Chinese instead:
``cite("[004 §13]")`` → 《最高人民法院关于进一步完善执行权制约机制加强执行监督的意见》第十三条.

It lives in the kernel because refusals (``enforcement.errors.Violation``) are raised on every
floor and rendered by the kernel's error page and templates; ``deadlines.rules_data`` re-exports
the table for the generated rule table.
"""

from __future__ import annotations

import re

from .text import Text

# The documents behind the short source codes used in the rules (shown in the generated rule table).
SOURCE_DOCUMENTS = {
    "000": "洛阳市中级人民法院关于切实做好疫情防控期间执行工作的实施意见（2020）",
    "001": "洛阳市中级人民法院执行突出问题专项整治活动实施方案（洛中法〔2021〕26号）",
    "002": "浙江省高级人民法院落实“用两到三年时间基本解决执行难问题”实施方案（浙高法〔2016〕55号）",
    "003": "关于善意文明执行的工作指引（节选）",
    "004": "最高人民法院关于进一步完善执行权制约机制加强执行监督的意见（2021年12月6日）",
    "SPC2006": "最高人民法院关于人民法院办理执行案件若干期限的规定（法发〔2006〕35号）",
    "SPC2016": "最高人民法院关于人民法院网络司法拍卖若干问题的规定（法释〔2016〕18号）",
}

_CITATION = re.compile(r"\[(?P<code>[A-Z0-9]+)(?:\s*§\s*(?P<article>\d+)(?:\.(?P<item>\d+))?)?\]")
_TRAILING_NOTE = re.compile(r"（[^（）]*）$")
_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 13 → 十三, 20 → 二十, 485 → 四百八十五 (article numbers as statutes write them)."""
    if n < 0:
        raise ValueError(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 100:
        return _DIGITS[n // 10] + "十" + (_DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        tail = "" if not rest else ("零" + _DIGITS[rest] if rest < 10 else
                                   ("一" + chinese_number(rest) if rest < 20 else chinese_number(rest)))
        return _DIGITS[n // 100] + "百" + tail
    return str(n)


def document_title(code: str) -> str:
    """《name》 of a source code, without the date or document number in brackets; '' if unknown."""
    full = SOURCE_DOCUMENTS.get(code)
    if not full:
        return ""
    return f"《{_TRAILING_NOTE.sub('', full)}》"


def _cite_one(m: re.Match) -> str:
    title = document_title(m["code"])
    if not title:
        return m[0]
    if not m["article"]:
        return title
    text = f"{title}第{chinese_number(int(m['article']))}条"
    if m["item"]:
        text += f"第（{chinese_number(int(m['item']))}）项"
    return text


def cite(source: Text) -> str:
    """Every ``[code §n]`` in ``source`` as the document's name and article; other text unchanged."""
    if not source:
        return ""
    return _CITATION.sub(_cite_one, str(source))
