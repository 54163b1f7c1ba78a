from django.core.management.base import BaseCommand, CommandError

from events.models import Event
from registrations.services import waitlist_promote


class Command(BaseCommand):
    help = "Approve wait-listed registrations of an edition that now fit, in registration order."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the edition's slug")

    def handle(self, *args, slug: str, **options):
        event = Event.objects.filter(slug=slug).first()
        if event is None:
            raise CommandError(f"No edition with the slug {slug!r}.")
        promoted = waitlist_promote(event=event)
        for participation in promoted:
            self.stdout.write(f"Approved from the waiting list: {participation.organization}")
        self.stdout.write(f"{len(promoted)} promoted.")
