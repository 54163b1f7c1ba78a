from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agreement,
    Event,
    KeyFigure,
    Photo,
    Series,
    Session,
    SessionSpeaker,
    Venue,
)


@register(Series)
class SeriesTranslationOptions(TranslationOptions):
    fields = ("name", "description")


@register(Event)
class EventTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "description", "city", "address")


@register(Venue)
class VenueTranslationOptions(TranslationOptions):
    fields = ("name", "theme", "place", "description")


@register(Session)
class SessionTranslationOptions(TranslationOptions):
    fields = ("title", "description")


@register(SessionSpeaker)
class SessionSpeakerTranslationOptions(TranslationOptions):
    fields = ("position",)


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title", "purpose")


@register(KeyFigure)
class KeyFigureTranslationOptions(TranslationOptions):
    fields = ("label", "source", "reported_by_position", "usd_rate_source")


@register(Photo)
class PhotoTranslationOptions(TranslationOptions):
    fields = ("caption", "alt_text", "credit")
