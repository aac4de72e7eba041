from django.urls import path

from deadlines.supervision import views, whatif

urlpatterns = [
    path("dashboard/", views.console, name="dashboard"),
    path("dashboard/counts/", views.counts, name="dashboard-counts"),
    path("dashboard/alerts/<int:pk>/<str:action>/", views.alert_action, name="dashboard-alert-action"),
    path("dashboard/metrics/", views.metrics_page, name="dashboard-metrics"),
    path("dashboard/metrics/export.csv", views.metrics_export, {"fmt": "csv"}, name="dashboard-metrics-csv"),
    path("dashboard/metrics/export.xlsx", views.metrics_export, {"fmt": "xlsx"}, name="dashboard-metrics-xlsx"),
    path("dashboard/whatif/", whatif.draft_list, name="whatif-list"),
    path("dashboard/whatif/<int:pk>/", whatif.draft_detail, name="whatif-draft"),
    path("dashboard/whatif/<int:pk>/rules/", whatif.draft_rule_add, name="whatif-rule-add"),
    path("dashboard/whatif/<int:pk>/rules/<int:rule_pk>/", whatif.draft_rule, name="whatif-rule"),
    path("dashboard/whatif/<int:pk>/run/", whatif.draft_run, name="whatif-run"),
    path("dashboard/whatif/<int:pk>/adopt/", whatif.draft_adopt, name="whatif-adopt"),
    path("dashboard/whatif/<int:pk>/export.csv", whatif.draft_export, {"fmt": "csv"}, name="whatif-csv"),
    path("dashboard/whatif/<int:pk>/export.xlsx", whatif.draft_export, {"fmt": "xlsx"}, name="whatif-xlsx"),
]
