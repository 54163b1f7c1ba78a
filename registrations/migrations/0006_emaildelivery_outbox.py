"""E-mails to registrants go through the outbox: each record gets an outbox row.

Records from before (sent inside the request) become outbox rows that were sent, or failed,
in one attempt; their text was never stored.
"""

import django.db.models.deletion
from django.db import migrations, models


def _check_foreign_keys_now(schema_editor):
    # PostgreSQL checks deferred foreign keys at commit; with rows written here, a later ALTER
    # TABLE of this migration (or of its reversal) would meet "pending trigger events".
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def to_outbox(apps, schema_editor):
    _check_foreign_keys_now(schema_editor)
    delivery_model = apps.get_model("registrations", "EmailDelivery")
    email_model = apps.get_model("outbox", "OutboundEmail")
    attempt_model = apps.get_model("outbox", "EmailAttempt")
    for delivery in delivery_model.objects.filter(email__isnull=True).iterator():
        sent = delivery.outcome == "sent"
        email = email_model.objects.create(
            kind=delivery.kind,
            to=delivery.recipient,
            subject="",
            body_text="",
            status="sent" if sent else "failed",
            attempts=1,
            max_attempts=1,
            next_attempt_at=delivery.created_at,
            dispatched_at=delivery.created_at,
            last_error=delivery.error,
            sent_at=delivery.created_at if sent else None,
            created_at=delivery.created_at,
        )
        attempt_model.objects.create(
            email=email,
            number=1,
            started_at=delivery.created_at,
            finished_at=delivery.created_at,
            outcome="sent" if sent else "permanent",
            error=delivery.error,
        )
        delivery_model.objects.filter(pk=delivery.pk).update(email=email)


def from_outbox(apps, schema_editor):
    _check_foreign_keys_now(schema_editor)
    delivery_model = apps.get_model("registrations", "EmailDelivery")
    email_model = apps.get_model("outbox", "OutboundEmail")
    pks = []
    for delivery in delivery_model.objects.filter(email__isnull=False).select_related("email"):
        sent = delivery.email.status == "sent"
        delivery_model.objects.filter(pk=delivery.pk).update(
            outcome="sent" if sent else "failed",
            error="" if sent else delivery.email.last_error,
            email=None,
        )
        pks.append(delivery.email.pk)
    email_model.objects.filter(pk__in=pks).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("outbox", "0001_initial"),
        ("registrations", "0005_erasure_request"),
    ]

    operations = [
        migrations.AddField(
            model_name="emaildelivery",
            name="email",
            field=models.OneToOneField(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="delivery",
                to="outbox.outboundemail",
                verbose_name="outgoing e-mail",
            ),
        ),
        # A default, so that the column can be added back when this is reversed.
        migrations.AlterField(
            model_name="emaildelivery",
            name="outcome",
            field=models.CharField(
                choices=[("sent", "Sent"), ("failed", "Failed")],
                default="sent",
                max_length=10,
                verbose_name="outcome",
            ),
        ),
        migrations.RunPython(to_outbox, from_outbox),
    ]
