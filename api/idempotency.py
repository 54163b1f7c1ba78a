"""``Idempotency-Key`` on writes: the same key and request get the first answer for 24 hours.

The key is stored with the answer in the same transaction as the change itself, so a change is
never made twice: a concurrent duplicate waits on the unique key and then gets the stored answer.
The same key with a different request is refused (422).
"""

import datetime
import hashlib
import json
from collections.abc import Callable

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from ninja.errors import HttpError

from .models import ApiToken, IdempotencyRecord

LIFETIME = datetime.timedelta(hours=24)
MAX_KEY = 200


def _fingerprint(request: HttpRequest) -> str:
    return hashlib.sha256(b"|".join([request.method.encode(), request.path.encode(), request.body]))


def idempotent(
    request: HttpRequest, token: ApiToken, action: Callable[[], tuple[int, dict]]
) -> HttpResponse:
    """Run ``action`` (returning a status and a JSON body) at most once per key and token."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        status, body = action()
        return JsonResponse(body, status=status)
    if not key.strip() or len(key) > MAX_KEY or not key.isprintable():
        raise HttpError(400, f"An Idempotency-Key is 1 to {MAX_KEY} printable characters.")
    fingerprint = _fingerprint(request).hexdigest()
    with transaction.atomic():
        # The token's expired records go (its key among them): the table holds a day of writes.
        IdempotencyRecord.objects.filter(
            token=token, created_at__lt=timezone.now() - LIFETIME
        ).delete()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    token=token, key=key, fingerprint=fingerprint
                )
        except IntegrityError:
            record = IdempotencyRecord.objects.get(token=token, key=key)
            if record.fingerprint != fingerprint:
                raise HttpError(
                    422, "This Idempotency-Key was used with a different request."
                ) from None
            if record.status_code is None:
                raise HttpError(
                    409, "A request with this Idempotency-Key is still being processed."
                ) from None
            response = HttpResponse(
                record.body, status=record.status_code, content_type="application/json"
            )
            response["Idempotent-Replayed"] = "true"
            return response
        status, body = action()
        record.status_code = status
        record.body = json.dumps(body, separators=(",", ":"))
        record.save(update_fields=["status_code", "body"])
    return HttpResponse(record.body, status=status, content_type="application/json")
