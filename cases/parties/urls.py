from django.urls import path

from . import views

urlpatterns = [
    path("progress/", views.progress, name="progress"),
    path("cases/<int:pk>/query-code/", views.query_code_reissue, name="case-query-code"),
]
