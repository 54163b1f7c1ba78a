"""Text typed by outsiders: refuse control characters a person cannot see or mean to type.

A control character (U+0000–U+001F, U+007F, and the C1 range U+0080–U+009F) in a name or an
address is invisible in a page, breaks XML (the XLSX export) and can split or hide text in logs
and spreadsheets. Single-line fields accept none; multi-line ones keep tab and line breaks.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SINGLE_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
MULTILINE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: What XML 1.0, and so XLSX, cannot hold at all.
XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


def _refuse(match: re.Match | None) -> None:
    if match is not None:
        raise ValidationError(
            _("Remove the invisible control character (U+%(code)s) from this text."),
            code="control_character",
            params={"code": f"{ord(match.group()):04X}"},
        )


def validate_single_line(value: str) -> None:
    """Refuse any control character, tab and line breaks included."""
    _refuse(SINGLE_LINE_CONTROL.search(value or ""))


def validate_multiline(value: str) -> None:
    """Refuse control characters other than tab and line breaks."""
    _refuse(MULTILINE_CONTROL.search(value or ""))
