"""Side effects every path of a registration change must get (the admin, the status page, the
API, a history revert all save the registration): a registration that is cancelled or rejected
cancels its meetings and pending requests, and the other side of each is told. So does a
delegate removed from a registration's list (their meetings go with them)."""

from django.db.models import Q
from django.db.models.signals import post_save, pre_delete

from registrations.models import Delegate, Participation

LEAVING = frozenset({Participation.Status.CANCELLED, Participation.Status.REJECTED})


def _participation_saved(sender, instance: Participation, created: bool, **kwargs) -> None:
    if created or instance.status not in LEAVING:
        return
    from .models import Meeting
    from .services import meeting_cancel

    for meeting in Meeting.objects.filter(
        status__in=[Meeting.Status.PENDING, Meeting.Status.ACCEPTED, Meeting.Status.DRAFT]
    ).of_participation(instance):
        meeting_cancel(meeting=meeting, participation=instance)


def _delegate_deleted(sender, instance: Delegate, **kwargs) -> None:
    from .models import Meeting
    from .services import meeting_cancel

    for meeting in Meeting.objects.filter(
        Q(requester=instance) | Q(invitee=instance),
        status__in=[Meeting.Status.PENDING, Meeting.Status.ACCEPTED],
    ):
        meeting_cancel(meeting=meeting, participation=instance.participation)


def connect() -> None:
    pre_delete.connect(_delegate_deleted, sender=Delegate, dispatch_uid="meetings-delegate-gone")
    post_save.connect(
        _participation_saved, sender=Participation, dispatch_uid="meetings-participation-left"
    )
