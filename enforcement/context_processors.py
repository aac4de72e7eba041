from django.conf import settings

from .models import Role


def navigation(request):
    """What the page header needs: unread count, the user's role labels, which nav links to show."""
    user = getattr(request, "user", None)
    unread = 0
    role_labels: list[str] = []
    can_file = False
    has_workbench = False
    calendar_year_missing = None
    if user is not None and user.is_authenticated:
        has_workbench = user.has_role(Role.POST_JUDGE, Role.OFFICER)
        if user.is_superuser or user.has_role(Role.ADMIN):
            # SPEC §3: from 1 November admins are told while next year's holidays are not loaded.
            from deadlines.selectors import unconfirmed_next_year

            calendar_year_missing = unconfirmed_next_year()
        unread = user.notifications.filter(read_at__isnull=True).count()
        role_labels = [label for value, label in Role.choices if value in user.roles]
        can_file = user.has_role(Role.FILING_CLERK, Role.ADMIN)
    return {
        "unread_notifications": unread,
        "nav_role_labels": role_labels,
        "nav_can_file": can_file,
        "nav_has_workbench": has_workbench,
        "calendar_year_missing": calendar_year_missing,
        "DEBUG": settings.DEBUG,
    }
