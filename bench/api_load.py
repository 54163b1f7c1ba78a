"""Benchmark of the JSON API on loopback, by hand (see README, "The JSON API").

    .venv/bin/python bench/api_load.py --quick    # 5 s per measurement, about 3 minutes
    .venv/bin/python bench/api_load.py            # 20 s per measurement

Like bench/load.py (whose server and wrk helpers it uses), bounded in time and to 127.0.0.1:
it creates postgres:///vcday_api_bench (dropped afterwards unless --keep-db), fills it with
``generate_scale_data`` defaults, starts gunicorn with config/gunicorn.py and the production
settings on 127.0.0.1:8144, and measures with wrk at 64 connections:

- "uncached" (the API's answer cache and the page cache off; the edition's content cache on,
  as in bench/load.py's "uncached"): /healthz (a bare Django view through every middleware),
  the edition list (/api/v1/editions), the edition with the most registrations
  (/api/v1/editions/<slug>) and, for comparison, that edition's HTML page;
- "no cache at all": the edition endpoint and the HTML page again, every cache off;
- "cached" (the API's answer cache on, warmed): /healthz and the two API endpoints.

The rate limits are raised out of the way (their counting still runs on every request). It
prints requests/s, p50/p99 and errors, each as a share of the bare view's requests/s in the same
phase, and exits 1 when a target is missed: the uncached edition endpoint at least as fast as the
uncached HTML edition page, the cached endpoints at least 50% of the bare view, no errors.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request

# bench/ is the script's folder, so its sibling load.py imports as ``load``.
from load import PYTHON, RESULTS, Result, Server, psql_database, run, workers_note, wrk

CACHED_SHARE = 0.50
BARE = "bare view (/healthz)"


def addresses(env: dict) -> dict[str, str]:
    code = (
        "import django; django.setup()\n"
        "from django.db.models import Count, Q\n"
        "from events.models import Event\n"
        "e = (Event.objects.published().annotate(n=Count('participations', "
        "filter=Q(participations__status='approved'))).order_by('-n').first())\n"
        "print(e.slug)\n"
    )
    slug = run([PYTHON, "-c", code], env, capture_output=True, text=True).stdout.strip()
    return {
        BARE: "/healthz",
        "API edition list": "/api/v1/editions",
        "API edition detail": f"/api/v1/editions/{slug}",
        "HTML edition page": f"/en/events/{slug}/",
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 s per measurement")
    parser.add_argument("--duration", type=int, default=20, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=8144, help="a port in 8140-8149")
    parser.add_argument("--database", default="vcday_api_bench")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    duration = 5 if options.quick else options.duration
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    stamps = tempfile.mkdtemp(prefix="vcday-api-bench-stamps-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or os.urandom(32).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SITE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres:///{options.database}",
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_CACHE_STAMPS_DIR": stamps,
        "REDIS_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
        "API_RATE_LIMIT_ANONYMOUS": "1000000000/m",
    }
    print(f"Database {options.database}: create, migrate, generate_scale_data …", flush=True)
    psql_database("dropdb", options.database)
    psql_database("createdb", options.database)
    results: list[Result] = []
    try:
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "generate_scale_data"], env, stdout=subprocess.DEVNULL)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        targets = addresses(env)
        phases = [
            (
                "uncached",
                {"DJANGO_API_CACHE_SECONDS": "0", "DJANGO_PUBLIC_PAGE_CACHE_SECONDS": "0"},
                targets,
            ),
            (
                "no cache",
                {
                    "DJANGO_API_CACHE_SECONDS": "0",
                    "DJANGO_PUBLIC_PAGE_CACHE_SECONDS": "0",
                    "DJANGO_PUBLIC_FRAGMENT_CACHE_SECONDS": "0",
                },
                {k: v for k, v in targets.items() if k != "API edition list"},
            ),
            ("cached", {}, {k: v for k, v in targets.items() if k != "HTML edition page"}),
        ]
        print(
            f"wrk: {options.connections} connections, {duration} s each, "
            f"gunicorn {workers_note(env)} on 127.0.0.1:{options.port}",
            flush=True,
        )
        for mode, extra, pages in phases:
            log = RESULTS / f"gunicorn-api-{mode}.log"
            with Server({**env, **extra}, port=options.port, log=log):
                bare = None
                for page, path in pages.items():
                    url = f"http://127.0.0.1:{options.port}{path}"
                    for _ in range(6):  # warm every worker's cache (and the fragment cache)
                        urllib.request.urlopen(url, timeout=30).read()
                    rps, p50, p99, errors, _requests = wrk(
                        url, duration=duration, connections=options.connections
                    )
                    bare = rps if page == BARE else bare
                    results.append(Result(mode, page, rps, p50, p99, errors))
                    print(
                        f"{mode:9} {page:22} {rps:9.1f} req/s ({rps / bare:6.1%} of bare)  "
                        f"p50 {p50:7.1f} ms  p99 {p99:7.1f} ms  errors {errors}",
                        flush=True,
                    )
    finally:
        if not options.keep_db:
            psql_database("dropdb", options.database)
        shutil.rmtree(stamps, ignore_errors=True)
    return report(results)


def report(results: list[Result]) -> int:
    by = {(r.mode, r.page): r.requests_per_second for r in results}
    checks = [
        (
            "uncached API edition detail ≥ uncached HTML edition page",
            by[("uncached", "API edition detail")] >= by[("uncached", "HTML edition page")],
        ),
        (
            "no cache at all: API edition detail ≥ HTML edition page",
            by[("no cache", "API edition detail")] >= by[("no cache", "HTML edition page")],
        ),
    ]
    for page in ("API edition list", "API edition detail"):
        share = by[("cached", page)] / by[("cached", BARE)]
        checks.append(
            (f"cached {page}: {share:.1%} of the bare view (target 50%)", share >= CACHED_SHARE)
        )
    errors = sum(r.errors for r in results)
    checks.append((f"errors in all runs: {errors}", errors == 0))
    for text, ok in checks:
        print(f"{'met   ' if ok else 'MISSED'} {text}")
    return 0 if all(ok for _text, ok in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
