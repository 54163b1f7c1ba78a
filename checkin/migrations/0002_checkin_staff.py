"""The Check-in staff role: scan badges at entrances and look delegates up there, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Check-in staff"
PERMISSIONS = [("checkin", "scan_badges")]


def create_role(apps, schema_editor):
    # Permissions are normally created after all migrations; the role needs its one now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)
    permission = apps.get_model("auth", "Permission")
    group.permissions.set(
        [
            permission.objects.get(content_type__app_label=app_label, codename=codename)
            for app_label, codename in PERMISSIONS
        ]
    )


def delete_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=ROLE).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("checkin", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_role, delete_role)]
