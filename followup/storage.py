"""Where evidence documents are kept: a folder of their own, outside MEDIA_ROOT, with no URL.

Files are served only by the admin's evidence view, after it checks the reader's rights.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    """A file system storage at ``settings.PRIVATE_MEDIA_ROOT`` (read when used, so tests can
    point it elsewhere) that has no public address."""

    @property
    def base_location(self):
        return Path(settings.PRIVATE_MEDIA_ROOT)

    @property
    def location(self):
        return str(Path(settings.PRIVATE_MEDIA_ROOT).resolve())

    def url(self, name):
        raise ValueError("Private files have no public address; use the evidence view.")

    def deconstruct(self):
        return ("followup.storage.PrivateStorage", (), {})


private_storage = PrivateStorage()
