"""Identity number checks: GB 11643 resident ID (18 digits, ISO 7064 MOD 11-2 check digit) and
GB 32100 unified social credit code (18 characters, MOD 31 check character)."""

from __future__ import annotations

from datetime import date

_ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
_ID_CHECK = "10X98765432"
_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def resident_id_check_digit(first17: str) -> str:
    return _ID_CHECK[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


def is_valid_resident_id(value: str) -> bool:
    v = value.strip().upper()
    if len(v) != 18 or not (v[:17].isascii() and v[:17].isdigit()):
        return False
    try:
        date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    return resident_id_check_digit(v[:17]) == v[17]


def uscc_check_char(first17: str) -> str:
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31]


def is_valid_uscc(value: str) -> bool:
    v = value.strip().upper()
    if len(v) != 18 or any(c not in _USCC_CHARS for c in v):
        return False
    return uscc_check_char(v[:17]) == v[17]


def validate_id_number(value: str, kind: str) -> str | None:
    """None if valid, else a Chinese message. Persons: resident ID; organisations: USCC."""
    if kind == "person":
        return None if is_valid_resident_id(value) else "居民身份证号码无效（应为 18 位且校验位正确）。"
    return None if is_valid_uscc(value) else "统一社会信用代码无效（应为 18 位且校验位正确）。"
