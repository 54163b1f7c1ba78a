import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from events.models import Event, KeyFigure, Venue
from tests.factories import (
    AgreementFactory,
    EventFactory,
    KeyFigureFactory,
    ParticipationFactory,
    SessionFactory,
    VenueFactory,
)

pytestmark = pytest.mark.django_db


def _violates(factory, **kwargs):
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


def test_event_allows_only_one_main_venue():
    event = EventFactory()
    VenueFactory(event=event, kind=Venue.Kind.MAIN)
    VenueFactory(event=event, kind=Venue.Kind.SUB)
    _violates(VenueFactory, event=event, kind=Venue.Kind.MAIN)
    VenueFactory(kind=Venue.Kind.MAIN)  # another edition has its own


def test_participation_is_unique_per_organization_and_event():
    participation = ParticipationFactory()
    _violates(
        ParticipationFactory, event=participation.event, organization=participation.organization
    )


def test_participation_needs_at_least_one_delegate():
    _violates(ParticipationFactory, delegates=0)


def test_participation_reference_is_long_and_random():
    first, second = ParticipationFactory(), ParticipationFactory()
    assert len(first.reference) >= 32
    assert first.reference != second.reference


def test_session_must_end_after_it_starts():
    start = timezone.now()
    _violates(SessionFactory, starts_at=start, ends_at=start)
    SessionFactory(starts_at=start, ends_at=start + datetime.timedelta(hours=1))


def test_session_venue_must_belong_to_its_edition():
    session = SessionFactory.build(event=EventFactory(), venue=VenueFactory())
    with pytest.raises(ValidationError) as info:
        session.full_clean()
    assert "venue" in info.value.message_dict


def test_agreement_amount_cannot_be_negative():
    _violates(AgreementFactory, amount_yuan=-1)
    assert AgreementFactory(amount_yuan=0).amount_yuan == 0


def test_event_cannot_end_before_it_starts():
    day = timezone.localdate()
    _violates(EventFactory, start_date=day, end_date=day - datetime.timedelta(days=1))


def test_event_registration_must_close_after_it_opens():
    now = timezone.now()
    _violates(EventFactory, registration_opens_at=now, registration_closes_at=now)


def test_key_figure_belongs_to_exactly_one_subject():
    event = EventFactory()
    _violates(KeyFigureFactory, series=event.series, event=event)
    _violates(KeyFigureFactory, series=None)
    assert KeyFigureFactory(series=None, event=event).event == event


@pytest.mark.parametrize(
    ("opens", "closes", "state"),
    [
        (None, None, Event.RegistrationState.NONE),
        (1, 2, Event.RegistrationState.NOT_YET_OPEN),
        (-1, 2, Event.RegistrationState.OPEN),
        (-1, None, Event.RegistrationState.OPEN),
        (-2, -1, Event.RegistrationState.CLOSED),
    ],
)
def test_event_registration_state_follows_the_window(opens, closes, state):
    now = timezone.now()
    event = EventFactory.build(
        registration_opens_at=None if opens is None else now + datetime.timedelta(days=opens),
        registration_closes_at=None if closes is None else now + datetime.timedelta(days=closes),
    )
    assert event.registration_state(now=now) == state


def test_event_start_is_in_beijing_time_when_known():
    event = EventFactory.build(start_date=datetime.date(2024, 5, 22), start_time=datetime.time(9))
    assert event.starts_at.isoformat() == "2024-05-22T09:00:00+08:00"
    assert EventFactory.build(start_time=None).starts_at is None


def test_published_upcoming_and_past_editions_are_told_apart():
    today = timezone.localdate()
    past = EventFactory(start_date=today - datetime.timedelta(days=9))
    upcoming = EventFactory(start_date=today + datetime.timedelta(days=9))
    EventFactory(is_published=False)
    assert list(Event.objects.published().upcoming()) == [upcoming]
    assert list(Event.objects.published().past()) == [past]


def test_key_figure_value_keeps_decimal_precision():
    figure = KeyFigureFactory(value="100000000000.0000", unit=KeyFigure.Unit.YUAN)
    figure.refresh_from_db()
    assert str(figure.value) == "100000000000.0000"
