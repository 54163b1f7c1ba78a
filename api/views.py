"""Pages of the API app: the API docs page (Swagger UI served from this site's static files)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render


def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html")


def not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under /api/v1/: a JSON 404, like the endpoints' own."""
    return JsonResponse({"detail": "No such endpoint."}, status=404)
