"""Views shared by the apps."""

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe


@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    """Answer "ok" while the process serves requests, for load balancers and uptime checks.

    It touches neither the database nor the cache, so it measures the server itself (the
    ceiling of the load benchmark) and stays up while a dependency is down.
    """
    response = HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    add_never_cache_headers(response)
    return response
