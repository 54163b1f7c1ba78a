"""The pages of check-in staff: entrances, the scan page and its JSON endpoints, badges as PDF,
and the live view. Thin: services decide, selectors read."""

import base64
import csv
import datetime
import json
import re
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from events.models import Event
from registrations.models import Participation

from . import selectors, services
from .forms import BadgeFilterForm
from .models import Entrance, SigningKey

LOGIN_URL = reverse_lazy("admin:login")
NONCE = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def staff_with(permission: str):
    """Signed-in users with ``permission``; others are sent to sign in, or refused (403)."""

    def decorator(view):
        @wraps(view)
        @login_required(login_url=LOGIN_URL)
        @never_cache
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


scanner = staff_with("checkin.scan_badges")


@scanner
@require_GET
def entrance_list(request: HttpRequest) -> HttpResponse:
    """Entrances of editions that have not ended, to pick the one this phone stands at."""
    entrances = (
        Entrance.objects.filter(checkin_list__event__end_date__gte=timezone.localdate())
        .select_related("checkin_list__event", "checkin_list__venue")
        .order_by("checkin_list__event__start_date", "checkin_list__name", "order", "pk")
    )
    return render(request, "checkin/entrance_list.html", {"entrances": entrances})


@scanner
@require_GET
def entrance_scan(request: HttpRequest, pk: int) -> HttpResponse:
    """The scan page of one entrance: camera, scanner field, manual search, offline queue."""
    entrance = get_object_or_404(
        Entrance.objects.select_related("checkin_list__event", "checkin_list__venue"), pk=pk
    )
    # The edition's public key lets the page check a code's signature while offline.
    key = SigningKey.objects.filter(event_id=entrance.checkin_list.event_id).first()
    return render(
        request,
        "checkin/entrance_scan.html",
        {
            "entrance": entrance,
            "public_key": base64.b64encode(bytes(key.public_key)).decode() if key else "",
        },
    )


@scanner
@require_POST
def scan(request: HttpRequest, pk: int) -> JsonResponse:
    """Decide one scan sent as JSON: {code | delegate, nonce, device, scanned_at}."""
    entrance = get_object_or_404(Entrance.objects.select_related("checkin_list"), pk=pk)
    try:
        data = json.loads(request.body.decode("utf-8"))
        if not isinstance(data, dict):
            raise TypeError
        scan_request = _scan_request(entrance, data)
    except (ValueError, TypeError, UnicodeDecodeError):
        return JsonResponse({"error": _("The scan could not be read.")}, status=400)
    stored = services.scan_redeem(request=scan_request, by=request.user)
    return JsonResponse(selectors.scan_answer(stored))


def _scan_request(entrance: Entrance, data: dict) -> services.ScanRequest:
    code = data.get("code") or ""
    delegate = data.get("delegate")
    nonce = data.get("nonce") or ""
    device = data.get("device") or ""
    if not isinstance(code, str) or not isinstance(nonce, str) or not isinstance(device, str):
        raise TypeError
    if delegate is not None and (
        isinstance(delegate, bool) or not isinstance(delegate, int) or not 0 < delegate < 2**63
    ):
        raise ValueError
    if not code and delegate is None:
        raise ValueError
    if nonce and not NONCE.match(nonce):
        raise ValueError
    scanned_at = None
    if data.get("scanned_at"):
        scanned_at = parse_datetime(str(data["scanned_at"])[:40])
        if scanned_at is None or timezone.is_naive(scanned_at):
            raise ValueError
        # An offline scan may wait a day for the network; older claims are judged now.
        if scanned_at < timezone.now() - datetime.timedelta(days=2):
            scanned_at = None
    return services.ScanRequest(
        entrance=entrance,
        code=code[:1000],
        delegate_id=delegate,
        nonce=nonce,
        device=device[:64],
        scanned_at=scanned_at,
    )


@scanner
@require_GET
def delegate_search(request: HttpRequest, pk: int) -> JsonResponse:
    """Delegates of the entrance's edition by name, institution or last digits of a mobile."""
    entrance = get_object_or_404(Entrance.objects.select_related("checkin_list"), pk=pk)
    found = selectors.delegates_search(
        event_id=entrance.checkin_list.event_id, query=request.GET.get("q", "")
    )
    return JsonResponse(
        {
            "results": [
                {
                    "id": delegate.pk,
                    "name": delegate.name,
                    "institution": delegate.participation.organization.name,
                    "position": delegate.position,
                    "category": str(delegate.get_category_display()),
                    "status": str(delegate.participation.get_status_display()),
                    "mobile_end": delegate.mobile[-4:] if delegate.mobile else "",
                }
                for delegate in found
            ]
        }
    )


def _event(slug: str) -> Event:
    event = Event.objects.filter(slug=slug).first()
    if event is None:
        raise Http404
    return event


badge_printer = staff_with("checkin.view_badge")


@badge_printer
@require_GET
def edition_badges(request: HttpRequest, slug: str) -> HttpResponse:
    """The badges of an edition: a filter form, and the print-ready PDF it leads to."""
    event = _event(slug)
    form = BadgeFilterForm(request.GET or None, event=event)
    if request.GET.get("format") == "pdf" and form.is_valid():
        data = form.cleaned_data
        delegates = list(
            selectors.badge_delegates(
                event=event,
                status=data["status"] or None,
                venue_id=data["venue"].pk if data["venue"] else None,
                kind=data["kind"] or None,
                category=data["category"] or None,
            )
        )
        pdf = services.badges_pdf(event=event, delegates=delegates, sheet=True)
        return _pdf(pdf, f"badges-{event.slug}.pdf")
    return render(request, "checkin/edition_badges.html", {"event": event, "form": form})


@require_GET
@never_cache
def participation_badges(request: HttpRequest, reference: str) -> HttpResponse:
    """An approved registration's badges, one A6 page each, for whoever holds its reference."""
    participation = get_object_or_404(
        Participation.objects.select_related("event"),
        reference=reference,
        status=Participation.Status.APPROVED,
    )
    delegates = list(
        participation.delegate_list.select_related("participation__organization").prefetch_related(
            "venues"
        )
    )
    if not delegates:
        raise Http404
    pdf = services.badges_pdf(event=participation.event, delegates=delegates, sheet=False)
    response = _pdf(pdf, f"badges-{participation.event.slug}.pdf")
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _pdf(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@staff_with("checkin.view_scan")
@require_GET
def edition_live(request: HttpRequest, slug: str) -> HttpResponse:
    """Arrivals per entrance and per list over time; officials and VIPs not yet arrived."""
    event = _event(slug)
    export = request.GET.get("export")
    if export == "arrivals":
        return _csv(
            f"arrivals-{event.slug}.csv",
            [
                _("Time"),
                _("Entrance"),
                _("List"),
                _("Sub-venue"),
                _("Name"),
                _("Institution"),
                _("Category"),
                _("Device"),
            ],
            (
                [
                    timezone.localtime(scan.scanned_at).strftime("%Y-%m-%d %H:%M:%S"),
                    scan.entrance.name,
                    scan.checkin_list.name,
                    scan.checkin_list.venue.name if scan.checkin_list.venue else "",
                    scan.delegate.name,
                    scan.delegate.participation.organization.name,
                    scan.delegate.get_category_display(),
                    scan.device,
                ]
                for scan in selectors.admissions(event=event)
            ),
        )
    live = selectors.arrivals(event=event)
    if export == "missing":
        return _csv(
            f"not-arrived-{event.slug}.csv",
            [_("Category"), _("Name"), _("Position"), _("Institution"), _("Mobile number")],
            (
                [
                    delegate.get_category_display(),
                    delegate.name,
                    delegate.position,
                    delegate.participation.organization.name,
                    delegate.mobile,
                ]
                for delegate in live.missing_protocol
            ),
        )
    return render(
        request,
        "checkin/edition_live.html",
        {"event": event, "live": live, "now": timezone.localtime()},
    )


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    """A CSV that Excel opens as UTF-8; cells that look like formulas stay text."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(value) for value in row])
    return response


def _cell(value) -> str:
    text = str(value)
    return "'" + text if text[:1] in {"=", "+", "-", "@", "\t", "\r"} else text
