"""Admin for rule sets: editable, every edit audited; applies to deadlines started afterwards (SPEC §4)."""

from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils.html import format_html

from enforcement.audit import audit_record, events

from .models import Alert, Deadline, DraftRule, Rule, RuleDraft, RuleSet


def _audit(request, obj, action, before=None):
    after = model_to_dict(obj)
    after.pop("courts", None)
    audit_record(actor=request.user, action=action, obj=obj, before=before, after=after)


class RuleInline(admin.TabularInline):
    model = Rule
    extra = 0
    fields = ["node", "name", "start_event", "period", "unit", "condition", "warn_before_days", "source", "active"]


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "applies_everywhere", "effective_from", "effective_to"]
    filter_horizontal = ["courts"]
    inlines = [RuleInline]

    def save_model(self, request, obj, form, change):
        before = model_to_dict(RuleSet.objects.get(pk=obj.pk)) if change else None
        if before:
            before.pop("courts", None)
        super().save_model(request, obj, form, change)
        _audit(request, obj, events.RULESET_CHANGE if change else events.RULESET_ADD, before)

    def save_formset(self, request, form, formset, change):
        # Read "before" from the database: the formset's instances already carry the posted values.
        ids = [f.instance.pk for f in formset.forms if f.instance.pk]
        befores = {o.pk: model_to_dict(o) for o in formset.model.objects.filter(pk__in=ids)}
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            audit_record(actor=request.user, action=events.RULE_DELETE, obj=obj, before=model_to_dict(obj))
            obj.delete()
        for obj in instances:
            existed = obj.pk is not None
            obj.save()
            _audit(request, obj, events.RULE_CHANGE if existed else events.RULE_ADD, befores.get(obj.pk))
        formset.save_m2m()

    def delete_model(self, request, obj):
        audit_record(actor=request.user, action=events.RULESET_DELETE, obj=obj, before={"code": obj.code})
        super().delete_model(request, obj)


@admin.register(Deadline)
class DeadlineAdmin(admin.ModelAdmin):
    """Read-only: deadlines change only through the services (start, meet, stop, correct)."""

    list_display = ["node", "case", "court", "status", "due_at", "provisional", "completed_late"]
    list_filter = ["status", "node", "provisional", "court"]
    list_select_related = ["case", "court"]
    search_fields = ["case__number"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(DeadlineAdmin):
    list_display = ["raised_at", "level", "status", "node", "case", "court"]
    list_filter = ["level", "status", "node", "court"]


class DraftRuleInline(admin.TabularInline):
    model = DraftRule
    extra = 0
    fields = ["node", "name", "start_event", "period", "unit", "origin", "source"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RuleDraft)
class RuleDraftAdmin(admin.ModelAdmin):
    """Drafts are written through the what-if pages (every change audited); the admin shows them."""

    list_display = ["name", "court", "period_from", "period_to", "status", "run_status", "run_finished_at",
                    "open_page"]
    list_filter = ["status", "run_status"]
    readonly_fields = ["court", "name", "note", "period_from", "period_to", "status", "created_by", "run_status",
                       "run_progress", "run_finished_at", "adopted_at", "adopted_by", "adopted_rule_set", "open_page"]
    exclude = ["report", "run_error", "run_started_at"]
    inlines = [DraftRuleInline]

    @admin.display(description="推演页面")
    def open_page(self, obj):
        return format_html('<a href="{}">打开</a>', reverse("whatif-draft", args=[obj.pk]))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
