from django.urls import path

from . import api

urlpatterns = [
    path("cases/<int:pk>/supervision-orders/", api.CaseSupervisionOrders.as_view(), name="api-case-supervision"),
    path("supervision-orders/", api.SupervisionOrderList.as_view(), name="api-supervision-orders"),
    path("supervision-orders/<int:pk>/", api.SupervisionOrderDetail.as_view(), name="api-supervision-order"),
    path("supervision-orders/<int:pk>/transitions/", api.OrderTransitionList.as_view(),
         name="api-supervision-order-transitions"),
    path("supervision-orders/<int:pk>/transitions/<str:name>/", api.OrderTransitionFire.as_view(),
         name="api-supervision-order-transition"),
    path("cases/<int:pk>/transfer/", api.CaseTransferCreate.as_view(), name="api-case-transfer"),
    path("cases/<int:pk>/transfers/", api.CaseTransfers.as_view(), name="api-case-transfers"),
    path("disputes/", api.DisputeListCreate.as_view(), name="api-disputes"),
    path("disputes/<int:pk>/", api.DisputeDetail.as_view(), name="api-dispute"),
    path("disputes/<int:pk>/transitions/", api.DisputeTransitionList.as_view(), name="api-dispute-transitions"),
    path("disputes/<int:pk>/transitions/<str:name>/", api.DisputeTransitionFire.as_view(),
         name="api-dispute-transition"),
    path("delegations/", api.DelegationListCreate.as_view(), name="api-delegations"),
    path("delegations/<int:pk>/", api.DelegationDetail.as_view(), name="api-delegation"),
    path("delegations/<int:pk>/transitions/", api.DelegationTransitionList.as_view(),
         name="api-delegation-transitions"),
    path("delegations/<int:pk>/transitions/<str:name>/", api.DelegationTransitionFire.as_view(),
         name="api-delegation-transition"),
]
