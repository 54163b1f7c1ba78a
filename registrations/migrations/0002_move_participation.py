"""Registrations move from the events app to this one, keeping their table and their rows.

Only Django's picture of the models changes (``SeparateDatabaseAndState``): the table stays
``events_participation``, its sub-venues ``events_participation_venues``. The content type is
renamed, so the permissions attached to it (and the groups holding them) move along, and so do
admin log entries and history.
"""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import registrations.models
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    _relabel(apps, old="events", new="registrations")


def restore_content_type(apps, schema_editor):
    _relabel(apps, old="registrations", new="events")


def _relabel(apps, *, old, new):
    content_type = apps.get_model("contenttypes", "ContentType")
    content_type.objects.filter(app_label=old, model="participation").update(app_label=new)


class Migration(migrations.Migration):

    dependencies = [
        ('events', '0003_clean_image_field'),
        ('organizations', '0003_clean_image_field'),
        ('registrations', '0001_initial'),
        # The roles were given the registration permissions under the events app.
        ('backoffice', '0003_editors_without_registrations'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AlterField(
            model_name='statuschange',
            name='cause',
            field=models.CharField(choices=[('registered', 'Registered through the public form'), ('added', 'Added by staff'), ('staff', 'Staff decision'), ('automatic', 'Automatic confirmation'), ('promoted', 'Promoted from the waiting list'), ('registrant', 'Cancelled by the registrant')], max_length=20, verbose_name='cause'),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Participation',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('contact_name', models.CharField(max_length=100, verbose_name='contact person')),
                        ('contact_position', models.CharField(blank=True, max_length=100, verbose_name="contact's position")),
                        ('contact_email', models.EmailField(max_length=254, verbose_name='contact e-mail')),
                        ('contact_phone', models.CharField(blank=True, max_length=40, verbose_name='contact phone')),
                        ('delegates', models.PositiveSmallIntegerField(default=1, validators=[django.core.validators.MinValueValidator(1)], verbose_name='delegates')),
                        ('listed_publicly', models.BooleanField(default=False, help_text='The institution agreed to appear in the public list of participants.', verbose_name='may be listed publicly')),
                        ('status', models.CharField(choices=[('pending', 'Pending review'), ('approved', 'Approved'), ('waitlisted', 'On the waiting list'), ('rejected', 'Rejected'), ('cancelled', 'Cancelled')], db_index=True, default='pending', max_length=20, verbose_name='status')),
                        ('reference', models.CharField(default=registrations.models.new_reference, editable=False, max_length=64, unique=True, verbose_name='reference')),
                        ('language', models.CharField(choices=[('en', 'English'), ('zh-hans', 'Simplified Chinese')], default='en', max_length=10, verbose_name='language')),
                        ('created_at', models.DateTimeField(db_index=True, default=django.utils.timezone.now, verbose_name='registered')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                        ('event', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participations', to='events.event', verbose_name='edition')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='participations', to='organizations.organization', verbose_name='institution')),
                        ('venues', models.ManyToManyField(blank=True, related_name='participations', to='events.venue', verbose_name='sub-venues chosen')),
                    ],
                    options={
                        'verbose_name': 'registration',
                        'verbose_name_plural': 'registrations',
                        'db_table': 'events_participation',
                        'ordering': ['created_at', 'pk'],
                        'permissions': [('review_participation', 'Can approve, wait-list and reject registrations')],
                    },
                ),
                migrations.AlterField(
                    model_name='emaildelivery',
                    name='participation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='email_deliveries', to='registrations.participation', verbose_name='registration'),
                ),
                migrations.AlterField(
                    model_name='statuschange',
                    name='participation',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='status_changes', to='registrations.participation', verbose_name='registration'),
                ),
                migrations.AddIndex(
                    model_name='participation',
                    index=models.Index(fields=['event', 'status', 'created_at'], name='events_part_event_i_4bbb95_idx'),
                ),
                migrations.AddConstraint(
                    model_name='participation',
                    constraint=models.UniqueConstraint(fields=('event', 'organization'), name='participation_one_per_organization_and_event', violation_error_message='This institution is already registered for this edition.'),
                ),
                migrations.AddConstraint(
                    model_name='participation',
                    constraint=models.CheckConstraint(condition=models.Q(('delegates__gte', 1)), name='participation_at_least_one_delegate'),
                ),
            ],
        ),
        migrations.RunPython(move_content_type, restore_content_type),
    ]
