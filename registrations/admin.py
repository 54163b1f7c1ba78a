"""The admin of registrations: review actions, places used and free, history, export."""

from collections import defaultdict
from collections.abc import Callable
from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TranslationAdmin

from common.admin import HistoryAdmin, MalformedFilterMixin, SideBySideTranslationMixin
from common.importexport import ExportAdminMixin
from events.models import Event, Venue
from outbox.jobs import job_start
from outbox.models import OutboundEmail

from . import privacy, selectors, services
from .emails import render_participation_email
from .models import (
    Delegate,
    EmailDelivery,
    ErasureRequest,
    Participation,
    StaffMessage,
    StatusChange,
)
from .resources import ParticipationResource


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class StatusChangeInline(ReadOnlyInline):
    model = StatusChange
    fields = ["created_at", "old_status", "new_status", "cause", "by"]
    readonly_fields = fields


class EmailDeliveryInline(ReadOnlyInline):
    """The registration's e-mails and how sending went (the outbox row has the attempts)."""

    model = EmailDelivery
    fields = ["created_at", "kind", "recipient", "status", "attempts", "error"]
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("email")

    @admin.display(description=gettext_lazy("status"))
    def status(self, delivery: EmailDelivery) -> str:
        url = reverse("admin:outbox_outboundemail_change", args=[delivery.email_id])
        return format_html('<a href="{}">{}</a>', url, delivery.email.get_status_display())

    @admin.display(description=gettext_lazy("attempts"))
    def attempts(self, delivery: EmailDelivery) -> int:
        return delivery.email.attempts

    @admin.display(description=gettext_lazy("error"))
    def error(self, delivery: EmailDelivery) -> str:
        return delivery.email.last_error


class _NotSavedError(Exception):
    """A change the registration services refused after the form was valid (a race)."""


class DelegateInlineFormSet(forms.BaseInlineFormSet):
    """Check beforehand what delegates_replace checks again under the edition's lock."""

    def clean(self):
        super().clean()
        participation = self.instance
        if participation.pk is None or any(self.errors):
            return
        kept = [
            form
            for form in self.forms
            if form.cleaned_data
            and not self._should_delete_form(form)
            and (form.instance.pk or form.has_changed())
        ]
        if not kept:
            return
        venues = {venue for form in kept for venue in form.cleaned_data.get("venues", ())}
        problems = services.participation_growth_problems(
            participation=participation, delegates=len(kept), venues=venues
        )
        if problems:
            raise ValidationError([_("This approved registration would no longer fit."), *problems])


class DelegateInline(admin.TabularInline):
    """Named delegates; saved through services.delegates_replace (count, sub-venues, places)."""

    model = Delegate
    formset = DelegateInlineFormSet
    extra = 0
    fields = ["name_zh", "name_en", "position", "mobile", "category", "venues"]

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        venues = formset.form.base_fields.get("venues")
        if venues is not None:
            venues.queryset = (
                Venue.objects.filter(event_id=obj.event_id, kind=Venue.Kind.SUB)
                if obj is not None
                else Venue.objects.none()
            )
        return formset


class SubVenueFilter(admin.SimpleListFilter):
    """Sub-venues chosen; those of the edition filtered on, or of upcoming editions."""

    title = gettext_lazy("sub-venue")
    parameter_name = "venue"

    def lookups(self, request, model_admin):
        venues = Venue.objects.filter(kind=Venue.Kind.SUB).select_related("event")
        event_id = request.GET.get("event__id__exact", "")
        if event_id.isdigit() and int(event_id) < 2**63:
            venues = venues.filter(event_id=event_id)
        else:
            venues = venues.filter(event__end_date__gte=timezone.localdate())
        return [(str(venue.pk), f"{venue.name} ({venue.event})") for venue in venues]

    def queryset(self, request, queryset):
        if self.value():
            if not self.value().isdigit() or int(self.value()) >= 2**63:
                return queryset.none()
            return queryset.filter(venues__pk=self.value())
        return queryset


class ParticipationAdminForm(forms.ModelForm):
    """Keep sub-venues within the edition and an approved registration within capacity."""

    class Meta:
        model = Participation
        fields = [
            "event",
            "organization",
            "contact_name",
            "contact_position",
            "contact_email",
            "contact_phone",
            "delegates",
            "venues",
            "listed_publicly",
            "language",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and "venues" in self.fields:
            self.fields["venues"].queryset = Venue.objects.filter(
                event_id=self.instance.event_id, kind=Venue.Kind.SUB
            )

    def registration_request(self) -> services.RegistrationRequest:
        """A new registration as staff state it: the institution chosen, not matched."""
        data = self.cleaned_data
        return services.RegistrationRequest(
            organization=data["organization"],
            venues=tuple(data.get("venues", ())),
            **{name: data[name] for name in services.RegistrationRequest.participation_field_names},
        )

    def clean(self):
        cleaned = super().clean()
        event = cleaned.get("event") or (self.instance.event if self.instance.pk else None)
        venues = cleaned.get("venues")
        if event is None or venues is None:
            return cleaned
        if any(venue.event_id != event.pk or venue.kind != Venue.Kind.SUB for venue in venues):
            self.add_error("venues", _("Choose only sub-venues of this registration's edition."))
            return cleaned
        delegates = cleaned.get("delegates")
        if self.instance.pk and delegates:
            problems = services.participation_growth_problems(
                participation=self.instance, delegates=delegates, venues=venues
            )
            if problems:
                raise ValidationError(
                    [_("This approved registration would no longer fit."), *problems]
                )
        return cleaned


def usage_tables(events: list[Event]) -> list[tuple[Event, list[selectors.Usage], dict]]:
    """Return, for each edition, its places used and free and its registrations by status."""
    usage = selectors.places_usage(events=events)
    counts = selectors.registrations_by_status(events=events)
    return [(event, usage[event.pk], counts.get(event.pk, {})) for event in events]


class ReviewActionForm(helpers.ActionForm):
    """The list's action bar, with the reason a rejection gives the institution."""

    reason = forms.CharField(
        label=gettext_lazy("Reason for rejection"),
        required=False,
        max_length=1000,
        widget=forms.TextInput(attrs={"size": 40}),
        help_text=gettext_lazy("Sent with the rejection e-mail; leave empty to give none."),
    )


def run_review_action(
    request: HttpRequest,
    queryset: QuerySet[Participation],
    service: Callable[..., Participation],
    model_admin: admin.ModelAdmin,
) -> None:
    """Apply one review service to each selected registration and report what happened."""
    selected = list(queryset.select_related("organization"))
    event_ids = {participation.event_id for participation in selected}
    waiting_before = set(
        Participation.objects.filter(
            event_id__in=event_ids, status=Participation.Status.WAITLISTED
        ).values_list("pk", flat=True)
    )
    changed: dict[str, list[str]] = defaultdict(list)
    unchanged: list[str] = []
    refused: list[str] = []
    for participation in selected:
        before = participation.status
        try:
            after = service(participation=participation, by=request.user).status
        except services.RegistrationError as error:
            refused.append(f"{participation.organization}: {error}")
            continue
        if after == before:
            unchanged.append(str(participation.organization))
        else:
            changed[after].append(str(participation.organization))
    selected_ids = {participation.pk for participation in selected}
    promoted = Participation.objects.filter(
        pk__in=waiting_before - selected_ids, status=Participation.Status.APPROVED
    ).select_related("organization")

    labels = {
        Participation.Status.APPROVED: _("Approved"),
        Participation.Status.WAITLISTED: _("Put on the waiting list"),
        Participation.Status.REJECTED: _("Rejected"),
    }
    for status, names in changed.items():
        level = (
            messages.WARNING
            if (
                status == Participation.Status.WAITLISTED
                and service is services.participation_approve
            )
            else messages.SUCCESS
        )
        text = f"{labels.get(status, status)} ({len(names)}): {_join(names)}"
        if level == messages.WARNING:
            text += " " + _("Not enough places were free to approve these.")
        model_admin.message_user(request, text, level)
    if promoted:
        names = [str(participation.organization) for participation in promoted]
        model_admin.message_user(
            request,
            _("Promoted from the waiting list (%(count)d): %(names)s")
            % {"count": len(names), "names": _join(names)},
            messages.SUCCESS,
        )
    if unchanged:
        model_admin.message_user(
            request,
            _("Unchanged (%(count)d): %(names)s")
            % {"count": len(unchanged), "names": _join(unchanged)},
            messages.INFO,
        )
    for reason in refused:
        model_admin.message_user(request, reason, messages.ERROR)


def _join(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    if len(names) > limit:
        shown += " " + _("and %(count)d more") % {"count": len(names) - limit}
    return shown


@admin.register(Participation)
class ParticipationAdmin(ExportAdminMixin, HistoryAdmin):
    """Review registrations: every status change goes through registrations.services."""

    form = ParticipationAdminForm
    resource_classes = [ParticipationResource]
    list_display = [
        "organization",
        "institution_match",
        "event",
        "status",
        "delegates",
        "sub_venues",
        "contact_name",
        "contact_email",
        "created_at",
    ]
    list_filter = ["event", "status", "matched_by", "contested", SubVenueFilter]
    search_fields = [
        "organization__name_en",
        "organization__name_zh_hans",
        "organization__uscc",
        "contact_name",
        "contact_email",
        "contact_phone",
    ]
    list_select_related = ["organization", "event"]
    autocomplete_fields = ["event", "organization"]
    filter_horizontal = ["venues"]
    readonly_fields = [
        "status",
        "rejection_reason",
        "reference",
        "institution_name_given",
        "matched_by",
        "contested",
        "created_at",
        "updated_at",
        "places",
    ]
    action_form = ReviewActionForm
    inlines = [DelegateInline, StatusChangeInline, EmailDeliveryInline]
    actions = ["approve", "waitlist", "reject", "promote_waitlisted", "export_in_background"]
    change_list_template = "registrations/admin/participation_change_list.html"
    fieldsets = [
        (None, {"fields": ["event", "organization", "status", "rejection_reason", "reference"]}),
        (
            gettext_lazy("Institution as registered"),
            {"fields": ["institution_name_given", "matched_by", "contested"]},
        ),
        (
            gettext_lazy("Contact person"),
            {"fields": ["contact_name", "contact_position", "contact_email", "contact_phone"]},
        ),
        (
            gettext_lazy("Participation"),
            {"fields": ["delegates", "venues", "listed_publicly", "language"]},
        ),
        (gettext_lazy("Places used and free"), {"fields": ["places"]}),
        (gettext_lazy("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("venues")

    @admin.display(description=gettext_lazy("match"), ordering="matched_by")
    def institution_match(self, obj: Participation) -> str:
        """How the registration found its institution, and the name typed when it differs."""
        parts = [obj.get_matched_by_display()] if obj.matched_by else []
        if obj.institution_name_given and obj.institution_name_given != obj.organization.name:
            parts.append(_("typed: “%(name)s”") % {"name": obj.institution_name_given})
        if obj.contested:
            parts.append(_("contested"))
        return " · ".join(parts) or "–"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is None:
            return fields
        # Moving a registration to another edition or institution would bypass capacity.
        fields += ["event", "organization"]
        if obj.delegate_list.exists():
            # The named delegates decide how many come and to which sub-venues.
            fields += ["delegates", "venues"]
        return fields

    @admin.display(description=gettext_lazy("sub-venues"))
    def sub_venues(self, obj: Participation) -> str:
        return ", ".join(venue.name for venue in obj.venues.all())

    @admin.display(description=gettext_lazy("places of this edition"))
    def places(self, obj: Participation) -> str:
        if not obj.pk:
            return "-"
        return render_to_string(
            "registrations/admin/usage_table.html", {"tables": usage_tables([obj.event])}
        )

    def changelist_view(self, request, extra_context=None):
        event_id = request.GET.get("event__id__exact", "")
        if event_id:
            # A malformed id lists no edition here; the list itself answers 400 (HistoryAdmin).
            valid = event_id.isdigit() and int(event_id) < 2**63
            events = list(Event.objects.filter(pk=event_id)) if valid else []
        else:
            events = list(Event.objects.upcoming().exclude(registration_opens_at=None)[:5])
        extra_context = {**(extra_context or {}), "usage_tables": usage_tables(events)}
        return super().changelist_view(request, extra_context=extra_context)

    def save_model(self, request, obj, form, change):
        if not change:
            # Like every registration: matched, decided by the approval mode, logged, receipted.
            created = services.participation_register(
                event=form.cleaned_data["event"],
                request=form.registration_request(),
                by=request.user,
            )
            _copy_row(created, into=obj)
            return
        # Through the service: capacity checked again under the edition's lock, only the
        # changed fields written (the status may change meanwhile through a workflow).
        fields = [name for name in form.changed_data if not obj._meta.get_field(name).many_to_many]
        try:
            services.participation_update_details(
                participation=obj,
                changes={name: form.cleaned_data[name] for name in fields},
                venues=form.cleaned_data.get("venues"),
                by=request.user,
            )
        except services.CapacityError as error:
            request.registration_not_saved = str(error)

    def save_related(self, request, form, formsets, change):
        # The service has set the sub-venues (not form.save_m2m()) and filled freed places;
        # the read-only inlines are saved for the admin's change message.
        for formset in formsets:
            if formset.model is Delegate:
                self._save_delegates(request, form.instance, formset)
            else:
                self.save_formset(request, form, formset, change=change)

    def _save_delegates(self, request, participation, formset) -> None:
        # The service saves them; the admin's change message reads these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        if not formset.has_changed() or getattr(request, "registration_not_saved", None):
            return
        kept = [
            inline
            for inline in formset.forms
            if inline.cleaned_data
            and not formset._should_delete_form(inline)
            and (inline.instance.pk or inline.has_changed())
        ]
        delegates = [
            services.DelegateData(
                pk=inline.instance.pk,
                venues=tuple(inline.cleaned_data.get("venues", ())),
                **{
                    name: inline.cleaned_data[name]
                    for name in ["name_zh", "name_en", "position", "mobile", "category"]
                },
            )
            for inline in kept
        ]
        try:
            if delegates:
                services.delegates_replace(
                    participation=participation, delegates=delegates, by=request.user
                )
            else:
                services.delegates_clear(participation=participation, by=request.user)
        except services.RegistrationError as error:
            # Raised through the admin's transaction, so nothing of this change is kept.
            raise _NotSavedError(str(error)) from error

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except _NotSavedError as error:
            self.message_user(
                request, _("Nothing was saved: %(reason)s") % {"reason": error}, messages.ERROR
            )
            return HttpResponseRedirect(request.path)

    def response_change(self, request, obj):
        if error := getattr(request, "registration_not_saved", None):
            self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    @admin.action(
        description=gettext_lazy("Export the selected registrations (XLSX, in the background)"),
        permissions=["view"],
    )
    def export_in_background(self, request, queryset):
        pks = list(queryset.values_list("pk", flat=True))
        job = job_start(
            kind="registrations.export",
            created_by=request.user,
            title=_("Export of %(count)d registrations") % {"count": len(pks)},
            params={"pks": pks},
        )
        url = reverse("admin:outbox_staffjob_change", args=[job.pk])
        self.message_user(
            request,
            format_html(
                '{} <a href="{}">{}</a>',
                _("The export is being prepared."),
                url,
                _("Progress and file"),
            ),
            messages.SUCCESS,
        )

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("registrations.review_participation")

    @admin.action(
        description=gettext_lazy("Approve (wait-list when places run out)"), permissions=["review"]
    )
    def approve(self, request, queryset):
        run_review_action(request, queryset, services.participation_approve, self)

    @admin.action(description=gettext_lazy("Put on the waiting list"), permissions=["review"])
    def waitlist(self, request, queryset):
        run_review_action(request, queryset, services.participation_waitlist, self)

    @admin.action(
        description=gettext_lazy("Reject (with the reason typed above)"), permissions=["review"]
    )
    def reject(self, request, queryset):
        reason = request.POST.get("reason", "")
        service = partial(services.participation_reject, reason=reason)
        run_review_action(request, queryset, service, self)

    @admin.action(
        description=gettext_lazy("Fill free places from the waiting list of these editions"),
        permissions=["review"],
    )
    def promote_waitlisted(self, request, queryset):
        promoted = []
        for event in Event.objects.filter(pk__in=queryset.values("event_id")):
            promoted += services.waitlist_promote(event=event)
        self.message_user(
            request,
            _("Promoted from the waiting list: %(count)d.") % {"count": len(promoted)},
        )


def _copy_row(source: Participation, *, into: Participation) -> None:
    """Make the admin's unsaved instance the row a service created, for its messages and log."""
    for field in source._meta.concrete_fields:
        setattr(into, field.attname, getattr(source, field.attname))
    into._state.adding = False


class StaffMessageForm(forms.ModelForm):
    statuses = forms.MultipleChoiceField(
        label=gettext_lazy("Registration statuses"),
        choices=Participation.Status.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=[Participation.Status.APPROVED],
    )

    class Meta:
        model = StaffMessage
        fields = ["event", "subject_en", "subject_zh_hans", "body_en", "body_zh_hans", "venues"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if "venues" in self.fields:
            # Only the sub-venues of the message's edition: known once the draft is saved (or
            # from the form being submitted); until then there is nothing to choose from.
            event_id = self.data.get("event") or self.instance.event_id or self.initial.get("event")
            venues = Venue.objects.filter(kind=Venue.Kind.SUB)
            if str(event_id or "").isdigit():
                venues = venues.filter(event_id=event_id)
            else:
                venues = venues.none()
                self.fields["venues"].help_text = _(
                    "Save the draft to choose among the sub-venues of its edition."
                )
            self.fields["venues"].queryset = venues.select_related("event")

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("subject_en") or cleaned.get("subject_zh_hans")):
            self.add_error("subject_en", _("Write the subject in one language at least."))
        if not (cleaned.get("body_en") or cleaned.get("body_zh_hans")):
            self.add_error("body_en", _("Write the message in one language at least."))
        return cleaned


@admin.register(StaffMessage)
class StaffMessageAdmin(MalformedFilterMixin, SideBySideTranslationMixin, TranslationAdmin):
    """Write to an edition's registrants: filter, preview in both languages, send."""

    form = StaffMessageForm
    list_display = ["subject", "event", "status", "recipients", "created_by", "sent_at"]
    list_filter = ["status", "event"]
    list_select_related = ["event", "created_by"]
    search_fields = ["subject_en", "subject_zh_hans"]
    autocomplete_fields = ["event"]
    filter_horizontal = ["venues"]
    change_form_template = "registrations/admin/staffmessage_change_form.html"
    fieldsets = [
        (None, {"fields": ["event", "subject", "body"]}),
        (gettext_lazy("Recipients"), {"fields": ["statuses", "venues", "recipient_count"]}),
        (gettext_lazy("Preview"), {"fields": ["preview"]}),
        (gettext_lazy("Delivery"), {"fields": ["status", "delivery", "job_link", "sent_at"]}),
    ]
    readonly_fields = ["recipient_count", "preview", "status", "delivery", "job_link", "sent_at"]

    def get_changeform_initial_data(self, request):
        return {
            "statuses": [Participation.Status.APPROVED],
            **super().get_changeform_initial_data(request),
        }

    def save_model(self, request, obj, form, change):
        obj.statuses = form.cleaned_data.get("statuses", obj.statuses)
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def _recipients(self, obj: StaffMessage):
        return selectors.staff_message_recipients(
            event=obj.event, statuses=obj.statuses, venues=obj.venues.all()
        )

    @admin.display(description=gettext_lazy("recipients"))
    def recipient_count(self, obj: StaffMessage) -> str:
        if obj.pk is None:
            return _("Save the draft to see the recipients and a preview.")
        if obj.status != StaffMessage.Status.DRAFT:
            return str(obj.recipients)
        return str(self._recipients(obj).count())

    @admin.display(description=gettext_lazy("preview"))
    def preview(self, obj: StaffMessage) -> str:
        if obj.pk is None:
            return "–"
        sample = self._recipients(obj).select_related("event", "organization").first()
        if sample is None:
            return _("No registration matches these filters.")
        previews = []
        for language, label in settings.LANGUAGES:
            sample.language = language  # as this registrant would get it in each language
            with translation.override(language):
                extra = {"message_subject": obj.subject, "message_body": obj.body}
            subject, body = render_participation_email(sample, EmailDelivery.Kind.MESSAGE, extra)
            previews.append((label, subject, body))
        return render_to_string(
            "registrations/admin/staffmessage_preview.html", {"previews": previews}
        )

    @admin.display(description=gettext_lazy("delivery"))
    def delivery(self, obj: StaffMessage) -> str:
        if obj.pk is None or obj.status == StaffMessage.Status.DRAFT:
            return "–"
        counts = (
            EmailDelivery.objects.filter(message=obj)
            .values("email__status")
            .annotate(n=Count("pk"))
            .order_by("email__status")
        )
        labels = dict(OutboundEmail.Status.choices)
        summary = ", ".join(f"{labels[row['email__status']]}: {row['n']}" for row in counts)
        url = (
            reverse("admin:registrations_emaildelivery_changelist")
            + f"?message__id__exact={obj.pk}"
        )
        return format_html('{} – <a href="{}">{}</a>', summary or "–", url, _("each recipient"))

    @admin.display(description=gettext_lazy("staff job"))
    def job_link(self, obj: StaffMessage) -> str:
        if obj.job_id is None:
            return "–"
        url = reverse("admin:outbox_staffjob_change", args=[obj.job_id])
        return format_html('<a href="{}">{}</a>', url, _("progress"))

    def has_send_permission(self, request) -> bool:
        return request.user.has_perm("registrations.send_staffmessage")

    def has_change_permission(self, request, obj=None) -> bool:
        if obj is not None and obj.status != StaffMessage.Status.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def get_urls(self):
        return [
            path(
                "<int:pk>/send/",
                self.admin_site.admin_view(self.send_view),
                name="registrations_staffmessage_send",
            ),
            *super().get_urls(),
        ]

    def send_view(self, request: HttpRequest, pk: int):
        message = get_object_or_404(StaffMessage, pk=pk)
        back = reverse("admin:registrations_staffmessage_change", args=[pk])
        if request.method != "POST" or not self.has_send_permission(request):
            raise PermissionDenied
        try:
            services.staff_message_send(message=message, by=request.user)
        except services.RegistrationError as error:
            self.message_user(request, str(error), messages.ERROR)
        else:
            self.message_user(
                request,
                _("The message is being sent; follow its progress below."),
                messages.SUCCESS,
            )
        return HttpResponseRedirect(back)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        extra_context = {
            **(extra_context or {}),
            "can_send": obj is not None
            and obj.status == StaffMessage.Status.DRAFT
            and self.has_send_permission(request),
        }
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(EmailDelivery)
class EmailDeliveryAdmin(MalformedFilterMixin, admin.ModelAdmin):
    """Every e-mail to a registrant and how sending went (read-only)."""

    list_display = ["created_at", "participation", "recipient", "kind", "email_status", "attempts"]
    list_filter = ["kind", "email__status", "message", "participation__event"]
    list_select_related = ["email", "participation__organization", "participation__event"]
    search_fields = ["recipient", "participation__organization__name_en"]
    fields = ["participation", "kind", "recipient", "message", "email", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description=gettext_lazy("status"), ordering="email__status")
    def email_status(self, delivery: EmailDelivery) -> str:
        return delivery.email.get_status_display()

    @admin.display(description=gettext_lazy("attempts"))
    def attempts(self, delivery: EmailDelivery) -> int:
        return delivery.email.attempts


@admin.register(ErasureRequest)
class ErasureRequestAdmin(MalformedFilterMixin, admin.ModelAdmin):
    """Registrants' requests to erase their data: staff confirm them with the action."""

    list_display = ["participation", "requested_at", "erased_at", "erased_by"]
    list_filter = [("erased_at", admin.EmptyFieldListFilter)]
    list_select_related = ["participation__organization", "participation__event", "erased_by"]
    readonly_fields = ["participation", "requested_at", "erased_at", "erased_by"]
    actions = ["confirm_erasure"]

    def has_add_permission(self, request) -> bool:
        return False  # registrants ask from their status page

    @admin.action(
        description=gettext_lazy("Erase the personal data and tell the registrant"),
        permissions=["change"],
    )
    def confirm_erasure(self, request: HttpRequest, queryset: QuerySet) -> None:
        done = 0
        for erasure_request in queryset.filter(erased_at__isnull=True):
            privacy.erasure_request_confirm(erasure_request=erasure_request, by=request.user)
            done += 1
        self.message_user(
            request,
            _("Personal data erased for %(count)d request(s); the registrants were told.")
            % {"count": done},
            messages.SUCCESS,
        )
