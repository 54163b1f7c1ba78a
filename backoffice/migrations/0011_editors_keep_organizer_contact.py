"""Editors keep the organizer contact shown in the footer, like the rest of the content."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [f"{action}_organizercontact" for action in ("add", "change", "delete", "view")]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the role needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is None:
        return
    permission = apps.get_model("auth", "Permission")
    group.permissions.add(
        *permission.objects.filter(content_type__app_label="organizations", codename__in=CODENAMES)
    )


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Editors").first()
    if group is not None:
        permission = apps.get_model("auth", "Permission")
        group.permissions.remove(
            *permission.objects.filter(
                content_type__app_label="organizations", codename__in=CODENAMES
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0010_historical_organizer_contact"),
        # After the check-in branch's migration (kept linear).
        ("backoffice", "0011_historicalevent_delegates_editable_until"),
        ("organizations", "0004_organizer_contact"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
