"""Period arithmetic (SPEC §3). The one module that knows how a legal period is counted.

Two layers:

* pure arithmetic on a ``CalendarView`` (plain in-memory sets of exceptional dates, no database):
  ``compute_due``, ``add_working_days``, ``working_days_between``, ``shift_due``;
* ``calendar_for(court)``, which loads the view a court uses from the database (national calendar
  plus the local calendars of the court and its ancestors) and caches it per process.

Due times: a period counted in days ends "at the end of" its last day, i.e. 24:00 Asia/Shanghai.
We represent that instant as 23:59:59 with microsecond 0 (``END_OF_DAY``): an act recorded at
23:59:59.5 is a rounding artefact of the recording clock, not a legal act done after 24:00, and
whole seconds keep the stored value and its ISO form (``2026-10-12T23:59:59+08:00``) readable.

Longer than the house's ~400 lines by design: it is the one module that counts periods (SPEC §3),
so every unit, the holiday extension and the provisional flag stay side by side and are tested as one.
"""

from __future__ import annotations

import calendar as _pycal
import threading
from bisect import bisect_right
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

if TYPE_CHECKING:
    from enforcement.models import Court

SHANGHAI = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)
WEEKDAY_ZH = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")

HOLIDAY = "holiday"
WORKDAY = "workday"


class Unit(StrEnum):
    WORKING_DAYS = "working_days"
    DAYS = "days"
    MONTHS = "months"
    HOURS = "hours"
    IMMEDIATELY = "immediately"


UNIT_LABELS_ZH = {
    Unit.WORKING_DAYS: "个工作日",
    Unit.DAYS: "日",
    Unit.MONTHS: "个月",
    Unit.HOURS: "小时",
    Unit.IMMEDIATELY: "立即",
}


def add_months(d: date, months: int) -> date:
    """Calendar months with month-end clamping: 2026-01-31 + 1 month = 2026-02-28 (SPEC §3)."""
    index = d.year * 12 + (d.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    return date(year, month, min(d.day, _pycal.monthrange(year, month)[1]))


def end_of_day(d: date) -> datetime:
    """24:00 of ``d`` in Asia/Shanghai, represented as 23:59:59 (see module docstring)."""
    return datetime.combine(d, END_OF_DAY, tzinfo=SHANGHAI)


def to_shanghai(value: datetime | date) -> datetime:
    """An aware datetime in Asia/Shanghai. A bare date means 00:00 of that date; naive means local."""
    if not isinstance(value, datetime):
        return datetime.combine(value, time(0, 0), tzinfo=SHANGHAI)
    if value.tzinfo is None or value.utcoffset() is None:
        return value.replace(tzinfo=SHANGHAI)
    return value.astimezone(SHANGHAI)


def _weekdays_between(a: date, b: date) -> int:
    """Number of Monday–Friday dates d with a < d <= b."""
    days = (b - a).days
    if days <= 0:
        return 0
    weeks, rest = divmod(days, 7)
    count = weeks * 5
    first = (a.weekday() + 1) % 7  # weekday of a + 1
    count += sum(1 for i in range(rest) if (first + i) % 7 < 5)
    return count


@dataclass(frozen=True, eq=False)
class CalendarView:
    """The working-day calendar one court uses, entirely in memory.

    ``holidays`` / ``workdays`` map an exceptional date to its name (a plain set of dates is
    accepted too, for tests). ``confirmed_years`` are the years whose official schedule is loaded;
    in any other year only Saturday and Sunday are rest days and results are provisional (SPEC §3:
    "never silently treat a missing year as complete").
    """

    holidays: Mapping[date, str] = field(default_factory=dict)
    workdays: Mapping[date, str] = field(default_factory=dict)
    confirmed_years: frozenset[int] = frozenset()
    _weekday_holidays: list[date] = field(init=False, repr=False)
    _weekend_workdays: list[date] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        holidays = _as_mapping(self.holidays)
        workdays = _as_mapping(self.workdays)
        both = holidays.keys() & workdays.keys()
        if both:
            raise ValueError(f"dates both holiday and workday: {sorted(both)[:5]}")
        confirmed = frozenset(self.confirmed_years)
        object.__setattr__(self, "holidays", holidays)
        object.__setattr__(self, "workdays", workdays)
        object.__setattr__(self, "confirmed_years", confirmed)
        # Only the exceptions that change the Monday–Friday rule, and only in confirmed years,
        # sorted for O(log n) counting in working_days_between.
        object.__setattr__(self, "_weekday_holidays", sorted(
            d for d in holidays if d.weekday() < 5 and d.year in confirmed))
        object.__setattr__(self, "_weekend_workdays", sorted(
            d for d in workdays if d.weekday() >= 5 and d.year in confirmed))

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[date, str, str]], confirmed_years: Iterable[int]) -> CalendarView:
        """Build from ``(date, kind, name)`` rows, later rows overriding earlier ones for a date."""
        holidays: dict[date, str] = {}
        workdays: dict[date, str] = {}
        for d, kind, name in rows:
            holidays.pop(d, None)
            workdays.pop(d, None)
            (holidays if kind == HOLIDAY else workdays)[d] = name
        return cls(holidays=holidays, workdays=workdays, confirmed_years=frozenset(confirmed_years))

    def is_confirmed(self, year: int) -> bool:
        return year in self.confirmed_years

    def is_working_day(self, d: date) -> bool:
        """Mon–Fri minus statutory holidays, plus declared make-up days (SPEC §3)."""
        if d.year not in self.confirmed_years:
            return d.weekday() < 5
        if d in self.workdays:
            return True
        if d in self.holidays:
            return False
        return d.weekday() < 5

    def holiday_name(self, d: date) -> str:
        return self.holidays.get(d, "") if d.year in self.confirmed_years else ""

    def makeup_name(self, d: date) -> str:
        return self.workdays.get(d, "") if d.year in self.confirmed_years else ""

    def next_working_day(self, d: date) -> date:
        """``d`` itself if it is a working day, else the first working day after it."""
        while not self.is_working_day(d):
            d += timedelta(days=1)
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b (0 if b <= a). O(log n): weekday arithmetic plus bisect."""
        if b <= a:
            return 0
        lost = bisect_right(self._weekday_holidays, b) - bisect_right(self._weekday_holidays, a)
        gained = bisect_right(self._weekend_workdays, b) - bisect_right(self._weekend_workdays, a)
        return _weekdays_between(a, b) - lost + gained

    def add_working_days(self, d: date, n: int) -> date:
        """The n-th working day after ``d`` (``d`` itself not counted); ``d`` when n == 0."""
        if n < 0:
            raise ValueError("n must be >= 0")
        # Jump by whole weeks while far from the target (5 working days a plain week, holidays
        # corrected by the O(log n) count), so the day-by-day loop only walks the last stretch.
        while n > 10:
            step = (n // 5 - 1) * 7
            target = d + timedelta(days=step)
            got = self.working_days_between(d, target)
            if got >= n or got == 0:
                break
            d, n = target, n - got
        while n > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def unconfirmed_years(self, first: date, last: date) -> tuple[int, ...]:
        return tuple(y for y in range(first.year, last.year + 1) if y not in self.confirmed_years)


def _as_mapping(value: Mapping[date, str] | Iterable[date]) -> dict[date, str]:
    if isinstance(value, Mapping):
        return dict(value)
    return {d: "" for d in value}


# --- module-level helpers (the names other apps call) ------------------------------------------


def is_working_day(d: date, cal: CalendarView) -> bool:
    return cal.is_working_day(d)


def working_days_between(a: date, b: date, cal: CalendarView) -> int:
    """Number of working days d with a < d <= b (used for clock stops, SPEC §3)."""
    return cal.working_days_between(a, b)


def add_working_days(d: date, n: int, cal: CalendarView) -> date:
    return cal.add_working_days(d, n)


# --- computing a due date ------------------------------------------------------------------------


@dataclass(frozen=True)
class DueResult:
    start: datetime                        # the start event, in Asia/Shanghai
    period: int
    unit: Unit
    due: datetime                          # aware, Asia/Shanghai
    provisional: bool = False              # a day examined lies in a year with no loaded schedule
    skipped_holidays: list[tuple[date, str]] = field(default_factory=list)
    makeup_days: list[tuple[date, str]] = field(default_factory=list)
    rolled_from: date | None = None        # days/months: the nominal last day, when it was not a working day
    nominal_end: date | None = None        # days/months: date(E) + period, before rolling
    unconfirmed_years: tuple[int, ...] = ()
    # Runs of holiday dates (weekends inside a holiday included) passed over, for the explanation.
    holiday_spans: list[tuple[str, date, date]] = field(default_factory=list)

    def explain_zh(self) -> str:
        return _explain_zh(self)


def compute_due(start: datetime | date, period: int, unit: str, *, court: Court | int | None = None,
                cal: CalendarView | None = None) -> DueResult:
    """The due instant of a period that starts with event ``start`` (SPEC §3).

    The start day is not counted. ``cal`` wins over ``court``; pass ``cal`` when computing many
    deadlines for one court so the calendar is looked up once.
    """
    unit = Unit(unit)
    if isinstance(period, bool) or not isinstance(period, int) or period < 0:
        raise ValueError("period must be a non-negative integer")
    start = to_shanghai(start)
    e = start.date()

    if unit is Unit.HOURS:
        # "to the minute, no holiday extension" (SPEC §3).
        return DueResult(start=start, period=period, unit=unit, due=start + timedelta(hours=period))
    if unit is Unit.IMMEDIATELY:
        return DueResult(start=start, period=period, unit=unit, due=end_of_day(e))

    if cal is None:
        cal = calendar_for(court)

    if unit is Unit.WORKING_DAYS:
        due_date = cal.add_working_days(e, period)
        examined = _dates(e + timedelta(days=1), due_date) if due_date > e else [e]
        skipped = [(d, cal.holiday_name(d)) for d in examined if d.weekday() < 5 and not cal.is_working_day(d)]
        makeup = [(d, cal.makeup_name(d)) for d in examined if d.weekday() >= 5 and cal.is_working_day(d)]
        unconfirmed = cal.unconfirmed_years(examined[0], examined[-1])
        return DueResult(start=start, period=period, unit=unit, due=end_of_day(due_date),
                         provisional=bool(unconfirmed), skipped_holidays=skipped, makeup_days=makeup,
                         unconfirmed_years=unconfirmed, holiday_spans=_holiday_spans(examined, cal))

    # Days and months: the last day is date(E) + period; a last day that is not a working day
    # moves to the next working day (民事诉讼法: a period ending on a holiday ends on the first day after it).
    nominal = e + timedelta(days=period) if unit is Unit.DAYS else add_months(e, period)
    due_date = cal.next_working_day(nominal)
    examined = _dates(nominal, due_date)
    skipped = [(d, cal.holiday_name(d)) for d in examined[:-1] if d.weekday() < 5]
    makeup = [(due_date, cal.makeup_name(due_date))] if due_date.weekday() >= 5 else []
    unconfirmed = cal.unconfirmed_years(nominal, due_date)
    return DueResult(start=start, period=period, unit=unit, due=end_of_day(due_date),
                     provisional=bool(unconfirmed), skipped_holidays=skipped, makeup_days=makeup,
                     rolled_from=nominal if due_date != nominal else None, nominal_end=nominal,
                     unconfirmed_years=unconfirmed, holiday_spans=_holiday_spans(examined, cal))


def _dates(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


def _holiday_spans(examined: list[date], cal: CalendarView) -> list[tuple[str, date, date]]:
    """Consecutive non-working holiday dates among ``examined``, grouped by holiday name."""
    spans: list[tuple[str, date, date]] = []
    for d in examined:
        if cal.is_working_day(d) or d not in cal.holidays or not cal.is_confirmed(d.year):
            continue
        name = cal.holidays[d]
        if spans and spans[-1][0] == name and (d - spans[-1][2]).days == 1:
            spans[-1] = (name, spans[-1][1], d)
        else:
            spans.append((name, d, d))
    return spans


def shift_due(due: datetime, stopped_from: datetime, stopped_to: datetime, unit: str, cal: CalendarView, *,
              rolled_from: date | None = None) -> datetime:
    """Move a running deadline's due instant past a clock stop (SPEC §3 "Clock stops").

    * Working-day periods move by the working days lost: those d with
      date(stopped_from) < d <= date(stopped_to). The day the stop begins was still running (its
      event day is not counted, like any start event) and the day the clock resumes is lost —
      counting resumes after it, exactly as a new period would start from the resumption.
    * Days / months move by the whole calendar days between the two dates, then the last day is
      re-rolled to a working day. Pass ``rolled_from`` (the nominal last day before the original
      roll) so the shift applies to the nominal last day and a holiday roll is not counted twice.
    * Hours move by the exact stopped duration; "immediately" by the whole days (no roll: it is
      the end of a calendar day by definition).
    """
    unit = Unit(unit)
    stopped_from, stopped_to, due = to_shanghai(stopped_from), to_shanghai(stopped_to), to_shanghai(due)
    if stopped_to < stopped_from:
        raise ValueError("a clock stop cannot end before it starts")
    if unit is Unit.HOURS:
        return due + (stopped_to - stopped_from)
    days_lost = (stopped_to.date() - stopped_from.date()).days
    if unit is Unit.WORKING_DAYS:
        lost = cal.working_days_between(stopped_from.date(), stopped_to.date())
        return end_of_day(cal.add_working_days(due.date(), lost))
    if unit is Unit.IMMEDIATELY:
        return end_of_day(due.date() + timedelta(days=days_lost))
    nominal = (rolled_from or due.date()) + timedelta(days=days_lost)
    return end_of_day(cal.next_working_day(nominal))


# --- the Chinese explanation (SPEC §4: "every deadline can explain itself") -------------------


def _fmt_range(first: date, last: date) -> str:
    if first == last:
        return first.isoformat()
    if first.year == last.year:
        return f"{first.isoformat()}至{last:%m-%d}"
    return f"{first.isoformat()}至{last.isoformat()}"


def _span_phrases(r: DueResult) -> list[str]:
    return [f"{name}假期{_fmt_range(first, last)}" if name else f"节假日{_fmt_range(first, last)}"
            for name, first, last in r.holiday_spans]


def _makeup_phrase(days: list[tuple[date, str]]) -> str:
    listed = "、".join(f"{d.isoformat()}（{WEEKDAY_ZH[d.weekday()]}）" for d, _ in days)
    return f"{listed}为调休上班日，计入"


def _explain_zh(r: DueResult) -> str:
    e = r.start.date()
    due_day = r.due.date()
    parts: list[str] = []
    if r.unit is Unit.HOURS:
        parts.append(f"自{r.start:%Y-%m-%d %H:%M}起算{r.period}小时，按小时计算，不因节假日顺延")
        parts.append(f"届满时间{r.due:%Y-%m-%d %H:%M}")
        return "；".join(parts)
    if r.unit is Unit.IMMEDIATELY:
        return f"立即办理，以事件发生当日为限；届满时间{e.isoformat()} 24时"
    if r.unit is Unit.WORKING_DAYS:
        parts.append(f"自{e.isoformat()}（不计当日）起算{r.period}个工作日")
        if r.holiday_spans:
            parts.append("跳过" + "、".join(_span_phrases(r)))
        if r.makeup_days:
            parts.append(_makeup_phrase(r.makeup_days))
    else:
        label = UNIT_LABELS_ZH[r.unit]
        nominal = r.nominal_end or due_day
        head = f"自{e.isoformat()}（不计当日）起算{r.period}{label}至{nominal.isoformat()}"
        if r.unit is Unit.MONTHS and nominal.day != e.day:
            head += "（该月无对应日，以月末日为期间最后一日）"
        parts.append(head)
        if r.rolled_from is not None:
            first = r.rolled_from
            if r.holiday_spans and r.holiday_spans[0][1] == first:
                why = f"{r.holiday_spans[0][0] or '法定节'}假期"
            elif first.weekday() >= 5:
                why = f"休息日（{WEEKDAY_ZH[first.weekday()]}）"
            else:
                why = "节假日"
            parts.append(f"该日为{why}，期间届满日顺延至其后第一个工作日{due_day.isoformat()}")
        if r.makeup_days:
            d = r.makeup_days[0][0]
            parts.append(f"{d.isoformat()}（{WEEKDAY_ZH[d.weekday()]}）为调休上班日")
    parts.append(f"届满日{due_day.isoformat()} 24时")
    text = "；".join(parts)
    if r.provisional:
        years = "、".join(f"{y}年" for y in r.unconfirmed_years)
        text += f"（临时期限：{years}节假日安排尚未载入，暂按周六、周日休息推算，载入后自动重算）"
    return text


# --- package data --------------------------------------------------------------------------------

HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "Mid-autumn Festival": "中秋节",
    "National Day": "国庆节",
    "Anti-Fascist 70th Day": "抗战胜利纪念日",
}


def chinesecalendar_rows() -> tuple[list[tuple[date, str, str]], list[int]]:
    """The national schedule as ``(date, kind, name)`` rows plus the years the package covers.

    Pure: used by the seed service, the data migration (with historical models) and tests that
    build an in-memory ``CalendarView`` without the database.
    """
    import chinese_calendar

    def zh(value: Any) -> str:
        english = getattr(value, "value", value)
        english = english[0] if isinstance(english, tuple) else english
        return HOLIDAY_NAMES_ZH.get(str(english), str(english))

    rows = [(d, HOLIDAY, zh(v)) for d, v in sorted(chinese_calendar.holidays.items())]
    rows += [(d, WORKDAY, f"{zh(v)}调休上班") for d, v in sorted(chinese_calendar.workdays.items())]
    rows.sort(key=lambda row: row[0])
    years = sorted({d.year for d in chinese_calendar.holidays} | {d.year for d in chinese_calendar.workdays})
    return rows, list(range(years[0], years[-1] + 1))


def chinesecalendar_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("chinesecalendar")
    except PackageNotFoundError:  # pragma: no cover - the package is pinned in requirements.txt
        import chinese_calendar

        return getattr(chinese_calendar, "__version__", "")


def national_view_from_package() -> CalendarView:
    rows, years = chinesecalendar_rows()
    return CalendarView.from_rows(rows, years)


# --- loading a court's calendar from the database, cached per process ----------------------------

VERSION_CACHE_KEY = "deadlines:calendar:version"
_lock = threading.Lock()
_local_version = 0
_views: dict[tuple, CalendarView] = {}
_views_stamp: tuple | None = None
# Inside ``calendar_pinned()``: views already looked up in this block, reused without any query.
_pinned: ContextVar[dict | None] = ContextVar("deadlines_calendar_pinned", default=None)


@contextmanager
def calendar_pinned() -> Iterator[None]:
    """Within the block, each court's calendar is looked up at most once (0 queries afterwards).

    For one request or one batch (e.g. the deadline scan). A calendar write inside the block
    (``calendar_changed``) drops the pinned views, so the block never reads its own stale data.
    """
    token = _pinned.set({})
    try:
        yield
    finally:
        _pinned.reset(token)


def calendar_changed() -> None:
    """Invalidate cached views everywhere. Every service that writes calendar data calls this.

    Bumps a per-process counter (this process, immediately) and a shared counter in the Django
    cache (other processes), now and again on commit so no process keeps a view built from the
    data between the write and the commit.
    """
    global _local_version
    with _lock:
        _local_version += 1
    pinned = _pinned.get()
    if pinned is not None:
        pinned.clear()
    _bump_shared_version()
    from django.db import transaction

    transaction.on_commit(_bump_shared_version)


def _bump_shared_version() -> None:
    from django.core.cache import cache

    try:
        if not cache.add(VERSION_CACHE_KEY, 1, timeout=None):
            cache.incr(VERSION_CACHE_KEY)
    except Exception:  # noqa: BLE001 - a cache outage must not block a calendar write
        pass


def _shared_version() -> int | None:
    from django.core.cache import cache

    try:
        return cache.get(VERSION_CACHE_KEY, 0)
    except Exception:  # noqa: BLE001 - without the cache we simply rebuild the view every time
        return None


def _data_fingerprint() -> tuple:
    """One cheap query: row counts and max ids of the calendar tables.

    Catches writes that bypassed ``calendar_changed`` (raw SQL, data migrations, rolled-back test
    transactions); in-place edits are caught by the version counters.
    """
    from django.db import connection

    from .models import Calendar, CalendarDay, CalendarYear

    parts = []
    for model in (Calendar, CalendarDay, CalendarYear):
        table = connection.ops.quote_name(model._meta.db_table)
        parts.append(f"(SELECT COUNT(*) FROM {table})")
        parts.append(f"(SELECT MAX(id) FROM {table})")
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return (connection.alias, *cursor.fetchone())


def _court_chain(court: Court | int | None) -> tuple[int, ...]:
    """Ids of the court's ancestors, root first, then the court itself."""
    if court is None:
        return ()
    if isinstance(court, int):
        from enforcement.models import Court as CourtModel

        path = CourtModel.objects.values_list("path", flat=True).get(pk=court)
    else:
        path = court.path
    return tuple(int(p) for p in path.strip("/").split("/") if p)


def calendar_for(court: Court | int | None = None) -> CalendarView:
    """The calendar a court counts with: national days, overridden by the local calendars of its
    ancestors and then its own (nearest court wins). Confirmed years are the national ones.

    Cost: one cheap query when the cached view is current, three or four when it is rebuilt, none
    for a court already looked up inside ``calendar_pinned()``.
    """
    global _views_stamp
    chain = _court_chain(court)
    pinned = _pinned.get()
    if pinned is not None and chain in pinned:
        return pinned[chain]
    stamp = (_data_fingerprint(), _local_version, _shared_version())
    with _lock:
        view = _views.get(chain) if stamp[2] is not None and _views_stamp == stamp else None
    if view is None:
        view = _load_view(chain)
        with _lock:
            if _views_stamp != stamp:
                _views.clear()
                _views_stamp = stamp
            _views[chain] = view
    if pinned is not None:
        pinned[chain] = view
    return view


def _load_view(chain: tuple[int, ...]) -> CalendarView:
    from django.db.models import Q

    from .models import CalendarDay, CalendarYear

    rank = {court_id: i + 1 for i, court_id in enumerate(chain)}
    rows = CalendarDay.objects.filter(Q(calendar__court__isnull=True) | Q(calendar__court_id__in=chain))
    ordered = sorted(rows.values_list("calendar__court_id", "date", "kind", "name"),
                     key=lambda r: (rank.get(r[0], 0), r[1]))
    years = CalendarYear.objects.filter(calendar__court__isnull=True).values_list("year", flat=True)
    return CalendarView.from_rows(((d, kind, name) for _, d, kind, name in ordered), years)
