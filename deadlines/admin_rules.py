"""Admin for rule sets (SPEC §4): every edit audited, and an edit never rewrites history.

Changing a rule in the set's page makes a new version of it, in force from the date given on the
page (default: today); removing one ends it from that date. Both go through
``deadlines.rule_versions``; the page lists every version of every rule underneath.
"""

from django import forms
from django.contrib import admin
from django.forms.models import BaseInlineFormSet, model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from enforcement.audit import audit_record, events

from . import rule_versions
from .models import Alert, Deadline, DraftRule, Rule, RuleDraft, RuleSet
from .models.rules import VERSIONED_FIELDS

EFFECTIVE_FIELD = "rules_effective_from"


def _audit(request, obj, action, before=None):
    after = model_to_dict(obj)
    after.pop("courts", None)
    audit_record(actor=request.user, action=action, obj=obj, before=before, after=after)


class RuleSetForm(forms.ModelForm):
    rules_effective_from = forms.DateField(
        label=_("本次规则修改生效日期"), initial=timezone.localdate, required=True,
        help_text=_("修改或删除下列规则时，生成自该日起施行的新版本；此前已起算的期限仍按原版本计算。"),
    )

    class Meta:
        model = RuleSet
        fields = ["code", "name", "source", "applies_everywhere", "courts", "effective_from", "effective_to",
                  "settings"]


def _effective_from(data) -> object:
    try:
        return forms.DateField().clean(data.get(EFFECTIVE_FIELD))
    except forms.ValidationError:
        return None


class RuleFormSet(BaseInlineFormSet):
    """Refuses, on the form, an effective date that would not follow the current version's."""

    def clean(self):
        super().clean()
        effective = _effective_from(self.data)
        if effective is None:
            return
        for f in self.forms:
            if not f.instance.pk or not hasattr(f, "cleaned_data"):
                continue
            deleting = f.cleaned_data.get("DELETE")
            if deleting or any(name in VERSIONED_FIELDS for name in f.changed_data):
                current = Rule.objects.get(pk=f.instance.pk)
                if (error := rule_versions.effective_date_error(current, effective)) is not None:
                    f.add_error(None, error)


class RuleInline(admin.TabularInline):
    """The versions in force now or later (one per rule): what an edit revises."""

    model = Rule
    formset = RuleFormSet
    extra = 0
    verbose_name_plural = _("现行规则（修改即生成新版本）")
    fields = ["node", "name", "start_event", "period", "unit", "condition", "warn_before_days", "source", "active",
              "version", "effective_from"]
    readonly_fields = ["version", "effective_from"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(effective_to__isnull=True)


class RuleHistoryInline(admin.TabularInline):
    """Every version of every rule of the set, oldest first (SPEC §4: the rule-set admin shows history)."""

    model = Rule
    extra = 0
    can_delete = False
    verbose_name = _("规则版本")
    verbose_name_plural = _("规则版本沿革")
    fields = ("node", "version", "period_text", "start_event", "condition", "source", "active", "effective_from",
              "effective_to")
    readonly_fields = fields
    ordering = ["node", "start_event", "effective_from", "version"]

    @admin.display(description=gettext("期间"))
    def period_text(self, obj: Rule) -> str:
        return obj.period_display()

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(RuleSet)
class RuleSetAdmin(admin.ModelAdmin):
    form = RuleSetForm
    list_display = ["name", "code", "applies_everywhere", "effective_from", "effective_to"]
    filter_horizontal = ["courts"]
    inlines = [RuleInline, RuleHistoryInline]

    def save_model(self, request, obj, form, change):
        before = model_to_dict(RuleSet.objects.get(pk=obj.pk)) if change else None
        if before:
            before.pop("courts", None)
        super().save_model(request, obj, form, change)
        _audit(request, obj, events.RULESET_CHANGE if change else events.RULESET_ADD, before)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Rule or not isinstance(formset, RuleFormSet):
            return super().save_formset(request, form, formset, change)
        effective = form.cleaned_data.get(EFFECTIVE_FIELD) or timezone.localdate()
        for f in formset.forms:
            if not hasattr(f, "cleaned_data") or not f.cleaned_data:
                continue
            if f.instance.pk and f.cleaned_data.get("DELETE"):
                rule_versions.rule_end(rule=f.instance, actor=request.user, effective_from=effective)
            elif f.instance.pk:
                changes = {k: f.cleaned_data[k] for k in f.changed_data if k in VERSIONED_FIELDS}
                if changes:
                    rule_versions.rule_revise(rule=f.instance, actor=request.user, changes=changes,
                                              effective_from=effective)
            elif f.has_changed():
                fields = {k: f.cleaned_data[k] for k in ("node", *VERSIONED_FIELDS) if k in f.cleaned_data}
                rule_versions.rule_add(rule_set=form.instance, actor=request.user, fields=fields,
                                       effective_from=effective)
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []

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
    fields = ("node", "name", "start_event", "period", "unit", "origin", "source")
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

    @admin.display(description=gettext("推演页面"))
    def open_page(self, obj):
        return format_html('<a href="{}">打开</a>', reverse("whatif-draft", args=[obj.pk]))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
