"""Registration POST latency while the mail server takes 10 s per message (issue 12), by hand.

    .venv/bin/python bench/slow_smtp.py                   # 200 registrations, SQLite
    .venv/bin/python bench/slow_smtp.py --quick           # 40 registrations
    .venv/bin/python bench/slow_smtp.py --database postgres:///vcday_bench_smtp

Everything stays on loopback and is stopped at the end: an aiosmtpd server that waits
``--smtp-delay`` seconds (10) before answering each message, gunicorn with the production
settings, and ``--workers`` ``db_worker`` processes (2) plus the sweeper, all on one database
(a new SQLite file in a temporary folder by default; a PostgreSQL URL is created and dropped).

It POSTs the real registration form (with its CSRF token), ``--concurrency`` at a time (4):
a warm-up, then ``--registrations`` with the mail server answering at once, then as many with it
answering after the delay, and prints p50 / p99 / max of each phase. Then it waits at most
``--drain`` seconds (60) for the workers and reports how many e-mails the server accepted, and
that none arrived twice. It exits 1 if a POST failed, a Message-ID arrived twice, or the p99
with the slow server exceeds both ``--max-p99-ms`` (500) and twice the p99 with the fast one
(on a loaded machine every request is slower; the slow server must not add to that).
"""

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from burst import Client, classify, create_edition, setup_django  # noqa: E402
from load import RESULTS, Server, psql_database  # noqa: E402

from tests import smtp_sink  # noqa: E402


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main() -> int:  # noqa: PLR0912, PLR0915 (one script, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="40 registrations per phase")
    parser.add_argument("--registrations", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--smtp-delay", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--drain", type=float, default=60.0, help="seconds to wait for mail")
    parser.add_argument("--port", type=int, default=8131)
    parser.add_argument("--database", default="", help="postgres:///NAME (default: SQLite)")
    parser.add_argument("--max-p99-ms", type=float, default=500.0)
    options = parser.parse_args()
    total = 40 if options.quick else options.registrations

    folder = Path(tempfile.mkdtemp(prefix="vcday-slow-smtp-"))
    database = options.database or f"sqlite:///{folder / 'db.sqlite3'}"
    pg_name = database.rsplit("/", 1)[1] if database.startswith("postgres") else ""
    smtp_port = free_port()
    sink_log = folder / "smtp.jsonl"
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or os.urandom(32).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SITE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database,
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_CACHE_STAMPS_DIR": str(folder / "stamps"),
        "DJANGO_CACHE_PROGRESS_DIR": str(folder / "progress"),
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "DJANGO_EMAIL_HOST": "127.0.0.1",
        "DJANGO_EMAIL_PORT": str(smtp_port),
        "DJANGO_EMAIL_TIMEOUT": str(int(options.smtp_delay) + 20),
        "REGISTRATION_RATE_LIMIT": "1000000/h",
        "REDIS_URL": "",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if pg_name:
        psql_database("dropdb", pg_name)
        psql_database("createdb", pg_name)
    sink = smtp_sink.start(smtp_port, delay=0.0, log_path=str(sink_log))
    workers: list[subprocess.Popen] = []
    try:
        setup_django(env)
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        event, _venues = create_edition(places=total * 4, venue_places=[total * 4])
        connections.close_all()
        path = f"/en/events/{event.slug}/register/"
        full_env = {**os.environ, **env}
        manage = [sys.executable, str(ROOT / "manage.py")]
        worker = [*manage, "db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.5"]
        for number in range(options.workers):
            workers.append(
                subprocess.Popen(
                    [*worker, "--worker-id", f"bench-{number}"],
                    env=full_env,
                    cwd=ROOT,
                    process_group=0,
                )
            )
        workers.append(
            subprocess.Popen(
                [*manage, "tasks_sweep", "--every", "10"], env=full_env, cwd=ROOT, process_group=0
            )
        )
        print(
            f"{total} registrations per phase, {options.concurrency} at a time; "
            f"{options.workers} workers; {database.split('://')[0]}",
            flush=True,
        )
        phases: dict[str, list[float]] = {}
        outcomes: Counter = Counter()
        lock = threading.Lock()
        with Server(full_env, port=options.port, log=RESULTS / "gunicorn-slow-smtp.log"):
            client = Client(options.port, path)

            def one(number: int, durations: list[float]) -> None:
                started = time.monotonic()
                status, html = client.register(number, [], random.Random(number))  # noqa: S311
                elapsed = time.monotonic() - started
                with lock:
                    durations.append(elapsed)
                    outcomes[classify(status, html)] += 1

            def run(name: str, numbers: range) -> None:
                durations: list[float] = []
                with ThreadPoolExecutor(max_workers=options.concurrency) as pool:
                    list(pool.map(lambda n: one(n, durations), numbers))
                phases[name] = [d * 1000 for d in durations]

            # Warm-up (not counted), then the same load with a fast and with a slow server.
            run("warm-up", range(-options.concurrency * 2, 0))
            sink.handler.delay = 0.0
            run("server answering at once", range(total))
            time.sleep(2)  # let the workers send the fast phase's mail
            sink.handler.delay = options.smtp_delay
            run(f"server answering after {options.smtp_delay:g} s", range(total, 2 * total))
        del phases["warm-up"]
        stats = {}
        for name, ms in phases.items():
            stats[name] = (statistics.median(ms), percentile(ms, 0.99), max(ms))
            print(
                f"POST latency, {name}: p50 {stats[name][0]:.0f} ms, "
                f"p99 {stats[name][1]:.0f} ms, max {stats[name][2]:.0f} ms ({len(ms)} POSTs)"
            )
        print(f"Answers: {dict(outcomes)}")
        fast_p99, slow_p99 = (value[1] for value in stats.values())
        p99 = slow_p99

        deadline = time.monotonic() + options.drain
        received: list[dict] = []
        while time.monotonic() < deadline:
            received = (
                [json.loads(x) for x in sink_log.read_text().splitlines()]
                if (sink_log.exists())
                else []
            )
            if len(received) >= outcomes["accepted"]:
                break
            time.sleep(1)
        copies = Counter(r["message_id"] for r in received)
        most = max(copies.values(), default=0)
        print(
            f"E-mails accepted by the server within {options.drain:g} s of the last POST: "
            f"{len(received)} of {outcomes['accepted']} (the rest stay queued); "
            f"most copies of one Message-ID: {most}"
        )
        problems = [f"{n} submissions {k}" for k, n in outcomes.items() if k != "accepted"]
        # A loaded machine slows every request alike: the slow server must not add to it.
        if p99 > max(options.max_p99_ms, 2 * fast_p99):
            problems.append(
                f"p99 {p99:.0f} ms with the slow server > {options.max_p99_ms:g} ms and more "
                f"than twice the {fast_p99:.0f} ms with a fast one"
            )
        if most > 1:
            problems.append("a Message-ID arrived twice")
        print("All checks passed." if not problems else "PROBLEMS: " + "; ".join(problems))
        return 1 if problems else 0
    finally:
        for process in workers:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in workers:
            try:
                process.wait(timeout=options.smtp_delay + 30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        sink.stop()
        from django.db import connections

        connections.close_all()
        if pg_name:
            subprocess.run(["dropdb", "--if-exists", pg_name], check=False)
        subprocess.run(["rm", "-rf", str(folder)], check=False)


if __name__ == "__main__":
    sys.exit(main())
