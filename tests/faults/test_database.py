"""The database going away in the middle of a request: a translated 503, then recovery.

A real outage, no mocks: on PostgreSQL the request's server process is terminated from another
connection (pg_terminate_backend) just before its first query; on SQLite the database file
cannot be opened (its folder is gone), as after a full disk or a lost volume. (A write lock
held by another connection no longer makes an outage: in WAL mode readers go on.)
"""

import contextlib
from pathlib import Path

import psycopg
import pytest
from django.core.cache import cache
from django.db import connection

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db(transaction=True)


@contextlib.contextmanager
def _postgresql_backend_killed_on_first_query():
    def kill_then_execute(execute, sql, params, many, context):
        if not killed:
            killed.append(True)
            pid = connection.connection.info.backend_pid
            dsn = connection.get_connection_params()
            params_of_other = {
                k: v for k, v in dsn.items() if k in {"dbname", "host", "port", "user"}
            }
            with psycopg.connect(**params_of_other, autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", [pid])
        return execute(sql, params, many, context)

    killed: list[bool] = []
    connection.ensure_connection()
    with connection.execute_wrapper(kill_then_execute):
        yield
    assert killed, "the request ran no query"


@contextlib.contextmanager
def _sqlite_file_unreachable():
    name = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = str(Path(name).parent / "gone" / "db.sqlite3")
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = name


def _outage():
    if connection.vendor == "postgresql":
        return _postgresql_backend_killed_on_first_query()
    if connection.vendor == "sqlite":
        return _sqlite_file_unreachable()
    pytest.skip(f"no real outage to produce on {connection.vendor}")
    return None


@pytest.fixture
def edition():
    return EventFactory(is_published=True, title_en="Venture Capital Day", title_zh_hans="创投日")


@pytest.mark.parametrize(
    ("language", "title", "text"),
    [
        ("en", "Briefly unavailable", "cannot reach its database"),
        ("zh-hans", "暂时无法访问", "无法连接数据库"),
    ],
)
def test_database_outage_gives_translated_503_then_recovers(client, edition, language, title, text):
    url = f"/{language}/events/"
    assert client.get(url).status_code == 200
    cache.clear()
    with _outage():
        response = client.get(url)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert f"<h1>{title}</h1>" in response.text
    assert text in response.text
    cache.clear()
    recovered = client.get(url)
    assert recovered.status_code == 200
    expected = edition.title_en if language == "en" else edition.title_zh_hans
    assert expected in recovered.text
