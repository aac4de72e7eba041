from django.urls import include, path

from . import api

urlpatterns = [
    path("cases/", api.CaseListCreate.as_view(), name="api-cases"),
    path("cases/<int:pk>/", api.CaseDetail.as_view(), name="api-case"),
    path("cases/<int:pk>/transitions/", api.CaseTransitionList.as_view(), name="api-case-transitions"),
    path("cases/<int:pk>/transitions/<str:name>/", api.CaseTransitionFire.as_view(), name="api-case-transition"),
    path("cases/<int:pk>/deadlines/", api.CaseDeadlineList.as_view(), name="api-case-deadlines"),
    path("cases/<int:pk>/events/", api.CaseEvents.as_view(), name="api-case-events"),
    path("cases/<int:pk>/milestones/", api.CaseMilestones.as_view(), name="api-case-milestones"),
    path("", include("cases.clockstops.api_urls")),
    path("", include("cases.complaints.api_urls")),
    path("", include("cases.parties.api_urls")),
    path("", include("cases.coordination.api_urls")),
    path("", include("cases.approvals.api_urls")),
]
