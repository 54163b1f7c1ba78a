from django.contrib import admin, messages
from django.db.models import Prefetch
from django.http import HttpResponseRedirect
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationStackedInline,
    TranslationTabularInline,
)
from simple_history.admin import SimpleHistoryAdmin

from backoffice.admin import ExportAdminMixin
from backoffice.resources import AgreementResource, ParticipationResource
from common.admin import ContentAdmin, SideBySideTranslationMixin
from registrations import services as registration_services
from registrations.admin import (
    EmailDeliveryInline,
    ParticipationAdminForm,
    StatusChangeInline,
    SubVenueFilter,
    run_review_action,
    usage_tables,
)

from .models import (
    Agreement,
    AgreementParty,
    Event,
    EventHost,
    KeyFigure,
    Participation,
    Photo,
    Series,
    Session,
    SessionSpeaker,
    Venue,
)

admin.site.site_header = _("Event platform administration")
admin.site.site_title = _("Event platform")


class EditionVenueChoicesMixin:
    """Offer only the venues of the edition being edited."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "venue":
            event_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = Venue.objects.filter(event_id=event_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class EventKeyFigureInline(SideBySideTranslationMixin, TranslationStackedInline):
    model = KeyFigure
    fk_name = "event"
    fields = ["label", "qualifier", "value", "unit", "usd_equivalent", "as_of", "source", "order"]
    extra = 0


class SeriesKeyFigureInline(EventKeyFigureInline):
    fk_name = "series"


@admin.register(Series)
class SeriesAdmin(ContentAdmin):
    list_display = ["name", "organizer"]
    search_fields = ["name_en", "name_zh_hans"]
    autocomplete_fields = ["organizer"]
    list_select_related = ["organizer"]
    prepopulated_fields = {"slug": ["name_en"]}
    inlines = [SeriesKeyFigureInline]


class EventHostInline(admin.TabularInline):
    model = EventHost
    autocomplete_fields = ["organization"]
    extra = 0


class VenueInline(SideBySideTranslationMixin, TranslationStackedInline):
    model = Venue
    fields = ["kind", "name", "theme", "place", "capacity", "order"]
    extra = 0
    show_change_link = True


class SessionInline(EditionVenueChoicesMixin, TranslationTabularInline):
    model = Session
    fields = ["venue", "title", "starts_at", "ends_at", "order"]
    extra = 0
    show_change_link = True


class PhotoInline(EditionVenueChoicesMixin, SideBySideTranslationMixin, TranslationStackedInline):
    model = Photo
    fields = ["image", "caption", "alt_text", "credit", "venue", "order"]
    extra = 0


@admin.register(Event)
class EventAdmin(ContentAdmin):
    list_display = ["title", "series", "start_date", "city", "is_published", "approval_mode"]
    list_filter = ["is_published", "series", "approval_mode"]
    search_fields = ["title_en", "title_zh_hans", "city_en", "city_zh_hans"]
    date_hierarchy = "start_date"
    list_select_related = ["series"]
    autocomplete_fields = ["series"]
    prepopulated_fields = {"slug": ["title_en"]}
    inlines = [EventHostInline, VenueInline, SessionInline, EventKeyFigureInline, PhotoInline]
    fieldsets = [
        (None, {"fields": ["series", "title", "slug", "summary", "description", "is_published"]}),
        (
            _("Date and place"),
            {"fields": ["start_date", "end_date", "start_time", "end_time", "city", "address"]},
        ),
        (
            _("Registration"),
            {
                "fields": [
                    "registration_opens_at",
                    "registration_closes_at",
                    "capacity",
                    "approval_mode",
                ]
            },
        ),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # A larger capacity (of the edition or a sub-venue) lets wait-listed delegations in.
        registration_services.waitlist_promote(event=form.instance)


@admin.register(Venue)
class VenueAdmin(ContentAdmin):
    list_display = ["name", "event", "kind", "theme", "capacity", "order"]
    list_filter = ["kind", "event"]
    search_fields = ["name_en", "name_zh_hans", "theme_en", "theme_zh_hans"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        registration_services.waitlist_promote(event=obj.event)


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    autocomplete_fields = ["person"]
    extra = 0


@admin.register(Session)
class SessionAdmin(ContentAdmin):
    list_display = ["title", "event", "venue__name", "starts_at", "ends_at"]
    list_filter = ["event"]
    search_fields = ["title_en", "title_zh_hans"]
    list_select_related = ["event", "venue"]
    autocomplete_fields = ["event", "venue"]
    inlines = [SessionSpeakerInline]


@admin.register(Participation)
class ParticipationAdmin(ExportAdminMixin, SimpleHistoryAdmin):
    """Review registrations: every status change goes through registrations.services."""

    form = ParticipationAdminForm
    resource_classes = [ParticipationResource]
    list_display = [
        "organization",
        "event",
        "status",
        "delegates",
        "sub_venues",
        "contact_name",
        "contact_email",
        "created_at",
    ]
    list_filter = ["event", "status", SubVenueFilter]
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
    readonly_fields = ["status", "reference", "created_at", "updated_at", "places"]
    inlines = [StatusChangeInline, EmailDeliveryInline]
    actions = ["approve", "waitlist", "reject", "promote_waitlisted"]
    change_list_template = "registrations/admin/participation_change_list.html"
    fieldsets = [
        (None, {"fields": ["event", "organization", "status", "reference"]}),
        (
            _("Contact person"),
            {"fields": ["contact_name", "contact_position", "contact_email", "contact_phone"]},
        ),
        (
            _("Participation"),
            {"fields": ["delegates", "venues", "listed_publicly", "language"]},
        ),
        (_("Places used and free"), {"fields": ["places"]}),
        (_("Record"), {"fields": ["created_at", "updated_at"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("venues")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        # Moving a registration to another edition or institution would bypass capacity.
        return [*fields, "event", "organization"] if obj else fields

    @admin.display(description=_("sub-venues"))
    def sub_venues(self, obj: Participation) -> str:
        return ", ".join(venue.name for venue in obj.venues.all())

    @admin.display(description=_("places of this edition"))
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
            super().save_model(request, obj, form, change)
            return
        # Through the service: capacity checked again under the edition's lock, only the
        # changed fields written (the status may change meanwhile through a workflow).
        fields = [name for name in form.changed_data if not obj._meta.get_field(name).many_to_many]
        try:
            registration_services.participation_update_details(
                participation=obj,
                changes={name: form.cleaned_data[name] for name in fields},
                venues=form.cleaned_data.get("venues"),
                by=request.user,
            )
        except registration_services.CapacityError as error:
            request.registration_not_saved = str(error)

    def save_related(self, request, form, formsets, change):
        if not change:
            super().save_related(request, form, formsets, change)
            registration_services.waitlist_promote(event=form.instance.event)
            return
        # On a change the service has set the sub-venues (not form.save_m2m()) and filled
        # freed places; the read-only inlines are saved for the admin's change message.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def response_change(self, request, obj):
        if error := getattr(request, "registration_not_saved", None):
            self.message_user(request, error, messages.ERROR)
            return HttpResponseRedirect(request.path)
        return super().response_change(request, obj)

    def delete_model(self, request, obj):
        event = obj.event
        super().delete_model(request, obj)
        registration_services.waitlist_promote(event=event)

    def delete_queryset(self, request, queryset):
        events = list(Event.objects.filter(pk__in=queryset.values("event_id")))
        super().delete_queryset(request, queryset)
        for event in events:
            registration_services.waitlist_promote(event=event)

    def has_review_permission(self, request) -> bool:
        return request.user.has_perm("events.review_participation")

    @admin.action(description=_("Approve (wait-list when places run out)"), permissions=["review"])
    def approve(self, request, queryset):
        run_review_action(request, queryset, registration_services.participation_approve, self)

    @admin.action(description=_("Put on the waiting list"), permissions=["review"])
    def waitlist(self, request, queryset):
        run_review_action(request, queryset, registration_services.participation_waitlist, self)

    @admin.action(description=_("Reject"), permissions=["review"])
    def reject(self, request, queryset):
        run_review_action(request, queryset, registration_services.participation_reject, self)

    @admin.action(
        description=_("Fill free places from the waiting list of these editions"),
        permissions=["review"],
    )
    def promote_waitlisted(self, request, queryset):
        promoted = []
        for event in Event.objects.filter(pk__in=queryset.values("event_id")):
            promoted += registration_services.waitlist_promote(event=event)
        self.message_user(
            request,
            _("Promoted from the waiting list: %(count)d.") % {"count": len(promoted)},
        )


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    autocomplete_fields = ["organization"]
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(ExportAdminMixin, ContentAdmin):
    resource_classes = [AgreementResource]
    list_display = ["title", "kind", "event", "signed_on", "amount_yuan", "party_names"]
    list_filter = ["kind", "event"]
    search_fields = [
        "title_en",
        "title_zh_hans",
        "party_roles__organization__name_en",
        "party_roles__organization__name_zh_hans",
    ]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]
    inlines = [AgreementPartyInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "party_roles",
                    queryset=AgreementParty.objects.select_related("organization"),
                )
            )
        )

    @admin.display(description=_("parties"))
    def party_names(self, obj: Agreement) -> str:
        return ", ".join(str(role.organization) for role in obj.party_roles.all())


@admin.register(KeyFigure)
class KeyFigureAdmin(ContentAdmin):
    list_display = [
        "label",
        "qualifier",
        "value",
        "unit",
        "as_of",
        "series",
        "event",
        "organization",
    ]
    list_filter = ["unit", "series", "event"]
    search_fields = ["label_en", "label_zh_hans", "source_en", "source_zh_hans"]
    list_select_related = ["series", "event", "organization"]
    autocomplete_fields = ["series", "event", "organization"]


@admin.register(Photo)
class PhotoAdmin(ContentAdmin):
    list_display = ["caption", "event", "venue__name", "credit", "order"]
    list_filter = ["event"]
    search_fields = ["caption_en", "caption_zh_hans", "credit"]
    list_select_related = ["event", "venue"]
    autocomplete_fields = ["event", "venue"]
