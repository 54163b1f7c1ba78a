"""Admin pieces shared by the apps' ModelAdmins: import and export."""

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from import_export.admin import ExportMixin, ImportExportMixin

from . import formats
from .formats import EXPORT_FORMATS, IMPORT_FORMATS, UnreadableFileError

logger = logging.getLogger(__name__)


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

    import_error_display = ("message",)

    def import_action(self, request, **kwargs):
        formats.last_encoding.set(None)
        response = super().import_action(request, **kwargs)
        if (encoding := formats.last_encoding.get()) in formats.NOTED_ENCODINGS:
            messages.warning(
                request,
                _(
                    "The file was read as %(encoding)s text. Check in the preview that names "
                    "read correctly; if not, save the file as CSV (UTF-8) or XLSX."
                )
                % {"encoding": formats.NOTED_ENCODINGS[encoding]},
            )
        result = (getattr(response, "context_data", None) or {}).get("result")
        if result is not None:
            _without_tracebacks(result)
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


def _without_tracebacks(result) -> None:
    """Show staff what went wrong in words, never a Python traceback or a server path.

    A ValidationError (a rule of ours) keeps its messages; anything else is logged with its
    traceback and shown as a plain sentence.
    """
    errors = [*result.base_errors]
    for row in result.rows:
        errors.extend(row.errors)
    for error in errors:
        if isinstance(error.error, ValidationError):
            error.error = " ".join(error.error.messages)
        elif not isinstance(error.error, str):
            logger.error("Import failed: %r\n%s", error.error, error.traceback)
            error.error = _(
                "This row could not be imported because of an unexpected error (%(kind)s); "
                "the details are in the server log. Nothing was imported."
            ) % {"kind": type(error.error).__name__}
        error.traceback = ""
