from django.urls import include, path

from cases.workbench import workbench

from . import views

urlpatterns = [
    path("", workbench, name="home"),
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("notifications/", views.notifications, name="notifications"),
    path("", include("enforcement.documents.views")),
]
