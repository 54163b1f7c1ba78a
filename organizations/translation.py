from modeltranslation.translator import TranslationOptions, register

from .models import Organization, OrganizerContact, Person


@register(Organization)
class OrganizationTranslationOptions(TranslationOptions):
    fields = ("name", "city", "district", "description")


@register(Person)
class PersonTranslationOptions(TranslationOptions):
    fields = ("name", "position")


@register(OrganizerContact)
class OrganizerContactTranslationOptions(TranslationOptions):
    fields = ("name", "address")
