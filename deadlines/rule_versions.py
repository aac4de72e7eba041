"""Editing a deadline rule makes a new version (SPEC §4: "an edit never rewrites history").

The admin edits rules only through these services. A revision closes the current version on the
day before the new one's effective date and adds the next version; a rule removed in the admin is
ended the same way, never deleted (deadlines keep pointing at the version that timed them). Which
version times a deadline is the one in force on its start event's ``occurred_at``
(``deadlines.selectors.rules_in_force``).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.forms.models import model_to_dict
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.errors import Conflict, InvalidInput
from enforcement.models import User

from .models import Rule, RuleSet
from .models.rules import VERSIONED_FIELDS


def _snapshot(rule: Rule) -> dict:
    data = model_to_dict(rule)
    for key in ("effective_from", "effective_to"):
        data[key] = data[key].isoformat() if data.get(key) else None
    return data


def effective_date_error(rule: Rule, effective_from: date) -> str | None:
    """Why ``effective_from`` cannot start a new version of ``rule`` (None if it can)."""
    if effective_from <= rule.effective_from:
        return (f"新版本的生效日期须晚于现行版本（{rule.version_display()}）的生效日期"
                f"{rule.effective_from:%Y-%m-%d}。")
    return None


def _lock_current(rule: Rule) -> Rule:
    current = Rule.objects.select_for_update().select_related("rule_set").get(pk=rule.pk)
    if current.effective_to is not None:
        raise Conflict(
            gettext("%(value)s已于%(effective_to)s失效，只能修改现行版本。")
            % {"value": current.version_display(), "effective_to": f"{current.effective_to:%Y-%m-%d}"}
        )
    return current


@transaction.atomic
def rule_revise(
    *, rule: Rule, actor: User | None, changes: dict, effective_from: date | None = None, reason: str = ""
) -> Rule:
    """A new version of ``rule`` with ``changes``, in force from ``effective_from`` (default: today).
    Returns the new version, or the current one unchanged if nothing changed."""
    current = _lock_current(rule)
    unknown = set(changes) - set(VERSIONED_FIELDS)
    if unknown:
        raise InvalidInput({k: [gettext("该项不能修改（节点与规则集是规则的身份）。")] for k in sorted(unknown)})
    changes = {k: v for k, v in changes.items() if getattr(current, k) != v}
    if not changes:
        return current
    effective_from = effective_from or timezone.localdate()
    if (error := effective_date_error(current, effective_from)) is not None:
        raise InvalidInput({"effective_from": [error]})
    before = _snapshot(current)
    current.effective_to = effective_from - timedelta(days=1)
    current.save(update_fields=["effective_to"])
    fields = {k: getattr(current, k) for k in VERSIONED_FIELDS}
    new = Rule.objects.create(
        rule_set=current.rule_set,
        node=current.node,
        **{**fields, **changes},
        version=current.version + 1,
        origin_id=current.lineage_id,
        effective_from=effective_from,
    )
    audit_record(
        actor=actor,
        action=events.RULE_CHANGE,
        obj=new,
        before=before,
        after=_snapshot(new),
        reason=reason or f"{new.version_display()}",
    )
    return new


@transaction.atomic
def rule_end(*, rule: Rule, actor: User | None, effective_from: date | None = None, reason: str = "") -> Rule:
    """The rule stops applying from ``effective_from`` (default: today); its versions stay on record."""
    current = _lock_current(rule)
    effective_from = effective_from or timezone.localdate()
    if (error := effective_date_error(current, effective_from)) is not None:
        raise InvalidInput({"effective_from": [error]})
    before = _snapshot(current)
    current.effective_to = effective_from - timedelta(days=1)
    current.save(update_fields=["effective_to"])
    audit_record(
        actor=actor,
        action=events.RULE_DELETE,
        obj=current,
        before=before,
        after=_snapshot(current),
        reason=reason or f"自{effective_from:%Y-%m-%d}起停止适用",
    )
    return current


@transaction.atomic
def rule_add(*, rule_set: RuleSet, actor: User | None, fields: dict, effective_from: date | None = None) -> Rule:
    """A new rule (version 1), in force from ``effective_from`` (default: today) — never back in time
    for deadlines already started."""
    rule = Rule.objects.create(
        rule_set=rule_set, **fields, version=1, effective_from=effective_from or timezone.localdate()
    )
    audit_record(actor=actor, action=events.RULE_ADD, obj=rule, after=_snapshot(rule))
    return rule
