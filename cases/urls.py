from django.urls import include, path

from . import object_views, views
from .approvals import views as approval_views

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_file, name="case-file"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/lists/<slug:name>/", views.case_section_list, name="case-section-list"),
    path("cases/<int:pk>/transitions/<str:name>/", views.case_transition, name="case-transition"),
    path("cases/<int:pk>/milestones/", views.case_milestone, name="case-milestone"),
    path("approvals/", approval_views.approval_inbox, name="approval-inbox"),
    path("approvals/ask/", approval_views.approval_ask, name="approval-ask"),
    path("approvals/<int:pk>/<str:name>/", approval_views.approval_decide, name="approval-decide"),
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
