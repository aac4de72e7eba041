"""Masking of what the public may see of a party (SPEC §10): 张*, 洛阳某某有限公司."""

from __future__ import annotations

# Longest first, so 有限责任公司 is kept whole rather than as 公司.
ORG_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "集团公司", "分公司", "分行", "公司", "合作社", "银行",
                "支行", "事务所", "中心", "委员会", "厂", "店", "局", "院")


def mask_person(name: str) -> str:
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def mask_organization(name: str) -> str:
    name = name.strip()
    suffix = next((s for s in ORG_SUFFIXES if name.endswith(s) and len(name) > len(s)), "")
    head = name[:2] if len(name) - len(suffix) > 2 else ""
    return f"{head}某某{suffix}"


def mask_party_name(name: str, kind: str) -> str:
    return mask_organization(name) if kind == "organization" else mask_person(name)
