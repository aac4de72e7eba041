from django.urls import path

from deadlines.supervision import views

urlpatterns = [
    path("dashboard/", views.console, name="dashboard"),
    path("dashboard/counts/", views.counts, name="dashboard-counts"),
    path("dashboard/alerts/<int:pk>/<str:action>/", views.alert_action, name="dashboard-alert-action"),
    path("dashboard/metrics/", views.metrics_page, name="dashboard-metrics"),
    path("dashboard/metrics/export.csv", views.metrics_export, {"fmt": "csv"}, name="dashboard-metrics-csv"),
    path("dashboard/metrics/export.xlsx", views.metrics_export, {"fmt": "xlsx"}, name="dashboard-metrics-xlsx"),
]
