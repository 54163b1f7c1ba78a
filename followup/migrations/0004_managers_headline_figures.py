"""Follow-up managers mark reported key figures as headline outcome claims."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_headlinefigure" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Follow-up managers").first()
    if group is not None:
        permission_model = apps.get_model("auth", "Permission")
        group.permissions.add(
            *permission_model.objects.filter(
                content_type__app_label="followup", codename__in=CODENAMES
            )
        )
        group.permissions.add(
            permission_model.objects.get(content_type__app_label="events", codename="view_keyfigure")
        )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Follow-up managers").first()
    if group is not None:
        group.permissions.remove(
            *apps.get_model("auth", "Permission").objects.filter(
                content_type__app_label="followup", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [("followup", "0003_headline_figure")]

    operations = [migrations.RunPython(grant, revoke)]
