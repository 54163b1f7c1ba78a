"""Follow-up managers mark reported key figures as headline outcome claims."""

from django.db import migrations

from common.roles import grant_to_group

CODENAMES = [f"{action}_headlinefigure" for action in ("add", "change", "delete", "view")]


class Migration(migrations.Migration):
    dependencies = [("followup", "0003_headline_figure")]

    operations = [
        grant_to_group("Follow-up managers", "followup", CODENAMES),
        grant_to_group("Follow-up managers", "events", ["view_keyfigure"]),
    ]
