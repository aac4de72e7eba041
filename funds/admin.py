"""Admin: read-only views of funds records, plus the bank-statement upload. Every change goes
through the services (SPEC §6): the upload calls the same ``statement_import`` as the API."""

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enforcement.errors import DomainError

from . import services
from .models import Disbursement, PayeeChange, PaymentKey, Posting, Receipt


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class StatementUploadForm(forms.Form):
    file = forms.FileField(
        label=_("银行流水 CSV 文件"), help_text=_("列：bank_txn_id,account_no,amount,payer,received_at")
    )


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["bank_txn_id", "court", "account_no", "amount", "payer", "received_at", "status", "case"]
    list_filter = ["status", "court"]
    search_fields = ["bank_txn_id", "account_no", "payer", "case__number"]
    list_select_related = ["court", "case"]
    change_list_template = "funds/admin_receipt_changelist.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_statement), name="funds_receipt_import"),
            *super().get_urls(),
        ]

    def import_statement(self, request):
        form = StatementUploadForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            try:
                result = services.statement_import(actor=request.user, content=form.cleaned_data["file"].read())
            except DomainError as exc:
                for msg in [m for msgs in getattr(exc, "errors", {}).values() for m in msgs] or [exc.detail]:
                    form.add_error("file", msg)
            else:
                messages.success(
                    request,
                    gettext(
                        "导入完成：新增 %(created)s 笔（不明款 %(unidentified)s 笔）"
                        "，重复 %(duplicates)s 笔未重复入账。"
                    )
                    % {"created": result.created, "unidentified": result.unidentified, "duplicates": result.duplicates},
                )
                return redirect("admin:funds_receipt_changelist")
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": "导入银行流水",
            "opts": self.model._meta,
        }
        return render(request, "funds/admin_import.html", context)


@admin.register(Disbursement)
class DisbursementAdmin(ReadOnlyAdmin):
    list_display = ["id", "case", "party", "amount", "status", "notified_at", "paid_at"]
    list_filter = ["status"]
    search_fields = ["case__number", "bank_ref"]
    list_select_related = ["case", "party"]


@admin.register(Posting)
class PostingAdmin(ReadOnlyAdmin):
    list_display = ["id", "entry", "kind", "account", "debit", "credit", "created_at"]
    list_filter = ["kind"]
    search_fields = ["account", "entry"]


admin.site.register(PayeeChange, ReadOnlyAdmin)
admin.site.register(PaymentKey, ReadOnlyAdmin)
