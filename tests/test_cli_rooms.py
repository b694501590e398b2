"""`python -m placement rooms list|close CODE|purge [--older-than DAYS]`: the administrator's housekeeping."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlalchemy as sa

from placement.cli import main
from placement.data.model import load_model
from placement.workshop import store as room_store
from placement.workshop.store import RoomStore

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
            room_store.rooms.update()
            .where(room_store.rooms.c.code == old)
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
    assert main(["rooms", "purge"]) == 0  # default: settings.ROOM_DAYS (30)
    assert capsys.readouterr().out.strip() == f"Purged 1 room(s) older than 30 days: {old}"
    assert main(["rooms", "list"]) == 0
    out = capsys.readouterr().out
    assert old not in out and new in out and "closed" in out
    assert main(["rooms", "purge", "--older-than", "0"]) == 0
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
