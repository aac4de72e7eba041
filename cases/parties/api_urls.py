from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:pk>/party-messages/", api.CasePartyMessages.as_view(), name="api-case-party-messages"),
    path("cases/<int:pk>/query-code/", api.QueryCodeReissue.as_view(), name="api-case-query-code"),
    path("public/progress/", api.PublicProgress.as_view(), name="api-public-progress"),
]
