from django.conf import settings

from .models import Role


def navigation(request):
    """What the page header needs: unread count, the user's role labels, which nav links to show."""
    user = getattr(request, "user", None)
    unread = 0
    role_labels: list[str] = []
    can_file = False
    has_workbench = is_finance = is_bureau = False
    if user is not None and user.is_authenticated:
        is_finance = user.has_role(Role.FINANCE)
        is_bureau = user.has_role(Role.BUREAU_CLERK, Role.BUREAU_HEAD)
        has_workbench = user.has_role(Role.POST_JUDGE, Role.OFFICER)
        # Counted once per request: the case page renders each section with the request too.
        if not hasattr(request, "_unread_notifications"):
            request._unread_notifications = user.notifications.filter(read_at__isnull=True).count()
        unread = request._unread_notifications
        role_labels = [label for value, label in Role.choices if value in user.roles]
        can_file = user.has_role(Role.FILING_CLERK, Role.ADMIN)
    return {
        "unread_notifications": unread,
        "nav_role_labels": role_labels,
        "nav_can_file": can_file,
        "nav_has_workbench": has_workbench,
        "nav_is_finance": is_finance,
        "nav_is_bureau": is_bureau,
        "DEBUG": settings.DEBUG,
    }
