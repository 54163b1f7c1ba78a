"""Staff jobs: long operations (imports, exports, backups, bulk messages) run by a worker on the
``staff`` queue, with progress the admin can show while they run.

An app defines a kind of job with ``@job_kind("app.name", label=...)``: ``work(job, progress)``
returning a JSON-serialisable result (and optionally saving ``job.output_file``). The admin
starts one with ``job_start(...)``; the worker claims it (queued → running, so a duplicate task
does nothing), runs it and stores the result or the error on the row. The work raises
``JobError`` to end the job failed with a message for the staff (a refusal, not a bug).

Progress goes to the shared ``progress`` cache, not the database: the work may hold one long
transaction (an import's dry run is rolled back at the end), and on SQLite a second connection
could not write meanwhile. The numbers are copied to the row when the job ends.
"""

import logging
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.core.cache import caches
from django.core.files.base import File
from django.db import transaction
from django.utils import timezone, translation

from .models import StaffJob

logger = logging.getLogger(__name__)
Status = StaffJob.Status

#: A running job with no news for this long is shown as interrupted (its worker was lost).
HEARTBEAT_LOST = timedelta(minutes=10)

_kinds: dict[str, Callable] = {}
_permissions: dict[str, str] = {}
_start_labels: dict[str, str] = {}
_labels: dict[str, str] = {}
_shared: set[str] = set()


class JobError(Exception):
    """Ends a job failed with this message as its error (no exception name, no traceback)."""


def job_kind(
    name: str, *, label: str, permission: str = "", start_label: str = "", shared: bool = False
):
    """Register ``work(job, progress) -> dict`` as the job kind ``name``.

    ``label`` names the kind for staff (marked with ``gettext_noop``: it is translated when
    shown). ``permission`` ("app.codename", or "superuser") is what a user needs to start one
    from the admin; ``start_label`` puts a button starting one (with no input) on the job list.
    Staff see the jobs they started; with ``shared``, whoever may start the kind sees all of its
    jobs (for a result without personal data: a second organizer follows the job already under
    way rather than starting another).
    A result may offer a follow-up job (an import after its preview) as
    ``{"next": {"kind": ..., "label": ...}}``: the admin shows a button starting it with the
    same input file and parameters.
    """

    def register(work: Callable) -> Callable:
        _kinds[name] = work
        _labels[name] = label
        _permissions[name] = permission
        if shared:
            _shared.add(name)
        if start_label:
            _start_labels[name] = start_label
        return work

    return register


def job_kind_label(kind: str) -> str:
    """The kind's name for staff, in the active language (the code of a kind no longer known)."""
    return translation.gettext(_labels[kind]) if kind in _labels else kind


def job_kind_choices() -> list[tuple[str, str]]:
    """(kind, its name for staff) of every known kind, by name."""
    return sorted(((kind, job_kind_label(kind)) for kind in _labels), key=lambda c: c[1])


def job_kinds_shared_with(*, user) -> set[str]:
    """The shared kinds whose every job this user sees (those they may start)."""
    return {kind for kind in _shared if job_may_start(kind=kind, user=user)}


def job_may_start(*, kind: str, user) -> bool:
    """Whether the user may start a job of this kind (a known kind, and its permission)."""
    if kind not in _kinds:
        return False
    permission = _permissions.get(kind)
    if not (user.is_active and user.is_staff):
        return False
    if permission == "superuser":
        return user.is_superuser
    return not permission or user.has_perm(permission)


def jobs_startable(*, user) -> list[tuple[str, str]]:
    """(kind, label) of the jobs with no input this user may start from the job list."""
    return [
        (kind, label)
        for kind, label in sorted(_start_labels.items())
        if job_may_start(kind=kind, user=user)
    ]


class Progress:
    """Call ``progress(done, total=None, message="")`` as the work goes; cheap to call often."""

    def __init__(self, job_pk: int, every: float = 0.5):
        self.key, self.every, self._last = _key(job_pk), every, 0.0
        self.done, self.total, self.message = 0, 0, ""

    def __call__(self, done: int, total: int | None = None, message: str = "") -> None:
        self.done = done
        if total is not None:
            self.total = total
        self.message = message or self.message
        now = time.monotonic()
        if now - self._last >= self.every or (self.total and done >= self.total):
            self.flush()
            self._last = now

    def flush(self) -> None:
        caches["progress"].set(
            self.key,
            {
                "done": self.done,
                "total": self.total,
                "message": str(self.message),
                "at": timezone.now().isoformat(),
            },
            24 * 3600,
        )


def _key(job_pk: int) -> str:
    return f"staffjob:{job_pk}"


def job_progress(*, job: StaffJob) -> dict:
    """What the admin shows: status, done, total, message, interrupted."""
    live = caches["progress"].get(_key(job.pk)) if job.status == Status.RUNNING else None
    progress = live or {"done": job.progress_done, "total": job.progress_total, "message": ""}
    return {"status": job.status, **progress, "interrupted": job_is_interrupted(job=job)}


def job_is_interrupted(*, job: StaffJob) -> bool:
    """A running job whose worker stopped giving news (killed, out of memory, reboot)."""
    if job.status != Status.RUNNING:
        return False
    live = caches["progress"].get(_key(job.pk))
    last = live["at"] if live else None
    last_at = datetime.fromisoformat(last) if last else job.started_at
    return last_at is not None and timezone.now() - last_at > HEARTBEAT_LOST


def job_is_under_way(*, job: StaffJob) -> bool:
    """Whether the job is worth waiting for rather than starting again: running with news, or
    queued for less than HEARTBEAT_LOST (one no worker took by then was lost with its task)."""
    if job.status == Status.QUEUED:
        return timezone.now() - job.created_at <= HEARTBEAT_LOST
    return job.status == Status.RUNNING and not job_is_interrupted(job=job)


def job_start(
    *,
    kind: str,
    created_by=None,
    title: str = "",
    params: dict | None = None,
    input_file: File | None = None,
) -> StaffJob:
    """Create a job and enqueue it on the staff queue once the transaction commits; untitled,
    it is titled with its kind's name in the starter's language."""
    from .tasks import enqueue_on_commit, staff_job_run

    if kind not in _kinds:
        raise ValueError(f"Unknown job kind {kind!r}")
    # The work runs in the language of the staff member who started it (messages, summary).
    params = {"language": translation.get_language() or settings.LANGUAGE_CODE, **(params or {})}
    title = title or job_kind_label(kind)
    job = StaffJob(kind=kind, created_by=created_by, title=title[:200], params=params)
    if input_file is not None:
        job.input_file.save(input_file.name, input_file, save=False)
    job.save()
    enqueue_on_commit(staff_job_run, job.pk)
    return job


def job_restart(*, job: StaffJob, created_by=None, kind: str = "") -> StaffJob:
    """Start a new job with the same parameters and input file: the same kind (after an
    interruption) or another (the follow-up offered by the job's result)."""
    from .tasks import enqueue_on_commit, staff_job_run

    kind = kind or job.kind
    if kind not in _kinds:
        raise ValueError(f"Unknown job kind {kind!r}")
    new = StaffJob.objects.create(
        kind=kind,
        title=job.title,
        params={**job.params, "after": job.pk},
        input_file=job.input_file.name,
        created_by=created_by,
    )
    enqueue_on_commit(staff_job_run, new.pk)
    return new


def job_run(*, job_pk: int, task_id: str = "") -> dict:
    """Claim the job, run its work, store the outcome. A job not queued any more is skipped."""
    now = timezone.now()
    if not StaffJob.objects.filter(pk=job_pk, status=Status.QUEUED).update(
        status=Status.RUNNING, task_id=task_id[:64], started_at=now
    ):
        return {"skipped": True}
    job = StaffJob.objects.get(pk=job_pk)
    progress = Progress(job.pk)
    progress.flush()
    try:
        work = _kinds[job.kind]
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            result = work(job, progress)
    except Exception as exc:
        if isinstance(exc, JobError):
            logger.warning("Staff job %s (%s) refused: %s", job_pk, job.kind, exc)
            error = str(exc)
        else:
            logger.exception("Staff job %s (%s) failed", job_pk, job.kind)
            error = f"{type(exc).__name__}: {exc}"
        with transaction.atomic():
            StaffJob.objects.filter(pk=job_pk).update(
                status=Status.FAILED,
                error=error[:4000],
                finished_at=timezone.now(),
                progress_done=progress.done,
                progress_total=progress.total,
            )
        return {"failed": True}
    updates = {
        "status": Status.DONE,
        "result": result,
        "finished_at": timezone.now(),
        "progress_done": progress.total or progress.done,
        "progress_total": progress.total,
    }
    if job.output_file:
        updates["output_file"] = job.output_file.name
    StaffJob.objects.filter(pk=job_pk).update(**updates)
    return result if isinstance(result, dict) else {"result": result}
