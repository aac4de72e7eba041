"""Who may see what: the one place that decides court scope (SPEC §1)."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import Court, Role, User

SUBTREE_ROLES = (Role.SUPERVISOR, Role.BUREAU_HEAD)


def user_sees_subtree(user: User) -> bool:
    """Supervisors (and bureau heads, who supervise their bureau) see their court and every court below."""
    return user.has_role(*SUBTREE_ROLES)


def court_ids_visible_to(user: User) -> QuerySet | list[int]:
    if user.is_superuser:
        return Court.objects.values("pk")
    if user.court_id is None:
        return []
    if user_sees_subtree(user):
        assert user.court is not None
        return user.court.subtree_ids()
    return [user.court_id]


def courts_visible_to(user: User) -> QuerySet[Court]:
    return Court.objects.filter(pk__in=court_ids_visible_to(user)).select_related("parent")


def users_visible_to(user: User) -> QuerySet[User]:
    return (
        User.objects.filter(court_id__in=court_ids_visible_to(user), is_active=True)
        .select_related("court")
        .prefetch_related("role_rows")
        .order_by("court__path", "username")
    )
