"""Change history of content, registrations, check-in lists and meetings
(django-simple-history).

The historical models are registered here, after django-modeltranslation has added the
per-language columns, so that each version keeps the English and the Chinese text.
They live in this app, so their migrations do not interleave with the data apps' own.
"""

import simple_history
from django.apps import apps
from simple_history.models import HistoricalRecords

TRACKED_MODELS = [
    "organizations.Organization",
    "organizations.Person",
    "organizations.OrganizerContact",
    "events.Series",
    "events.Event",
    "events.EventHost",
    "events.Venue",
    "events.Session",
    "events.SessionSpeaker",
    "registrations.Participation",
    "events.Agreement",
    "events.AgreementParty",
    "events.KeyFigure",
    "events.Photo",
    "checkin.CheckinList",
    "checkin.Entrance",
    # What staff edit of the meetings (slots, tables and seats follow from a round and its
    # meetings; wishes are the registrants'; a schedule run is a read-only record).
    "meetings.MeetingSettings",
    "meetings.MeetingRound",
    "meetings.MeetingProfile",
    "meetings.Meeting",
]

# Derived columns, recomputed on save (a revert must not restore a stale value).
EXCLUDED_FIELDS = {"organizations.Organization": ["is_public"]}


class MeetingHistoricalRecords(HistoricalRecords):
    """A meeting's history, with no "deleted" version of a draft of the generated schedule.

    The scheduler replaces and discards drafts in bulk, thousands per run, and deletes their
    versions with them (meetings.services): a "deleted" version written for each, one row at a
    time, would only slow the run down.
    """

    def post_delete(self, instance, using=None, **kwargs):
        if instance.status != instance.Status.DRAFT:
            super().post_delete(instance, using=using, **kwargs)


RECORDS_CLASSES = {"meetings.Meeting": MeetingHistoricalRecords}


def register_history() -> None:
    for label in TRACKED_MODELS:
        simple_history.register(
            apps.get_model(label),
            app="backoffice",
            records_class=RECORDS_CLASSES.get(label),
            excluded_fields=EXCLUDED_FIELDS.get(label, []),
        )
