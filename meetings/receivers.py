"""Side effects every path of a registration change must get (the admin, the status page, the
API, a history revert all save the registration): a registration that is cancelled or rejected
cancels its meetings and pending requests, and the other side of each is told. So does a
delegate removed from a registration's list (their meetings go with them). An erased
registration loses what meetings hold of it; a registrant's data export gets the meetings'
part."""

from django.db.models import Q
from django.db.models.signals import post_save, pre_delete

from registrations.models import Delegate, Participation
from registrations.privacy import (
    PersonalDataSection,
    personal_data_requested,
    registration_erased,
)

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


def _registration_erased(sender, participation_pk: int, email: str, placeholder: str, **kwargs):
    """Erase what meetings hold of an erased registrant: the messages of their meetings (either
    side may have named them) and the meeting e-mails sent to them."""
    from outbox.services import emails_scrub

    from .emails import emails_to
    from .models import Meeting

    Meeting.objects.filter(
        Q(requester__participation_id=participation_pk)
        | Q(invitee__participation_id=participation_pk)
    ).exclude(message="").update(message="")
    emails_scrub(
        emails=emails_to(email),
        addresses=[email],
        placeholder=placeholder,
    )


def _personal_data_requested(sender, participation: Participation, **kwargs):
    from .selectors import personal_data

    return PersonalDataSection(
        key="meetings",
        data=personal_data(participation=participation),
        template="meetings/includes/personal_data.html",
    )


def connect() -> None:
    personal_data_requested.connect(_personal_data_requested, dispatch_uid="meetings-personal-data")
    registration_erased.connect(_registration_erased, dispatch_uid="meetings-registration-erased")
    pre_delete.connect(_delegate_deleted, sender=Delegate, dispatch_uid="meetings-delegate-gone")
    post_save.connect(
        _participation_saved, sender=Participation, dispatch_uid="meetings-participation-left"
    )
