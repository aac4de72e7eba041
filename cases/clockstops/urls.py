from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/clock-stops/", views.clock_stop_start, name="case-clock-stop"),
]
