from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from common.admin import ContentAdmin
from common.importexport import ImportExportAdminMixin

from .models import Organization, OrganizerContact, Person
from .resources import OrganizationResource
from .validators import normalize_uscc


class OrganizationAdminForm(forms.ModelForm):
    def clean_uscc(self) -> str:
        return normalize_uscc(self.cleaned_data["uscc"])


@admin.register(Organization)
class OrganizationAdmin(ImportExportAdminMixin, ContentAdmin):
    form = OrganizationAdminForm
    resource_classes = [OrganizationResource]
    list_display = ["name", "kind", "city", "district", "parent", "uscc"]
    list_filter = ["kind"]
    search_fields = ["name_en", "name_zh_hans", "uscc", "city_en", "city_zh_hans"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    prepopulated_fields = {"slug": ["name_en"]}
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "parent"]}),
        (_("Location"), {"fields": ["city", "district"]}),
        (
            _("Details"),
            {"fields": ["uscc", "website", "capital_under_management", "logo", "description"]},
        ),
    ]


@admin.register(Person)
class PersonAdmin(ContentAdmin):
    list_display = ["name", "position", "organization"]
    search_fields = ["name_en", "name_zh_hans", "position_en", "position_zh_hans"]
    autocomplete_fields = ["organization"]
    list_select_related = ["organization"]
    fieldsets = [
        (None, {"fields": ["name", "position", "organization"]}),
        (_("Private contact details"), {"fields": ["email", "phone"]}),
    ]


@admin.register(OrganizerContact)
class OrganizerContactAdmin(ContentAdmin):
    """One contact, shown in every public page's footer and in the privacy notice."""

    list_display = ["name", "email", "phone"]
    autocomplete_fields = ["organization"]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not OrganizerContact.objects.exists()
