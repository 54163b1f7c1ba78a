"""Create the staff roles: Editors (all content) and Reviewers (registrations only)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CRUD = ("add", "change", "delete", "view")
CONTENT = {
    "organizations": ["organization", "person"],
    "events": [
        "series",
        "event",
        "eventhost",
        "venue",
        "session",
        "sessionspeaker",
        "agreement",
        "agreementparty",
        "keyfigure",
        "photo",
    ],
}
ROLES = {
    "Editors": [
        *((app, f"{action}_{model}") for app, models in CONTENT.items() for model in models
          for action in CRUD),
        ("events", "view_participation"),
    ],
    "Reviewers": [
        ("events", "view_participation"),
        ("events", "review_participation"),
        ("events", "view_event"),
        ("events", "view_venue"),
        ("organizations", "view_organization"),
    ],
}  # fmt: skip


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the roles need them now.
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
        ("backoffice", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("events", "0002_alter_participation_options"),
        ("organizations", "0002_organization_normalized_names"),
    ]

    operations = [migrations.RunPython(create_roles, delete_roles)]
