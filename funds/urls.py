from django.urls import path

from . import views

urlpatterns = [
    path("funds/queue/", views.finance_queue, name="funds-queue"),
    path("funds/queue/<int:pk>/pay/", views.queue_pay, name="funds-queue-pay"),
    path("funds/unidentified/", views.unidentified_list, name="funds-unidentified"),
    path("funds/receipts/<int:pk>/match/", views.receipt_match, name="funds-receipt-match"),
    path("funds/receipts/<int:pk>/allocate/", views.receipt_allocate, name="funds-receipt-allocate"),
    path("funds/cases/<int:pk>/payee-change/", views.payee_change_request, name="funds-payee-change"),
    path("funds/payee-changes/<int:pk>/<str:decision>/", views.payee_change_decide, name="funds-payee-decide"),
]
