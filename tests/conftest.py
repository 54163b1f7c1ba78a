import pytest


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Write uploads of each test to its own folder."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private_media"
