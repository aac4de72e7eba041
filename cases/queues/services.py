"""The queues' writes: a batch is the same service per case, all in one transaction."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext

from enforcement.errors import DomainError, InvalidInput
from enforcement.models import User

from .. import services
from ..selectors import case_for_user


@transaction.atomic
def cases_accept(*, case_ids: Iterable[int], actor: User) -> list:
    """Accept several assigned cases at once (SPEC §6.1 ``accept`` for each). All or nothing: a case
    that may not be accepted stops the batch and is named, and none is accepted."""
    ids = sorted({int(i) for i in case_ids})
    if not ids:
        raise InvalidInput({"cases": [gettext("请至少选择一件案件。")]})
    accepted = []
    for pk in ids:
        case = case_for_user(user=actor, pk=pk, for_detail=False)
        try:
            accepted.append(services.case_accept(case=case, actor=actor))
        except DomainError as exc:
            exc.detail = f"{case.number}：{exc.detail}"
            raise
    return accepted
