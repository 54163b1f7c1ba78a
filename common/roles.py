"""Permissions of a staff role (a group), granted in a data migration."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant_to_group(group: str, app_label: str, codenames: list[str]) -> migrations.RunPython:
    """A migration operation giving the group ``group`` (when it exists) the permissions
    ``codenames`` of ``app_label``, and taking them back when the migration is reversed."""

    def permissions(apps):
        return apps.get_model("auth", "Permission").objects.filter(
            content_type__app_label=app_label, codename__in=codenames
        )

    def role(apps):
        return apps.get_model("auth", "Group").objects.filter(name=group).first()

    def grant(apps, schema_editor):
        # Permissions are normally created after all migrations; the role needs them now.
        for app_config in apps.get_app_configs():
            app_config.models_module = True
            create_permissions(app_config, apps=apps, verbosity=0)
            app_config.models_module = None
        if (found := role(apps)) is not None:
            found.permissions.add(*permissions(apps))

    def revoke(apps, schema_editor):
        if (found := role(apps)) is not None:
            found.permissions.remove(*permissions(apps))

    return migrations.RunPython(grant, revoke)
