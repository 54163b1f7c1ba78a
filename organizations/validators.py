"""Validators for identifiers of Chinese institutions."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc
from stdnum.exceptions import InvalidChecksum, InvalidFormat, InvalidLength

# Format only; the check character is verified by validate_uscc.
USCC_PATTERN = r"^[0-9A-HJ-NPQRTUWXY]{18}$"


def validate_uscc(value: str) -> None:
    """Check a Unified Social Credit Code (GB 32100-2015), check character included."""
    try:
        uscc.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("A Unified Social Credit Code has exactly 18 characters."), code="uscc_length"
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _(
                "This Unified Social Credit Code's check character is wrong; "
                "please check for a typo."
            ),
            code="uscc_checksum",
        ) from None
    except (InvalidFormat, ValueError):
        raise ValidationError(
            _(
                "A Unified Social Credit Code uses only digits and capital letters "
                "(not I, O, S, V or Z)."
            ),
            code="uscc_format",
        ) from None


def normalize_uscc(value: str) -> str:
    """Return a USCC as stored: full-width forms, spaces and hyphens removed, upper case."""
    value = unicodedata.normalize("NFKC", value or "")
    return re.sub(r"[\s\-]", "", value).upper()
