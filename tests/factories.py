"""factory_boy factories for every model; each builds a valid row and nothing more."""

import datetime
from decimal import Decimal

import factory
from django.utils import timezone

from events.models import (
    Agreement,
    AgreementParty,
    Event,
    EventHost,
    KeyFigure,
    Photo,
    Series,
    Session,
    SessionSpeaker,
    Venue,
)
from organizations.models import Organization, OrganizerContact, Person
from registrations.models import Delegate, Participation


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name_en = factory.Sequence(lambda n: f"Institution {n}")
    slug = factory.Sequence(lambda n: f"institution-{n}")
    kind = Organization.Kind.VC_FIRM
    city_en = "Shenzhen"


class OrganizerContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrganizerContact

    name_en = "Investment Promotion Office"
    email = "office@example.org"


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name_en = factory.Sequence(lambda n: f"Person {n}")
    position_en = "Partner"
    organization = factory.SubFactory(OrganizationFactory)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series

    name_en = factory.Sequence(lambda n: f"Series {n}")
    slug = factory.Sequence(lambda n: f"series-{n}")
    organizer = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.GOVERNMENT)


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    series = factory.SubFactory(SeriesFactory)
    title_en = factory.Sequence(lambda n: f"Edition {n}")
    slug = factory.Sequence(lambda n: f"edition-{n}")
    start_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    end_date = factory.LazyAttribute(lambda o: o.start_date)
    city_en = "Beijing"
    is_published = True


class EventHostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventHost

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory, kind=Organization.Kind.GOVERNMENT)
    role = EventHost.Role.HOST


class VenueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Venue

    event = factory.SubFactory(EventFactory)
    kind = Venue.Kind.SUB
    name_en = factory.Sequence(lambda n: f"Sub-venue {n}")


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Session

    event = factory.SubFactory(EventFactory)
    venue = factory.SubFactory(VenueFactory, event=factory.SelfAttribute("..event"))
    title_en = factory.Sequence(lambda n: f"Session {n}")


class SessionSpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionSpeaker

    session = factory.SubFactory(SessionFactory)
    person = factory.SubFactory(PersonFactory)


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    event = factory.SubFactory(EventFactory)
    organization = factory.SubFactory(OrganizationFactory)
    contact_name = factory.Sequence(lambda n: f"Contact {n}")
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.com")
    delegates = 1


class DelegateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Delegate

    participation = factory.SubFactory(ParticipationFactory)
    name_zh = factory.Sequence(lambda n: f"代表{n}")
    name_en = factory.Sequence(lambda n: f"Delegate {n}")
    order = factory.Sequence(lambda n: n)


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    event = factory.SubFactory(EventFactory)
    kind = Agreement.Kind.MOU
    title_en = factory.Sequence(lambda n: f"Agreement {n}")
    signed_on = factory.LazyAttribute(lambda o: o.event.start_date if o.event else None)


class AgreementPartyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AgreementParty

    agreement = factory.SubFactory(AgreementFactory)
    organization = factory.SubFactory(OrganizationFactory)


class KeyFigureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyFigure

    series = factory.SubFactory(SeriesFactory)
    label_en = factory.Sequence(lambda n: f"Figure {n}")
    value = Decimal(100)


class PhotoFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Photo

    event = factory.SubFactory(EventFactory)
    image = factory.django.ImageField(width=64, height=48)
    caption_en = factory.Sequence(lambda n: f"Photo {n}")
    credit = "Photographer"


class OpenEventFactory(EventFactory):
    """A published edition whose registration opened yesterday and closes in ten days."""

    registration_opens_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=1)
    )
    registration_closes_at = factory.LazyFunction(
        lambda: timezone.now() + datetime.timedelta(days=10)
    )


class OutboundEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outbox.OutboundEmail"

    kind = "receipt"
    to = factory.Sequence(lambda n: f"contact{n}@example.com")
    subject = "Registration received"
    body_text = "Dear contact,"


class EmailAttemptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "outbox.EmailAttempt"

    email = factory.SubFactory(OutboundEmailFactory)
    number = 1
    outcome = "transient"
    error = "ConnectionRefusedError: [Errno 111] Connection refused"


class StaffMessageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "registrations.StaffMessage"

    event = factory.SubFactory(OpenEventFactory)
    subject_en = "Practical information"
    subject_zh_hans = "参会须知"
    body_en = "Doors open at 8:30."
    body_zh_hans = "八点半开门。"
    statuses = factory.LazyFunction(lambda: ["approved"])


# --- meetings ------------------------------------------------------------------------------


class MeetingRoundFactory(factory.django.DjangoModelFactory):
    """Three 20-minute slots at two tables, on the edition's first day at 14:00."""

    class Meta:
        model = "meetings.MeetingRound"
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    venue = factory.SubFactory(VenueFactory, event=factory.SelfAttribute("..event"))
    starts_at = factory.LazyAttribute(
        lambda o: timezone.make_aware(
            datetime.datetime.combine(o.event.start_date, datetime.time(14))
        )
    )
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + datetime.timedelta(hours=1))
    slot_minutes = 20
    tables = 2

    @factory.post_generation
    def generate(self, create, extracted, **kwargs):
        if create:
            from meetings.services import round_generate

            round_generate(meeting_round=self)


class MeetingProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.MeetingProfile"

    participation = factory.SubFactory(ParticipationFactory, status=Participation.Status.APPROVED)
    side = "investor"
    sectors = ",ai,"
    stages = ",early,"
    pitch_en = factory.Sequence(lambda n: f"Pitch {n}")


class MeetingSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.MeetingSettings"

    event = factory.SubFactory(EventFactory)


class MeetingFactory(factory.django.DjangoModelFactory):
    """A confirmed meeting at the first table of a new round's first slot (without seats)."""

    class Meta:
        model = "meetings.Meeting"

    event = factory.SubFactory(EventFactory)
    slot = factory.LazyAttribute(lambda o: MeetingRoundFactory(event=o.event).slots.first())
    table = factory.LazyAttribute(lambda o: o.slot.round.table_set.first())
    requester = factory.SubFactory(
        DelegateFactory, participation__event=factory.SelfAttribute("...event")
    )
    invitee = factory.SubFactory(
        DelegateFactory, participation__event=factory.SelfAttribute("...event")
    )
    status = "accepted"
    source = "staff"


# --- followup (branch followup) -------------------------------------------------------------


class OfficeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.Office"

    name = factory.Sequence(lambda n: f"Investment Promotion Office {n}")
    email = factory.Sequence(lambda n: f"office{n}@example.com")


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.FollowUp"

    agreement = factory.SubFactory(AgreementFactory)
    reference = factory.Sequence(lambda n: f"FU-{n:04d}")
    office = factory.SubFactory(OfficeFactory)
    stage_on = factory.LazyAttribute(lambda o: o.agreement.signed_on)


class CapitalEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "followup.CapitalEntry"

    followup = factory.SubFactory(FollowUpFactory)
    amount = Decimal("1000000")
    currency = "CNY"
    received_on = factory.LazyFunction(lambda: datetime.date(2025, 1, 15))
    kind = "equity"
    evidence = factory.django.FileField(filename="statement.pdf", data=b"%PDF-1.4 evidence")


class CheckinListFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "checkin.CheckinList"

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Gate {n}")
