from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .forms import AdminLoginForm
from .models import ApprovalRequest, AuditEvent, Court, Document, Notification, User, UserRole

admin.site.login_form = AdminLoginForm  # the login lockout's message there too (SPEC §13)


@admin.register(Court)
class CourtAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "level", "parent", "funds_bank"]
    list_filter = ["level"]
    search_fields = ["name", "code"]


class UserRoleInline(admin.TabularInline):
    model = UserRole
    extra = 1


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "name", "court", "is_active"]
    list_filter = ["court", "role_rows__role", "is_active"]
    search_fields = ["username", "name"]
    inlines = [UserRoleInline]
    fieldsets = BaseUserAdmin.fieldsets + (("法院与联系方式", {"fields": ("name", "court", "phone")}),)  # type: ignore[operator]  # django-stubs: Optional list-or-tuple; UserAdmin's is a tuple


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Read-only: the database refuses UPDATE and DELETE anyway (SPEC §12)."""

    list_display = ["recorded_at", "occurred_at", "actor", "court", "action", "object_type", "object_id", "late_entry"]
    list_filter = ["action", "late_entry", "court"]
    search_fields = ["object_id", "action", "reason"]
    list_select_related = ["actor", "court"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "recipient", "channel", "kind", "title", "status"]
    list_filter = ["channel", "status", "kind"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    """Read-only: generated documents are an append-only electronic dossier [004 §12]."""

    list_display = ["case", "kind", "version", "created_at", "created_by", "sha256"]
    list_filter = ["kind"]
    search_fields = ["case__number", "sha256"]
    list_select_related = ["case", "created_by"]
    exclude = ["content"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ApprovalRequest)
class ApprovalRequestAdmin(admin.ModelAdmin):
    """Read-only: a request is asked, answered and used through its services only (SPEC §11a, §12)."""

    list_display = ["case", "kind", "code", "status", "requested_by", "requested_at", "decided_by", "used_at"]
    list_filter = ["kind", "status"]
    search_fields = ["case__number", "reason"]
    list_select_related = ["case", "requested_by", "decided_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
