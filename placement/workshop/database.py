"""Why the configured rooms database cannot be used, in one line for whoever configured it (the app's
start-up message and the `rooms` command's `error:` line say the same)."""

from __future__ import annotations

import os
import re

import sqlalchemy as sa

from placement.workshop.domain import RoomError

EXAMPLE_URL = "postgresql+psycopg://user:password@host/database"


def database_source(environ=os.environ) -> str:
    """The setting that names the database the store opens (see store.database_url)."""
    return "PLACEMENT_DATABASE_URL" if environ.get("PLACEMENT_DATABASE_URL") else "PLACEMENT_DB_PATH"


def database_problem(error: Exception, source: str, environ=os.environ) -> str:
    """What is wrong with the database `source` names, and what to fix; never the URL (it may hold a password)."""
    if isinstance(error, RoomError):
        return str(error)
    if isinstance(error, ImportError | sa.exc.NoSuchModuleError):
        missing = re.search(r"No module named '([^']+)'", str(error)) or re.search(
            r"plugin: (?:sqlalchemy\.dialects:)?(\S+)", str(error)
        )
        driver = missing.group(1) if missing else "its driver"
        return (
            f"{source}: the database driver '{driver}' is not installed in this app's Python. "
            f"Install it, or use a URL with an installed driver, e.g. {EXAMPLE_URL}"
        )
    if isinstance(error, sa.exc.ArgumentError):
        return f"{source} is not a database URL: write it like {EXAMPLE_URL}"
    reason = _reason(error)
    if path := _sqlite_file(source, environ):
        return (
            f"{source}: the SQLite file {path} cannot be created or opened ({reason}). Point {source} at a rooms "
            "database, or a new file name, in a folder that exists, that this app may write to, on a disk with free space."
        )
    return (
        f"{source}: the database does not answer ({reason}). Check that the database server is running and "
        "reachable, and that the URL's host, port, user, password and database name are right."
    )


def _reason(error: Exception) -> str:
    """The driver's or the system's own words, first line only (psycopg adds hints on further lines)."""
    cause = getattr(error, "orig", None) or error
    words = getattr(cause, "strerror", None) or str(cause).strip() or type(cause).__name__
    return words.splitlines()[0][:200]


def _sqlite_file(source: str, environ) -> str | None:
    """The SQLite file the setting names, if it names one."""
    if source == "PLACEMENT_DB_PATH":
        return environ.get("PLACEMENT_DB_PATH") or "var/rooms.db (the default)"
    if source == "PLACEMENT_DATABASE_URL":
        try:
            url = sa.engine.make_url(environ["PLACEMENT_DATABASE_URL"])
        except (sa.exc.ArgumentError, KeyError):
            return None
        return (url.database or "(in memory)") if url.get_backend_name() == "sqlite" else None
    return None
