"""The task API of the project and the tasks of the outbox.

Every app defines its tasks with ``outbox.tasks.task`` (never ``django_tasks`` directly): on
Django 6 this module imports ``django.tasks`` instead and nothing else changes. A task is a
module-level function whose arguments are primary keys and other JSON values (no personal
data: task rows keep their arguments), enqueued after the transaction that needs it commits::

    from outbox.tasks import task, enqueue_on_commit

    @task(queue_name="default")          # queues: "email", "default", "staff" (settings.TASKS)
    def webhook_deliver(delivery_pk: int) -> str:
        ...                              # idempotent: it may run twice (see docs/deployment.md)

    enqueue_on_commit(webhook_deliver, delivery.pk)

Renaming or moving a task breaks the rows still queued under its old path: keep an alias for a
release.
"""

from functools import partial

from django.db import transaction
from django_tasks import TaskContext, TaskResultStatus, default_task_backend, task

__all__ = [
    "TaskContext",
    "TaskResultStatus",
    "default_task_backend",
    "email_send",
    "enqueue_on_commit",
    "staff_job_run",
    "task",
]


def enqueue_on_commit(task_, *args, **kwargs) -> None:
    """Enqueue ``task_(*args, **kwargs)`` once the current transaction commits (now if none)."""
    transaction.on_commit(partial(task_.enqueue, *args, **kwargs), robust=True)


@task(queue_name="email")
def email_send(email_pk: int) -> str:
    """Make one attempt to send an outbox e-mail; "skipped" if it is not ours to send now."""
    from .services import email_send_attempt

    return email_send_attempt(email_pk=email_pk)


@task(queue_name="staff", takes_context=True)
def staff_job_run(context: TaskContext, job_pk: int) -> dict:
    """Run one staff job (see ``outbox.jobs``)."""
    from .jobs import job_run

    return job_run(job_pk=job_pk, task_id=str(context.task_result.id))
