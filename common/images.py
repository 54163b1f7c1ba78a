"""Uploaded images: checked to be images of a sensible size, then re-encoded without metadata.

One validator and one service, used by :class:`common.fields.CleanImageField` (the model field of
photos and logos), and therefore by the admin and every other form that saves those fields.
"""

import io
import warnings
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError

# Pillow format → the format it is saved in again (keeping the file's extension meaningful).
# Many phones write JPEGs with a second picture inside, which Pillow reads as "MPO".
ALLOWED_FORMATS = {"JPEG": "JPEG", "MPO": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "GIF": "GIF"}


def validate_image_upload(value: File) -> None:
    """Refuse a file that is too large, is not an image, or is one of too many pixels.

    Files already stored (an unchanged field on a later save) are not read again.
    """
    if getattr(value, "_committed", False):
        return
    if value.size is not None and value.size > settings.IMAGE_UPLOAD_MAX_BYTES:
        raise ValidationError(
            _("The image is %(size)s; the largest allowed is %(limit)s."),
            code="image_too_large",
            params={
                "size": filesizeformat(value.size),
                "limit": filesizeformat(settings.IMAGE_UPLOAD_MAX_BYTES),
            },
        )
    _open_checked(value)


def image_strip_metadata(*, file: File) -> ContentFile:
    """Return the image re-encoded in its own format, turned upright, without EXIF or comments.

    Whatever a camera or editor wrote into the file (GPS position, device, author) is dropped:
    only the pixels are kept.
    """
    with _open_checked(file) as image:
        fmt = ALLOWED_FORMATS[image.format]
        upright = ImageOps.exif_transpose(image)
        # Pillow writes some of image.info (a JPEG comment, for one) back: keep only what
        # describes the pixels.
        upright.info = {key: image.info[key] for key in ("transparency",) if key in image.info}
        if fmt == "JPEG" and upright.mode not in {"RGB", "L"}:
            upright = upright.convert("RGB")
        options = {"quality": 90, "optimize": True} if fmt in {"JPEG", "WEBP"} else {}
        if icc_profile := image.info.get("icc_profile"):
            # A colour profile describes the pixels, not the person: keep it.
            options["icc_profile"] = icc_profile
        buffer = io.BytesIO()
        upright.save(buffer, format=fmt, **options)
    return ContentFile(buffer.getvalue(), name=PurePath(file.name or "image").name)


def _open_checked(file: File) -> Image.Image:
    """Open and fully decode the image, or raise a ValidationError saying why not."""
    invalid = ValidationError(
        _("Upload a valid image (JPEG, PNG, WebP or GIF). The file is not one or is damaged."),
        code="invalid_image",
    )
    file.seek(0)
    data = file.read()
    file.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            if image.format not in ALLOWED_FORMATS:
                raise invalid
            if image.width * image.height > settings.IMAGE_UPLOAD_MAX_PIXELS:
                raise ValidationError(
                    _("The image has %(pixels)s pixels; the most allowed is %(limit)s."),
                    code="image_too_many_pixels",
                    params={
                        "pixels": f"{image.width} × {image.height}",
                        "limit": f"{settings.IMAGE_UPLOAD_MAX_PIXELS:,}",
                    },
                )
            image.load()
    except ValidationError:
        raise
    except (
        UnidentifiedImageError,
        OSError,
        ValueError,
        SyntaxError,
        Image.DecompressionBombError,
        Image.DecompressionBombWarning,
    ):
        raise invalid from None
    return image
