"""Pages of the API app outside the JSON API: docs (Swagger UI from this site's static files),
the open-data zip, the widget's example page."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.templatetags.static import static
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from events.models import Series

from . import dump


def docs(request: HttpRequest) -> HttpResponse:
    return render(request, "api/docs.html")


@csrf_exempt  # a JSON 404 for any method; it changes nothing
def not_found(request: HttpRequest) -> HttpResponse:
    """Any other address under /api/v1/: a JSON 404, like the endpoints' own."""
    return JsonResponse({"detail": "No such endpoint."}, status=404)


@require_safe
def series_open_data_zip(request: HttpRequest, slug: str) -> HttpResponse:
    """The open-data dump of a series as CSV files in a zip, with a README stating the licence."""
    series = get_object_or_404(Series.objects.select_related("organizer"), slug=slug)
    data = dump.series_dump(request, series)
    response = HttpResponse(dump.series_zip(data), content_type="application/zip")
    stamp = data["generated_at"].strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="{series.slug}-open-data-{stamp}.zip"'
    return response


def widget(request: HttpRequest) -> HttpResponse:
    """How to embed the upcoming editions in a partner's page, with the widget running."""
    script = request.build_absolute_uri(static("js/widget.js"))
    return render(request, "api/widget.html", {"script_url": script})
