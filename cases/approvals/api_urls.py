from django.urls import path

from . import api

urlpatterns = [
    path("approvals/", api.ApprovalListCreate.as_view(), name="api-approvals"),
    path("approvals/<int:pk>/", api.ApprovalDetail.as_view(), name="api-approval"),
    path("approvals/<int:pk>/transitions/", api.ApprovalTransitionList.as_view(), name="api-approval-transitions"),
    path("approvals/<int:pk>/transitions/<str:name>/", api.ApprovalTransitionFire.as_view(),
         name="api-approval-transition"),
]
