"""Writes of the API app: tokens, and webhook messages (see ``webhooks``)."""

import datetime
from collections.abc import Iterable

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from events.models import Event

from .models import ApiToken

#: Longest a token may live.
MAX_TOKEN_LIFETIME = datetime.timedelta(days=366)


def api_token_create(
    *,
    name: str,
    user: AbstractBaseUser,
    expires_at: datetime.datetime,
    can_read_registrations: bool = True,
    can_review_registrations: bool = False,
    events: Iterable[Event] = (),
) -> tuple[ApiToken, str]:
    """Create a token; return it and its secret value, which is stored only as a hash."""
    with transaction.atomic():
        token = ApiToken(
            name=name,
            user=user,
            expires_at=expires_at,
            can_read_registrations=can_read_registrations,
            can_review_registrations=can_review_registrations,
        )
        raw = token.set_new_token()
        token.save()
        token.events.set(events)
    return token, raw


def api_token_revoke(*, token: ApiToken) -> None:
    ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
