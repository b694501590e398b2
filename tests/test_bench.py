"""`make bench` keeps working as the app changes: its set-ups run here (its timings never do)."""

import asyncio
from concurrent.futures import ThreadPoolExecutor

import sqlalchemy as sa

from bench import live, run
from placement import settings
from placement.data.model import load_model
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


# --- the rerun, board and command-line set-ups (one run each: their timings are make bench's business) ----


def test_bench_runs_pages_as_a_server_does(tmp_path):
    script = tmp_path / "baseline.py"
    script.write_text(run.BASELINE)
    with run.server_like():
        apps = run.page_apps(script)
        moves = run.weight_moves(3)
        found = run.page_reruns(apps, moves[:2])  # checks that every "How sure are we?" rerun sampled again
        assert {name: len(page.cpu.values) for name, page in found.items()} == {
            "baseline": 2,
            "explore": 2,
            "sensitivity": 2,
        }
        assert all(cpu > 0 for page in found.values() for cpu in page.cpu.values)
        samples = run.memory_over_reruns(apps["explore"], moves[:2], reruns=1)
        assert [n for n, _, _ in samples] == [0]  # a sample every 100 reruns
    assert run.app_test.LocalScriptRunner is not run.ServerLikeRunner  # AppTest restored for the other tests


def test_bench_weight_moves_never_repeat_a_weighting():
    moves = run.weight_moves(300)
    levels = dict.fromkeys(run.load_model().factor_ids, 5)
    seen = set()
    for key, level in moves:
        levels[key.removeprefix("slider_")] = level
        total = sum(levels.values())
        seen.add(tuple(round(v / total, 12) for v in levels.values()))
    assert len(seen) == len(moves)


def test_bench_times_the_boards_live_fragment_alone(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEMENT_DATABASE_URL", "")  # the bench points it at its board: restored afterwards
    with run.server_like():
        board = run.seeded_board(tmp_path, 3)
        figures = run.board_figures(board, repeats=1)
    assert all(len(spread.values) == 1 for spread in vars(figures).values())


def test_bench_compares_the_command_line_with_importing_pandas():
    found = run.cli_figures(rounds=1)
    assert set(found) == {"import pandas", "rank --json", "rank --model FILE --json"}
    assert all(len(wall.values) == len(cpu.values) == 1 for wall, cpu in found.values())


# --- the live room's emulated browsers (one real server; the figures are make bench's business) -------------


def test_the_emulated_phone_refreshes_as_a_browser_does_and_follows_the_room(tmp_path):
    async def scenario(server):
        store = RoomStore(sa.create_engine(f"sqlite:///{server.database}"))
        code, key, [device] = live.seeded(store, 1)
        board = live.Board(server.url)
        await board.sign_in(code, key)
        phone = live.Client(server.url, "join", f"room={code}", device, watched=(live.LOCKED,))
        await phone.open()
        await phone.settled(1)
        full_runs = phone.runs_finished
        while len(phone.round_trips) < 3:  # its watch's timer, as registered by the page, ticks
            await asyncio.sleep(0.05)
        assert phone.runs_finished - full_runs == len(phone.round_trips) and not phone.seen  # refreshes only
        store.submit(code, store.device_token(code, device), dict.fromkeys(load_model().factor_ids, 5))
        while 1 not in board.votes_shown:  # the board counts the vote by itself
            await asyncio.sleep(0.05)
        store.lock(code, key)
        while live.LOCKED not in phone.seen:  # and the phone follows the lock
            await asyncio.sleep(0.05)
        await asyncio.gather(phone.close(), board.close())

    # Its own thread: the browser tests' Playwright keeps an event loop running in this one.
    with live.served(tmp_path) as server, ThreadPoolExecutor(1) as thread:
        thread.submit(asyncio.run, asyncio.wait_for(scenario(server), 120)).result()
