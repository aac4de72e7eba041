from django.urls import path

from . import api

urlpatterns = [
    path("funds/receipts/", api.ReceiptListCreate.as_view(), name="api-receipts"),
    path("funds/receipts/<int:pk>/", api.ReceiptDetail.as_view(), name="api-receipt"),
    path("funds/receipts/<int:pk>/transitions/", api.ReceiptTransitionList.as_view(), name="api-receipt-transitions"),
    path("funds/receipts/<int:pk>/transitions/<str:name>/", api.ReceiptTransitionFire.as_view(),
         name="api-receipt-transition"),
    path("funds/receipts/<int:pk>/allocate/", api.ReceiptAllocate.as_view(), name="api-receipt-allocate"),
    path("funds/statements/", api.StatementUpload.as_view(), name="api-statements"),
    path("funds/unidentified/summary/", api.UnidentifiedSummaryView.as_view(), name="api-unidentified-summary"),
    path("disbursements/", api.DisbursementList.as_view(), name="api-disbursements"),
    path("disbursements/<int:pk>/", api.DisbursementDetail.as_view(), name="api-disbursement"),
    path("disbursements/<int:pk>/transitions/", api.DisbursementTransitionList.as_view(),
         name="api-disbursement-transitions"),
    path("disbursements/<int:pk>/transitions/<str:name>/", api.DisbursementTransitionFire.as_view(),
         name="api-disbursement-transition"),
    path("cases/<int:pk>/ledger/", api.CaseLedger.as_view(), name="api-case-ledger"),
    path("cases/<int:pk>/payee-changes/", api.CasePayeeChanges.as_view(), name="api-case-payee-changes"),
    path("payee-changes/<int:pk>/approve/", api.PayeeChangeDecide.as_view(decision="approve"),
         name="api-payee-change-approve"),
    path("payee-changes/<int:pk>/reject/", api.PayeeChangeDecide.as_view(decision="reject"),
         name="api-payee-change-reject"),
]
