"""Rendering speed against a bare Django app, in one run on this machine (issue 17), by hand.

    .venv/bin/python bench/render.py             # 15 s per page, about 8 minutes
    .venv/bin/python bench/render.py --quick     # 5 s per page
    .venv/bin/python bench/render.py --database /tmp/render.sqlite3   # keep and reuse the data

What it does, bounded in time and to 127.0.0.1:

1. fills an SQLite database (a temporary file unless --database names one that exists) with
   ``generate_scale_data --editions 1 --sessions 100 --participations 2000 --agreements 50``;
2. serves, one after the other and with the same gunicorn config (config/gunicorn.py,
   2 sync workers, no access log): the bare app of bench/bare_app.py; the project with every
   cache off (page and fragment caches 0 s); the project with its caches on (warmed);
3. drives each page with ``wrk -t2 -c16`` (``apt-get install -y wrk``) and reads the CPU time
   of the gunicorn processes from /proc before and after: server CPU per request is their
   difference divided by the requests wrk completed;
4. prints requests/s, CPU per request and the ratio to the bare view for each page, and exits
   1 when a target is missed (cache off): the edition page at most 20 times the bare view's
   CPU per request in either language, the directory and an edition's institution list at most
   10 times, ``/healthz`` through the whole middleware stack at least 75% of the bare app's
   requests/s.
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from load import PYTHON, ROOT, Server, wrk

EDITION_SLUG = "scale-edition-2027"
SCALE = ["--editions", "1", "--sessions", "100", "--participations", "2000", "--agreements", "50"]

TARGETS = {  # page -> most CPU per request, as a multiple of the bare view's (cache off)
    "edition (zh)": 20,
    "edition (en)": 20,
    "directory (zh)": 10,
    "edition institutions (zh)": 10,
}
MIDDLEWARE_SHARE = 0.75  # /healthz requests/s at least this share of the bare app's

PAGES = {
    "healthz": "/healthz",
    "edition (zh)": f"/zh-hans/events/{EDITION_SLUG}/",
    "edition (en)": f"/en/events/{EDITION_SLUG}/",
    "directory (zh)": "/zh-hans/institutions/",
    "edition institutions (zh)": f"/zh-hans/events/{EDITION_SLUG}/institutions/",
    "home (zh)": "/zh-hans/",
}


def measure(server: Server, path: str, duration: int, warm: int = 4) -> tuple[float, float, int]:
    """Requests/s, server CPU ms per request and errors of ``path`` under wrk -t2 -c16."""
    url = f"http://127.0.0.1:{server.port}{path}"
    for _ in range(warm):
        urllib.request.urlopen(url, timeout=60).read()
    before = server.cpu_seconds()
    run = wrk(url, duration=duration, connections=16)
    cpu_ms = (server.cpu_seconds() - before) * 1000 / max(run.requests, 1)
    return run.requests_per_second, cpu_ms, run.errors


def gunicorn(app: str, env: dict, port: int, log: Path) -> Server:
    """The same gunicorn flags for the bare app and the project: 2 sync workers, no access log."""
    quiet = {"GUNICORN_WORKERS": "2", "GUNICORN_ACCESSLOG": "off", "GUNICORN_LOGLEVEL": "warning"}
    return Server({**env, **quiet}, port=port, log=log, app=app)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 s per page")
    parser.add_argument("--duration", type=int, default=15, help="seconds per page")
    parser.add_argument("--port", type=int, default=8430, help="a port in 8400-8499")
    parser.add_argument("--database", help="an SQLite file to fill, or to reuse if it exists")
    options = parser.parse_args()
    duration = 5 if options.quick else options.duration
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")
    folder = Path(tempfile.mkdtemp(prefix="vcday-render-"))
    database = Path(options.database or folder / "render.sqlite3")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or os.urandom(32).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SITE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"sqlite:///{database}",
        "DATABASE_CONN_MAX_AGE": "600",
        "DJANGO_CACHE_STAMPS_DIR": str(folder / "stamps"),
        "REDIS_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if not database.exists():
        print(f"Filling {database} …", flush=True)
        manage = [PYTHON, "manage.py"]
        subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, cwd=ROOT, check=True)
        subprocess.run(
            [*manage, "generate_scale_data", *SCALE, "-v0"],
            env=env,
            cwd=ROOT,
            check=True,
        )
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, cwd=ROOT, check=True
    )
    results: dict[tuple[str, str], tuple[float, float, int]] = {}
    print(f"wrk -t2 -c16 -d{duration}s; gunicorn 2 sync workers on 127.0.0.1:{options.port}")
    bare_env = {**env, "PYTHONPATH": str(ROOT / "bench")}
    with gunicorn("bare_app:application", bare_env, options.port, folder / "bare.log") as server:
        results["bare", "bare view"] = measure(server, "/hello", duration)
    modes = {
        "cache off": {
            "DJANGO_PUBLIC_PAGE_CACHE_SECONDS": "0",
            "DJANGO_PUBLIC_FRAGMENT_CACHE_SECONDS": "0",
        },
        "cache on": {},
    }
    for mode, extra in modes.items():
        with gunicorn("config.wsgi", {**env, **extra}, options.port, folder / "app.log") as server:
            for page, path in PAGES.items():
                results[mode, page] = measure(server, path, duration)
    shutil.rmtree(folder / "stamps", ignore_errors=True)
    return report(results)


def report(results: dict[tuple[str, str], tuple[float, float, int]]) -> int:
    bare_rps, bare_cpu, _errors = results["bare", "bare view"]
    print(f"\n{'':10} {'page':28} {'req/s':>8} {'CPU ms/req':>11} {'× bare CPU':>11} errors")
    for (mode, page), (rps, cpu, errors) in results.items():
        print(f"{mode:10} {page:28} {rps:8.0f} {cpu:11.2f} {cpu / bare_cpu:11.1f} {errors:6}")
    problems = [
        f"{mode} {page}: {errors} errors"
        for (mode, page), (*_, errors) in results.items()
        if errors
    ]
    for page, most in TARGETS.items():
        ratio = results["cache off", page][1] / bare_cpu
        if ratio > most:
            problems.append(f"{page}, cache off: {ratio:.1f} × the bare view's CPU > {most}")
    share = results["cache off", "healthz"][0] / bare_rps
    if share < MIDDLEWARE_SHARE:
        problems.append(f"/healthz at {share:.0%} of the bare app's requests/s < 75%")
    print("All targets met." if not problems else "MISSED: " + "; ".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
