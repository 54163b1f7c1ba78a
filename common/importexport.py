"""Admin pieces shared by the apps' ModelAdmins: import and export."""

from django.contrib import messages
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin, ImportExportMixin

from .formats import EXPORT_FORMATS, IMPORT_FORMATS, UnreadableFileError


def _export_filename(model, file_format) -> str:
    """Name an export after its contents and the day in Beijing: registrations-2026-05-22.csv."""
    with translation.override("en"):
        name = slugify(str(model._meta.verbose_name_plural))
    return f"{name}-{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"


class ExportAdminMixin(ExportMixin):
    export_formats = EXPORT_FORMATS
    # With a byte-order mark, Excel opens a CSV with Chinese text as UTF-8.
    to_encoding = "utf-8-sig"

    def get_export_filename(self, request, queryset, file_format):
        return _export_filename(self.model, file_format)


class ImportExportAdminMixin(ImportExportMixin):
    """Import with a preview (CSV in UTF-8 or GBK, XLSX) and export (CSV, XLSX)."""

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS
    to_encoding = "utf-8-sig"

    def get_export_filename(self, request, queryset, file_format):
        return _export_filename(self.model, file_format)

    #: Rows with errors listed in the preview; a file with thousands stays readable.
    errors_shown = 100

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        result = (getattr(response, "context_data", None) or {}).get("result")
        if result is not None and len(result.invalid_rows) > self.errors_shown:
            messages.error(
                request,
                _(
                    "%(count)d rows have errors; the first %(shown)d are listed below. "
                    "Nothing was imported: correct the file and import it again."
                )
                % {"count": len(result.invalid_rows), "shown": self.errors_shown},
            )
            result.invalid_rows = result.invalid_rows[: self.errors_shown]
        return response

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)
