from modeltranslation.translator import TranslationOptions, register

from .models import MeetingProfile


@register(MeetingProfile)
class MeetingProfileTranslationOptions(TranslationOptions):
    fields = ("regions", "pitch")
    required_languages = ()
