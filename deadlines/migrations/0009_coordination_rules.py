"""The clocks of courts working together (SPEC §4, §11; [004 §27, §28]) for installations whose
national rule set was seeded before them. New installations get them from ``rulesets_seed``; the
rows are copied here, not imported, so the migration stays what it was when written."""

from django.db import migrations

RULES = [
    ("DISPUTE_REFER", "报请上级法院协调与其他执法机关的争议", "dispute.organ_unresolved", 5, "working_days", "[004 §27]"),
    ("DISPUTE_COORDINATE", "上级法院启动与其他部门的协调", "dispute.organ_referred", 10, "working_days", "[004 §27]"),
    ("DELEGATION_ACCEPT", "受托法院接受委托事项", "delegation.requested", 3, "working_days", "执行事项委托工作惯例"),
    ("DELEGATION_DONE", "受托法院办结委托事项", "delegation.accepted", 30, "days", "执行事项委托工作惯例"),
    ("SUPERVISION_REPLY", "回复上级法院督办", "supervision.issued", 15, "days", "[004 §28]"),
]


def add_rules(apps, schema_editor):
    RuleSet = apps.get_model("deadlines", "RuleSet")
    Rule = apps.get_model("deadlines", "Rule")
    national = RuleSet.objects.filter(code="national").first()
    if national is None:
        return  # not seeded yet: rulesets_seed will create them with the rest
    have = set(Rule.objects.filter(rule_set=national).values_list("node", "start_event"))
    Rule.objects.bulk_create([
        Rule(rule_set=national, node=node, name=name, start_event=event, period=period, unit=unit, condition={},
             source=source)
        for node, name, event, period, unit, source in RULES if (node, event) not in have
    ])


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0008_rule_versions_breach_facts")]

    operations = [migrations.RunPython(add_rules, migrations.RunPython.noop)]
