"""The versioned API object: ``/api/v1/`` and its OpenAPI 3.1 schema, from the same models."""

from django.http import HttpRequest
from ninja import NinjaAPI

from . import public, staff

DESCRIPTION = """
Open data of the investment-promotion events on this site: series, editions with their venues,
agenda and speakers, institutions (public fields only), agreements with their parties, key
figures as *reported* by organizers and figures *computed* from the data, and outcomes per
edition and series. Texts come in both languages: `{"en": …, "zh_hans": …}`.

* **Versioning**: the path carries the major version (`/api/v1/`); fields are only ever added
  within a version.
* **Pagination**: lists are ordered by id and paged with an opaque `cursor` (`next` holds the
  next page's address); `limit` is 1 to 100.
* **Caching**: every GET has an `ETag` (send `If-None-Match` to get `304`) and `Cache-Control`.
* **CORS**: public GETs may be read from any origin.
* **Limits**: per client address, or per token with a token; `429` with `Retry-After` and the
  `RateLimit-*` headers.
* **Staff**: `/api/v1/staff/` needs `Authorization: Bearer <token>`, a token created in the admin
  (shown once, scoped, per edition, expiring). Writes honour `Idempotency-Key` for 24 hours.
"""

api = NinjaAPI(
    title="Investment-promotion events API",
    version="1.0.0",
    description=DESCRIPTION,
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)
api.add_router("/", public.router)
api.add_router("/staff/", staff.router)


@api.exception_handler(ValueError)
def _value_error(request: HttpRequest, exc: ValueError):
    # Malformed input that slips past validation (e.g. a NUL byte in a filter) is the
    # client's mistake, not a server error.
    return api.create_response(request, {"detail": "The request is not valid."}, status=400)
