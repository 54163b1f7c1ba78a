import datetime

from django.core.management.base import BaseCommand
from django.utils import timezone

from meetings.services import agendas_send, meetings_expire


class Command(BaseCommand):
    help = (
        "Expire requests whose hold ran out, then queue to each registrant with confirmed "
        "meetings on the day N days from now (1: tomorrow) the agenda e-mail. Idempotent: a "
        "registration gets one agenda per day; run it from a timer."
    )

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=1)

    def handle(self, *args, days: int, **options):
        expired = meetings_expire()
        day = timezone.localdate() + datetime.timedelta(days=days)
        queued = agendas_send(day=day)
        self.stdout.write(f"{expired} requests expired; {queued} agendas queued for {day}")
