from django.urls import path

from .metrics_api import MetricsView

urlpatterns = [
    path("metrics/", MetricsView.as_view(), name="api-metrics"),
]
