"""The Check-in staff role: scan badges at entrances and look delegates up there, nothing else."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE = "Check-in staff"


def create_role(apps, schema_editor):
    # Permissions are normally created after all migrations; the role needs its one now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group, _ = apps.get_model("auth", "Group").objects.get_or_create(name=ROLE)
    group.permissions.set(
        [
            apps.get_model("auth", "Permission").objects.get(
                content_type__app_label="checkin", codename="scan_badges"
            )
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
