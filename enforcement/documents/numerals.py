"""Amounts and dates as Chinese legal documents print them: 人民币壹万贰仟元整, 二〇二六年十月十二日."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
CAPITAL_UNITS = ("", "拾", "佰", "仟")
CAPITAL_GROUPS = ("", "万", "亿", "万亿")
CENT = Decimal("0.01")


def _to_cents(amount: Decimal | int | str) -> int:
    try:
        value = Decimal(str(amount))
    except InvalidOperation as exc:
        raise ValueError(f"not an amount: {amount!r}") from exc
    if not value.is_finite() or value < 0:
        raise ValueError(f"amount must be a non-negative number: {amount!r}")
    if value != value.quantize(CENT):
        raise ValueError(f"amount has more than two decimals: {amount!r}")
    return int(value * 100)


def _capital_integer(n: int) -> str:
    """The integer part in capital numerals: one 零 per run of zeros between non-zero digits."""
    digits = str(n)
    if len(digits) > 4 * len(CAPITAL_GROUPS):
        raise ValueError(f"amount too large: {n}")
    out: list[str] = []
    zero_pending = False
    for i, ch in enumerate(digits):
        pos = len(digits) - 1 - i
        d = int(ch)
        if d == 0:
            zero_pending = True
        else:
            if zero_pending and out:
                out.append("零")
            out.append(CAPITAL_DIGITS[d] + CAPITAL_UNITS[pos % 4])
            zero_pending = False
        if pos % 4 == 0 and pos > 0:
            group = digits[max(0, i - 3): i + 1]
            if int(group):
                out.append(CAPITAL_GROUPS[pos // 4])
    return "".join(out)


def amount_in_capitals(amount: Decimal | int | str) -> str:
    """人民币 amount in capital numerals, as written on court and bank documents.

    Follows the 支付结算办法 conventions: "整" after 元 when there are no 角/分; zeros between
    digits are written as one "零", and the optional "零" after a zero 元 digit or before 分 is
    always written (1680.32 → 壹仟陆佰捌拾元零叁角贰分, 107000.53 → 壹拾万零柒仟元零伍角叁分).
    """
    cents = _to_cents(amount)
    yuan, jiao, fen = cents // 100, cents // 10 % 10, cents % 10
    if cents == 0:
        return "零元整"
    out = ""
    if yuan:
        out = _capital_integer(yuan) + "元"
    if jiao == 0 and fen == 0:
        return out + "整"
    if yuan and (yuan % 10 == 0 or jiao == 0):
        out += "零"
    if jiao:
        out += CAPITAL_DIGITS[jiao] + "角"
    if fen:
        out += CAPITAL_DIGITS[fen] + "分"
    return out


def money(amount: Decimal | int | str | None) -> str:
    """Yuan with thousands separators and two decimals: 150,000.00."""
    if amount is None:
        return "—"
    return f"{Decimal(str(amount)).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


DATE_DIGITS = "〇一二三四五六七八九"


def _small_number(n: int) -> str:
    """1–31 in Chinese: 十一, 二十五, 三十."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else DATE_DIGITS[tens] + "十")
    return head + (DATE_DIGITS[ones] if ones else "")


def chinese_date(d: date) -> str:
    """The date as written at the end of a court document: 二〇二六年十一月二十五日."""
    year = "".join(DATE_DIGITS[int(c)] for c in str(d.year))
    return f"{year}年{_small_number(d.month)}月{_small_number(d.day)}日"
