"""File formats for imports: CSV in UTF-8 or in GBK (as Chinese spreadsheets save it), XLSX."""

from django.utils.translation import gettext as _
from import_export.formats import base_formats

# GB 18030 is a superset of GBK and GB 2312: one decoder covers all three.
ENCODINGS = ("utf-8-sig", "gb18030")


class UnreadableFileError(ValueError):
    pass


def decode(data: bytes) -> str:
    """Decode a text file saved as UTF-8 (with or without BOM) or GBK."""
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFileError(
        _("The file is neither UTF-8 nor GBK text. Save it as CSV (UTF-8) or as XLSX.")
    )


class CSV(base_formats.CSV):
    """CSV read as bytes and decoded here, so that GBK files import as well as UTF-8 ones."""

    def get_read_mode(self):
        return "rb"

    def is_binary(self):
        return True

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = decode(in_stream)
        return super().create_dataset(in_stream, **kwargs)


IMPORT_FORMATS = [CSV, base_formats.XLSX]
EXPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]
