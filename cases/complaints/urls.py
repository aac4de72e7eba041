from django.urls import path

from . import views

urlpatterns = [
    path("cases/<int:pk>/complaints/", views.complaint_receive, name="case-complaint"),
]
