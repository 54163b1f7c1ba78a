"""Two app servers sharing PostgreSQL and Redis: cached pages and the rate limit agree.

    .venv/bin/python bench/two_servers.py

Creates postgres:///vcday_scale_two_servers (dropped afterwards unless --keep-db), uses Redis
database 7 (--redis, emptied first) for the page cache, the stamps and the rate limit, and
starts two gunicorns (config/gunicorn.py, production settings) on two free ports of 127.0.0.1.
Then:

1. server B serves the edition's institution list and the directory search twice (the second
   time from its page cache);
2. a registration is sent through server A (automatic confirmation, listed publicly);
3. server B's very next answer for both pages names the new institution;
4. with REGISTRATION_RATE_LIMIT=4/h, more registrations from the same address alternate
   between A and B: exactly four in all (the one of step 2 included) get through, the rest
   are refused, whichever server they reach.

Exits 1 when a check fails.
"""

import argparse
import os
import random
import socket
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from burst import Client, classify, create_edition, setup_django  # noqa: E402
from load import RESULTS, Server, psql_database  # noqa: E402

LIMIT = 4


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(port: int, path: str) -> str:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as response:
        return response.read().decode()


def main() -> int:  # noqa: PLR0915 (one script, read top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database", default="vcday_scale_two_servers")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/7")
    parser.add_argument("--keep-db", action="store_true")
    options = parser.parse_args()
    stamps = tempfile.mkdtemp(prefix="vcday-two-servers-")
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY") or os.urandom(32).hex(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SITE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": f"postgres:///{options.database}",
        "DJANGO_CACHE_STAMPS_DIR": stamps,  # unused: Redis holds the stamps
        "DJANGO_EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "REGISTRATION_RATE_LIMIT": f"{LIMIT}/h",
        "REDIS_URL": options.redis,
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    psql_database("dropdb", options.database)
    psql_database("createdb", options.database)
    problems: list[str] = []
    try:
        setup_django(env)
        from django.core.cache import caches
        from django.core.management import call_command
        from django.db import connections

        call_command("migrate", "--noinput", verbosity=0)
        call_command("collectstatic", "--noinput", verbosity=0)
        caches["stamps"].clear()  # Redis database of this check only (--redis)
        event, _venues = create_edition(places=100, venue_places=[50])
        connections.close_all()
        register = f"/en/events/{event.slug}/register/"
        listing = f"/en/events/{event.slug}/institutions/"
        search = "/en/institutions/?q=Burst+Capital"
        a, b = free_port(), free_port()
        full_env = {**os.environ, **env}
        with (
            Server(full_env, port=a, log=RESULTS / "gunicorn-two-a.log"),
            Server(full_env, port=b, log=RESULTS / "gunicorn-two-b.log"),
        ):
            for _ in range(2):  # the second answer comes from B's page cache
                before = get(b, listing), get(b, search)
            if any("Burst Capital 00000" in page for page in before):
                problems.append("the institution is listed before it registered")
            outcomes = [classify(*Client(a, register).register(0, [], random.Random(0)))]  # noqa: S311
            after = get(b, listing), get(b, search)
            for name, page in zip(("edition list", "directory search"), after, strict=True):
                shown = "Burst Capital 00000" in page
                print(f"Server B, {name}, next request after the registration on A: "
                      f"{'lists it' if shown else 'MISSING'}")  # fmt: skip
                if not shown:
                    problems.append(f"server B's {name} does not list the registration from A")
            for number in range(1, LIMIT + 3):
                port = (a, b)[number % 2]
                outcome = classify(*Client(port, register).register(number, [], random.Random(0)))  # noqa: S311
                outcomes.append(outcome)
                print(f"Registration {number + 1} through {'AB'[number % 2]}: {outcome}")
            accepted = outcomes.count("accepted")
            print(f"Accepted {accepted} of {len(outcomes)} with a limit of {LIMIT}/h per address")
            if accepted != LIMIT:
                problems.append(f"{accepted} registrations accepted across both, limit {LIMIT}")
            if any(o.startswith("FAILED") for o in outcomes):
                problems.append(f"failures: {outcomes}")
        print("All checks passed." if not problems else "PROBLEMS: " + "; ".join(problems))
        return 1 if problems else 0
    finally:
        from django.db import connections

        connections.close_all()
        if not options.keep_db:
            subprocess.run(["dropdb", "--if-exists", options.database], check=False)
        subprocess.run(["rm", "-rf", stamps], check=False)


if __name__ == "__main__":
    sys.exit(main())
