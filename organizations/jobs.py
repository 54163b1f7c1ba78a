"""Institution import as staff jobs: a preview (dry run, nothing kept), then the import.

Both read the uploaded file of the job; the import re-reads it rather than reusing the preview's
rolled-back objects, and refuses a file whose preview found errors. The result is a summary
(counts, the first errors, a sample of the rows), not the full diff table of the synchronous
import: a 20,000-row file stays readable.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from import_export.formats import base_formats

from common.formats import CSV, UnreadableFileError
from outbox.jobs import job_kind

from .resources import OrganizationResource

ERRORS_SHOWN = 100
SAMPLE_ROWS = 50


def _dataset(job):
    name = job.input_file.name.lower()
    file_format = base_formats.XLSX() if name.endswith(".xlsx") else CSV()
    with job.input_file.open("rb") as handle:
        data = handle.read()
    try:
        return file_format.create_dataset(data)
    except UnreadableFileError:
        raise
    except Exception as error:
        raise UnreadableFileError(
            _("The file could not be read (%(reason)s). Save it as CSV or XLSX.")
            % {"reason": type(error).__name__}
        ) from error


def _summary(result, *, dry_run: bool) -> dict:
    totals = {key: value for key, value in result.totals.items() if value}
    errors = []
    for row in result.invalid_rows[:ERRORS_SHOWN]:
        messages = "; ".join(
            f"{field}: {' '.join(str(m) for m in msgs)}" for field, msgs in row.error_dict.items()
        )
        errors.append({"row": row.number, "error": messages})
    for number, row_errors in result.row_errors()[: ERRORS_SHOWN - len(errors)]:
        errors.append({"row": number, "error": "; ".join(str(e.error) for e in row_errors)})
    base_errors = [str(e.error) for e in result.base_errors]
    sample = [
        {"action": row.import_type, "name": str(row.object_repr or "")}
        for row in result.rows[:SAMPLE_ROWS]
    ]
    has_errors = bool(errors or base_errors or result.has_validation_errors())
    error_count = len(result.invalid_rows) + len(result.row_errors()) + len(base_errors)
    done = _("Preview") if dry_run else _("Import")
    summary = ", ".join(f"{key}: {value}" for key, value in totals.items())
    return {
        "summary": f"{done}: {summary or _('no rows')}"
        + (f" – {_('errors')}: {error_count}" if has_errors else ""),
        "totals": totals,
        "error_count": error_count,
        "errors": base_errors + [f"{_('row')} {e['row']}: {e['error']}" for e in errors],
        "sample": sample,
        "ok": not has_errors,
    }


def _run(job, progress, *, dry_run: bool) -> dict:
    dataset = _dataset(job)
    progress(0, len(dataset))
    resource = OrganizationResource()
    resource.progress = progress
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        collect_failed_rows=True,
    )
    summary = _summary(result, dry_run=dry_run)
    if dry_run and summary["ok"]:
        summary["next"] = {
            "kind": "organizations.import",
            "label": _("Confirm the import"),
        }
    return summary


@job_kind(
    "organizations.import_preview",
    label=gettext_noop("Institution import: preview"),
    permission="organizations.add_organization",
)
def import_preview(job, progress) -> dict:
    """Check the file as the import would, keep nothing, report what it would do."""
    return _run(job, progress, dry_run=True)


@job_kind(
    "organizations.import",
    label=gettext_noop("Institution import"),
    permission="organizations.add_organization",
)
def import_confirm(job, progress) -> dict:
    """Import the file (all rows or, if any has an error, none)."""
    result = _run(job, progress, dry_run=False)
    if not result["ok"]:
        result["summary"] = _("Nothing was imported: %(summary)s") % {"summary": result["summary"]}
    return result
