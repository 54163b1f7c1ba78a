from modeltranslation.translator import TranslationOptions, register

from .models import StaffMessage


@register(StaffMessage)
class StaffMessageTranslationOptions(TranslationOptions):
    fields = ("subject", "body")
    # A registrant gets the other language when theirs is empty; one of them is required.
    required_languages = ()
