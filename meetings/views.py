"""The registrant's meetings pages, reached from the status page: the registration's reference
is the key (no accounts). Profile, browsing the other side, requests and answers, the agenda
and its iCalendar file."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from registrations.models import Participation

from . import selectors, services
from .calendar import agenda_calendar
from .forms import BrowseForm, PreferenceForm, ProfileForm, RequestForm
from .models import Meeting, MeetingPreference, MeetingProfile

PAGE_SIZE = 20


def _private(response: HttpResponse) -> HttpResponse:
    """A page whose address is a secret: never cached, never indexed, no referrer outside."""
    add_never_cache_headers(response)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _participation(reference: str) -> Participation:
    participation = get_object_or_404(
        Participation.objects.select_related("event__series", "organization", "meeting_profile"),
        reference=reference,
    )
    if participation.status not in (Participation.Status.APPROVED, Participation.Status.PENDING):
        raise Http404
    return participation


def _profile(participation: Participation) -> MeetingProfile | None:
    return getattr(participation, "meeting_profile", None)


def _home(participation: Participation) -> str:
    return reverse("meetings:home", kwargs={"reference": participation.reference})


@require_safe
def meetings_home(request: HttpRequest, reference: str) -> HttpResponse:
    """The registration's meetings: agenda, requests received and sent, its profile."""
    participation = _participation(reference)
    received, sent = selectors.requests(participation=participation)
    context = {
        "participation": participation,
        "profile": _profile(participation),
        "approved": participation.status == Participation.Status.APPROVED,
        "has_slots": participation.event.meeting_rounds.exists(),
        "agenda": selectors.agenda(participation=participation),
        "received": received,
        "sent": sent,
        "past": selectors.past_meetings(participation=participation, limit=20),
        "now": timezone.now(),
    }
    return _private(render(request, "meetings/meeting_home.html", context))


@require_http_methods(["GET", "HEAD", "POST"])
def profile_edit(request: HttpRequest, reference: str) -> HttpResponse:
    participation = _participation(reference)
    profile = _profile(participation)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        participation=participation,
        profile=profile,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(participation=participation, data=form.profile_data())
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Your meeting profile was saved."))
            return redirect(_home(participation))
    return _private(
        render(
            request,
            "meetings/meetingprofile_form.html",
            {"participation": participation, "form": form, "profile": profile},
        )
    )


@require_safe
def profile_list(request: HttpRequest, reference: str) -> HttpResponse:
    """The other side's visible profiles, filtered, a page at a time."""
    participation = _participation(reference)
    profile = _profile(participation)
    if profile is None:
        messages.info(request, _("Fill in your meeting profile first."))
        return redirect("meetings:profile", reference=reference)
    if participation.status != Participation.Status.APPROVED:
        messages.info(request, _("Requests open once your registration is approved."))
        return redirect(_home(participation))
    other = (
        MeetingProfile.Side.PROJECT
        if profile.side == MeetingProfile.Side.INVESTOR
        else MeetingProfile.Side.INVESTOR
    )
    form = BrowseForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    profiles = selectors.profiles_to_browse(
        participation=participation,
        side=other,
        sector=filters.get("sector", ""),
        stage=filters.get("stage", ""),
        amount=filters.get("amount"),
        query=filters.get("q", ""),
    )
    page = Paginator(profiles, PAGE_SIZE).get_page(request.GET.get("page"))
    preferences = dict(
        MeetingPreference.objects.filter(
            participation=participation, target__in=[p.participation_id for p in page]
        ).values_list("target", "level")
    )
    engaged = selectors.engaged_with(participation=participation)
    for item in page:
        item.my_preference = preferences.get(item.participation_id)
        item.engaged = item.participation_id in engaged
    query = request.GET.copy()
    query.pop("page", None)
    return _private(
        render(
            request,
            "meetings/meetingprofile_list.html",
            {
                "participation": participation,
                "profile": profile,
                "form": form,
                "page": page,
                "query": query.urlencode(),
                "levels": MeetingPreference.Level,
            },
        )
    )


@require_http_methods(["GET", "HEAD", "POST"])
def meeting_create(request: HttpRequest, reference: str, profile_pk: int) -> HttpResponse:
    """Request a meeting with an institution of the other side, in a slot."""
    participation = _participation(reference)
    target = get_object_or_404(
        MeetingProfile.objects.visible()
        .select_related("participation__organization")
        .filter(participation__event_id=participation.event_id)
        .exclude(participation=participation),
        pk=profile_pk,
    )
    if _profile(participation) is None:
        return redirect("meetings:profile", reference=reference)
    ours = services.meeting_delegates(participation=participation)
    theirs = services.meeting_delegates(participation=target.participation)
    now = timezone.now()
    taken = selectors.taken_slots(delegates=[*ours, *theirs])
    slots = [
        slot
        for slot in selectors.event_slots(event=participation.event)
        if slot.starts_at > now and slot.pk not in taken
    ]
    form = RequestForm(
        request.POST if request.method == "POST" else None, ours=ours, theirs=theirs, slots=slots
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_request(
                requester=form.cleaned_data["requester"],
                invitee=form.cleaned_data["invitee"],
                slot=form.cleaned_data["slot"],
                message=form.cleaned_data["message"],
            )
        except services.MeetingError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("Your request was sent. The slot is kept for both of you until they answer."),
            )
            return redirect(_home(participation))
    return _private(
        render(
            request,
            "meetings/meeting_form.html",
            {
                "participation": participation,
                "target": target,
                "form": form,
                "slots": slots,
                "approved": participation.status == Participation.Status.APPROVED,
            },
        )
    )


def _own_meeting(participation: Participation, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.of_participation(participation), pk=pk)


@require_POST
def meeting_answer(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    participation = _participation(reference)
    meeting = _own_meeting(participation, pk)
    try:
        if request.POST.get("answer") == "accept":
            meeting = services.meeting_accept(meeting=meeting, participation=participation)
            messages.success(
                request,
                _("The meeting is confirmed, at table %(table)s.")
                % {"table": meeting.table.number},
            )
        else:
            services.meeting_decline(meeting=meeting, participation=participation)
            messages.success(request, _("The request was declined."))
    except services.MeetingError as error:
        messages.error(request, str(error))
    return redirect(_home(participation))


@require_POST
def meeting_cancel(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    participation = _participation(reference)
    meeting = _own_meeting(participation, pk)
    try:
        services.meeting_cancel(meeting=meeting, participation=participation)
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Cancelled. The other side was told."))
    return redirect(_home(participation))


@require_POST
def meeting_mark(request: HttpRequest, reference: str, pk: int) -> HttpResponse:
    participation = _participation(reference)
    meeting = _own_meeting(participation, pk)
    try:
        services.meeting_mark(
            meeting=meeting, held=request.POST.get("held") == "1", participation=participation
        )
    except services.MeetingError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Thank you: the meeting's outcome was recorded."))
    return redirect(_home(participation))


@require_POST
def preference_set(request: HttpRequest, reference: str, profile_pk: int) -> HttpResponse:
    participation = _participation(reference)
    target = get_object_or_404(
        MeetingProfile.objects.visible().filter(participation__event_id=participation.event_id),
        pk=profile_pk,
    )
    form = PreferenceForm(request.POST)
    if form.is_valid():
        try:
            services.preference_set(
                participation=participation,
                target=target.participation,
                level=form.cleaned_data["level"],
            )
        except services.MeetingError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Your wish for the schedule was saved."))
    next_url = request.POST.get("next", "")
    if not next_url.startswith(reverse("meetings:browse", kwargs={"reference": reference})):
        next_url = reverse("meetings:browse", kwargs={"reference": reference})
    return redirect(next_url)


@require_safe
def agenda_ics(request: HttpRequest, reference: str) -> HttpResponse:
    """The registration's confirmed meetings as an iCalendar file."""
    participation = _participation(reference)
    body = agenda_calendar(
        participation=participation,
        meetings=selectors.agenda(participation=participation),
        domain=request.get_host().split(":")[0],
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meetings.ics"'
    return _private(response)
