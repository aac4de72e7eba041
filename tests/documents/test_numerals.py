"""Amounts and dates as court documents write them (SPEC §9): 壹拾伍万元整, 150,000.00, 二〇二六年十一月二十五日."""

from datetime import date
from decimal import Decimal

import pytest

from enforcement.documents import amount_in_capitals, chinese_date, money


@pytest.mark.parametrize(("amount", "expected"), [
    ("0.01", "壹分"),
    ("0.10", "壹角"),
    ("0.5", "伍角"),
    ("0", "零元整"),
    ("10", "壹拾元整"),
    ("15", "壹拾伍元整"),
    ("1001", "壹仟零壹元整"),
    ("150000", "壹拾伍万元整"),
    ("150000.00", "壹拾伍万元整"),
    ("100000000.5", "壹亿元零伍角"),
    ("1680.32", "壹仟陆佰捌拾元零叁角贰分"),
    ("1409.50", "壹仟肆佰零玖元伍角"),
    ("325.04", "叁佰贰拾伍元零肆分"),
    ("6007.14", "陆仟零柒元壹角肆分"),
    ("107000.53", "壹拾万零柒仟元零伍角叁分"),
    ("10000100", "壹仟万零壹佰元整"),
    ("100000001", "壹亿零壹元整"),
    ("1010000000", "壹拾亿零壹仟万元整"),
    ("12345.67", "壹万贰仟叁佰肆拾伍元陆角柒分"),
    ("99999999999999.99", "玖拾玖万亿玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
])
def test_amounts_are_written_in_capital_numerals_as_on_payment_documents(amount, expected):
    assert amount_in_capitals(Decimal(amount)) == expected


@pytest.mark.parametrize("bad", ["-1", "0.001", "abc", "NaN", "Infinity"])
def test_negative_fractional_or_non_numeric_amounts_are_refused(bad):
    with pytest.raises(ValueError):
        amount_in_capitals(bad)


def test_amounts_in_figures_have_thousands_separators_and_two_decimals():
    assert money(Decimal("150000")) == "150,000.00"
    assert money(Decimal("1234567.5")) == "1,234,567.50"
    assert money(Decimal("0.01")) == "0.01"


@pytest.mark.parametrize(("d", "expected"), [
    (date(2026, 11, 25), "二〇二六年十一月二十五日"),
    (date(2026, 1, 1), "二〇二六年一月一日"),
    (date(2030, 10, 10), "二〇三〇年十月十日"),
    (date(2026, 12, 31), "二〇二六年十二月三十一日"),
    (date(2026, 2, 20), "二〇二六年二月二十日"),
])
def test_dates_are_written_in_chinese_numerals(d, expected):
    assert chinese_date(d) == expected
