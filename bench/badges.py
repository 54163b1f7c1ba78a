"""Badges PDF for 2,000 delegates, by hand (README, "Benchmarks").

    .venv/bin/python bench/badges.py              # 2,000 delegates, target 60 s
    .venv/bin/python bench/badges.py --delegates 200

It builds a throw-away SQLite database in a temporary folder (migrations included), creates one
edition with that many approved delegates with Chinese names, then times what the staff page
does: issue the badges, sign each QR code, draw the A4 sheets and embed the font. It writes the
PDF to bench/results/badges.pdf, prints the time, pages and size, checks with pdffonts (when
installed) that every font is embedded, and exits 1 above 60 s.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
TARGET_SECONDS = 60


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--delegates", type=int, default=2000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings.local",
            DATABASE_URL=f"sqlite:///{folder}/bench.sqlite3",
            DJANGO_LOG_LEVEL="WARNING",
        )
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from checkin import selectors, services

        return run(args.delegates, selectors, services)


def run(count, selectors, services) -> int:
    from checkin_data import create_edition

    event, _ids = create_edition(delegates=count)
    started, cpu = time.perf_counter(), time.process_time()
    delegates = list(selectors.badge_delegates(event=event))
    pdf = services.badges_pdf(event=event, delegates=delegates, sheet=True)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "badges.pdf"
    out.write_bytes(pdf)
    pages = (len(delegates) + 3) // 4
    print(f"{len(delegates)} badges, {pages} A4 pages, {len(pdf) / 1e6:.1f} MB in {seconds:.1f} s")
    print(f"{seconds / len(delegates) * 1000:.1f} ms per badge ({cpu:.1f} s of CPU time in all)")
    print(f"written to {out}")
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(out)], capture_output=True, text=True, check=True)
        print(fonts.stdout)
        embedded = [line.split()[-5] for line in fonts.stdout.splitlines()[2:]]
        if any(flag != "yes" for flag in embedded):
            print("FAIL: a font is not embedded")
            return 1
    if seconds > TARGET_SECONDS:
        print(f"FAIL: over {TARGET_SECONDS} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "bench"))
    sys.exit(main())
