"""Create the follow-up roles.

Follow-up officers: the agreements of their own office only (the admin restricts the rows):
view and change the follow-up (its stage), record capital in place and its evidence.
Follow-up managers: every office, assignments, publication, offices.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")
ROLES = {
    "Follow-up officers": [
        ("followup", "view_followup"),
        ("followup", "change_followup"),
        ("followup", "view_milestone"),
        ("followup", "add_capitalentry"),
        ("followup", "change_capitalentry"),
        ("followup", "view_capitalentry"),
    ],
    "Follow-up managers": [
        *(("followup", f"{action}_{model}") for model in ("followup", "capitalentry", "office")
          for action in CRUD),
        ("followup", "view_milestone"),
        ("followup", "view_all_followups"),
        ("events", "view_agreement"),
    ],
}  # fmt: skip


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    group_model = apps.get_model("auth", "Group")
    permission_model = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = group_model.objects.get_or_create(name=name)
        for app_label, codename in codenames:
            group.permissions.add(
                permission_model.objects.get(content_type__app_label=app_label, codename=codename)
            )


def delete_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0010_event_delegates_editable_until"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
