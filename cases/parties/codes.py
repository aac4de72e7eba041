"""The query code (查询码, SPEC §10): 8 characters from an alphabet without the look-alikes 0/O,
1/I/L, unique within the court; and the forms a citizen may type a case number or a code in."""

from __future__ import annotations

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0, O, 1, I, L: read out over the phone without doubt
LENGTH = 8

_FULLWIDTH = str.maketrans("（）０１２３４５６７８９", "()0123456789")


def generate() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def normalize_code(value: str) -> str:
    """What the citizen typed, as stored: spaces and dashes dropped, upper case."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def normalize_number(value: str) -> str:
    """Case numbers are typed with full-width brackets and digits as often as half-width ones."""
    return re.sub(r"\s", "", (value or "").translate(_FULLWIDTH))


def well_formed(code: str) -> bool:
    return len(code) == LENGTH and all(ch in ALPHABET for ch in code)
