import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

USERNAME = "admin"


class Command(BaseCommand):
    help = "Create a local superuser once (password kept in .local_admin) and print how to sign in."

    def handle(self, *args, **options):
        password_file = settings.BASE_DIR / ".local_admin"
        user_model = get_user_model()
        if not user_model.objects.filter(username=USERNAME).exists():
            password = secrets.token_urlsafe(12)
            user_model.objects.create_superuser(USERNAME, "admin@localhost", password)
            password_file.write_text(password)
            password_file.chmod(0o600)
        if password_file.exists():
            password = password_file.read_text().strip()
            self.stdout.write(
                self.style.SUCCESS(
                    f"Sign in at /admin/ as {USERNAME!r} with password {password!r} "
                    f"(kept in {password_file.name})."
                )
            )
        else:
            self.stdout.write(f"User {USERNAME!r} exists; its password was set by hand.")
