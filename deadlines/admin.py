"""Admin for the working-day calendar (SPEC §3 "Calendar data").

Every change goes through ``deadlines.calendar_services``: it is audited, invalidates the cached
calendar views, and tells the deadline engine to recompute. Confirmed years are never edited by
hand — a year becomes confirmed only by loading its schedule (upload here, or
``manage.py import_calendar``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypedDict

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enforcement.errors import DomainError, InvalidInput

from .calendar import WEEKDAY_ZH
from .calendar_services import calendar_day_delete, calendar_day_save, calendar_import_file
from .models import Calendar, CalendarDay, CalendarYear

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MAX_UPLOAD_BYTES = 1024 * 1024


class CalendarDayInline(admin.TabularInline):
    """The current and later years only; older years are in the 节假日/调休日 list."""

    model = CalendarDay
    extra = 1
    fields = ["date", "kind", "name", "source"]
    verbose_name_plural = _("节假日/调休日（本年度及以后；往年请在“节假日/调休日”列表中查看）")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(date__year__gte=timezone.localdate().year)


class CalendarYearInline(admin.TabularInline):
    model = CalendarYear
    extra = 0
    fields = ("year", "source", "loaded_at")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class CalendarUploadForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year + 1)
    file = forms.FileField(
        label=_("文件"),
        help_text=_("CSV（列：date,kind,name）或 JSON（[{\"date\",\"kind\",\"name\"}]）；"
                  "kind 为 holiday（休）或 workday（班）。该年度原有数据将被替换。"),
    )
    source = forms.CharField(
        label=_("来源"), max_length=200, help_text=_("如：国务院办公厅关于2027年部分节假日安排的通知")
    )


class _YearCount(TypedDict):
    year_count: int


@admin.register(Calendar)
class CalendarAdmin(admin.ModelAdmin):
    list_display = ["name", "court", "confirmed_years", "upload_link"]
    list_select_related = ["court"]
    search_fields = ["name", "court__name"]
    autocomplete_fields = ["court"]
    inlines = [CalendarYearInline, CalendarDayInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(year_count=Count("years", distinct=True))

    @admin.display(description=gettext("已确认年度数"))
    def confirmed_years(self, obj: WithAnnotations[Calendar, _YearCount]) -> int:
        return obj.year_count

    @admin.display(description=_("载入年度安排"))
    def upload_link(self, obj: Calendar) -> str:
        url = reverse("admin:deadlines_calendar_upload", args=[obj.pk])
        return format_html('<a href="{}">上传文件</a>', url)

    def get_urls(self):
        urls = [
            path(
                "<int:object_id>/upload/",
                self.admin_site.admin_view(self.upload_view),
                name="deadlines_calendar_upload",
            ),
        ]
        return urls + super().get_urls()

    def upload_view(self, request, object_id: int):
        calendar = get_object_or_404(Calendar, pk=object_id)
        if not self.has_change_permission(request, calendar):
            raise DjangoPermissionDenied
        form = CalendarUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            if upload.size > MAX_UPLOAD_BYTES:
                form.add_error("file", gettext("文件过大（上限 1 MB）。"))
            else:
                try:
                    calendar_year = calendar_import_file(
                        calendar=calendar,
                        year=form.cleaned_data["year"],
                        content=upload.read(),
                        filename=upload.name,
                        source=form.cleaned_data["source"],
                        actor=request.user,
                    )
                except InvalidInput as exc:
                    for field, errors in exc.errors.items():
                        target = field if field in form.fields else "file"
                        for error in errors:
                            form.add_error(target, error)
                except DomainError as exc:
                    form.add_error(None, exc.detail)
                else:
                    count = calendar.days.filter(date__year=calendar_year.year).count()
                    self.message_user(
                        request,
                        f"已载入{calendar.name}{calendar_year.year}年安排，共{count}个节假日/调休日。",
                        messages.SUCCESS,
                    )
                    return HttpResponseRedirect(reverse("admin:deadlines_calendar_change", args=[calendar.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": calendar,
            "title": gettext("载入年度安排"),  # the calendar is named in the breadcrumbs
            "form": form,
        }
        return TemplateResponse(request, "admin/deadlines/calendar/upload.html", context)

    def save_formset(self, request, form, formset, change):
        if formset.model is not CalendarDay:
            return super().save_formset(request, form, formset, change)
        try:
            for day in formset.save(commit=False):
                calendar_day_save(day=day, actor=request.user, reason="管理后台编辑")
            for day in formset.deleted_objects:
                calendar_day_delete(day=day, actor=request.user, reason="管理后台删除")
        except DomainError as exc:
            raise DjangoPermissionDenied(exc.detail) from exc
        formset.save_m2m()


class YearListFilter(admin.SimpleListFilter):
    title = "年度"
    parameter_name = "year"

    def lookups(self, request, model_admin):
        years = CalendarDay.objects.dates("date", "year", order="DESC")
        return [(str(d.year), f"{d.year}年") for d in years]

    def queryset(self, request, queryset):
        if self.value() and self.value().isascii() and self.value().isdigit():
            return queryset.filter(date__year=int(self.value()))
        return queryset


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "weekday", "kind", "name", "calendar", "source"]
    list_filter = [YearListFilter, "kind", "calendar"]
    list_select_related = ["calendar"]
    search_fields = ["name", "source"]
    date_hierarchy = "date"

    @admin.display(description=gettext("星期"))
    def weekday(self, obj: CalendarDay) -> str:
        return WEEKDAY_ZH[obj.date.weekday()]

    def save_model(self, request, obj, form, change):
        try:
            calendar_day_save(day=obj, actor=request.user, reason="管理后台编辑")
        except DomainError as exc:
            raise DjangoPermissionDenied(exc.detail) from exc

    def delete_model(self, request, obj):
        try:
            calendar_day_delete(day=obj, actor=request.user, reason="管理后台删除")
        except DomainError as exc:
            raise DjangoPermissionDenied(exc.detail) from exc

    def delete_queryset(self, request, queryset):
        for day in queryset:
            self.delete_model(request, day)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Read-only: a year is confirmed by loading its schedule, not by typing a row."""

    list_display = ["calendar", "year", "source", "loaded_at"]
    list_filter = ["calendar"]
    list_select_related = ["calendar"]
    search_fields = ["source"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# Rule-set admin lives in its own module (SPEC §4); importing it here lets autodiscovery find it.
from . import admin_rules  # noqa: E402, F401
