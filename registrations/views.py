from django.conf import settings
from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe
from django.views.generic import TemplateView

from events.models import Event
from organizations.selectors import organizer_email

from . import privacy, services
from . import ratelimit as limits
from .forms import DelegateFormSet, FindRegistrationForm, RegistrationForm
from .models import Delegate, Participation
from .selectors import sub_venues_with_usage

# References of the registrations made in this browser session, so a double submit leads back
# to the registration it created instead of an error.
SESSION_KEY = "registrations:references"


def _too_many_message() -> str:
    return _(
        "We received too many registrations from your network in a short time, so this one "
        "was not saved. What you typed is kept below: please wait a while and send it again."
    )


def _too_many_requests(request: HttpRequest) -> HttpResponse:
    return render(request, "registrations/rate_limited.html", status=429)


def _private(response: HttpResponse) -> HttpResponse:
    """Keep a page whose address is a secret out of caches, search engines and referrers.

    "same-origin", not "no-referrer": with no referrer at all, browsers send "Origin: null" on
    the cancel form's POST and Django's CSRF check refuses it.
    """
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def participation_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Show and accept the registration form of an edition while registration is open."""
    event = get_object_or_404(Event.objects.published(), slug=slug)
    state = event.registration_state()
    if state != Event.RegistrationState.OPEN:
        return render(
            request,
            "registrations/registration_closed.html",
            {"event": event, "state": state, "states": Event.RegistrationState},
            status=403 if request.method == "POST" else 200,
        )
    already_registered = False
    form = RegistrationForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        # A slot is taken before registering, in one atomic step (see registrations/ratelimit.py);
        # only what can harm keeps it: a registration made, or an institution found registered.
        try:
            within_limit = limits.slot_take(request)
        except limits.RateLimitUnavailableError:
            return render(request, "registrations/rate_limit_unavailable.html", status=503)
        if not within_limit:
            # The form again, with what was typed: nothing is lost while waiting.
            form.add_error(None, _too_many_message())
            return render(
                request,
                "registrations/participation_form.html",
                {"event": event, "form": form},
                status=429,
            )
        try:
            participation = services.participation_register(
                event=event, request=form.registration_request()
            )
        except services.AlreadyRegisteredError as error:
            existing = error.participation
            if existing.reference in request.session.get(SESSION_KEY, []):
                limits.slot_release(request)
                messages.info(request, _("This registration was already received."))
                return redirect(existing)
            already_registered = True  # the page explains it, with a way to the status link
        except services.RegistrationError as error:
            limits.slot_release(request)
            form.add_error(error.field, str(error))
        else:
            request.session[SESSION_KEY] = [
                *request.session.get(SESSION_KEY, [])[-9:],
                participation.reference,
            ]
            messages.success(
                request,
                _(
                    "Thank you. Your registration was received and a receipt was sent to "
                    "%(email)s. Keep the address of this page: it shows your registration's "
                    "status."
                )
                % {"email": participation.contact_email},
            )
            return redirect(participation)
    return render(
        request,
        "registrations/participation_form.html",
        {"event": event, "form": form, "already_registered": already_registered},
    )


@require_http_methods(["GET", "HEAD", "POST"])
def participation_find(request: HttpRequest, slug: str) -> HttpResponse:
    """E-mail the status links of an address's registrations for an edition.

    The answer is the same whether or not a registration exists, so the page reveals nothing.
    """
    event = get_object_or_404(Event.objects.published(), slug=slug)
    if request.method == "POST":
        try:
            if not limits.slot_take(request, group=limits.FIND):
                return _too_many_requests(request)
        except limits.RateLimitUnavailableError:
            return render(request, "registrations/rate_limit_unavailable.html", status=503)
    form = FindRegistrationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        for participation in event.participations.filter(
            contact_email__iexact=form.cleaned_data["email"]
        ):
            services.participation_send_reminder(participation=participation)
        messages.info(
            request,
            _(
                "If a registration for this edition uses that address, its status link is on "
                "its way there."
            ),
        )
        return redirect("registrations:find", slug=event.slug)
    return render(request, "registrations/participation_find.html", {"event": event, "form": form})


def participation_detail(request: HttpRequest, reference: str) -> HttpResponse:
    """Show a registration to whoever holds its reference."""
    participation = get_object_or_404(
        Participation.objects.select_related("event__series", "organization")
        .prefetch_related(
            "venues",
            Prefetch("delegate_list", queryset=Delegate.objects.prefetch_related("venues")),
        )
        .with_erasure_request(),
        reference=reference,
    )
    return _private(
        render(
            request,
            "registrations/participation_detail.html",
            {
                "participation": participation,
                "can_cancel": participation.can_be_cancelled,
                "can_edit_delegates": _delegates_editable(participation),
                "statuses": Participation.Status,
            },
        )
    )


def _delegates_editable(participation: Participation) -> bool:
    return participation.can_be_cancelled and participation.event.delegates_editable()


@require_http_methods(["GET", "HEAD", "POST"])
def participation_delegates(request: HttpRequest, reference: str) -> HttpResponse:
    """Let the registrant name the delegates until the edition's deadline."""
    participation = get_object_or_404(
        Participation.objects.select_related("event__series", "organization"), reference=reference
    )
    if not _delegates_editable(participation):
        messages.info(
            request, _("The delegates of this registration can no longer be changed here.")
        )
        return redirect(participation)
    venues = sub_venues_with_usage(events=[participation.event])
    stored = participation.delegate_list.prefetch_related("venues")
    initial = [
        {
            "pk": delegate.pk,
            "name_zh": delegate.name_zh,
            "name_en": delegate.name_en,
            "position": delegate.position,
            "mobile": delegate.mobile,
            "venues": list(delegate.venues.all()),
        }
        for delegate in stored
    ]
    formset = DelegateFormSet(
        request.POST if request.method == "POST" else None,
        initial=initial,
        venues=venues,
        prefix="delegates",
    )
    if request.method == "POST" and formset.is_valid():
        try:
            services.delegates_replace(
                participation=participation, delegates=formset.delegate_data()
            )
        except services.RegistrationError as error:
            formset._non_form_errors = formset.error_class([str(error)])
        else:
            messages.success(request, _("The delegates were saved."))
            return redirect(participation)
    return _private(
        render(
            request,
            "registrations/participation_delegates.html",
            {"participation": participation, "formset": formset},
        )
    )


@require_http_methods(["GET", "HEAD", "POST"])
def participation_cancel(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask for confirmation, then cancel the registration (POST only)."""
    participation = get_object_or_404(
        Participation.objects.select_related("event__series", "organization"), reference=reference
    )
    if not participation.can_be_cancelled:
        messages.info(request, _("This registration cannot be cancelled any more."))
        return redirect(participation)
    if request.method == "POST":
        try:
            services.participation_cancel(participation=participation)
        except services.RegistrationError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your registration has been cancelled."))
        return redirect(participation)
    return _private(
        render(
            request,
            "registrations/participation_confirm_cancel.html",
            {"participation": participation},
        )
    )


def _own_registration(reference: str) -> Participation:
    return get_object_or_404(
        Participation.objects.select_related("event__series", "organization").prefetch_related(
            "venues"
        ),
        reference=reference,
    )


@require_safe
def participation_data(request: HttpRequest, reference: str) -> HttpResponse:
    """Show a registrant everything stored about their registration, readably."""
    participation = _own_registration(reference)
    return _private(
        render(
            request,
            "registrations/participation_data.html",
            {
                "participation": participation,
                "data": privacy.registration_personal_data(participation=participation),
                "delegates": participation.delegate_list.prefetch_related("venues"),
                "sections": privacy.personal_data_sections(participation=participation),
                "statuses": dict(Participation.Status.choices),
            },
        )
    )


@require_safe
def participation_data_json(request: HttpRequest, reference: str) -> HttpResponse:
    """Let a registrant download everything stored about their registration as JSON."""
    participation = _own_registration(reference)
    response = JsonResponse(
        privacy.participation_personal_data(participation=participation),
        json_dumps_params={"ensure_ascii": False, "indent": 2},
    )
    response["Content-Disposition"] = 'attachment; filename="registration.json"'
    return _private(response)


@require_http_methods(["GET", "HEAD", "POST"])
def participation_erase(request: HttpRequest, reference: str) -> HttpResponse:
    """Ask for confirmation, then record the registrant's request for erasure (POST only)."""
    participation = _own_registration(reference)
    if request.method == "POST":
        privacy.erasure_request_create(participation=participation)
        messages.success(
            request,
            _(
                "Your request was received. The organizer's staff will erase the personal data "
                "of this registration and confirm it by e-mail."
            ),
        )
        return redirect(participation)
    return _private(
        render(
            request,
            "registrations/participation_confirm_erase.html",
            {"participation": participation},
        )
    )


class PrivacyNoticeView(TemplateView):
    template_name = "registrations/privacy_notice.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            retention_days=settings.REGISTRATION_RETENTION_DAYS,
            organizer_email=organizer_email(),
            **kwargs,
        )
