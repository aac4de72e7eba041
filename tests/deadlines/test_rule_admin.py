"""SPEC §4: rule sets are edited in the admin, every edit is audited, and an edit makes a new
version of the rule in force from a date the admin gives (default today) — never rewriting history."""

from datetime import date, timedelta

from django.urls import reverse
from django.utils import timezone

from deadlines.models import Rule, RuleSet
from deadlines.models.rules import FAR_PAST
from enforcement.models import AuditEvent, User


def _post_data(response) -> dict:
    """The change form's current values, as the browser would post them back."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if callable(value):  # a default such as "today", as the browser shows it
            value = value().isoformat()
        if name == "courts":
            data[name] = [c.pk if hasattr(c, "pk") else c for c in (value or [])]
        elif value is not None:
            data[name] = value if not isinstance(value, dict) else __import__("json").dumps(value)
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        if not formset.has_change_permission:  # the read-only history: the browser posts its management form only
            for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
                data[f"{fs.prefix}-{name}"] = fs.management_form.initial.get(name, fs.management_form[name].value())
            continue
        mgmt = fs.management_form
        for name in ("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"):
            data[f"{fs.prefix}-{name}"] = mgmt.initial.get(name, mgmt[name].value())
        for i, f in enumerate(fs.forms):
            for name, field in f.fields.items():
                value = f.initial.get(name, field.initial)
                if hasattr(value, "pk"):
                    value = value.pk
                if isinstance(value, dict):
                    value = __import__("json").dumps(value)
                if value is not None and value is not False:
                    data[f"{fs.prefix}-{i}-{name}"] = value
    return data


def _edit_period(client, rs, rule, period, effective: date | None = None):
    url = reverse("admin:deadlines_ruleset_change", args=[rs.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = _post_data(page)
    prefix, index = next(
        (k.rsplit("-", 2)[0], k.rsplit("-", 2)[1]) for k, v in data.items() if k.endswith("-id") and v == rule.pk
    )
    data[f"{prefix}-{index}-period"] = period
    if effective is not None:
        data["rules_effective_from"] = effective.isoformat()
    return client.post(url, data)


def test_editing_a_rule_in_the_admin_makes_an_audited_new_version_from_today(rules, client):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    rs = RuleSet.objects.get(code="luoyang-2021")
    rule = Rule.objects.get(rule_set=rs, node="CASE_ACCEPT")
    assert (rule.version, rule.effective_from) == (1, FAR_PAST)
    # when the admin changes the period without naming a date
    response = _edit_period(client, rs, rule, 2)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    # then version 1 is kept as it was, closed yesterday, and version 2 runs from today
    rule.refresh_from_db()
    today = timezone.localdate()
    assert rule.period == 3 and rule.effective_to == today - timedelta(days=1)
    new = Rule.objects.get(origin=rule, version=2)
    assert new.period == 2 and new.effective_from == today and new.effective_to is None
    event = AuditEvent.objects.get(action="rule.change", object_id=str(new.pk))
    assert event.before["period"] == 3 and event.after["period"] == 2 and event.after["version"] == 2


def test_a_rule_version_takes_the_effective_date_the_admin_gives(rules, client):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    rs = RuleSet.objects.get(code="national")
    rule = Rule.objects.get(rule_set=rs, node="CASE_ACCEPT")
    response = _edit_period(client, rs, rule, 5, effective=date(2026, 6, 1))
    assert response.status_code == 302
    new = Rule.objects.get(origin=rule, version=2)
    assert new.effective_from == date(2026, 6, 1)
    assert Rule.objects.get(pk=rule.pk).effective_to == date(2026, 5, 31)


def test_a_rule_version_cannot_start_before_the_current_one(rules, client):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    rs = RuleSet.objects.get(code="national")
    rule = Rule.objects.get(rule_set=rs, node="CASE_ACCEPT")
    assert _edit_period(client, rs, rule, 5, effective=date(2026, 6, 1)).status_code == 302
    v2 = Rule.objects.get(origin=rule, version=2)
    # when the admin edits version 2 with a date before it took effect
    response = _edit_period(client, rs, v2, 4, effective=date(2026, 5, 1))
    # then the page shows why, and nothing changed
    assert response.status_code == 200
    assert "新版本的生效日期须晚于现行版本" in response.content.decode()
    assert not Rule.objects.filter(origin=rule, version=3).exists()
    assert Rule.objects.get(pk=v2.pk).effective_to is None


def test_the_rule_set_admin_shows_every_version_of_its_rules(rules, client):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    rs = RuleSet.objects.get(code="national")
    rule = Rule.objects.get(rule_set=rs, node="CASE_ACCEPT")
    assert _edit_period(client, rs, rule, 5, effective=date(2026, 6, 1)).status_code == 302
    page = client.get(reverse("admin:deadlines_ruleset_change", args=[rs.pk]))
    html = page.content.decode()
    assert "规则版本沿革" in html
    history = [f.formset for f in page.context["inline_admin_formsets"] if not f.has_change_permission][0]
    versions = [(r.node, r.version, r.period) for r in history.queryset if r.node == "CASE_ACCEPT"]
    assert versions == [("CASE_ACCEPT", 1, 7), ("CASE_ACCEPT", 2, 5)]


def test_removing_a_rule_in_the_admin_ends_it_and_keeps_its_versions(rules, client):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    rs = RuleSet.objects.get(code="luoyang-2021")
    rule = Rule.objects.get(rule_set=rs, node="CASE_ACCEPT")
    url = reverse("admin:deadlines_ruleset_change", args=[rs.pk])
    data = _post_data(client.get(url))
    prefix, index = next(
        (k.rsplit("-", 2)[0], k.rsplit("-", 2)[1]) for k, v in data.items() if k.endswith("-id") and v == rule.pk
    )
    data[f"{prefix}-{index}-DELETE"] = "on"
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.effective_to == timezone.localdate() - timedelta(days=1)
    assert AuditEvent.objects.filter(action="rule.delete", object_id=str(rule.pk)).exists()
