"""Background work without domain: the task API (``outbox.tasks``, the one module that imports
django-tasks), the transactional e-mail outbox (a row per e-mail, written with the change that
causes it, sent by a task, retried with backoff, recovered by the sweeper), staff jobs with
progress (the generic runner; the concrete jobs live in their apps), the admin of both, and the
``runall`` and ``tasks_sweep`` commands. Imports only ``common`` of ours."""
