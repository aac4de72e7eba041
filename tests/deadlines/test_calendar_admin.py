"""Calendar admin (SPEC §3, §12): uploads go through the service, day edits are audited."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from deadlines.calendar import calendar_for
from deadlines.calendar_services import calendar_seed_national
from deadlines.models import CalendarDay, CalendarYear
from enforcement.models import AuditEvent
from tests.factories import UserFactory


@pytest.fixture
def national(db):
    return calendar_seed_national().calendar


@pytest.fixture
def admin_client(client, courts):
    user = UserFactory(username="root", court=courts.supreme, is_staff=True, is_superuser=True)
    client.force_login(user)
    client.user = user
    return client


def test_upload_view_loads_a_year_and_redirects(national, admin_client):
    # given the 2027 schedule as CSV
    upload = SimpleUploadedFile("2027.csv", "2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n".encode())
    # when uploaded through the admin
    response = admin_client.post(reverse("admin:deadlines_calendar_upload", args=[national.pk]),
                                 {"year": 2027, "file": upload, "source": "国办发明电〔2026〕7号"})
    # then the year is confirmed, audited under the admin's name, and the page goes back to the calendar
    assert response.status_code == 302
    assert CalendarYear.objects.get(calendar=national, year=2027).source == "国办发明电〔2026〕7号"
    assert AuditEvent.objects.get(action="calendar.load_year").actor == admin_client.user
    assert calendar_for(None).is_confirmed(2027)


def test_upload_view_shows_file_errors_and_writes_nothing(national, admin_client):
    upload = SimpleUploadedFile("2027.csv", b"2027-01-01,holiday,x\n2026-12-31,holiday,y\n")
    response = admin_client.post(reverse("admin:deadlines_calendar_upload", args=[national.pk]),
                                 {"year": 2027, "file": upload, "source": "通知"})
    assert response.status_code == 200
    assert "2026-12-31 不属于2027年" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_adding_a_day_in_the_admin_is_audited(national, admin_client):
    # when an admin adds a one-off holiday
    response = admin_client.post(reverse("admin:deadlines_calendarday_add"), {
        "calendar": national.pk, "date": "2026-12-31", "kind": "holiday", "name": "临时休假", "source": "通知"})
    # then it is saved, audited and in effect
    assert response.status_code == 302, response.content.decode()[:2000]
    day = CalendarDay.objects.get(calendar=national, date=date(2026, 12, 31))
    event = AuditEvent.objects.get(action="calendar.day_create")
    assert event.object_id == str(day.pk) and event.actor == admin_client.user
    assert not calendar_for(None).is_working_day(date(2026, 12, 31))


def test_deleting_a_day_in_the_admin_is_audited(national, admin_client):
    day = national.days.get(date=date(2026, 10, 7))
    response = admin_client.post(reverse("admin:deadlines_calendarday_delete", args=[day.pk]), {"post": "yes"})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(pk=day.pk).exists()
    assert AuditEvent.objects.get(action="calendar.day_delete").before["date"] == "2026-10-07"


def test_calendar_pages_render(national, admin_client):
    assert admin_client.get(reverse("admin:deadlines_calendar_changelist")).status_code == 200
    assert admin_client.get(reverse("admin:deadlines_calendar_change", args=[national.pk])).status_code == 200
    assert admin_client.get(reverse("admin:deadlines_calendar_upload", args=[national.pk])).status_code == 200
    assert admin_client.get(reverse("admin:deadlines_calendarday_changelist") + "?year=2026").status_code == 200
    assert admin_client.get(reverse("admin:deadlines_calendaryear_changelist")).status_code == 200


def test_editing_days_inline_on_the_calendar_page_is_audited(national, admin_client):
    # given the calendar change form as the admin would submit it, with one new inline row
    from django.utils import timezone

    days = list(national.days.filter(date__year__gte=timezone.localdate().year).order_by("date", "id"))
    years = list(national.years.order_by("year", "id"))
    data = {"name": national.name, "court": "",
            "years-TOTAL_FORMS": len(years), "years-INITIAL_FORMS": len(years),
            "years-MIN_NUM_FORMS": 0, "years-MAX_NUM_FORMS": 1000,
            "days-TOTAL_FORMS": len(days) + 1, "days-INITIAL_FORMS": len(days),
            "days-MIN_NUM_FORMS": 0, "days-MAX_NUM_FORMS": 1000}
    for i, y in enumerate(years):
        data.update({f"years-{i}-id": y.pk, f"years-{i}-calendar": national.pk})
    for i, d in enumerate(days):
        data.update({f"days-{i}-id": d.pk, f"days-{i}-calendar": national.pk, f"days-{i}-date": d.date.isoformat(),
                     f"days-{i}-kind": d.kind, f"days-{i}-name": d.name, f"days-{i}-source": d.source})
    new = len(days)
    data.update({f"days-{new}-calendar": national.pk, f"days-{new}-date": "2026-12-31", f"days-{new}-kind": "holiday",
                 f"days-{new}-name": "临时休假", f"days-{new}-source": "通知"})
    # and one existing row deleted
    data["days-0-DELETE"] = "on"
    deleted_date = days[0].date
    # when
    response = admin_client.post(reverse("admin:deadlines_calendar_change", args=[national.pk]), data)
    # then both changes are saved and audited
    assert response.status_code == 302, response.content.decode()[:3000]
    assert national.days.filter(date=date(2026, 12, 31), name="临时休假").exists()
    assert not national.days.filter(date=deleted_date).exists()
    assert AuditEvent.objects.filter(action="calendar.day_create").count() == 1
    assert AuditEvent.objects.get(action="calendar.day_delete").before["date"] == deleted_date.isoformat()
