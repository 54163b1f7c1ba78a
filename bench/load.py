"""Load benchmark of the production server on loopback, by hand (see README, "Benchmarks").

    .venv/bin/python bench/load.py            # full run: 60 s per measurement, about 15 minutes
    .venv/bin/python bench/load.py --quick    # 5 s per measurement, to try it out

What it does, bounded in time and to 127.0.0.1:

1. creates its own PostgreSQL database (postgres:///vcday_bench, dropped afterwards unless
   --keep-db), migrates it and fills it with ``generate_scale_data`` defaults (6,000
   institutions, 10 editions, 20,000 registrations);
2. collects static files and starts gunicorn with config/gunicorn.py and the production
   settings on 127.0.0.1 (HTTP on loopback, so DJANGO_SECURE_SSL_REDIRECT=false);
3. drives it with wrk (``apt-get install -y wrk``) at 64 connections: /healthz (a bare Django
   view through every middleware, the ceiling), the edition page, the edition's institution
   list, the directory, the series page and a static file;
4. twice: "uncached", with the page cache off (DJANGO_PUBLIC_PAGE_CACHE_SECONDS=0: every request
   runs the view; the edition page's content fragment is cached), and "cached", with the page
   cache on and warmed by one request; once more for the edition page with no cache at all;
5. prints requests/s, p50/p99 latency and errors (socket errors and non-2xx/3xx answers), checks
   the targets and exits 1 when one is missed: the uncached edition page at least 6% of the
   bare view's requests/s, the cached one at least 50%, no error anywhere.

The cache is local memory per worker with the stamps in files, as `make serve` runs it;
``--redis redis://127.0.0.1:6379/5`` measures with Redis instead.
"""

import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
RESULTS = ROOT / "bench" / "results"

UNCACHED_SHARE = 0.06
CACHED_SHARE = 0.50


@dataclass
class Result:
    mode: str
    page: str
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int


def run(args: list[str], env: dict, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(args, env=env, cwd=ROOT, check=True, **kwargs)


def psql_database(command: str, name: str) -> None:
    subprocess.run([command, *(["--if-exists"] if command == "dropdb" else []), name], check=True)


def milliseconds(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60_000}[unit]


class WrkRun(NamedTuple):
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    errors: int
    requests: int


def wrk(url: str, *, duration: int, connections: int) -> WrkRun:
    out = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{duration}s",
            "--timeout",
            "10s",
            "--latency",
            url,
        ],
        check=True,
        capture_output=True,
        text=True,
        timeout=duration + 60,
    ).stdout
    requests = int(re.search(r"(\d+) requests in", out).group(1))
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p50 = milliseconds(re.search(r"^\s+50%\s+(\S+)", out, re.M).group(1))
    p99 = milliseconds(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = 0
    if socket := re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out
    ):
        errors += sum(int(n) for n in socket.groups())
    if non_2xx := re.search(r"Non-2xx or 3xx responses: (\d+)", out):
        errors += int(non_2xx.group(1))
    return WrkRun(rps, p50, p99, errors, requests)


class Server:
    """gunicorn with the repository's config, started and stopped by its process id."""

    def __init__(self, env: dict, *, port: int, log: Path, app: str = "config.wsgi") -> None:
        self.env, self.port, self.log, self.app = env, port, log, app
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> "Server":
        self.log.parent.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [GUNICORN, "-c", "config/gunicorn.py", self.app],
            env={**self.env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"},
            cwd=ROOT,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2)
                return self
            except urllib.error.HTTPError:
                return self  # it answers (an app without /healthz says 404)
            except OSError:
                if self.process.poll() is not None:
                    sys.exit(f"gunicorn exited; see {self.log}")
                time.sleep(0.3)
        self.__exit__()
        sys.exit(f"gunicorn did not answer within 30 s; see {self.log}")

    def cpu_seconds(self) -> float:
        """CPU time used so far by the gunicorn master and its workers."""
        pid = self.process.pid
        pids = [pid, *map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split())]
        total = 0
        for each in pids:
            fields = Path(f"/proc/{each}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / os.sysconf("SC_CLK_TCK")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def pages(env: dict) -> dict[str, str]:
    """The addresses to measure, found in the benchmark database."""
    code = (
        "import django; django.setup()\n"
        "from django.db.models import Count, Q\n"
        "from django.contrib.staticfiles.storage import staticfiles_storage\n"
        "from events.models import Event\n"
        "e = (Event.objects.published().annotate(n=Count('participations', "
        "filter=Q(participations__status='approved'))).order_by('-n').first())\n"
        "print(e.slug, e.series.slug, staticfiles_storage.url('css/site.css'))\n"
    )
    slug, series, css = run(
        [PYTHON, "-c", code], env, capture_output=True, text=True
    ).stdout.split()
    return {
        "bare view (/healthz)": "/healthz",
        "edition": f"/en/events/{slug}/",
        "edition institutions": f"/en/events/{slug}/institutions/",
        "directory": "/en/institutions/",
        "series": f"/en/series/{series}/",
        "static file": css,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="5 s per measurement")
    parser.add_argument("--duration", type=int, default=60, help="seconds per measurement")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=8410, help="a port in 8400-8499")
    parser.add_argument("--database", default="vcday_bench")
    parser.add_argument("--keep-db", action="store_true", help="keep the database afterwards")
    parser.add_argument("--redis", default="", help="REDIS_URL for the cache, e.g. db 5")
    options = parser.parse_args()
    duration = 5 if options.quick else options.duration
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install -y wrk")

    stamps = tempfile.mkdtemp(prefix="vcday-bench-stamps-")
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
        "REDIS_URL": options.redis,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    print(f"Database {options.database}: create, migrate, generate_scale_data …", flush=True)
    psql_database("dropdb", options.database)
    psql_database("createdb", options.database)
    results: list[Result] = []
    try:
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], env)
        run([PYTHON, "manage.py", "generate_scale_data"], env, stdout=subprocess.DEVNULL)
        run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], env)
        addresses = pages(env)
        phases = [
            ("uncached", {"DJANGO_PUBLIC_PAGE_CACHE_SECONDS": "0"}, addresses),
            ("cached", {}, addresses),
            (
                "no cache at all",
                {
                    "DJANGO_PUBLIC_PAGE_CACHE_SECONDS": "0",
                    "DJANGO_PUBLIC_FRAGMENT_CACHE_SECONDS": "0",
                },
                {"edition": addresses["edition"]},
            ),
        ]
        print(
            f"wrk: {options.connections} connections, {duration} s per page, "
            f"gunicorn {workers_note(env)} on 127.0.0.1:{options.port}",
            flush=True,
        )
        for mode, extra, targets in phases:
            if options.redis:
                run(
                    [
                        PYTHON,
                        "manage.py",
                        "shell",
                        "-c",
                        "from django.core.cache import cache; cache.clear()",
                    ],
                    env,
                )
            log = RESULTS / f"gunicorn-{mode.replace(' ', '-')}.log"
            with Server({**env, **extra}, port=options.port, log=log):
                for page, path in targets.items():
                    url = f"http://127.0.0.1:{options.port}{path}"
                    if mode == "cached":
                        for _ in range(3):  # one request per worker is enough, mostly
                            urllib.request.urlopen(url, timeout=30).read()
                    rps, p50, p99, errors, _requests = wrk(
                        url, duration=duration, connections=options.connections
                    )
                    result = Result(mode, page, rps, p50, p99, errors)
                    results.append(result)
                    print(
                        f"{mode:16} {page:22} {rps:9.1f} req/s  p50 {p50:8.1f} ms  "
                        f"p99 {p99:8.1f} ms  errors {errors}",
                        flush=True,
                    )
    finally:
        if not options.keep_db:
            psql_database("dropdb", options.database)
        shutil.rmtree(stamps, ignore_errors=True)
    return report(results)


def workers_note(env: dict) -> str:
    workers = env.get("GUNICORN_WORKERS") or f"{os.cpu_count() * 2 + 1}"
    return f"{workers} workers ({os.cpu_count()} cores)"


def report(results: list[Result]) -> int:
    by = {(r.mode, r.page): r for r in results}
    failures = []
    for mode, share in (("uncached", UNCACHED_SHARE), ("cached", CACHED_SHARE)):
        bare = by[(mode, "bare view (/healthz)")].requests_per_second
        edition = by[(mode, "edition")].requests_per_second
        verdict = "met" if edition >= share * bare else "MISSED"
        print(
            f"Edition page {mode}: {edition:.1f} req/s = {edition / bare:.1%} of the bare view's "
            f"{bare:.1f} (target {share:.0%}): {verdict}"
        )
        if verdict != "met":
            failures.append(mode)
    errors = sum(r.errors for r in results)
    print(f"Errors in all runs: {errors} (target 0)")
    return 1 if failures or errors else 0


if __name__ == "__main__":
    sys.exit(main())
