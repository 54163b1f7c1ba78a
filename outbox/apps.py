from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django_tasks_db.apps import TasksAppConfig


class OutboxConfig(AppConfig):
    default = True  # the app's config among the two of this module
    name = "outbox"
    verbose_name = _("Background work")

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app's jobs.py registers its kinds of staff jobs (outbox.jobs.job_kind).
        autodiscover_modules("jobs")


class TasksDatabaseConfig(TasksAppConfig):
    """The task library's database backend under a translated name in the admin."""

    default = False
    verbose_name = _("Task queue")
