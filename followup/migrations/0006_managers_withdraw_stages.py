"""Follow-up managers withdraw a stage recorded by mistake."""

from django.db import migrations

from common.roles import grant_to_group


class Migration(migrations.Migration):
    dependencies = [("followup", "0005_milestone_withdrawal")]

    operations = [grant_to_group("Follow-up managers", "followup", ["withdraw_stage"])]
