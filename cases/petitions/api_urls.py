from django.urls import path

from . import api as petition_api

urlpatterns = [
    path("petitions/", petition_api.PetitionListCreate.as_view(), name="api-petitions"),
    path("petitions/<int:pk>/", petition_api.PetitionDetail.as_view(), name="api-petition"),
    path("petitions/<int:pk>/transitions/", petition_api.PetitionTransitionList.as_view(),
         name="api-petition-transitions"),
    path("petitions/<int:pk>/transitions/<str:name>/", petition_api.PetitionTransitionFire.as_view(),
         name="api-petition-transition"),
]
