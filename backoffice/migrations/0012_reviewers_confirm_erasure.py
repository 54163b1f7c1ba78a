"""Reviewers, who handle registrations and their contact details, also see and confirm the
registrants' requests to erase them (before, only superusers could)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ["view_erasurerequest", "change_erasurerequest"]


def _permissions(apps):
    return apps.get_model("auth", "Permission").objects.filter(
        content_type__app_label="registrations", codename__in=CODENAMES
    )


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the role needs them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group = apps.get_model("auth", "Group").objects.filter(name="Reviewers").first()
    if group is not None:
        group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth", "Group").objects.filter(name="Reviewers").first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("backoffice", "0011_editors_keep_organizer_contact"),
        ("registrations", "0005_erasure_request"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
