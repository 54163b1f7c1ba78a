from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutboxConfig(AppConfig):
    name = "outbox"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app's jobs.py registers its kinds of staff jobs (outbox.jobs.job_kind).
        autodiscover_modules("jobs")
