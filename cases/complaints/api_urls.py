from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:pk>/complaints/", api.CaseComplaints.as_view(), name="api-case-complaints"),
    path("complaints/", api.ComplaintList.as_view(), name="api-complaints"),
    path("complaints/<int:pk>/", api.ComplaintDetail.as_view(), name="api-complaint"),
    path("complaints/<int:pk>/transitions/", api.ComplaintTransitionList.as_view(), name="api-complaint-transitions"),
    path("complaints/<int:pk>/transitions/<str:name>/", api.ComplaintTransitionFire.as_view(),
         name="api-complaint-transition"),
]
