"""Rules about institutions that registration and import share."""

import secrets

from django.db.models import Q
from django.utils.text import slugify

from .models import Organization
from .names import normalize_name


def organization_find_match(*, name: str, uscc: str = "") -> Organization | None:
    """Return the existing institution with this USCC, or else with this normalized name.

    A name matches an institution's English or Chinese name after normalization
    (see ``organizations.names.normalize_name``). When a USCC is given, an institution that has
    a different USCC is a different institution even if the names match.
    """
    if uscc:
        organization = Organization.objects.filter(uscc=uscc).first()
        if organization is not None:
            return organization
    key = normalize_name(name)
    if not key:
        return None
    candidates = Organization.objects.filter(
        Q(normalized_name_en=key) | Q(normalized_name_zh_hans=key)
    )
    if uscc:
        candidates = candidates.filter(uscc="")
    return candidates.order_by("pk").first()


def organization_unique_slug(name: str) -> str:
    """Return a slug for a new institution of this name that no institution has yet."""
    base = slugify(name)[:60].strip("-") or "institution"
    slug = base
    while Organization.objects.filter(slug=slug).exists():
        slug = f"{base}-{secrets.token_hex(3)}"
    return slug
