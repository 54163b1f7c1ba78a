"""Investor–project meetings (domain): profiles of the institutions that take meetings, rounds of
slots at tables, requests and their answers, the organizer's generated schedule and each
meeting's outcome. Registrations and their delegates belong to registrations."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "meetings"
    verbose_name = _("Meetings")

    def ready(self) -> None:
        from . import receivers

        receivers.connect()
