from django.urls import path

from . import views

urlpatterns = [
    path("coordination/", views.coordination_list, name="coordination"),
    path("coordination/<str:resource>/<int:pk>/<str:name>/", views.coordination_action, name="coordination-action"),
    path("cases/<int:pk>/coordination/<str:what>/", views.case_create, name="case-coordination"),
]
