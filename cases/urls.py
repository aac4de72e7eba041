from django.urls import path

from . import views

urlpatterns = [
    path("cases/", views.case_list, name="case-list"),
    path("cases/new/", views.case_file, name="case-file"),
    path("cases/<int:pk>/", views.case_detail, name="case-detail"),
    path("cases/<int:pk>/transitions/<str:name>/", views.case_transition, name="case-transition"),
    path("cases/<int:pk>/milestones/", views.case_milestone, name="case-milestone"),
    path("cases/<int:pk>/overrides/", views.case_override, name="case-override"),
]
