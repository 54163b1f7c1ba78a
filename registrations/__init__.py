"""Registrations (``Participation``): the model, places used and free, the workflows (register,
approve, wait-list, reject, cancel, promote), status changes and e-mails, the public form and
status page, the staff admin and export, and the privacy commands."""
