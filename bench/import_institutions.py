"""Time an admin import of institutions from XLSX: preview, then confirm.

Run by hand:  .venv/bin/python bench/import_institutions.py [--rows 6000] [--bad 25]

Uses a throw-away SQLite database unless DATABASE_URL is set (then it must be a scratch
database: the script migrates it and imports into it). First imports a file with some bad
rows (all must be reported, nothing written), then the same file without them.
"""

import argparse
import io
import os
import re
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
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from organizations.models import Organization  # noqa: E402

KINDS = ["vc_firm", "pe_firm", "enterprise", "financial"]


def workbook(rows: int, bad: int) -> io.BytesIO:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["name_en", "name_zh_hans", "kind", "uscc", "city_en"])
    for n in range(rows):
        kind = "not-a-kind" if n < bad else KINDS[n % len(KINDS)]
        sheet.append([f"Imported Capital {n:05d}", f"导入资本{n:05d}", kind, None, "Shenzhen"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "institutions.xlsx"
    return data


def timed(label: str, func):
    started = time.perf_counter()
    result = func()
    print(f"{label:<40} {time.perf_counter() - started:6.1f} s")
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=6000)
    parser.add_argument("--bad", type=int, default=25)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    user_model = get_user_model()
    user_model.objects.filter(username="bench").delete()
    user = user_model.objects.create_superuser("bench", "bench@example.com", "bench-password")
    client = Client(HTTP_HOST="127.0.0.1")
    # Signed in directly: django-axes refuses a password sign-in without a request.
    client.force_login(user)
    before = Organization.objects.count()
    url = reverse("admin:organizations_organization_import")
    form = {"format": "1", "resource": 0}

    bad = timed(
        f"preview, {args.rows} rows with {args.bad} bad",
        lambda: client.post(url, {**form, "import_file": workbook(args.rows, args.bad)}),
    )
    reported = bad.text.count("Unknown kind")
    print(f"  bad rows reported: {reported}; rows written: {Organization.objects.count() - before}")

    good = timed(
        f"preview, {args.rows} good rows",
        lambda: client.post(url, {**form, "import_file": workbook(args.rows, 0)}),
    )
    confirm = dict(
        re.findall(
            r'name="(import_file_name|original_file_name|format)" value="([^"]*)"', good.text
        )
    )
    timed(
        "confirm (writes)",
        lambda: client.post(
            reverse("admin:organizations_organization_process_import"), {**confirm, "resource": 0}
        ),
    )
    print(f"  rows written: {Organization.objects.count() - before}")


if __name__ == "__main__":
    main()
