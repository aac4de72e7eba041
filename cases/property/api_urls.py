from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:pk>/queries/", api.CaseQueries.as_view(), name="api-case-queries"),
    path("queries/", api.QueryList.as_view(), name="api-queries"),
    path("queries/<int:pk>/", api.QueryDetail.as_view(), name="api-query"),
    path("queries/<int:pk>/feedback/", api.QueryFeedbackView.as_view(), name="api-query-feedback"),
    path("properties/", api.PropertyList.as_view(), name="api-properties"),
    path("properties/<int:pk>/", api.PropertyDetail.as_view(), name="api-property"),
    path("properties/<int:pk>/transitions/", api.PropertyTransitionList.as_view(), name="api-property-transitions"),
    path("properties/<int:pk>/transitions/<str:name>/", api.PropertyTransitionFire.as_view(),
         name="api-property-transition"),
    path("cases/<int:pk>/leads/", api.CaseLeads.as_view(), name="api-case-leads"),
    path("leads/", api.LeadList.as_view(), name="api-leads"),
    path("leads/<int:pk>/", api.LeadDetail.as_view(), name="api-lead"),
    path("leads/<int:pk>/transitions/", api.LeadTransitionList.as_view(), name="api-lead-transitions"),
    path("leads/<int:pk>/transitions/<str:name>/", api.LeadTransitionFire.as_view(), name="api-lead-transition"),
]
