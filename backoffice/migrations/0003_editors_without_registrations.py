"""Editors no longer see registrations: their contact details are for Reviewers only,
as the privacy notice tells registrants."""

from django.db import migrations


def remove(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="events", codename="view_participation"
            )
        )


def restore(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.add(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="events", codename="view_participation"
            )
        )


class Migration(migrations.Migration):
    dependencies = [("backoffice", "0002_roles")]

    operations = [migrations.RunPython(remove, restore)]
