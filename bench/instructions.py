"""Instructions per request of public pages and of a bare Django view (issue 17), by hand.

    .venv/bin/python bench/instructions.py --database /tmp/render.sqlite3
    .venv/bin/python bench/instructions.py --database /tmp/render.sqlite3 /zh-hans/institutions/
    .venv/bin/python bench/instructions.py --database /tmp/render.sqlite3 --status 404 /zh-hans/x/

Wall-clock and CPU times on a shared machine move by half between identical runs; the number
of instructions a request executes does not. Each page is requested through Django's test
client, every cache off, in a process run under valgrind's cachegrind (``apt-get install -y
valgrind``): once with ``--few`` requests and once with ``--many``, after three warm-up
requests; the difference divided by the difference in requests is one request's count,
without the start-up. The bare view is bench/bare_app.py's, through the same client.

More requests dilute a garbage collection that falls in one run and not the other: with 2
and 8 requests /healthz measured 1.31 M and 1.64 M on the same code, with 20 and 100 1.22 M
twice; the defaults are 4 and 20.

The database is one bench/render.py filled (``--database``); about two minutes per page.
Compare two commits by running the script of each on the same database.

``--parts`` adds what the edition page's cost is made of: the privacy notice (the shared
layout around a page of text) and the edition page with its reads answered from memory
(``website.selectors.event_page`` computed once beforehand: middleware, view and rendering
only); the edition page less the second is what its reads cost.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from load import PYTHON, ROOT

EDITION = "/zh-hans/events/scale-edition-2027/"
PAGES = ["/healthz", EDITION, "/zh-hans/institutions/", f"{EDITION}institutions/"]
BARE = "bare"
#: An edition page whose reads are answered from memory (``--parts``).
EDITION_RENDER = f"{EDITION}#render-only"
PARTS = ["/zh-hans/privacy/", EDITION_RENDER]


def _child(database: str, path: str, count: int, status: int) -> None:
    """Request ``path`` three times, then ``count`` times (run under valgrind)."""
    if path == BARE:
        sys.path.insert(0, str(ROOT / "bench"))
        import bare_app  # noqa: F401 (configures Django)

        path = "/hello"
    else:
        os.environ.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            DJANGO_SECRET_KEY="bench-only-" + "x" * 40,
            DJANGO_ALLOWED_HOSTS="testserver",
            DJANGO_SITE_URL="http://testserver",
            DJANGO_SECURE_SSL_REDIRECT="false",
            DATABASE_URL=f"sqlite:///{database}",
            DATABASE_CONN_MAX_AGE="600",
            REDIS_URL="",
            DJANGO_LOG_LEVEL="WARNING",
            DJANGO_PUBLIC_PAGE_CACHE_SECONDS="0",
            DJANGO_PUBLIC_FRAGMENT_CACHE_SECONDS="0",
        )
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        if path == EDITION_RENDER:
            _answer_edition_reads_from_memory()
    from django.test import Client

    client = Client()
    for _ in range(3):
        answered = client.get(path).status_code
        if answered != status:
            sys.exit(f"{path} answered {answered}, not {status}")
    for _ in range(count):
        client.get(path)


def _answer_edition_reads_from_memory() -> None:
    from django.utils import translation

    from events.models import Event
    from website import selectors

    with translation.override("zh-hans"):
        page = selectors.event_page(event=Event.objects.get(slug=EDITION.split("/")[-2]))
    selectors.event_page = lambda *, event: page


def _instructions(database: str, path: str, count: int, status: int) -> int:
    run = subprocess.run(
        [
            "valgrind",
            "--tool=cachegrind",
            "--cache-sim=no",
            "--cachegrind-out-file=/dev/null",
            PYTHON,
            __file__,
            "--child",
            database,
            path,
            str(count),
            str(status),
        ],
        check=False,  # its output says what went wrong
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONHASHSEED": "0"},
    )
    found = re.search(r"I\s+refs:\s+([\d,]+)", run.stderr)
    if run.returncode or not found:
        sys.exit(f"{path}: valgrind failed\n{run.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("pages", nargs="*", help="paths (default: the targets')")
    parser.add_argument("--database", help="an SQLite file bench/render.py filled")
    parser.add_argument("--parts", action="store_true", help="the edition page's parts too")
    parser.add_argument("--few", type=int, default=4)
    parser.add_argument("--many", type=int, default=20)
    parser.add_argument(
        "--status",
        type=int,
        default=200,
        help="the status the pages answer (404: the layout alone)",
    )
    parser.add_argument("--child", nargs=4, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        database, path, count, status = options.child
        _child(database, path, int(count), int(status))
        return 0
    if not shutil.which("valgrind"):
        sys.exit("valgrind is missing: apt-get install -y valgrind")
    if not options.database or not Path(options.database).is_file():
        sys.exit("--database: an SQLite file filled by bench/render.py --database")
    counts = {}
    if options.status != 200 and not options.pages:
        sys.exit("--status: name the pages that answer it")
    statuses = {BARE: 200, **dict.fromkeys(options.pages or PAGES, options.status)}
    statuses.update(dict.fromkeys(PARTS if options.parts else [], 200))
    for path, status in statuses.items():
        few = _instructions(options.database, path, options.few, status)
        many = _instructions(options.database, path, options.many, status)
        counts[path] = (many - few) / (options.many - options.few)
        print(f"{path:55} {counts[path] / 1e6:9.2f} M  {counts[path] / counts[BARE]:7.1f} × bare")
    return 0


if __name__ == "__main__":
    sys.exit(main())
