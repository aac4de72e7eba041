"""Every write to the working-day calendar (SPEC §3 "Calendar data").

Seeding from the maintained package, loading a year's official schedule (admin upload, import
command), and single-day edits in the admin all go through here, are audited, invalidate the
cached calendar views and tell the deadline engine to recompute.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from enforcement.audit import audit_record, events
from enforcement.errors import InvalidInput, PermissionDenied
from enforcement.models import Court, Role, User

from .calendar import HOLIDAY, WORKDAY, calendar_changed, chinesecalendar_rows, chinesecalendar_version
from .models import Calendar, CalendarDay, CalendarYear, DayKind
from .signals import calendar_days_changed, calendar_year_loaded

NATIONAL_CALENDAR_NAME = "全国法定节假日"
MIN_YEAR, MAX_YEAR = 2000, 2100
MAX_ERRORS_SHOWN = 20

DayRow = tuple[date, str, str]  # (date, kind, name)

# Accepted spellings of a day's kind in uploaded files.
KIND_ALIASES = {
    "holiday": HOLIDAY, "休": HOLIDAY, "休息": HOLIDAY, "节假日": HOLIDAY, "法定节假日": HOLIDAY,
    "workday": WORKDAY, "班": WORKDAY, "上班": WORKDAY, "调休上班": WORKDAY, "调休上班日": WORKDAY,
}


def seed_source() -> str:
    return f"国务院办公厅通知（chinesecalendar {chinesecalendar_version()}）"


def _ensure_calendar_admin(actor: User | None) -> None:
    """Calendar data decides every deadline: only system administrators change it.

    ``actor=None`` is the deployment itself (migrations, management commands run on the server).
    """
    if actor is None:
        return
    if actor.is_superuser or actor.has_role(Role.ADMIN) or actor.has_perm("deadlines.change_calendar"):
        return
    raise PermissionDenied(gettext("只有系统管理员可以维护工作日历。"))


def calendar_national() -> Calendar:
    """The national calendar (court null), created on first use."""
    calendar = Calendar.objects.filter(court__isnull=True).first()
    if calendar is None:
        calendar, _ = Calendar.objects.get_or_create(court=None, defaults={"name": NATIONAL_CALENDAR_NAME})
    return calendar


@transaction.atomic
def calendar_local_get_or_create(*, court: Court, actor: User | None) -> Calendar:
    """A court's local calendar (e.g. an autonomous region's holidays), created on first use."""
    _ensure_calendar_admin(actor)
    calendar = Calendar.objects.filter(court=court).first()
    if calendar is not None:
        return calendar
    calendar = Calendar.objects.create(court=court, name=f"{court.name}地方节假日")
    audit_record(actor=actor, action=events.CALENDAR_CREATE, obj=calendar, court=court,
                 after={"name": calendar.name, "court": court.pk})
    calendar_changed()
    return calendar


@dataclass(frozen=True)
class SeedResult:
    calendar: Calendar
    days_created: int
    years_created: int


@transaction.atomic
def calendar_seed_national(*, actor: User | None = None) -> SeedResult:
    """Seed the national calendar from ``chinesecalendar`` for every year it knows (SPEC §3).

    Idempotent: existing rows (also ones an admin corrected) are left alone; only missing dates
    and years are added. The data migration 0002 inserts the same rows with historical models.
    """
    _ensure_calendar_admin(actor)
    rows, years = chinesecalendar_rows()
    source = seed_source()
    calendar = calendar_national()
    days_before = CalendarDay.objects.filter(calendar=calendar).count()
    years_before = CalendarYear.objects.filter(calendar=calendar).count()
    CalendarDay.objects.bulk_create(
        [CalendarDay(calendar=calendar, date=d, kind=kind, name=name, source=source) for d, kind, name in rows],
        ignore_conflicts=True, batch_size=500,
    )
    CalendarYear.objects.bulk_create(
        [CalendarYear(calendar=calendar, year=y, source=source) for y in years], ignore_conflicts=True,
    )
    result = SeedResult(
        calendar=calendar,
        days_created=CalendarDay.objects.filter(calendar=calendar).count() - days_before,
        years_created=CalendarYear.objects.filter(calendar=calendar).count() - years_before,
    )
    if result.days_created or result.years_created:
        audit_record(actor=actor, action=events.CALENDAR_SEED, obj=calendar, reason=source,
                     after={"days_created": result.days_created, "years_created": result.years_created,
                            "years": [years[0], years[-1]]})
        calendar_changed()
    return result


def _validate_days(calendar: Calendar, year: int, days: list[DayRow]) -> list[DayRow]:
    errors: list[str] = []
    seen: set[date] = set()
    clean: list[DayRow] = []
    kind: str | None
    for i, row in enumerate(days, start=1):
        try:
            d, kind, name = row
        except (TypeError, ValueError):
            errors.append(f"第{i}条：应为（日期, 类型, 名称）。")
            continue
        kind = KIND_ALIASES.get(str(kind).strip().lower(), None)
        name = (name or "").strip()
        if not isinstance(d, date):
            errors.append(f"第{i}条：日期无效。")
            continue
        if d.year != year:
            errors.append(f"第{i}条：{d.isoformat()} 不属于{year}年。")
        if kind is None:
            errors.append(f"第{i}条：{d.isoformat()} 的类型应为 holiday（休）或 workday（班）。")
        elif kind == WORKDAY and d.weekday() < 5 and calendar.court_id is None:
            errors.append(f"第{i}条：{d.isoformat()} 是工作日，全国日历的调休上班日应为周六或周日。")
        if len(name) > 100:
            errors.append(f"第{i}条：名称不能超过100个字。")
        if d in seen:
            errors.append(f"第{i}条：{d.isoformat()} 重复。")
        seen.add(d)
        clean.append((d, kind or "", name))
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"……另有{len(errors) - MAX_ERRORS_SHOWN}处错误。")
        raise InvalidInput({"days": shown}, detail=gettext("%(year)s年日历数据有误，未作任何修改。") % {"year": year})
    return sorted(clean)


def _day_dicts(rows) -> list[dict]:
    return [{"date": d.isoformat(), "kind": kind, "name": name} for d, kind, name in rows]


@transaction.atomic
def calendar_load_year(*, calendar: Calendar, year: int, days: list[DayRow], source: str,
                       actor: User | None) -> CalendarYear:
    """Replace ``calendar``'s exceptional days of ``year`` and mark the year loaded (SPEC §3).

    Loading a year into the national calendar confirms it for every court; provisional deadlines
    running into it are recomputed by the receivers of ``calendar_year_loaded``.
    """
    _ensure_calendar_admin(actor)
    source = (source or "").strip()
    if not MIN_YEAR <= year <= MAX_YEAR:
        message = gettext("年度应在%(min)s–%(max)s之间。") % {"min": MIN_YEAR, "max": MAX_YEAR}
        raise InvalidInput({"year": [message]})
    if not source:
        raise InvalidInput({"source": [gettext("请填写来源（如国务院办公厅通知文号）。")]})
    if len(source) > 200:
        raise InvalidInput({"source": [gettext("来源不能超过200个字。")]})
    clean = _validate_days(calendar, year, days)

    calendar = Calendar.objects.select_for_update().get(pk=calendar.pk)
    existing = CalendarDay.objects.filter(calendar=calendar, date__year=year).order_by("date")
    before_days = _day_dicts(existing.values_list("date", "kind", "name"))
    existing.delete()
    CalendarDay.objects.bulk_create(
        [CalendarDay(calendar=calendar, date=d, kind=kind, name=name, source=source) for d, kind, name in clean]
    )
    calendar_year = CalendarYear.objects.filter(calendar=calendar, year=year).first()
    before = {"source": calendar_year.source, "days": before_days} if calendar_year else None
    if calendar_year is None:
        calendar_year = CalendarYear.objects.create(calendar=calendar, year=year, source=source)
    else:
        calendar_year.source = source
        calendar_year.loaded_at = timezone.now()
        calendar_year.save(update_fields=["source", "loaded_at"])
    audit_record(
        actor=actor,
        action=events.CALENDAR_LOAD_YEAR,
        obj=calendar_year,
        court=calendar.court_id,
        before=before,
        after={"calendar": calendar.name, "year": year, "source": source, "days": _day_dicts(clean)},
        reason=source,
    )
    calendar_changed()
    calendar_year_loaded.send(sender=Calendar, calendar=calendar, year=year, actor=actor)
    return calendar_year


def calendar_parse_file(*, content: bytes | str, filename: str = "") -> list[DayRow]:
    """Parse an uploaded schedule: CSV with columns date,kind,name or a JSON list of objects.

    Raises InvalidInput listing every bad line; nothing is written here.
    """
    if isinstance(content, bytes):
        for encoding in ("utf-8-sig", "gb18030"):  # Excel in China saves CSV as GBK
            try:
                text = content.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise InvalidInput({"file": [gettext("文件编码无法识别，请保存为 UTF-8。")]})
    else:
        text = content.lstrip("\ufeff")
    suffix = PurePath(filename).suffix.lower()
    is_json = suffix == ".json" or (suffix != ".csv" and text.lstrip().startswith(("[", "{")))
    items = _parse_json(text) if is_json else _parse_csv(text)
    rows: list[DayRow] = []
    errors: list[str] = []
    for label, raw_date, kind, name in items:
        try:
            d = date.fromisoformat(str(raw_date).strip())
        except ValueError:
            errors.append(f"{label}：日期“{raw_date}”格式应为 YYYY-MM-DD。")
            continue
        normalized = KIND_ALIASES.get(str(kind).strip().lower())
        if normalized is None:
            errors.append(f"{label}：类型“{kind}”应为 holiday（休）或 workday（班）。")
            continue
        rows.append((d, normalized, str(name or "").strip()))
    if not items:
        errors.append("文件中没有任何日期。")
    if errors:
        shown = errors[:MAX_ERRORS_SHOWN]
        if len(errors) > MAX_ERRORS_SHOWN:
            shown.append(f"……另有{len(errors) - MAX_ERRORS_SHOWN}处错误。")
        raise InvalidInput({"file": shown}, detail=gettext("日历文件有误，未作任何修改。"))
    return rows


def _parse_csv(text: str) -> list[tuple[str, str, str, str]]:
    reader = csv.reader(io.StringIO(text))
    items = []
    errors = []
    for line_no, record in enumerate(reader, start=1):
        if not record or all(not cell.strip() for cell in record):
            continue
        cells = [cell.strip() for cell in record]
        if line_no == 1 and cells[0].lower() in ("date", "日期"):
            continue
        if len(cells) < 2 or len(cells) > 3:
            errors.append(f"第{line_no}行：应有 date,kind,name 三列。")
            continue
        items.append((f"第{line_no}行", cells[0], cells[1], cells[2] if len(cells) > 2 else ""))
    if errors:
        raise InvalidInput({"file": errors[:MAX_ERRORS_SHOWN]}, detail=gettext("日历文件有误，未作任何修改。"))
    return items


def _parse_json(text: str) -> list[tuple[str, str, str, str]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InvalidInput(
            {"file": [gettext("JSON 格式错误（第%(lineno)s行）：%(msg)s。") % {"lineno": exc.lineno, "msg": exc.msg}]},
            detail=gettext("日历文件有误，未作任何修改。"),
        ) from exc
    if not isinstance(data, list):
        raise InvalidInput(
            {"file": [gettext('JSON 应为列表：[{"date": …, "kind": …, "name": …}, …]。')]},
            detail=gettext("日历文件有误，未作任何修改。"),
        )
    items = []
    errors = []
    for i, obj in enumerate(data, start=1):
        if not isinstance(obj, dict) or "date" not in obj or "kind" not in obj:
            errors.append(f"第{i}项：应为含 date、kind（及 name）的对象。")
            continue
        items.append((f"第{i}项", obj["date"], obj["kind"], obj.get("name", "")))
    if errors:
        raise InvalidInput({"file": errors[:MAX_ERRORS_SHOWN]}, detail=gettext("日历文件有误，未作任何修改。"))
    return items


def calendar_import_file(
    *, calendar: Calendar, year: int, content: bytes | str, filename: str, source: str, actor: User | None
) -> CalendarYear:
    """Parse then load; used by ``manage.py import_calendar`` and the admin upload view."""
    _ensure_calendar_admin(actor)
    rows = calendar_parse_file(content=content, filename=filename)
    return calendar_load_year(calendar=calendar, year=year, days=rows, source=source, actor=actor)


def _day_snapshot(day: CalendarDay) -> dict:
    return {
        "calendar": day.calendar_id,
        "date": day.date.isoformat(),
        "kind": day.kind,
        "name": day.name,
        "source": day.source,
    }


@transaction.atomic
def calendar_day_save(*, day: CalendarDay, actor: User | None, reason: str = "") -> CalendarDay:
    """Add or correct one exceptional day (admin edits); audited like a year load."""
    _ensure_calendar_admin(actor)
    if day.kind not in DayKind.values:
        raise InvalidInput({"kind": [gettext("类型应为法定节假日或调休上班日。")]})
    old = CalendarDay.objects.filter(pk=day.pk).first() if day.pk else None
    before = _day_snapshot(old) if old else None
    day.save()
    calendar = Calendar.objects.get(pk=day.calendar_id)
    audit_record(
        actor=actor,
        action=events.CALENDAR_DAY_UPDATE if old else events.CALENDAR_DAY_CREATE,
        obj=day,
        court=calendar.court_id,
        before=before,
        after=_day_snapshot(day),
        reason=reason,
    )
    calendar_changed()
    dates = sorted({day.date} | ({old.date} if old else set()))
    calendar_days_changed.send(sender=Calendar, calendar=calendar, dates=dates, actor=actor)
    return day


@transaction.atomic
def calendar_day_delete(*, day: CalendarDay, actor: User | None, reason: str = "") -> None:
    _ensure_calendar_admin(actor)
    calendar = Calendar.objects.get(pk=day.calendar_id)
    snapshot, pk = _day_snapshot(day), day.pk
    day.delete()
    audit_record(
        actor=actor,
        action=events.CALENDAR_DAY_DELETE,
        object_type="deadlines.calendarday",
        object_id=pk,
        court=calendar.court_id,
        before=snapshot,
        reason=reason,
    )
    calendar_changed()
    calendar_days_changed.send(
        sender=Calendar, calendar=calendar, dates=[date.fromisoformat(snapshot["date"])], actor=actor
    )
