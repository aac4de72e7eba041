"""SPEC §4: rule sets are edited in the admin, and every edit is audited."""

from django.urls import reverse

from deadlines.models import Rule, RuleSet
from enforcement.models import AuditEvent, User


def _post_data(response) -> dict:
    """The change form's current values, as the browser would post them back."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if name == "courts":
            data[name] = [c.pk if hasattr(c, "pk") else c for c in (value or [])]
        elif value is not None:
            data[name] = value if not isinstance(value, dict) else __import__("json").dumps(value)
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
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


def test_editing_a_rule_in_the_admin_is_audited(rules, client):
    admin = User.objects.create_superuser("root", "root@example.com", "pw-123456")
    client.force_login(admin)
    rs = RuleSet.objects.get(code="luoyang-2021")
    url = reverse("admin:deadlines_ruleset_change", args=[rs.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = _post_data(page)
    rule = Rule.objects.get(rule_set=rs, node="CASE_ACCEPT")
    index = next(k.split("-")[1] for k, v in data.items() if k.endswith("-id") and v == rule.pk)
    prefix = next(k.rsplit("-", 2)[0] for k in data if k.endswith(f"-{index}-id"))
    data[f"{prefix}-{index}-period"] = 2
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    rule.refresh_from_db()
    assert rule.period == 2
    event = AuditEvent.objects.get(action="rule.change", object_id=str(rule.pk))
    assert event.before["period"] == 3 and event.after["period"] == 2
