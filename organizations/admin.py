from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.admin import ContentAdmin
from common.importexport import ImportExportAdminMixin
from outbox.jobs import job_may_start, job_start

from .models import Organization, OrganizerContact, Person
from .resources import OrganizationResource
from .validators import normalize_uscc


class OrganizationAdminForm(forms.ModelForm):
    def clean_uscc(self) -> str:
        return normalize_uscc(self.cleaned_data["uscc"])


class BackgroundImportForm(forms.Form):
    import_file = forms.FileField(
        label=_("File to import"),
        help_text=_("CSV (UTF-8 or GBK) or XLSX, at most 50 MB, one institution per row."),
    )

    MAX_BYTES = 50 * 1024 * 1024

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if not upload.name.lower().endswith((".csv", ".xlsx")):
            raise forms.ValidationError(gettext("Choose a .csv or .xlsx file."))
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError(gettext("The file is larger than 50 MB."))
        return upload


@admin.register(Organization)
class OrganizationAdmin(ImportExportAdminMixin, ContentAdmin):
    form = OrganizationAdminForm
    # The import-export list template with the background import button; it extends the
    # package's, which extends the admin's change_list_template (setting that would recurse).
    import_export_change_list_template = "organizations/admin/organization_change_list.html"
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

    def get_urls(self):
        return [
            path(
                "import-background/",
                self.admin_site.admin_view(self.background_import_view),
                name="organizations_organization_import_background",
            ),
            *super().get_urls(),
        ]

    def background_import_view(self, request: HttpRequest):
        """Upload a file; a worker previews it (progress shown), then imports it on request."""
        if not job_may_start(kind="organizations.import_preview", user=request.user):
            raise PermissionDenied
        form = BackgroundImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["import_file"]
            job = job_start(
                kind="organizations.import_preview",
                created_by=request.user,
                title=gettext("Institutions from %(file)s") % {"file": upload.name[:150]},
                input_file=upload,
            )
            self.message_user(
                request,
                gettext("The file is being checked; nothing is imported before you confirm."),
                messages.SUCCESS,
            )
            return HttpResponseRedirect(reverse("admin:outbox_staffjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": gettext("Import institutions in the background"),
        }
        return TemplateResponse(request, "organizations/admin/import_background.html", context)


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
