from django.contrib import admin
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationStackedInline,
    TranslationTabularInline,
)

from common.admin import ContentAdmin, PlainDecimalInput, SideBySideTranslationMixin
from common.importexport import ExportAdminMixin
from common.money import amount_in_both_languages

from .models import (
    Agreement,
    AgreementParty,
    Event,
    EventHost,
    KeyFigure,
    Photo,
    Series,
    Session,
    SessionSpeaker,
    Venue,
)
from .resources import AgreementResource

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
    fields = [
        "label",
        ("qualifier", "value", "unit"),
        "value_in_words",
        ("usd_equivalent", "usd_rate", "usd_rate_on"),
        "usd_rate_source",
        "as_of",
        "source",
        "reported_by",
        "reported_by_position",
        "order",
    ]
    readonly_fields = ["value_in_words"]
    autocomplete_fields = ["reported_by"]
    formfield_overrides = {models.DecimalField: {"widget": PlainDecimalInput}}
    extra = 0

    @admin.display(description=_("value in words (as saved)"))
    def value_in_words(self, obj: KeyFigure) -> str:
        return amount_in_both_languages(obj.value, unit=obj.unit, qualifier=obj.qualifier)


class SeriesKeyFigureInline(EventKeyFigureInline):
    fk_name = "series"


@admin.register(Series)
class SeriesAdmin(ContentAdmin):
    list_display = ["name", "organizer", "is_sample"]
    list_filter = ["is_sample"]
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


class SessionInline(EditionVenueChoicesMixin, SideBySideTranslationMixin, TranslationStackedInline):
    """Stacked, topic in both languages side by side: a table of them spilled past 1280 px."""

    model = Session
    fields = [("venue", "order"), "title", ("starts_at", "ends_at")]
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
                    "delegates_editable_until",
                ]
            },
        ),
    ]


@admin.register(Venue)
class VenueAdmin(ContentAdmin):
    list_display = ["name", "event", "kind", "theme", "capacity", "order"]
    list_filter = ["kind", "event"]
    search_fields = ["name_en", "name_zh_hans", "theme_en", "theme_zh_hans"]
    list_select_related = ["event"]
    autocomplete_fields = ["event"]


class SessionSpeakerInline(TranslationTabularInline):
    model = SessionSpeaker
    fields = ["person", "role", "position", "order"]
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


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    autocomplete_fields = ["organization"]
    extra = 0


@admin.register(Agreement)
class AgreementAdmin(ExportAdminMixin, ContentAdmin):
    resource_classes = [AgreementResource]
    list_display = ["title", "kind", "event", "signed_on", "amount", "party_names"]
    readonly_fields = ["amount_in_words"]
    fields = [
        "event",
        "kind",
        "title",
        "purpose",
        "signed_on",
        "amount_yuan",
        "amount_in_words",
    ]

    @admin.display(description=_("amount"), ordering="amount_yuan")
    def amount(self, obj: Agreement) -> str:
        return amount_in_both_languages(obj.amount_yuan)

    @admin.display(description=_("amount in words (as saved)"))
    def amount_in_words(self, obj: Agreement) -> str:
        return amount_in_both_languages(obj.amount_yuan)

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
        "value_in_words",
        "as_of",
        "series",
        "event",
        "organization",
    ]
    list_filter = ["unit", "series", "event"]
    search_fields = ["label_en", "label_zh_hans", "source_en", "source_zh_hans"]
    list_select_related = ["series", "event", "organization"]
    autocomplete_fields = ["series", "event", "organization", "reported_by"]
    readonly_fields = ["value_in_words"]

    @admin.display(description=_("value in words (as saved)"), ordering="value")
    def value_in_words(self, obj: KeyFigure) -> str:
        return amount_in_both_languages(obj.value, unit=obj.unit, qualifier=obj.qualifier)


@admin.register(Photo)
class PhotoAdmin(ContentAdmin):
    list_display = ["caption", "event", "venue__name", "credit", "order"]
    list_filter = ["event"]
    search_fields = ["caption_en", "caption_zh_hans", "credit_en", "credit_zh_hans"]
    list_select_related = ["event", "venue"]
    autocomplete_fields = ["event", "venue"]
