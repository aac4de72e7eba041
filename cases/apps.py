from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("执行案件")

    def ready(self) -> None:
        from .lifecycle import on_case_event
        from .services import on_case_lifecycle

        # Case events drive the legal clock (SPEC §4, §6.1) inside the acting transaction. Registered
        # first (cases precedes funds and credit in INSTALLED_APPS), so the listeners of the floors
        # above see the clocks the case's own events have already started or ended.
        on_case_lifecycle(on_case_event)
        _register_audit_values()
        from . import resources  # noqa: F401  (cases, properties, leads, queries for the generic views)
        from .clockstops import transitions  # noqa: F401  (registers the "clock-stops" resource)
        from .clockstops.services import on_case_event as clock_stops_on_case_event
        from .property import rules  # noqa: F401  (registers the 终本 property guards)
        from .property.services import on_case_event as property_on_case_event

        on_case_lifecycle(clock_stops_on_case_event)  # closing a case ends its open case-limit stops
        on_case_lifecycle(property_on_case_event)  # restoring moves the property the review found
        from .complaints import transitions as _complaints  # noqa: F401  (registers the "complaints" resource)
        from .parties.services import on_case_event as parties_on_case_event

        on_case_lifecycle(parties_on_case_event)  # every node a party must know is told (SPEC §10)
        from .approvals import acts as approval_acts
        from .approvals import transitions as _approvals  # noqa: F401  (registers the "approvals" resource)

        approval_acts.register()  # override, appraisal, suspension and case-limit stops (SPEC §11a)


def _register_audit_values() -> None:
    """Audit lines word the case floor's choice values in Chinese (enforcement.audit.events)."""
    from enforcement.audit import events

    from .models import (
        Closure,
        ControlMeasure,
        DisposalMethod,
        MilestoneKind,
        QueryChannel,
        SuspensionGround,
        ValuationMethod,
    )

    for name, choices in (("closure", Closure), ("measure", ControlMeasure), ("disposal_method", DisposalMethod),
                          ("valuation_method", ValuationMethod), ("milestone", MilestoneKind),
                          ("query_channel", QueryChannel), ("suspension_ground", SuspensionGround)):
        events.register_values(name, choices.choices)
