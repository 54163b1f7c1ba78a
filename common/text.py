"""Text typed by outsiders: refuse control characters a person cannot see or mean to type.

A control character (U+0000–U+001F, U+007F, and the C1 range U+0080–U+009F) in a name or an
address is invisible in a page, breaks XML (the XLSX export) and can split or hide text in logs
and spreadsheets. Single-line fields accept none; multi-line ones keep tab and line breaks.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SINGLE_LINE_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
MULTILINE_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
#: Embeddings, overrides and isolates of the bidirectional algorithm: they reorder the text
#: around them ("txt.exe" shown as "exe.txt"), never needed in a name.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
#: Letters by category that show nothing (Hangul fillers).
INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0")
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


def validate_name(value: str) -> None:
    """Refuse a name that shows nothing readable or that reorders the text around it.

    A name needs at least one letter or digit of any script; invisible characters (zero-width
    spaces, joiners, fillers), spaces, symbols and emoji alone are no name, and bidirectional
    overrides are refused anywhere in it.
    """
    if match := BIDI_CONTROLS.search(value or ""):
        raise ValidationError(
            _("Remove the text-direction control character (U+%(code)s) from this name."),
            code="bidi_control",
            params={"code": f"{ord(match.group()):04X}"},
        )
    if value and not any(
        unicodedata.category(char)[0] in "LN" and char not in INVISIBLE_LETTERS for char in value
    ):
        raise ValidationError(
            _(
                "Enter a name with letters or digits: invisible characters, symbols and emoji "
                "alone are not a name."
            ),
            code="no_visible_name",
        )
