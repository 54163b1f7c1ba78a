"""Registrations moved to the registrations app (see its 0002): only the state changes here."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0003_clean_image_field'),
        ('registrations', '0002_move_participation'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Participation')],
        ),
    ]
