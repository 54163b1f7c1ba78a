"""The admin of registrations: review actions, places used and free, history, export."""

from collections import defaultdict
from collections.abc import Callable
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.admin import HistoryAdmin
from common.importexport import ExportAdminMixin
from events.models import Event, Venue

from . import selectors, services
from .models import EmailDelivery, Participation, StatusChange
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
    model = EmailDelivery
    fields = ["created_at", "kind", "recipient", "outcome", "error"]
    readonly_fields = fields


class SubVenueFilter(admin.SimpleListFilter):
    """Sub-venues chosen; those of the edition filtered on, or of upcoming editions."""

    title = gettext_lazy("sub-venue")
    parameter_name = "venue"

    def lookups(self, request, model_admin):
        venues = Venue.objects.filter(kind=Venue.Kind.SUB).select_related("event")
        if event_id := request.GET.get("event__id__exact"):
            venues = venues.filter(event_id=event_id)
        else:
            venues = venues.filter(event__end_date__gte=timezone.localdate())
        return [(str(venue.pk), f"{venue.name} ({venue.event})") for venue in venues]

    def queryset(self, request, queryset):
        if self.value():
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
    inlines = [StatusChangeInline, EmailDeliveryInline]
    actions = ["approve", "waitlist", "reject", "promote_waitlisted"]
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
        # Moving a registration to another edition or institution would bypass capacity.
        return [*fields, "event", "organization"] if obj else fields

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
        if event_id := request.GET.get("event__id__exact"):
            events = list(Event.objects.filter(pk=event_id))
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
            self.save_formset(request, form, formset, change=change)

    def response_change(self, request, obj):
        if error := getattr(request, "registration_not_saved", None):
            self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

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
