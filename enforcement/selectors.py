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


def court_id_list_visible_to(user: User) -> list[int]:
    """The courts of ``court_ids_visible_to`` as literal ids: one query, remembered on the user object
    (that is, for one request) while its court and roles stay what they were.

    For the lists of millions of rows: PostgreSQL puts a literal list into an index condition
    (``court_id = ANY(…)``: index ranges, index-only counts), where a sub-select is planned as a
    join applied after the scan."""
    ids = court_ids_visible_to(user)
    if isinstance(ids, list):
        return ids
    key = (user.court_id, user.is_superuser, user.roles)
    cached = getattr(user, "_court_id_list", None)
    if cached is None or cached[0] != key:
        cached = (key, sorted(row["pk"] for row in ids))
        user._court_id_list = cached  # type: ignore[attr-defined]
    return cached[1]


def courts_visible_to(user: User) -> QuerySet[Court]:
    return Court.objects.filter(pk__in=court_ids_visible_to(user)).select_related("parent")


def users_visible_to(user: User) -> QuerySet[User]:
    return (
        User.objects.filter(court_id__in=court_ids_visible_to(user), is_active=True)
        .select_related("court")
        .prefetch_related("role_rows")
        .order_by("court__path", "username")
    )
