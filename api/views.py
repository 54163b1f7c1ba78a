"""Pages of the API app: the API docs page (Swagger UI served from this site's static files)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt


def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html")


@csrf_exempt  # a JSON 404 for any method; it changes nothing
def not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under /api/v1/: a JSON 404, like the endpoints' own."""
    return JsonResponse({"detail": "No such endpoint."}, status=404)
