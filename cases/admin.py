from django.contrib import admin

from .models import Case, ClockStop, Milestone, Party


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    can_delete = False

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    """Read-only in the admin: every change to a case goes through its services (SPEC §6)."""

    list_display = ["number", "court", "status", "closure", "judge", "filed_at", "claim_amount"]
    list_filter = ["status", "closure", "court", "track"]
    search_fields = ["number", "parties__name"]
    list_select_related = ["court", "judge"]
    inlines = [PartyInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


for model in (ClockStop, Milestone):
    admin.site.register(model, list_display=["__str__", "case"],
                        list_select_related=["case"])
