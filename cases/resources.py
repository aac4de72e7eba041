"""Register the cases app's resources for the generic transition views (enforcement.resources)."""

from cases.property import selectors as pselectors
from cases.property.transitions import lead_registry, property_registry
from enforcement.resources import Resource, register

from . import selectors
from .transitions import registry as case_registry

register(Resource("cases", case_registry, lambda user, pk: selectors.case_for_user(user=user, pk=pk),
                  lambda case: case, "案件"))
register(Resource("properties", property_registry,
                  lambda user, pk: pselectors.property_for_user(user=user, pk=pk), lambda p: p.case, "财产"))
register(Resource("leads", lead_registry, lambda user, pk: pselectors.lead_for_user(user=user, pk=pk),
                  lambda lead: lead.case, "财产线索"))
