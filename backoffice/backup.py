"""Back up and restore the database and the uploaded media.

A backup is a folder with ``database.dump`` (pg_dump's custom format on PostgreSQL, a
consistent SQLite copy on SQLite) and ``media.tar.gz``. Restoring replaces the database
content and the media files with the backup's.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from events.cache import public_pages_invalidate

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"


class BackupError(Exception):
    pass


def backup_create(*, folder: Path) -> list[Path]:
    """Write a backup of the database and media into ``folder``; return the files."""
    folder.mkdir(parents=True, exist_ok=True)
    database = folder / DATABASE_FILE
    if connection.vendor == "postgresql":
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={database}", _pg_dbname()])
    elif connection.vendor == "sqlite":
        # Through Django's own connection, so that an in-memory test database works too.
        connection.ensure_connection()
        with sqlite3.connect(database) as target:
            connection.connection.backup(target)
    else:
        raise BackupError(f"No backup method for {connection.vendor}.")
    media = folder / MEDIA_FILE
    with tarfile.open(media, "w:gz") as archive:
        if Path(settings.MEDIA_ROOT).is_dir():
            archive.add(settings.MEDIA_ROOT, arcname=".")
    return [database, media]


def backup_restore(*, folder: Path) -> None:
    """Replace the database content and the media files with those of a backup."""
    database, media = folder / DATABASE_FILE, folder / MEDIA_FILE
    for path in (database, media):
        if not path.is_file():
            raise BackupError(f"{path} is missing: not a backup folder.")
    if connection.vendor == "postgresql":
        connection.close()
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                f"--dbname={_pg_dbname()}",
                str(database),
            ]
        )
    else:
        connection.ensure_connection()
        with sqlite3.connect(database) as source:
            source.backup(connection.connection)
    media_root = Path(settings.MEDIA_ROOT)
    if media_root.exists():
        shutil.rmtree(media_root)
    media_root.mkdir(parents=True)
    with tarfile.open(media) as archive:
        archive.extractall(media_root, filter="data")
    # The restore bypassed the models' signals: no cached page may outlive it.
    public_pages_invalidate()


def _pg_dbname() -> str:
    """Return a libpq connection string for the default database (password via env)."""
    db = connection.settings_dict
    parts = {
        "dbname": db["NAME"],
        "host": db.get("HOST"),
        "port": db.get("PORT"),
        "user": db.get("USER"),
    }
    return " ".join(f"{key}={value}" for key, value in parts.items() if value)


def _run(command: list[str]) -> None:
    password = connection.settings_dict.get("PASSWORD")
    env = {**os.environ, **({"PGPASSWORD": password} if password else {})}
    # The arguments are fixed here or come from settings, never from a request.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"{command[0]} failed: {result.stderr.strip()}")
