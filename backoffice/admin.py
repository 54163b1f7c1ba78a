"""Admin pieces shared by the apps' ModelAdmins: import and export."""

from import_export.admin import ExportMixin, ImportExportMixin

from .formats import EXPORT_FORMATS, IMPORT_FORMATS, UnreadableFileError


class ExportAdminMixin(ExportMixin):
    export_formats = EXPORT_FORMATS


class ImportExportAdminMixin(ImportExportMixin):
    """Import with a preview (CSV in UTF-8 or GBK, XLSX) and export (CSV, XLSX)."""

    import_formats = IMPORT_FORMATS
    export_formats = EXPORT_FORMATS

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnreadableFileError):
            form.add_error("import_file", str(e))
        else:
            super().add_data_read_fail_error_to_form(form, e)
