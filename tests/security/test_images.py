"""Uploaded photos and logos: only real images, size-limited, stored without metadata."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from common.images import image_strip_metadata, validate_image_upload
from organizations.models import Organization
from tests.factories import OrganizationFactory, PhotoFactory
from tests.forms import form_data

GPS_IFD = 0x8825
ARTIST = 0x013B


def _jpeg_with_exif(width=80, height=60) -> bytes:
    image = Image.new("RGB", (width, height), (200, 30, 30))
    exif = Image.Exif()
    exif[ARTIST] = "Li Lei, phone +86 138 0000 0000"
    exif[0x0112] = 1  # orientation
    exif.get_ifd(GPS_IFD)[2] = (22.0, 32.0, 0.0)  # latitude
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif, comment=b"secret comment")
    return buffer.getvalue()


def _upload(content: bytes, name="logo.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


def test_jpeg_fixture_really_has_metadata():
    image = Image.open(io.BytesIO(_jpeg_with_exif()))
    assert image.getexif()[ARTIST].startswith("Li Lei")
    assert image.info.get("comment") == b"secret comment"


def test_strip_metadata_keeps_pixels_and_drops_exif():
    cleaned = image_strip_metadata(file=_upload(_jpeg_with_exif()))
    image = Image.open(io.BytesIO(cleaned.read()))
    assert image.format == "JPEG"
    assert image.size == (80, 60)
    assert dict(image.getexif()) == {}
    assert "comment" not in image.info
    assert "exif" not in image.info


def test_strip_metadata_turns_the_image_upright():
    image = Image.new("RGB", (80, 60))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotated 90° clockwise
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", exif=exif)
    cleaned = Image.open(image_strip_metadata(file=_upload(buffer.getvalue())))
    assert cleaned.size == (60, 80)


def test_png_text_chunks_are_dropped():
    from PIL.PngImagePlugin import PngInfo

    info = PngInfo()
    info.add_text("Author", "Li Lei")
    buffer = io.BytesIO()
    Image.new("RGBA", (10, 10)).save(buffer, format="PNG", pnginfo=info)
    cleaned = Image.open(image_strip_metadata(file=_upload(buffer.getvalue(), "a.png")))
    assert cleaned.format == "PNG"
    assert "Author" not in cleaned.info


@pytest.mark.parametrize(
    "content",
    [b"not an image at all", _jpeg_with_exif()[:200], b"%PDF-1.4 pretending"],
    ids=["text", "truncated-jpeg", "pdf"],
)
def test_validator_refuses_what_is_not_a_whole_image(content):
    with pytest.raises(ValidationError) as error:
        validate_image_upload(_upload(content))
    assert error.value.code == "invalid_image"


def test_validator_refuses_other_image_formats():
    buffer = io.BytesIO()
    Image.new("RGB", (10, 10)).save(buffer, format="BMP")
    with pytest.raises(ValidationError) as error:
        validate_image_upload(_upload(buffer.getvalue(), "a.bmp"))
    assert error.value.code == "invalid_image"


def test_validator_refuses_a_file_over_the_size_limit(settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    with pytest.raises(ValidationError) as error:
        validate_image_upload(_upload(_jpeg_with_exif(400, 300)))
    assert error.value.code == "image_too_large"
    assert "1000\xa0bytes" in error.value.messages[0]


def test_validator_refuses_too_many_pixels(settings):
    settings.IMAGE_UPLOAD_MAX_PIXELS = 100 * 100
    with pytest.raises(ValidationError) as error:
        validate_image_upload(_upload(_jpeg_with_exif(200, 100)))
    assert error.value.code == "image_too_many_pixels"


@pytest.mark.django_db
def test_photo_saved_in_code_is_stored_without_metadata():
    photo = PhotoFactory(image=_upload(_jpeg_with_exif(), "photo.jpg"))
    with photo.image.open("rb") as stored:
        image = Image.open(io.BytesIO(stored.read()))
    assert dict(image.getexif()) == {}
    assert image.size == (80, 60)


def _admin_logo_post(admin_client, organization, upload):
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = form_data(admin_client.get(url).text, "organization_form")
    return admin_client.post(url, {**data, "logo": upload})


@pytest.mark.django_db
def test_admin_logo_upload_is_stored_without_metadata(admin_client):
    organization = OrganizationFactory()
    response = _admin_logo_post(admin_client, organization, _upload(_jpeg_with_exif()))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.logo.name.startswith("logos/")
    with organization.logo.open("rb") as stored:
        content = stored.read()
    assert b"Li Lei" not in content
    assert b"secret comment" not in content
    assert Image.open(io.BytesIO(content)).size == (80, 60)


@pytest.mark.django_db
def test_admin_refuses_a_fake_image(admin_client):
    organization = OrganizationFactory()
    response = _admin_logo_post(admin_client, organization, _upload(b"<?php echo 1; ?>", "x.jpg"))
    assert response.status_code == 200
    assert "Upload a valid image" in response.text
    assert not Organization.objects.get(pk=organization.pk).logo


@pytest.mark.django_db
def test_admin_refuses_a_too_large_image(admin_client, settings):
    settings.IMAGE_UPLOAD_MAX_BYTES = 1000
    organization = OrganizationFactory()
    response = _admin_logo_post(admin_client, organization, _upload(_jpeg_with_exif(400, 300)))
    assert response.status_code == 200
    assert "the largest allowed is 1000" in response.text
    assert not Organization.objects.get(pk=organization.pk).logo


def test_phone_photo_read_as_mpo_is_accepted_and_stored_as_jpeg():
    buffer = io.BytesIO()
    first, second = Image.new("RGB", (40, 30), (10, 20, 30)), Image.new("RGB", (40, 30))
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    assert Image.open(io.BytesIO(buffer.getvalue())).format == "MPO"
    upload = _upload(buffer.getvalue(), name="phone.jpg")
    validate_image_upload(upload)
    upload.seek(0)
    assert Image.open(io.BytesIO(image_strip_metadata(file=upload).read())).format == "JPEG"
