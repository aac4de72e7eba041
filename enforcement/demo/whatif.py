"""Demo data for the rule what-if (SPEC §11b): 洛阳中院's bureau head tries the 2021 campaign's
3-working-day network query on the demo cases of the past year, replayed and ready to read."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from deadlines.models import RuleDraft
from deadlines.whatif import services as wi
from enforcement.models import Court, User

NAME = "网络查控提速（3 个工作日，试行）"


def load_whatif(courts: dict[str, Court], users: dict[str, User]) -> bool:
    """Idempotent: the draft is found by court and name. Returns whether it was created."""
    court, head = courts["豫03"], users["ly_head"]
    if RuleDraft.objects.filter(court=court, name=NAME).exists():
        return False
    today = timezone.localdate()
    draft = wi.draft_create(actor=head, court=court, name=NAME, period_from=today - timedelta(days=365),
                            period_to=today, note="参照 2021 年专项整治：收案后 3 个工作日内发起网络查控。")
    rule = draft.rules.get(node="QUERY_START", origin__rule_set__code="national")
    wi.draft_rule_change(actor=head, rule=rule, period=3, unit="working_days", start_event=rule.start_event)
    wi.draft_run(actor=head, draft=draft)
    return True
