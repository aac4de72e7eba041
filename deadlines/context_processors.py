from enforcement.models import Role

from .selectors import unconfirmed_next_year


def calendar_warning(request):
    """SPEC §3: from 1 November admins are told, on every page, while next year's holidays are not loaded."""
    user = getattr(request, "user", None)
    missing = None
    if user is not None and user.is_authenticated and (user.is_superuser or user.has_role(Role.ADMIN)):
        missing = unconfirmed_next_year()
    return {"calendar_year_missing": missing}
