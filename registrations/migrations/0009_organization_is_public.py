"""Fill ``Organization.is_public`` (organizations 0005) for the rows that exist.

The condition is ``registrations.selectors.organization_public_q()`` as of this migration,
written with the historical models.
"""

from django.db import migrations
from django.db.models import Exists, OuterRef, Q


def fill(apps, schema_editor):
    Organization = apps.get_model("organizations", "Organization")
    Participation = apps.get_model("registrations", "Participation")
    EventHost = apps.get_model("events", "EventHost")
    AgreementParty = apps.get_model("events", "AgreementParty")
    Series = apps.get_model("events", "Series")
    KeyFigure = apps.get_model("events", "KeyFigure")
    SessionSpeaker = apps.get_model("events", "SessionSpeaker")
    org = OuterRef("pk")
    public = (
        Q(
            Exists(
                Participation.objects.filter(
                    organization=org,
                    status="approved",
                    listed_publicly=True,
                    event__is_published=True,
                )
            )
        )
        | Q(Exists(EventHost.objects.filter(organization=org, event__is_published=True)))
        | Q(
            Exists(
                AgreementParty.objects.filter(organization=org).filter(
                    Q(agreement__event__isnull=True) | Q(agreement__event__is_published=True)
                )
            )
        )
        | Q(Exists(Series.objects.filter(organizer=org)))
        | Q(Exists(KeyFigure.objects.filter(organization=org)))
        | Q(
            Exists(
                SessionSpeaker.objects.filter(
                    person__organization=org, session__event__is_published=True
                )
            )
        )
        | Q(Exists(Organization.objects.filter(parent=org)))
    )
    Organization.objects.filter(public).update(is_public=True)


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0008_staff_message"),
        ("registrations", "0006_delegate"),
        ("organizations", "0006_search_indexes"),
        ("events", "0010_event_delegates_editable_until"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
