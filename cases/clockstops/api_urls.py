from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:pk>/clock-stops/", api.CaseClockStops.as_view(), name="api-case-clock-stops"),
    path("clock-stops/<int:pk>/", api.ClockStopDetail.as_view(), name="api-clock-stop"),
    path("clock-stops/<int:pk>/transitions/", api.ClockStopTransitionList.as_view(),
         name="api-clock-stop-transitions"),
    path("clock-stops/<int:pk>/transitions/<str:name>/", api.ClockStopTransitionFire.as_view(),
         name="api-clock-stop-transition"),
]
