"""`make bench` keeps working as the app changes: its set-ups run here (its timings never do)."""

import sqlalchemy as sa

from bench import run
from placement import settings
from placement.workshop.store import RoomStore


def test_bench_seeds_a_room_beyond_the_real_limits_and_restores_them(tmp_path):
    before = settings.MAX_PARTICIPANTS, settings.RATE_LIMITS
    store = RoomStore(sa.create_engine(f"sqlite:///{tmp_path / 'bench.db'}"))
    with run.limits_lifted():
        code, _ = run.seeded_room(store, before[0] + 1)  # one more than a real room may hold
    assert before == (settings.MAX_PARTICIPANTS, settings.RATE_LIMITS)
    assert store.counts(code)[1] == before[0] + 1
    assert store.room(code).revealed


def test_bench_hostile_uploads_are_refused():
    for label, data in run.hostile_uploads().items():
        _, _, characters = run.refusal_cost(data, "upload.csv" if "CSV" in label else "upload.json")
        assert 0 < characters < 1000, label
