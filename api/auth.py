"""Bearer tokens of the staff API and what each may do."""

import datetime

from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer

from events.models import Event

from .models import ApiToken, token_hash


class TokenAuth(HttpBearer):
    """``Authorization: Bearer vcd_…``: a token created in the admin, not expired or revoked."""

    openapi_description = "A staff API token, created in the admin (shown once)."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        if not token or len(token) > 200:
            return None
        try:
            api_token = ApiToken.objects.select_related("user").get(hashed=token_hash(token))
        except ApiToken.DoesNotExist:
            return None
        now = timezone.now()
        if api_token.revoked_at is not None:
            raise HttpError(401, "This token has been revoked.")
        if api_token.expires_at <= now:
            raise HttpError(401, "This token has expired.")
        if not (api_token.user.is_active and api_token.user.is_staff):
            raise HttpError(401, "The staff account of this token is disabled.")
        if api_token.last_used_at is None or now - api_token.last_used_at > datetime.timedelta(
            minutes=1
        ):
            ApiToken.objects.filter(pk=api_token.pk).update(last_used_at=now)
        return api_token


def require_read(token: ApiToken) -> None:
    if not (token.can_read_registrations or token.can_review_registrations):
        raise HttpError(403, "This token may not read registrations.")
    if not token.user.has_perm("registrations.view_participation"):
        raise HttpError(403, "The token's staff account may not see registrations.")


def require_review(token: ApiToken) -> None:
    if not token.can_review_registrations:
        raise HttpError(403, "This token may not review registrations.")
    if not token.user.has_perm("registrations.review_participation"):
        raise HttpError(403, "The token's staff account may not review registrations.")


def event_ids(token: ApiToken) -> list[int] | None:
    """The editions the token is limited to, or None for every edition."""
    ids = list(token.events.values_list("pk", flat=True))
    return ids or None


def require_event(token: ApiToken, event: Event) -> None:
    ids = event_ids(token)
    if ids is not None and event.pk not in ids:
        raise HttpError(403, "This token is limited to other editions.")
