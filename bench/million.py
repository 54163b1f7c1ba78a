"""The same public pages at 6,000 and at 1,000,000 institutions (PostgreSQL), uncached.

    .venv/bin/python bench/million.py              # first run generates (about 5-10 min)
    .venv/bin/python bench/million.py --runs 21 --rounds 3

Two scratch databases, kept between runs and reused when they hold the expected number of
generated institutions: postgres:///vcday_scale_million_6k (``generate_scale_data``) and
postgres:///vcday_scale_million (``generate_scale_data --institutions 1000000``); the same
editions, registrations and agreements in both (``--base`` names another prefix). Each page is
rendered through Django's test client in one child process holding both databases, every cache
off (test settings): the time is the server's (view, template, SQL), median of ``--runs``, one
request in each database in turn, so that a busy machine weighs on both alike.
EXPLAIN ANALYZE of the search queries shows which indexes answer them.

Exits 1 when a page at 1,000,000 costs more than 120% of the same page at 6,000.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
LIMIT = 1.2
SIZES = {"6k": 6000, "1M": 1_000_000}


# --- the child: one database ------------------------------------------------------------------


def _setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from django.conf import settings
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["*"]


def pages() -> list[tuple[str, str]]:
    """The same pages in both databases: the same institution (the generated series'
    organizer, number 1), the same editions, the same search terms (institution 1's brand),
    and a deep page at the same depth (after the 5,000th institution in name order)."""
    from devdata.scale import PREFIX, institution_name
    from organizations.models import Organization
    from website.selectors import organization_name_ordering

    first = Organization.objects.get(slug=f"{PREFIX}institution-0000001")
    english, chinese = institution_name(1)
    brand = english.split()[0]
    pair = chinese[2:4]  # after the city: the brand's two characters
    deep = (
        Organization.objects.filter(is_public=True)
        .order_by(organization_name_ordering(), "pk")
        .values_list("pk", flat=True)[4999:5000]
        .get()
    )
    return [
        ("directory", "/en/institutions/"),
        ("directory zh", "/zh-hans/institutions/"),
        ("directory deep", f"/en/institutions/?after={deep}"),
        ("directory next", f"/en/institutions/?after={first.pk}"),
        ("search en", f"/en/institutions/?q={brand}"),
        ("search zh 2", f"/zh-hans/institutions/?q={pair}"),
        ("search zh 3", f"/zh-hans/institutions/?q={chinese[2:5]}"),
        ("institution", f"/en/institutions/{first.slug}/"),
        ("edition list", f"/en/events/{_edition_slug()}/institutions/"),
        ("sitemap index", "/sitemap.xml"),
        ("sitemap institutions", "/sitemap-institutions.xml"),
    ]


def _edition_slug() -> str:
    from events.models import Event

    return Event.objects.filter(slug__startswith="scale-").order_by("start_date")[0].slug


def child_measure(runs: int, large: str) -> None:
    """Measure each page in both databases, one request in each in turn, so that whatever
    else loads the machine weighs on both alike."""
    _setup_django()
    from django.conf import settings
    from django.core.cache import cache
    from django.db import connections
    from django.test import Client

    settings.DATABASES["large"] = {**settings.DATABASES["default"], "NAME": large}
    databases = {"6k": connections["default"], "1M": connections["large"]}

    def use(size: str) -> None:
        connections["default"] = databases[size]

    client = Client()
    result = {size: {} for size in databases}
    found = {}
    for size in databases:
        use(size)
        found[size] = pages()
    for index, (name, _address) in enumerate(found["6k"]):
        count = max(3, runs // 4) if name == "sitemap institutions" else runs
        for size in databases:
            use(size)
            for _ in range(2):
                client.get(found[size][index][1])
            result[size][name] = {"address": found[size][index][1], "timings": []}
        for _ in range(count):
            for size in databases:
                use(size)
                address = found[size][index][1]
                cache.clear()
                started = time.perf_counter()
                response = client.get(address)
                result[size][name]["timings"].append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    sys.exit(f"{address}: HTTP {response.status_code}")
    use("6k")
    print(json.dumps(result))


def child_explain() -> None:
    """EXPLAIN ANALYZE of the directory's search queries (the rows of one page)."""
    _setup_django()
    from django.utils import translation

    from devdata.scale import institution_name
    from website.selectors import DIRECTORY_ROW, organization_directory, organization_name_ordering

    english, chinese = institution_name(1)
    for language, query in [
        ("en", english.split()[0]),
        ("zh-hans", chinese[2:4]),
        ("zh-hans", chinese[2:5]),
        ("zh-hans", chinese[2]),
    ]:
        with translation.override(language):
            rows = (
                organization_directory(query=query)
                .order_by(organization_name_ordering(), "pk")
                .values("pk", *DIRECTORY_ROW)[:51]
            )
            plan = rows.explain(analyze=True)
        print(f"--- search {query!r} ({language}):")
        keep = ("Index", "Bitmap", "Seq Scan", "Execution Time", "Limit", "Sort")
        print("\n".join(line for line in plan.splitlines() if any(k in line for k in keep)))


# --- the parent: databases, rounds, ratios ----------------------------------------------------


def _psql_url(name: str) -> str:
    return f"postgres:///{name}"


def ensure_database(name: str, institutions: int) -> None:
    import psycopg

    with psycopg.connect("dbname=postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    env = {**os.environ, "DATABASE_URL": _psql_url(name)}
    env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    with psycopg.connect(f"dbname={name}") as connection:
        count = connection.execute(
            "SELECT count(*) FROM organizations_organization WHERE slug LIKE 'scale-%%'"
        ).fetchone()[0]
    if count != institutions:
        print(f"Generating {institutions:,} institutions in {name} …", flush=True)
        started = time.monotonic()
        subprocess.run(
            [*manage, "generate_scale_data", f"--institutions={institutions}"],
            env=env,
            check=True,
            cwd=ROOT,
        )
        print(f"  done in {time.monotonic() - started:.0f} s", flush=True)
    else:
        print(f"Reusing {name} ({count:,} generated institutions).", flush=True)


def run_child(name: str, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": _psql_url(name)}
    done = subprocess.run(
        [sys.executable, __file__, "--child", *args],
        env=env,
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return done.stdout


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15, help="requests per page per round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--base", default="vcday_scale_million", help="database name prefix")
    parser.add_argument("--child", nargs="*", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child is not None:
        if options.child and options.child[0] == "explain":
            child_explain()
        else:
            child_measure(int(options.child[0]), options.child[1])
        return 0

    databases = {"6k": f"{options.base}_6k", "1M": options.base}
    for size, name in databases.items():
        ensure_database(name, SIZES[size])
    samples: dict[str, dict[str, list[float]]] = {size: {} for size in databases}
    addresses: dict[str, dict[str, str]] = {size: {} for size in databases}
    for round_number in range(options.rounds):
        measured = json.loads(run_child(databases["6k"], str(options.runs), databases["1M"]))
        for size, found_pages in measured.items():
            for page, found in found_pages.items():
                samples[size].setdefault(page, []).extend(found["timings"])
                addresses[size][page] = found["address"]
        print(f"round {round_number + 1} of {options.rounds} measured", flush=True)

    print(f"\n{'page':<22} {'6,000 ms':>9} {'1,000,000 ms':>13} {'ratio':>6}")
    over = []
    for page, small_timings in samples["6k"].items():
        small = statistics.median(small_timings)
        large = statistics.median(samples["1M"][page])
        ratio = large / small
        flag = "  OVER" if ratio > LIMIT else ""
        if ratio > LIMIT:
            over.append(page)
        print(f"{page:<22} {small:>9.1f} {large:>13.1f} {ratio:>6.2f}{flag}")
    print("\nAddresses at 1,000,000:")
    for page, address in addresses["1M"].items():
        print(f"  {page:<22} {address}")
    print("\nEXPLAIN ANALYZE at 1,000,000 (the directory's search, one page):")
    print(run_child(databases["1M"], "explain"))
    if over:
        print(f"Over {LIMIT:.0%} of the 6,000 figure: {', '.join(over)}")
        return 1
    print(f"Every page at 1,000,000 institutions within {LIMIT:.0%} of its cost at 6,000.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
