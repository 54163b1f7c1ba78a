"""Time the background institution import (issue 12): preview and import jobs, by hand.

    .venv/bin/python bench/import_jobs.py                 # 6,000 and 20,000 rows, SQLite
    DATABASE_URL=postgres:///vcday_bench_import .venv/bin/python bench/import_jobs.py

Uses a throw-away SQLite database unless DATABASE_URL is set (then a scratch database: it is
migrated and imported into). For each size it writes an XLSX of new institutions, runs the
preview job and then the import job exactly as a worker does (outbox.jobs.job_run), and prints
how long each took and the progress seen. The admin shows the preview this long after the
upload, plus up to a second for a worker to pick the job up.
"""

import argparse
import io
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
if not os.environ.get("DATABASE_URL"):
    os.environ["DATABASE_URL"] = f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"

import django

django.setup()

import openpyxl  # noqa: E402
from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402

from organizations.models import Organization  # noqa: E402
from outbox.jobs import job_run  # noqa: E402
from outbox.models import StaffJob  # noqa: E402


def workbook(rows: int, prefix: str) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name_en", "name_zh_hans", "kind", "uscc", "city_en"])
    for number in range(rows):
        sheet.append([f"{prefix} Institution {number:06d}", "", "vc_firm", "", "Shenzhen"])
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()


def run(kind: str, data: bytes, after: int | None = None) -> tuple[StaffJob, float]:
    job = StaffJob(kind=kind, params={"after": after} if after else {})
    job.input_file.save("bench.xlsx", ContentFile(data), save=False)
    job.save()
    started = time.monotonic()
    job_run(job_pk=job.pk)
    elapsed = time.monotonic() - started
    job.refresh_from_db()
    return job, elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="6000,20000")
    options = parser.parse_args()
    call_command("migrate", "--noinput", verbosity=0)
    vendor = django.db.connection.vendor
    problems = []
    for size in (int(s) for s in options.sizes.split(",")):
        data = workbook(size, f"Bench{size}")
        preview, preview_s = run("organizations.import_preview", data)
        done, import_s = run("organizations.import", data, after=preview.pk)
        created = Organization.objects.filter(name_en__startswith=f"Bench{size} ").count()
        print(
            f"{vendor}, {size:,} rows: preview {preview_s:.1f} s ({preview.status}, "
            f"{preview.result and preview.result.get('summary')}), "
            f"import {import_s:.1f} s ({done.status}); {created:,} institutions created"
        )
        if done.status != "done" or created != size:
            problems.append(f"{size} rows: {done.status} {done.error}")
    print("All imports completed." if not problems else "PROBLEMS: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
