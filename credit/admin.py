"""Admin: read-only views of sanctions, correction requests and the platform outbox. Every change
goes through the services (browser or API), so the admin never writes these rows."""

from django.contrib import admin

from .models import CorrectionRequest, CreditPlatformMessage, Sanction


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Sanction)
class SanctionAdmin(ReadOnlyAdmin):
    list_display = ["id", "case", "party", "kind", "ground", "status", "published_at", "term_until", "court"]
    list_filter = ["kind", "status", "ground"]
    search_fields = ["case__number", "party__name"]
    list_select_related = ["case", "party", "court"]


@admin.register(CorrectionRequest)
class CorrectionRequestAdmin(ReadOnlyAdmin):
    list_display = ["id", "sanction", "received_at", "outcome", "decided_at"]
    list_filter = ["outcome"]
    list_select_related = ["sanction__party"]


@admin.register(CreditPlatformMessage)
class CreditPlatformMessageAdmin(ReadOnlyAdmin):
    list_display = ["id", "sanction", "action", "key", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["action", "status"]
    list_select_related = ["sanction__party"]
