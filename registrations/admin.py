"""Admin parts for reviewing registrations; events.admin.ParticipationAdmin puts them together."""

from collections import defaultdict
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Participation, Venue

from . import services
from .models import EmailDelivery, StatusChange


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


def usage_tables(events: list[Event]) -> list[tuple[Event, list[services.Usage], dict]]:
    """Return, for each edition, its places used and free and its registrations by status."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    for row in (
        Participation.objects.filter(event__in=events)
        .values_list("event_id", "status")
        .order_by()
        .annotate(n=Count("pk"))
    ):
        counts[row[0]][row[1]] = row[2]
    return [
        (event, services.capacity_usage(event=event), counts.get(event.pk, {})) for event in events
    ]


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
