"""Reviewers, who handle registrations and their contact details, also see and confirm the
registrants' requests to erase them (before, only superusers could)."""

from django.db import migrations

from common.roles import grant_to_group


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0011_editors_keep_organizer_contact"),
        ("registrations", "0005_erasure_request"),
    ]

    operations = [
        grant_to_group(
            "Reviewers", "registrations", ["view_erasurerequest", "change_erasurerequest"]
        )
    ]
