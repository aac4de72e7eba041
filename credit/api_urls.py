from django.urls import path

from . import api

urlpatterns = [
    path("sanctions/", api.SanctionListCreate.as_view(), name="api-sanctions"),
    path("sanctions/<int:pk>/", api.SanctionDetail.as_view(), name="api-sanction"),
    path("sanctions/<int:pk>/transitions/", api.SanctionTransitionList.as_view(), name="api-sanction-transitions"),
    path("sanctions/<int:pk>/transitions/<str:name>/", api.SanctionTransitionFire.as_view(),
         name="api-sanction-transition"),
    path("sanctions/<int:pk>/corrections/", api.SanctionCorrections.as_view(), name="api-sanction-corrections"),
    path("sanction-corrections/<int:pk>/decide/", api.CorrectionDecide.as_view(), name="api-correction-decide"),
]
