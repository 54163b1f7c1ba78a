"""A photo or logo upload that cannot be stored is a clear admin error, not a crash.

MEDIA_ROOT points below a regular file: creating the upload's folder fails with an OSError
(NotADirectoryError), as a full disk or a read-only folder would, even for root.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from events.models import Photo
from tests.factories import EventFactory, OrganizationFactory
from tests.forms import form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def unwritable_media(settings, tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a regular file where the media folder's parent should be")
    settings.MEDIA_ROOT = blocker / "media"
    return settings.MEDIA_ROOT


def _jpeg(name="photo.jpg"):
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _assert_clear_error(response, client, url):
    assert response.status_code == 302
    assert response["Location"] == url
    page = client.get(url)
    assert page.status_code == 200
    assert "The uploaded file could not be stored (Not a directory)" in page.text
    assert "nothing was saved" in page.text


def test_photo_upload_to_unwritable_media_is_an_admin_error(admin_client, unwritable_media):
    event = EventFactory()
    url = reverse("admin:events_photo_add")
    data = form_data(admin_client.get(url).text, "photo_form")
    data.update({"event": str(event.pk), "caption_en": "Signing ceremony", "image": _jpeg()})
    response = admin_client.post(url, data)
    _assert_clear_error(response, admin_client, url)
    assert not Photo.objects.exists()


def test_logo_upload_to_unwritable_media_keeps_other_changes_unsaved(
    admin_client, unwritable_media
):
    organization = OrganizationFactory(name_en="Example Capital")
    url = reverse("admin:organizations_organization_change", args=[organization.pk])
    data = form_data(admin_client.get(url).text, "organization_form")
    data.update({"name_en": "Renamed Capital", "logo": _jpeg("logo.jpg")})
    response = admin_client.post(url, data)
    _assert_clear_error(response, admin_client, url)
    organization.refresh_from_db()
    assert organization.name_en == "Example Capital"
    assert not organization.logo


def test_upload_works_again_once_media_is_writable(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    event = EventFactory()
    url = reverse("admin:events_photo_add")
    data = form_data(admin_client.get(url).text, "photo_form")
    data.update({"event": str(event.pk), "caption_en": "Signing ceremony", "image": _jpeg()})
    assert admin_client.post(url, data).status_code == 302
    photo = Photo.objects.get()
    assert (tmp_path / "media" / photo.image.name).is_file()
