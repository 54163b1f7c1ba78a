"""Many registrations or approvals at once for the last places, from real threads.

On PostgreSQL the services' row locks (SELECT ... FOR UPDATE) serialize them. SQLite ignores
those locks, but its transactions begin IMMEDIATE (config/settings/base.py), taking the one
write lock up front, so the same tests hold there; the test database is a file (WAL), as for
`make run`, so each thread has a connection of its own.
"""

import contextlib
import threading
from collections import Counter

import pytest
from django.db import connection
from django.db.models import Sum
from django.test import Client
from django.urls import reverse

from events.models import Event
from organizations.models import Organization
from registrations import services
from registrations.models import Participation
from tests.factories import OpenEventFactory, ParticipationFactory, VenueFactory

from .conftest import register
from .test_views import form_data

pytestmark = pytest.mark.django_db(transaction=True)

ATTEMPTS = 40


def run_at_once(target, count):
    """Run target(index) in `count` threads released together; return their errors."""
    barrier = threading.Barrier(count)
    errors = []

    def work(index):
        try:
            barrier.wait()
            target(index)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def approved_delegates(**filters):
    return (
        Participation.objects.filter(status=Participation.Status.APPROVED, **filters).aggregate(
            total=Sum("delegates")
        )["total"]
        or 0
    )


def test_simultaneous_automatic_registrations_never_overfill():
    event = OpenEventFactory(approval_mode=Event.ApprovalMode.AUTOMATIC, capacity=12)
    venue = VenueFactory(event=event, capacity=5)

    def attempt(index):
        register(event, name=f"Firm {index}", delegates=1, venues=[venue])

    errors = run_at_once(attempt, ATTEMPTS)
    assert errors == []
    statuses = Counter(Participation.objects.values_list("status", flat=True))
    assert statuses == {"approved": 5, "waitlisted": ATTEMPTS - 5}
    assert approved_delegates(venues=venue) == 5


def test_simultaneous_staff_approvals_never_overfill():
    event = OpenEventFactory(capacity=7)
    pending = [ParticipationFactory(event=event, delegates=2) for _ in range(ATTEMPTS)]

    def attempt(index):
        services.participation_approve(participation=pending[index])

    errors = run_at_once(attempt, ATTEMPTS)
    assert errors == []
    statuses = Counter(Participation.objects.values_list("status", flat=True))
    assert statuses == {"approved": 3, "waitlisted": ATTEMPTS - 3}
    assert approved_delegates(event=event) == 6


def test_simultaneous_cancellations_promote_each_waiting_registration_once():
    event = OpenEventFactory(capacity=10)
    approved = [
        ParticipationFactory(event=event, status=Participation.Status.APPROVED) for _ in range(10)
    ]
    waiting = [
        ParticipationFactory(event=event, status=Participation.Status.WAITLISTED)
        for _ in range(ATTEMPTS)
    ]

    def attempt(index):
        services.participation_cancel(participation=approved[index])

    errors = run_at_once(attempt, len(approved))
    assert errors == []
    promoted = Participation.objects.filter(
        pk__in=[p.pk for p in waiting], status=Participation.Status.APPROVED
    )
    assert sorted(promoted.values_list("pk", flat=True)) == [p.pk for p in waiting[:10]]
    assert approved_delegates(event=event) == 10


def test_simultaneous_registrations_of_one_institution_make_one_row():
    event = OpenEventFactory()

    def attempt(index):
        with contextlib.suppress(services.AlreadyRegisteredError):
            register(
                event,
                name=["Same Capital", "SAME CAPITAL LTD", "same capital co., ltd."][index % 3],
            )

    errors = run_at_once(attempt, 20)
    assert errors == []
    assert Participation.objects.count() == 1
    assert Organization.objects.filter(normalized_name_en="samecapital").count() == 1


def test_thirty_parallel_submissions_of_the_form_are_all_stored_or_wait_listed(settings):
    """The public form, as `make run` gets it: every person's typed form is kept."""
    settings.REGISTRATION_RATE_LIMIT = "1000/h"
    event = OpenEventFactory(approval_mode=Event.ApprovalMode.AUTOMATIC, capacity=20)
    venue = VenueFactory(event=event, capacity=8)
    address = reverse("registrations:register", kwargs={"slug": event.slug})
    answers = {}

    def attempt(index):
        data = form_data(venue, institution_name=f"Parallel Capital {index}", delegates="1")
        answers[index] = Client().post(address, data).status_code

    errors = run_at_once(attempt, 30)
    assert errors == []
    assert sorted(set(answers.values())) == [302], answers
    statuses = Counter(Participation.objects.values_list("status", flat=True))
    assert statuses == {"approved": 8, "waitlisted": 22}
    assert approved_delegates(venues=venue) == 8
