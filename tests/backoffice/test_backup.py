"""Backup and restore round-trip the demo and scale data and the media files."""

import hashlib
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from PIL import Image

from events.models import Agreement, Event, Photo
from organizations.models import Organization
from registrations.models import Participation

pytestmark = pytest.mark.django_db(transaction=True)

KEY_TABLES = {
    Organization: ["slug", "name_en", "name_zh_hans", "uscc", "kind"],
    Event: ["slug", "title_en", "start_date", "capacity"],
    Participation: ["reference", "status", "delegates", "contact_email"],
    Agreement: ["title_en", "amount_yuan", "signed_on"],
}


def _fingerprint() -> dict[str, tuple[int, str]]:
    result = {}
    for model, fields in KEY_TABLES.items():
        rows = list(model.objects.order_by("pk").values_list("pk", *fields))
        result[model.__name__] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
    return result


def _staff_uploads_a_photo() -> Path:
    """The demo holds no image (it may not reproduce the seed's photos): upload one as staff do."""
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (38, 70, 120)).save(buffer, format="JPEG")
    photo = Photo.objects.order_by("pk").first()
    photo.image.save("upload.jpg", ContentFile(buffer.getvalue()))
    return Path(photo.image.path)


def test_backup_and_restore_round_trip_demo_and_scale_data(tmp_path, settings):
    call_command("load_demo", verbosity=0)
    _staff_uploads_a_photo()
    call_command(
        "generate_scale_data", "--institutions=80", "--participations=150", "--agreements=20",
        verbosity=0,
    )  # fmt: skip
    before = _fingerprint()
    photo = Path(Photo.objects.exclude(image="").first().image.path)
    photo_bytes = photo.read_bytes()

    call_command("backup_site", "--output", str(tmp_path / "backup"), verbosity=0)
    Participation.objects.all().delete()
    Organization.objects.filter(slug__startswith="scale-").update(name_en="damaged")
    (settings.MEDIA_ROOT / "photos").rename(settings.MEDIA_ROOT / "lost")
    assert _fingerprint() != before

    call_command("restore_site", str(tmp_path / "backup"), "--yes", verbosity=0)
    assert _fingerprint() == before
    assert photo.read_bytes() == photo_bytes


def test_restore_refuses_without_confirmation(tmp_path):
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore_site", str(tmp_path))


def test_restore_of_a_folder_that_is_no_backup_says_so(tmp_path):
    with pytest.raises(CommandError, match="not a backup folder"):
        call_command("restore_site", str(tmp_path), "--yes")


def test_restore_of_a_damaged_media_archive_changes_nothing(tmp_path, settings):
    call_command("load_demo", verbosity=0)
    photo = _staff_uploads_a_photo()
    call_command("backup_site", "--output", str(tmp_path / "backup"), verbosity=0)
    (tmp_path / "backup" / "media.tar.gz").write_bytes(b"not an archive")
    Participation.objects.all().delete()
    before = _fingerprint()
    with pytest.raises(CommandError, match="cannot be unpacked"):
        call_command("restore_site", str(tmp_path / "backup"), "--yes")
    assert photo.exists()
    assert _fingerprint() == before


def test_backups_are_readable_by_their_owner_only(tmp_path):
    import os
    import stat

    from backoffice.backup import backup_create

    previous = os.umask(0o022)  # a usual umask: files would be world-readable
    try:
        files = backup_create(folder=tmp_path / "backup")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "backup").stat().st_mode) == 0o700
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_backup_and_restore_round_trip_the_private_evidence_files(tmp_path, settings):
    evidence = Path(settings.PRIVATE_MEDIA_ROOT) / "evidence" / "transfer.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF- bank confirmation")
    call_command("backup_site", "--output", str(tmp_path / "backup"), verbosity=0)
    assert (tmp_path / "backup" / "private_media.tar.gz").is_file()
    evidence.unlink()

    call_command("restore_site", str(tmp_path / "backup"), "--yes", verbosity=0)

    assert evidence.read_bytes() == b"%PDF- bank confirmation"


def test_restore_of_a_backup_without_private_files_keeps_those_there(tmp_path, settings):
    call_command("backup_site", "--output", str(tmp_path / "backup"), verbosity=0)
    (tmp_path / "backup" / "private_media.tar.gz").unlink()  # a backup from before they existed
    evidence = Path(settings.PRIVATE_MEDIA_ROOT) / "evidence" / "kept.pdf"
    evidence.parent.mkdir(parents=True)
    evidence.write_bytes(b"%PDF- kept")

    call_command("restore_site", str(tmp_path / "backup"), "--yes", verbosity=0)

    assert evidence.read_bytes() == b"%PDF- kept"
