"""Change history of content and registrations (django-simple-history).

The historical models are registered here, after django-modeltranslation has added the
per-language columns, so that each version keeps the English and the Chinese text.
They live in this app, so their migrations do not interleave with the data apps' own.
"""

import simple_history
from django.apps import apps

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
]

# Derived columns, recomputed on save (a revert must not restore a stale value).
EXCLUDED_FIELDS = {"organizations.Organization": ["is_public"]}


def register_history() -> None:
    for label in TRACKED_MODELS:
        simple_history.register(
            apps.get_model(label),
            app="backoffice",
            excluded_fields=EXCLUDED_FIELDS.get(label, []),
        )
