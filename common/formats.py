"""File formats: imports of CSV in UTF-8 or in GBK (as Chinese spreadsheets save it) and XLSX;
exports of CSV and XLSX that a spreadsheet opens without running anything typed by outsiders."""

import contextvars

import tablib
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from .text import XML_ILLEGAL

#: The encoding the last file of this request was read in (the admin names it in a message).
last_encoding: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "last_encoding", default=None
)
#: Encodings worth telling staff about, by name.
NOTED_ENCODINGS = {"gb18030": "GBK (GB 18030)", "cp1252": "Windows-1252 (Western European)"}


class UnreadableFileError(ValueError):
    pass


def _plausibly_chinese(text: str) -> bool:
    """Say whether the non-ASCII text of a GBK reading is what Chinese spreadsheets hold.

    Bytes of a Western (Windows-1252) file also form valid GB 18030 pairs, but an accented
    letter followed by an ASCII one decodes to a character outside GB 2312 (whose second bytes
    are never ASCII). Chinese text is mostly GB 2312; a few rarer characters (traditional ones
    of GBK) are allowed.
    """
    common = rare = 0
    for char in text:
        if char.isascii():
            continue
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            rare += 1
    return rare <= common // 4


def decode(data: bytes) -> str:
    """Decode a text file saved as UTF-8 (with or without BOM), GBK, or Windows-1252.

    UTF-8 first; then GBK when it reads as common Chinese text; then Windows-1252 (what Excel
    on a Western Windows saves as "CSV"). The encoding used is kept in ``last_encoding``.
    """
    candidates = []
    for encoding in ("utf-8-sig", "gb18030", "cp1252"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if encoding == "gb18030" and not _plausibly_chinese(text):
            candidates.append((encoding, text))
            continue
        last_encoding.set(encoding)
        return text
    if candidates:  # only an implausible GBK reading: let a person look at it in the preview
        encoding, text = candidates[0]
        last_encoding.set(encoding)
        return text
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


#: A cell starting with one of these (after spaces) is a formula, or a DDE call, to Excel,
#: LibreOffice or Google Sheets: ``=``, ``+``, ``-``, ``@`` and their full-width forms.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")


def spreadsheet_text(value):
    """Return a cell value that a spreadsheet shows as text and never evaluates.

    Text a registrant or an imported file supplied can start a formula (``=HYPERLINK(…)``,
    ``+cmd|…``, ``@SUM(…)``), also after leading spaces, a tab or a carriage return: such text
    gets a leading apostrophe, the spreadsheets' own mark for "text, not a formula" (OWASP's
    advice for CSV injection). Characters XML cannot hold (control characters stored before
    forms refused them) become U+FFFD, so one such row cannot make the XLSX export fail.
    Numbers, dates and empty values stay as they are.
    """
    if not isinstance(value, str) or not value:
        return value
    value = XML_ILLEGAL.sub("\ufffd", value)
    if value[0] in "\t\r" or value.lstrip(" \t\r\n\u3000").startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    safe = tablib.Dataset(title=dataset.title)
    safe.headers = [spreadsheet_text(header) for header in dataset.headers or []]
    for row in dataset:
        safe.append([spreadsheet_text(cell) for cell in row])
    return safe


class SafeExportMixin:
    """Every export goes through ``spreadsheet_text``; this replaces import-export's own
    ``IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT``, which only drops a leading ``=``."""

    def export_data(self, dataset, **kwargs):
        return super().export_data(_safe_dataset(dataset), **kwargs)


class CSVExport(SafeExportMixin, base_formats.CSV):
    pass


class XLSXExport(SafeExportMixin, base_formats.XLSX):
    pass


IMPORT_FORMATS = [CSV, base_formats.XLSX]
EXPORT_FORMATS = [CSVExport, XLSXExport]
