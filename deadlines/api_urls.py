from django.urls import path

from . import api

urlpatterns = [
    path("deadlines/", api.DeadlineList.as_view(), name="api-deadlines"),
    path("deadlines/<int:pk>/explain/", api.DeadlineExplain.as_view(), name="api-deadline-explain"),
    path("deadlines/<int:pk>/correct_start/", api.DeadlineCorrectStart.as_view(), name="api-deadline-correct"),
    path("alerts/", api.AlertList.as_view(), name="api-alerts"),
    path("alerts/<int:pk>/transitions/", api.AlertTransitionList.as_view(), name="api-alert-transitions"),
    path("alerts/<int:pk>/transitions/<str:name>/", api.AlertTransitionFire.as_view(), name="api-alert-transition"),
]
