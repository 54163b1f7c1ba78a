"""Back up and restore the database and the uploaded files.

A backup is a folder with ``database.dump`` (pg_dump's custom format on PostgreSQL, a
consistent SQLite copy on SQLite), ``media.tar.gz`` (public uploads) and
``private_media.tar.gz`` (files with no public address: the evidence of agreement follow-up).
Restoring replaces the database content and the files with the backup's.
"""

import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

from common.pagecache import public_pages_invalidate

DATABASE_FILE = "database.dump"
MEDIA_FILE = "media.tar.gz"
PRIVATE_MEDIA_FILE = "private_media.tar.gz"


def _archives() -> dict[str, Path]:
    """Each archive of a backup and the folder it holds."""
    return {
        MEDIA_FILE: Path(settings.MEDIA_ROOT),
        PRIVATE_MEDIA_FILE: Path(settings.PRIVATE_MEDIA_ROOT),
    }


class BackupError(Exception):
    pass


def backup_create(*, folder: Path) -> list[Path]:
    """Write a backup of the database and media into ``folder``; return the files.

    A backup holds every registrant's contact details: the folder is readable by its owner
    only (0700) and the files are created so (umask 077, then 0600 whatever made them).
    """
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    folder.chmod(0o700)
    previous = os.umask(0o077)
    try:
        files = _backup_write(folder)
    finally:
        os.umask(previous)
    for path in files:
        path.chmod(0o600)
    return files


def _backup_write(folder: Path) -> list[Path]:
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
    files = [database]
    for name, root in _archives().items():
        files.append(folder / name)
        with tarfile.open(folder / name, "w:gz") as archive:
            if root.is_dir():
                archive.add(root, arcname=".")
    return files


def backup_restore(*, folder: Path) -> None:
    """Replace the database content and the files with those of a backup.

    Every archive is unpacked next to its folder first: a damaged backup fails before anything
    is replaced. A backup made before private files were kept has no private archive: the
    private files are then left as they are. Personal data erased since the backup was taken
    comes back with it: run the erasures again afterwards.
    """
    database = folder / DATABASE_FILE
    for path in (database, folder / MEDIA_FILE):
        if not path.is_file():
            raise BackupError(f"{path} is missing: not a backup folder.")
    unpacked: dict[Path, Path] = {}
    try:
        for name, root in _archives().items():
            if (folder / name).is_file():
                unpacked[root] = _unpack(folder / name, next_to=root)
        _restore_database(database)
        for root, files in unpacked.items():
            if root.exists():
                shutil.rmtree(root)
            files.rename(root)
    finally:
        for files in unpacked.values():
            shutil.rmtree(files, ignore_errors=True)
        # The restore bypassed the models' signals: no cached page may outlive it.
        public_pages_invalidate()


def _unpack(archive_path: Path, *, next_to: Path) -> Path:
    next_to.parent.mkdir(parents=True, exist_ok=True)
    unpacked = Path(tempfile.mkdtemp(prefix=".restore-", dir=next_to.parent))
    try:
        with tarfile.open(archive_path) as archive:
            archive.extractall(unpacked, filter="data")
    except (tarfile.TarError, OSError) as error:
        shutil.rmtree(unpacked, ignore_errors=True)
        raise BackupError(f"{archive_path} cannot be unpacked: {error}") from error
    return unpacked


def _restore_database(database: Path) -> None:
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
