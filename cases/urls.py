from django.urls import include, path

from . import object_views, views

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_file, name="case-file"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/lists/<slug:name>/", views.case_section_list, name="case-section-list"),
    path("cases/<int:pk>/transitions/<str:name>/", views.case_transition, name="case-transition"),
    path("cases/<int:pk>/milestones/", views.case_milestone, name="case-milestone"),
    path("cases/<int:pk>/overrides/", views.case_override, name="case-override"),
    path("cases/<int:pk>/queries/", object_views.query_create, name="case-query"),
    path("cases/<int:pk>/leads/", object_views.lead_create, name="case-lead"),
    path("queries/<int:pk>/feedback/", object_views.query_feedback, name="query-feedback"),
    path("deadlines/<int:pk>/", object_views.deadline_explain, name="deadline-explain"),
    path("deadlines/<int:pk>/correct_start/", object_views.deadline_correct_start, name="deadline-correct-start"),
    path("objects/<str:resource>/<int:pk>/transitions/<str:name>/", object_views.object_transition,
         name="object-transition"),
    path("", include("cases.clockstops.urls")),
    path("", include("cases.queues.urls")),
    path("", include("cases.complaints.urls")),
    path("", include("cases.parties.urls")),
    path("", include("cases.coordination.urls")),
]
