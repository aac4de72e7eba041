from django.urls import path

from . import views

urlpatterns = [
    path("credit/sanctions/", views.sanction_list, name="credit-sanction-list"),
    path("credit/cases/<int:case_id>/sanctions/", views.sanction_propose, name="credit-sanction-propose"),
    path("credit/sanctions/<int:pk>/corrections/", views.correction_receive, name="credit-correction-receive"),
    path("credit/corrections/<int:pk>/decide/", views.correction_decide, name="credit-correction-decide"),
]
