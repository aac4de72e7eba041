from django.urls import path

from . import calendar_api

urlpatterns = [
    path("calendar/due/", calendar_api.CalendarDueView.as_view(), name="api-calendar-due"),
]
