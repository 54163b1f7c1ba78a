"""Zero-setup settings for a developer's machine (the default of manage.py)."""

import secrets

from .base import *  # noqa: F403
from .base import BASE_DIR, env


def _local_secret_key() -> str:
    """Return DJANGO_SECRET_KEY, or a key generated once and kept in .secret_key."""
    if key := env("DJANGO_SECRET_KEY"):
        return key
    path = BASE_DIR / ".secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _local_secret_key()
SERVE_MEDIA = True
