"""Courts working together in the demo (SPEC §11): one of each, in a state a supervisor would meet —
河南高院's supervision order on a 西工区 livelihood case, its reply overdue; a 西工区 case taken up by
洛阳中院 and assigned there; a dispute between 洛阳中院 and 西工区法院 awaiting 河南高院's decision
(its case limit stopped); a task 洛阳中院 entrusted to 杭州中院, accepted and in hand. Done through the
coordination services; each is created once (found again by its case's enforcement basis)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone

from cases import services as case_services
from cases.coordination import services
from cases.models import Case, Delegation, Dispute, SupervisionOrder
from enforcement.models import Court, User

from .people import Result

SUPERVISED = ("豫0303", "洛劳人仲案字〔2026〕第112号仲裁裁决书")
TAKEN_UP = ("豫0303", "（2025）豫0303民初2876号民事判决书")
DISPUTED = ("豫03", "（2025）豫03民初1266号民事判决书")
DELEGATED = ("豫03", "（2025）豫03民初1309号民事调解书")


def _case(code: str, basis: str) -> Case | None:
    # Found by its first court (a taken-up case is now at the upper court) and basis.
    return (Case.objects.filter(basis=basis, court__code=code).first()
            or Case.objects.filter(basis=basis, transfers__from_court__code=code).first())


def _after(case: Case, days_ago: int, now: datetime) -> datetime:
    """An office-hours time ``days_ago`` days back, never before the case's last act."""
    at = timezone.localtime(now - timedelta(days=days_ago)).replace(hour=10, minute=0, second=0, microsecond=0)
    return max(at, case.last_event_at + timedelta(minutes=5))


def load_coordination(courts: dict[str, Court], users: dict[str, User], *, now: datetime | None = None) -> Result:
    now = now or timezone.now()
    result = Result(total=4)
    case = _case(*SUPERVISED)
    if case and not SupervisionOrder.objects.filter(case=case).exists():
        services.supervision_order_issue(
            case=case, actor=users["ha_supervisor"], occurred_at=_after(case, 20, now),
            instructions="该案系拖欠劳动报酬案件，立案已逾一月，请于十五日内报告财产查控和案款发放情况。")
        result.created += 1
    case = _case(*TAKEN_UP)
    if case and not case.transfers.exists():
        services.case_transfer(case=case, actor=users["ly_head"], kind="take_up", occurred_at=_after(case, 10, now),
                               reason="被执行人唐建华在本市另有三起关联执行案件，由本院提级统一执行。")
        case = Case.objects.get(pk=case.pk)
        case_services.case_assign(case=case, actor=users["ly_head"], judge=users["ly_judge2"],
                                  occurred_at=_after(case, 9, now), reason="提级执行后指定承办法官")
        result.created += 1
    case = _case(*DISPUTED)
    if case and not Dispute.objects.filter(case=case).exists():
        services.dispute_report(
            case=case, actor=users["ly_head"], other_court=courts["豫0303"], occurred_at=_after(case, 12, now),
            summary="本院与西工区法院均查封了被执行人洛阳恒信商贸有限公司位于西工区中州路的同一商铺，"
                    "双方就处置权和价款分配协商未果，报请共同上级法院协调。")
        result.created += 1
    case = _case(*DELEGATED)
    if case and not Delegation.objects.filter(case=case).exists():
        d = services.delegation_request(
            case=case, actor=users["ly_judge"], to_court=courts["浙01"], task="control",
            occurred_at=_after(case, 8, now),
            details="被执行人黄勇在杭州市西湖区文三路 88 号 2 幢 301 室有房产一套，请依法查封并送达查封裁定。")
        services.delegation_accept(delegation=d, actor=users["hz_bureau"], handler=users["hz_judge"],
                                   occurred_at=_after(case, 6, now))
        result.created += 1
    return result
