from django.core.management.base import BaseCommand, CommandError

from registrations.privacy import personal_data_erase


class Command(BaseCommand):
    help = (
        "Erase a person's or a registration's personal data on request: contact details of the "
        "registrations, of their change history and of the e-mails sent. Counts of delegates, "
        "statuses and sub-venues stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reference", action="append", default=[], help="a registration's reference"
        )
        parser.add_argument(
            "--email", action="append", default=[], help="a contact person's e-mail address"
        )

    def handle(self, *args, reference: list[str], email: list[str], **options):
        if not reference and not email:
            raise CommandError("Give at least one --reference or --email.")
        erasure = personal_data_erase(references=reference, emails=email)
        self.stdout.write(
            f"Erased: {erasure.registrations} registration(s), {erasure.people} person(s), "
            f"{erasure.emails} e-mail record(s)."
        )
