"""Moving registrations from the events app to the registrations app loses nothing (issue 9).

The database is filled with the demo, scale data and registrations with history, taken back to
the previous layout's migrations, given more rows there through that layout's own models, and
migrated forward again: the moved tables are compared row for row, and the staff groups keep
their rights on registrations.
"""

import hashlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from registrations import services
from registrations.models import Participation
from tests.factories import OpenEventFactory, VenueFactory

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE_THE_MOVE = [
    ("events", "0003_clean_image_field"),
    ("registrations", "0001_initial"),
    ("backoffice", "0003_editors_without_registrations"),
]
MOVED_TABLES = [
    "events_participation",
    "events_participation_venues",
    "registrations_statuschange",
    "registrations_emaildelivery",
    "backoffice_historicalparticipation",
]


def _migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return MigrationExecutor(connection)


def _latest() -> list[tuple[str, str]]:
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


#: Columns later migrations removed: e-mail records moved their outcome to the outbox.
DROPPED_LATER = {"registrations_emaildelivery": {"outcome", "error"}}


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [
            column.name
            for column in connection.introspection.get_table_description(cursor, table)
            if column.name not in DROPPED_LATER.get(table, set())
        ]


def _checksum(table: str, columns: list[str]) -> tuple[int, str]:
    """Rows and a digest of the columns the table had before the move (later migrations may add
    some)."""
    digest = hashlib.sha256()
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {names} FROM {table} ORDER BY 1, 2")  # noqa: S608 (ours)
        rows = cursor.fetchall()
    for row in rows:
        digest.update(repr(tuple(str(value) for value in row)).encode())
    return len(rows), digest.hexdigest()


def _group_rights() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
            if p.content_type.model == "participation"
        }
        for group in Group.objects.all()
    }


def _fill_with_the_current_code() -> None:
    call_command("load_demo", verbosity=0)
    call_command(
        "generate_scale_data",
        institutions=300,
        editions=2,
        sessions=10,
        participations=600,
        agreements=20,
        verbosity=0,
    )
    event = OpenEventFactory()
    venue = VenueFactory(event=event, capacity=3)
    for number in range(5):
        participation = services.participation_register(
            event=event,
            request=services.RegistrationRequest(
                institution_name=f"Moved Capital {number}",
                contact_name="Li Lei",
                contact_email=f"li{number}@example.com",
                delegates=1,
                venues=(venue,),
            ),
        )
        services.participation_approve(participation=participation)


def _add_rows_in_the_previous_layout(apps) -> None:
    """Rows written through the models as they were before the move."""
    old_participation = apps.get_model("events", "Participation")
    history = apps.get_model("backoffice", "HistoricalParticipation")
    status_change = apps.get_model("registrations", "StatusChange")
    event = apps.get_model("events", "Event").objects.order_by("pk").first()
    for organization in apps.get_model("organizations", "Organization").objects.exclude(
        participations__event=event
    )[:20]:
        row = old_participation.objects.create(
            event=event,
            organization=organization,
            contact_name="Old Layout",
            contact_email="old@example.com",
            reference=f"old-{organization.pk}",
        )
        row.venues.set(event.venues.all()[:1])
        status_change.objects.create(
            participation=row, new_status="pending", cause="registered"
        )
        history.objects.create(
            id=row.pk,
            event=event,
            organization=organization,
            contact_name=row.contact_name,
            contact_email=row.contact_email,
            reference=row.reference,
            delegates=1,
            status="pending",
            language="en",
            created_at=row.created_at,
            updated_at=row.updated_at,
            history_date=timezone.now(),
            history_type="+",
        )


def test_moving_registrations_keeps_rows_history_and_group_rights():
    _fill_with_the_current_code()
    # A group of its own: earlier transactional tests may have flushed the migrations' roles.
    reviewers, _ = Group.objects.get_or_create(name="Reviewers")
    reviewers.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="registrations",
            codename__in=["view_participation", "review_participation"],
        )
    )
    rights_before = _group_rights()
    assert rights_before["Reviewers"] == {
        "registrations.view_participation",
        "registrations.review_participation",
    }
    latest = _latest()
    try:
        executor = _migrate(BEFORE_THE_MOVE)
        old_apps = executor.loader.project_state(BEFORE_THE_MOVE).apps
        assert (
            Group.objects.get(name="Reviewers")
            .permissions.filter(content_type__app_label="events", codename="review_participation")
            .exists()
        )
        _add_rows_in_the_previous_layout(old_apps)
        columns = {table: _columns(table) for table in MOVED_TABLES}
        before = {table: _checksum(table, columns[table]) for table in MOVED_TABLES}
    finally:
        _migrate(latest)

    after = {table: _checksum(table, columns[table]) for table in MOVED_TABLES}
    assert after == before
    assert before["events_participation"][0] > 600
    assert before["backoffice_historicalparticipation"][0] > 20
    assert _group_rights() == rights_before
    assert Participation.objects.filter(contact_name="Old Layout").count() == 20
    moved = Participation.objects.filter(contact_name="Old Layout").first()
    assert moved.history.count() == 1
    assert moved.status_changes.count() == 1
