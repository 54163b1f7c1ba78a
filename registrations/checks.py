"""Deployment checks of the registrations app (``manage.py check --deploy``)."""

from django.conf import settings
from django.core.checks import Warning, register

#: E-mail backends that deliver nothing to registrants.
UNDELIVERED = {
    "django.core.mail.backends.console.EmailBackend": "prints e-mails on standard output",
    "django.core.mail.backends.filebased.EmailBackend": "writes e-mails to files",
    "django.core.mail.backends.locmem.EmailBackend": "keeps e-mails in memory",
    "django.core.mail.backends.dummy.EmailBackend": "drops e-mails",
}


@register("email", deploy=True)
def check_email_backend(app_configs, **kwargs) -> list[Warning]:
    """Warn when receipts and status links would never reach registrants."""
    what = UNDELIVERED.get(settings.EMAIL_BACKEND)
    if what is None:
        return []
    return [
        Warning(
            f"EMAIL_BACKEND is {settings.EMAIL_BACKEND}, which {what}: registrants get no "
            "receipt and no status link.",
            hint="Set DJANGO_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend and "
            "the DJANGO_EMAIL_HOST* variables (docs/deployment.md).",
            id="registrations.W001",
        )
    ]
