"""`python -m placement rooms list|close CODE|purge [--older-than DAYS]`: the administrator's housekeeping."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from placement.cli import main
from placement.data.model import load_model
from placement.workshop import schema
from placement.workshop.store import RoomStore
from tests.conftest import postgres_url

ROOT = Path(__file__).resolve().parents[1]


def make_rooms(path: Path) -> tuple[str, str]:
    """An old room (created 40 days ago) and a new one: (old code, new code)."""
    engine = sa.create_engine(f"sqlite:///{path}")
    store = RoomStore(engine)
    model = load_model()
    factors = [{"id": f.id, "name": f.name, "definition": f.definition} for f in model.factors[:2]]
    old, _ = store.create_room("Old room", factors, "sliders", model)
    new, _ = store.create_room("New room", factors, "sliders", model)
    store.join(old, "Ada")
    with engine.begin() as db:
        db.execute(
            schema.rooms.update()
            .where(schema.rooms.c.code == old)
            .values(created_at=datetime.now(UTC) - timedelta(days=40))
        )
    engine.dispose()
    return old, new


def test_rooms_list_close_and_purge_read_the_database_from_the_environment(tmp_path, monkeypatch, capsys):
    db = tmp_path / "rooms.db"
    old, new = make_rooms(db)
    monkeypatch.delenv("PLACEMENT_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMENT_DB_PATH", str(db))
    assert main(["rooms", "list"]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in listed] == [old, new]
    assert "1 joined" in listed[0] and "Old room" in listed[0] and "open" in listed[0]
    assert main(["rooms", "close", new.lower()]) == 0
    assert "Closed room" in capsys.readouterr().out
    assert main(["rooms", "close", "NOPE2345"]) == 1
    assert "no room" in capsys.readouterr().err
    assert main(["rooms", "purge"]) == 0  # default: settings.ROOM_DAYS (30), expired rooms only, no question
    purged = capsys.readouterr().out.splitlines()
    assert purged[0] == "Purged 1 room(s) older than 30 days:"
    assert purged[1].split()[:5] == [old, "40.0", "days", "old", "expired"] and "Old room" in purged[1]
    assert main(["rooms", "list"]) == 0
    out = capsys.readouterr().out
    assert old not in out and new in out and "closed" in out
    assert main(["rooms", "purge", "--older-than", "0", "--yes"]) == 0
    assert "Purged 1 room(s)" in capsys.readouterr().out
    assert main(["rooms", "purge", "--older-than", "soon"]) == 2


def test_rooms_runs_as_a_module(tmp_path):
    db = tmp_path / "rooms.db"
    old, _ = make_rooms(db)
    env = {k: v for k, v in os.environ.items() if k != "PLACEMENT_DATABASE_URL"} | {"PLACEMENT_DB_PATH": str(db)}
    done = subprocess.run(
        [sys.executable, "-m", "placement", "rooms", "list"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0 and old in done.stdout


def test_purging_rooms_that_have_not_expired_lists_them_and_needs_yes(tmp_path, monkeypatch, capsys):
    db = tmp_path / "rooms.db"
    old, new = make_rooms(db)
    monkeypatch.delenv("PLACEMENT_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMENT_DB_PATH", str(db))
    assert main(["rooms", "purge", "--older-than", "0"]) == 1
    shown = capsys.readouterr()
    listed = shown.out.splitlines()
    assert listed[0] == "Would delete 2 room(s) older than 0 days:"
    assert [line.split()[:2] for line in listed[1:]] == [[old, "40.0"], [new, "0.0"]]
    assert "not expired" in listed[2] and "not expired" not in listed[1]
    assert shown.err.strip() == (
        "error: 1 of them has not expired (rooms expire 30 days after they are created); nothing was deleted. "
        "Run the command again with --yes to delete them."
    )
    assert main(["rooms", "purge", "--older-than", "10"]) == 0  # only the expired room is older: no question
    assert capsys.readouterr().out.splitlines()[0] == "Purged 1 room(s) older than 10 days:"
    assert main(["rooms", "purge", "--older-than", "0", "--yes"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Purged 1 room(s) older than 0 days:" and out[1].split()[:2] == [new, "0.0"]
    assert main(["rooms", "list"]) == 0 and capsys.readouterr().out == ""


@pytest.mark.parametrize(
    ("setting", "value", "says"),
    [
        ("PLACEMENT_DATABASE_URL", "not a url", "PLACEMENT_DATABASE_URL is not a database URL: write it like"),
        ("PLACEMENT_DATABASE_URL", "nosuchdb://host/rooms", "the database driver 'nosuchdb' is not installed"),
        (
            "PLACEMENT_DATABASE_URL",
            "postgresql+psycopg2://someone@127.0.0.1/rooms",
            "driver 'psycopg2' is not installed",
        ),
        ("PLACEMENT_DATABASE_URL", "postgresql+psycopg://someone@127.0.0.1:1/rooms", "does not answer"),
        ("PLACEMENT_DATABASE_URL", "sqlite:///{tmp}/missing/folder/rooms.db", "(unable to open database file)"),
        ("PLACEMENT_DATABASE_URL", "sqlite:///{tmp}/notes.txt", "notes.txt cannot be created or opened"),
        ("PLACEMENT_DB_PATH", "{tmp}/notes.txt/rooms.db", "PLACEMENT_DB_PATH: the SQLite file"),
    ],
)
def test_a_database_the_rooms_command_cannot_use_is_one_error_line(tmp_path, monkeypatch, capsys, setting, value, says):
    (tmp_path / "notes.txt").write_text("Not a database, but a file of notes.\n" * 100)
    monkeypatch.delenv("PLACEMENT_DATABASE_URL", raising=False)
    monkeypatch.setenv(setting, value.format(tmp=tmp_path))
    assert main(["rooms", "list"]) == 1
    shown = capsys.readouterr()
    assert shown.out == ""
    assert shown.err.count("\n") == 1 and shown.err.startswith(f"error: {setting}")
    assert says in shown.err


def test_a_wrong_password_is_named_without_showing_it(monkeypatch, capsys):
    wrong = sa.engine.make_url(postgres_url()).set(password="not-the-password-42")
    monkeypatch.setenv("PLACEMENT_DATABASE_URL", wrong.render_as_string(hide_password=False))
    assert main(["rooms", "list"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: PLACEMENT_DATABASE_URL: the database does not answer (") and err.count("\n") == 1
    assert "password authentication failed" in err and "not-the-password-42" not in err
