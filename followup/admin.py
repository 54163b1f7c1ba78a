"""Follow-up in the admin. Follow-up officers see and change only the agreements of their own
offices (rows restricted in get_queryset and every has_*_permission); managers see all."""

import os

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.admin import HistoryAdmin, PlainDecimalInput
from common.importexport import ImportExportAdminMixin
from common.money import format_amount

from .models import CapitalEntry, FollowUp, HeadlineFigure, Milestone, Office, Stage
from .resources import CapitalEntryResource, MilestoneResource
from .selectors import followup_realised
from .services import (
    capital_entry_record,
    capital_entry_verify,
    followup_open,
    followup_stage_change,
    followup_stage_check,
    followup_stage_withdraw,
    followup_stage_withdraw_check,
)


def sees_all(user) -> bool:
    return user.is_superuser or user.has_perm("followup.view_all_followups")


def may_see(user, followup: FollowUp | None) -> bool:
    """Whether ``user`` may see ``followup`` (None: the list as a whole)."""
    if followup is None or sees_all(user):
        return True
    return followup.office_id is not None and followup.office.members.filter(pk=user.pk).exists()


def amounts_text(amounts: dict) -> str:
    """Per-currency amounts, never added together: ``5亿元 · 300 USD``."""
    return " · ".join(_money(value, currency) for currency, value in amounts.items()) or "–"


def _money(value, currency: str) -> str:
    unit = {"CNY": "yuan", "USD": "usd"}.get(currency)
    if unit:
        return format_amount(value, unit=unit)
    return f"{format_amount(value, unit='count')} {currency}"


@admin.register(Office)
class OfficeAdmin(HistoryAdmin):
    list_display = ["name", "email"]
    search_fields = ["name"]
    filter_horizontal = ["members"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    can_delete = False
    fields = [
        "stage",
        "reached_on",
        "reason",
        "recorded_by",
        "recorded_at",
        "withdrawn_at",
        "withdrawn_by",
        "withdrawal_reason",
    ]
    readonly_fields = fields
    verbose_name_plural = _("Stages reached")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class CapitalEntryInline(admin.TabularInline):
    model = CapitalEntry
    extra = 0
    can_delete = False
    fields = ["entry", "kind", "received_on", "verified_by", "evidence_link"]
    readonly_fields = fields
    verbose_name_plural = _("Capital in place (ledger)")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=_("amount"))
    def entry(self, entry: CapitalEntry):
        url = reverse("admin:followup_capitalentry_change", args=[entry.pk])
        return format_html('<a href="{}">{}</a>', url, _money(entry.amount, entry.currency))

    @admin.display(description=_("evidence"))
    def evidence_link(self, entry: CapitalEntry):
        return evidence_link(entry)


def evidence_link(entry: CapitalEntry):
    if not entry.evidence:
        return gettext("none")
    url = reverse("admin:followup_capitalentry_evidence", args=[entry.pk])
    return format_html('<a href="{}">{}</a>', url, os.path.basename(entry.evidence.name))


class FollowUpAdminForm(forms.ModelForm):
    new_stage = forms.ChoiceField(
        label=_("move to stage"),
        required=False,
        choices=[("", "—"), *Stage.choices],
        help_text=_("Leave empty to keep the current stage."),
    )
    new_stage_on = forms.DateField(label=_("reached on"), required=False)
    new_stage_reason = forms.CharField(
        label=_("reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required for a suspension or termination. Never published."),
    )
    withdraw_last_stage = forms.BooleanField(
        label=_("withdraw the last stage"),
        required=False,
        help_text=_(
            "For a stage recorded by mistake: the agreement goes back to the stage before it. "
            "The withdrawn stage stays in the list below, marked withdrawn."
        ),
    )
    withdrawal_reason = forms.CharField(
        label=_("why it is withdrawn"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Never published."),
    )

    class Meta:
        model = FollowUp
        fields = [
            "agreement",
            "reference",
            "office",
            "case_officer",
            "next_follow_up_on",
            "notes",
            "project_company_name",
            "project_company_uscc",
            "contracted_amount",
            "contracted_currency",
            "publish_stage",
            "publish_amounts",
            "publish_realised",
        ]
        widgets = {"contracted_amount": PlainDecimalInput}

    def clean(self):
        data = super().clean()
        office = data.get("office", getattr(self.instance, "office", None))
        officer = data.get("case_officer", getattr(self.instance, "case_officer", None))
        if (
            "case_officer" in self.fields
            and officer is not None
            and (office is None or not office.members.filter(pk=officer.pk).exists())
        ):
            self.add_error(
                "case_officer", gettext("The case officer must be a member of the office.")
            )
        if data.get("withdraw_last_stage") and self.instance.pk:
            if data.get("new_stage"):
                self.add_error(
                    "new_stage",
                    gettext("Withdraw the last stage or move to a new one, not both at once."),
                )
            else:
                try:
                    followup_stage_withdraw_check(
                        followup=self.instance, reason=data.get("withdrawal_reason", "")
                    )
                except ValidationError as error:
                    self._add_service_error(error, {"reason": "withdrawal_reason"})
        if data.get("new_stage") and self.instance.pk:
            try:
                followup_stage_check(
                    followup=FollowUp.objects.select_related("agreement").get(pk=self.instance.pk),
                    stage=data["new_stage"],
                    on=data.get("new_stage_on"),
                    reason=data.get("new_stage_reason", ""),
                    today=timezone.localdate(),
                )
            except ValidationError as error:
                renamed = {"stage": "new_stage", "on": "new_stage_on", "reason": "new_stage_reason"}
                self._add_service_error(error, renamed)
        return data

    def _add_service_error(self, error: ValidationError, renamed: dict[str, str]) -> None:
        """Show a service's error beside the form's field for it (``renamed``: service → form)."""
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                self.add_error(renamed.get(field), errors)
        else:
            self.add_error(None, error)


@admin.register(FollowUp)
class FollowUpAdmin(ImportExportAdminMixin, HistoryAdmin):
    form = FollowUpAdminForm
    resource_classes = [MilestoneResource, CapitalEntryResource]
    list_display = [
        "reference",
        "agreement",
        "stage",
        "office",
        "case_officer",
        "next_follow_up_on",
        "publish_stage",
    ]
    list_filter = ["stage", "office", "publish_stage"]
    search_fields = ["reference", "agreement__title_en", "agreement__title_zh_hans"]
    list_select_related = ["agreement", "office", "case_officer"]
    autocomplete_fields = ["agreement"]
    inlines = [MilestoneInline, CapitalEntryInline]
    #: Fields only managers (who see every office) may change.
    MANAGER_FIELDS = [
        "agreement",
        "reference",
        "office",
        "case_officer",
        "publish_stage",
        "publish_amounts",
        "publish_realised",
    ]

    def get_fieldsets(self, request, obj=None):
        stage = ["current_stage", "new_stage", "new_stage_on", "new_stage_reason"]
        if request.user.has_perm("followup.withdraw_stage"):
            stage += ["withdraw_last_stage", "withdrawal_reason"]
        return [
            (None, {"fields": ["agreement", "reference"]}),
            (
                _("Responsibility"),
                {"fields": ["office", "case_officer", "next_follow_up_on", "notes"]},
            ),
            (_("Stage"), {"fields": stage if obj else []}),
            (
                _("Project and amounts"),
                {
                    "fields": [
                        "project_company_name",
                        "project_company_uscc",
                        "announced",
                        "contracted_amount",
                        "contracted_currency",
                        "realised",
                    ]
                },
            ),
            (
                _("Publication"),
                {
                    "fields": ["publish_stage", "publish_amounts", "publish_realised"],
                    "description": _(
                        "What the public pages show of this agreement's follow-up. Evidence "
                        "and notes are never published."
                    ),
                },
            ),
        ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not request.user.has_perm("followup.withdraw_stage"):
            # Declared fields are on the form whatever the fieldsets show.
            for name in ("withdraw_last_stage", "withdrawal_reason"):
                form.base_fields.pop(name, None)
        return form

    def get_readonly_fields(self, request, obj=None):
        fields = ["current_stage", "announced", "realised"]
        if not sees_all(request.user):
            fields += self.MANAGER_FIELDS
        return fields

    @admin.display(description=_("current stage"))
    def current_stage(self, obj: FollowUp):
        if obj.stage_on:
            return f"{obj.get_stage_display()} ({obj.stage_on:%Y-%m-%d})"
        return obj.get_stage_display()

    @admin.display(description=_("amount announced at signing"))
    def announced(self, obj: FollowUp):
        if obj.pk is None or obj.agreement.amount_yuan is None:
            return "–"
        return format_amount(obj.agreement.amount_yuan, unit="yuan")

    @admin.display(description=_("capital in place (verified, computed)"))
    def realised(self, obj: FollowUp):
        if obj.pk is None:
            return "–"
        return amounts_text(followup_realised(followup=obj))

    def get_queryset(self, request):
        return super().get_queryset(request).for_user(request.user)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and may_see(request.user, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and may_see(request.user, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and may_see(request.user, obj)

    def has_import_permission(self, request) -> bool:
        return self.has_change_permission(request) and request.user.has_perm(
            "followup.add_capitalentry"
        )

    def has_export_permission(self, request) -> bool:
        return False

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def save_model(self, request, obj, form, change):
        # The form's own fields of the record: the stage and its dates change only through the
        # services (also when an earlier version is restored from the history page, which posts
        # an unchanged form: so every form field is saved, not only the changed ones).
        model_fields = {field.name for field in FollowUp._meta.concrete_fields}
        fields = [name for name in form.fields if name in model_fields]
        if not change:
            details = {
                name: getattr(obj, name)
                for name in fields
                if name not in ("agreement", "reference")
            }
            created = followup_open(
                agreement=obj.agreement, reference=obj.reference, by=request.user, **details
            )
            obj.pk = created.pk
            obj._state.adding = False
            obj._state.db = created._state.db
            return
        if fields:
            obj.save(update_fields=[*fields, "updated_at"])
        if form.cleaned_data.get("withdraw_last_stage") and request.user.has_perm(
            "followup.withdraw_stage"
        ):
            try:
                followup_stage_withdraw(
                    followup=obj, reason=form.cleaned_data["withdrawal_reason"], by=request.user
                )
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.ERROR)
            obj.refresh_from_db()
        if form.cleaned_data.get("new_stage"):
            followup_stage_change(
                followup=obj,
                stage=form.cleaned_data["new_stage"],
                on=form.cleaned_data["new_stage_on"],
                reason=form.cleaned_data.get("new_stage_reason", ""),
                by=request.user,
            )
            obj.refresh_from_db()


class CapitalEntryForm(forms.ModelForm):
    class Meta:
        model = CapitalEntry
        fields = ["followup", "amount", "currency", "received_on", "kind", "evidence", "note"]
        widgets = {"amount": PlainDecimalInput, "evidence": forms.FileInput}


class VerifiedFilter(admin.SimpleListFilter):
    title = _("verified")
    parameter_name = "verified"

    def lookups(self, request, model_admin):
        return [("yes", _("Yes")), ("no", _("No"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(verified_at__isnull=self.value() == "no")
        return queryset


@admin.register(CapitalEntry)
class CapitalEntryAdmin(HistoryAdmin):
    form = CapitalEntryForm
    list_display = [
        "followup",
        "amount_text",
        "kind",
        "received_on",
        "is_verified",
        "verified_by",
    ]
    list_filter = [VerifiedFilter, "currency", "kind"]
    search_fields = ["followup__reference", "followup__agreement__title_en"]
    list_select_related = ["followup__agreement", "verified_by"]
    actions = ["verify"]

    def get_readonly_fields(self, request, obj=None):
        base = ["evidence_link", "recorded_by", "verified_by", "verified_at"]
        if obj is not None and obj.verified_at is not None:
            # A verified entry is kept as it was checked; correct it through a new entry.
            return [*base, "followup", "amount", "currency", "received_on", "kind", "note"]
        return base

    def get_fields(self, request, obj=None):
        fields = ["followup", "amount", "currency", "received_on", "kind", "evidence", "note"]
        if obj is not None and obj.verified_at is not None:
            fields.remove("evidence")
        return [*fields, "evidence_link", "recorded_by", "verified_by", "verified_at"]

    @admin.display(description=_("amount"))
    def amount_text(self, entry: CapitalEntry) -> str:
        return _money(entry.amount, entry.currency)

    @admin.display(description=_("verified"), boolean=True)
    def is_verified(self, entry: CapitalEntry) -> bool:
        return entry.verified_at is not None

    @admin.display(description=_("evidence on file"))
    def evidence_link(self, entry: CapitalEntry):
        return evidence_link(entry)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "followup":
            kwargs["queryset"] = FollowUp.objects.for_user(request.user).select_related("agreement")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_queryset(self, request):
        entries = super().get_queryset(request)
        if sees_all(request.user):
            return entries
        return entries.filter(followup__office__members=request.user)

    def _may_see(self, request, obj) -> bool:
        return obj is None or may_see(request.user, obj.followup)

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and self._may_see(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return super().has_change_permission(request, obj) and self._may_see(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return super().has_delete_permission(request, obj) and self._may_see(request, obj)

    def save_model(self, request, obj, form, change):
        if change:
            obj.save()
            return
        created = capital_entry_record(
            followup=obj.followup,
            amount=obj.amount,
            currency=obj.currency,
            received_on=obj.received_on,
            kind=obj.kind,
            evidence=form.cleaned_data.get("evidence") or None,
            note=obj.note,
            by=request.user,
        )
        obj.pk, obj._state.adding, obj.evidence = created.pk, False, created.evidence

    @admin.action(description=_("Verify the selected entries against their evidence"))
    def verify(self, request, queryset):
        if not self.has_change_permission(request):
            raise PermissionDenied
        done, refused = 0, 0
        for entry in queryset:
            try:
                capital_entry_verify(entry=entry, by=request.user)
                done += 1
            except ValidationError:
                refused += 1
        if done:
            self.message_user(request, gettext("%(n)d entries verified.") % {"n": done})
        if refused:
            self.message_user(
                request,
                gettext("%(n)d entries have no evidence attached and were not verified.")
                % {"n": refused},
                messages.WARNING,
            )

    def get_urls(self):
        return [
            path(
                "<path:object_id>/evidence/",
                self.admin_site.admin_view(self.evidence_view),
                name="followup_capitalentry_evidence",
            ),
            *super().get_urls(),
        ]

    def evidence_view(self, request, object_id):
        """The evidence document, to staff who may see the entry's agreement; never cached."""
        self._valid_pk_or_404(object_id)
        entry = self.get_object(request, object_id)  # through get_queryset: rows restricted
        if entry is None or not entry.evidence:
            raise Http404
        if not self.has_view_permission(request, entry):
            raise PermissionDenied
        try:
            handle = entry.evidence.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle,
            as_attachment=True,
            filename=os.path.basename(entry.evidence.name),
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = "sandbox"
        return response


@admin.register(HeadlineFigure)
class HeadlineFigureAdmin(HistoryAdmin):
    list_display = ["key_figure", "compare_with"]
    autocomplete_fields = ["key_figure"]
    list_select_related = ["key_figure"]
