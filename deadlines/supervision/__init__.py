"""Supervision: the rooms that read every floor (SPEC §5, §8) — the supervisors' alert console and
watch lists (``dashboard``, ``views``), the core indicators and their summary tables (``metrics``,
``metrics_api``) and their exports. It sits above ``cases``, ``funds`` and ``credit``; nothing below
imports it."""
