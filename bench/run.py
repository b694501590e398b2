"""`make bench`: page rerun times against a bare Streamlit baseline, SMAA-2, the workshop board and votes.

Rerun times are measured server-side with Streamlit's AppTest (script run plus
element tree), as the median over REPEATS reruns that each change a weight.
"""

from __future__ import annotations

import json
import os
import statistics
import tempfile
import time
import tracemalloc
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from streamlit.testing.v1 import AppTest

from placement import settings
from placement.analysis.robustness import Settings
from placement.analysis.smaa import smaa
from placement.analysis.weights import normalise
from placement.data import modelfile
from placement.data.model import load_model
from placement.data.problems import InputError
from placement.settings import MAX_FACTORS, MAX_PLACEMENTS, MAX_SMAA_SAMPLES, SMAA_SAMPLES
from placement.workshop.board import board_state
from placement.workshop.store import RoomStore, database_url
from ui import registry

ROOT = Path(__file__).resolve().parents[1]
REPEATS = 41
BASELINE = """
import altair as alt
import pandas as pd
import streamlit as st

value = st.slider("weight", 0, 10, 5, key="weight")
data = pd.DataFrame({"placement": list("ABCD"), "score": [value, 10 - value, 5, 3]})
st.altair_chart(alt.Chart(data).mark_bar().encode(x="score:Q", y="placement:N"))
"""


def median_ms(timings: list[float]) -> float:
    return 1000 * statistics.median(timings)


def rerun_seconds(at: AppTest, slider_key: str, value: int) -> float:
    at.slider(key=slider_key).set_value(value)
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed


def page_reruns(baseline_script: Path) -> dict[str, float]:
    """Median rerun time per app; the apps take turns so that machine noise hits all alike."""
    apps = {
        "baseline": (AppTest.from_file(str(baseline_script), default_timeout=60).run(), "weight"),
        "explore": (AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run(), "slider_ops_empathy"),
        "sensitivity": (
            AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
            .run()
            .switch_page(registry.page("how_sure").file)
            .run(),
            "slider_ops_empathy",
        ),
    }
    timings: dict[str, list[float]] = {name: [] for name in apps}
    for i in range(REPEATS):
        for name, (at, key) in apps.items():
            timings[name].append(rerun_seconds(at, key, 3 if i % 2 else 7))
    return {name: median_ms(values) for name, values in timings.items()}


def smaa_ms(samples: int) -> float:
    model = load_model()
    weights = np.array(list(normalise(model.presets["balanced"].weights, model.factor_ids).values()))
    timings = []
    for seed in range(15):
        start = time.perf_counter()
        smaa(model.matrix, weights, samples=samples, seed=seed, kappa=Settings().kappa)
        timings.append(time.perf_counter() - start)
    return median_ms(timings)


def smaa_peak_mb(samples: int) -> tuple[float, float]:
    """Peak traced memory (MB) and time (ms) of SMAA-2 on the largest model the loader accepts, cells doubted."""
    rng = np.random.default_rng(0)
    matrix = rng.integers(-2, 3, (MAX_PLACEMENTS, MAX_FACTORS)).astype(float)
    groups = np.where(rng.random(matrix.shape) < 0.5, np.arange(matrix.size).reshape(matrix.shape), -1)
    tracemalloc.start()
    start = time.perf_counter()
    smaa(matrix, rng.dirichlet(np.ones(MAX_FACTORS)), samples, 1, Settings().kappa, groups=groups, spread=1.0)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6, 1000 * elapsed


def hostile_uploads() -> dict[str, bytes]:
    """The uploads that once cost the server gigabytes or minutes, as reproduced in issue 12."""
    model = load_model()
    tables = json.loads(modelfile.to_json(model))
    row = tables["placements"][0]
    tables["placements"] += [{**row, "id": f"p{i}", "name": f"P{i}", "short_name": f"P{i}"} for i in range(300)]
    return {
        "header-only CSV, 262,638 columns": ",".join(f"c{i}" for i in range(262_638)).encode(),
        "model with 300 extra placements": json.dumps(tables).encode(),
        "JSON nested 100,000 deep": b"[" * 100_000 + b"]" * 100_000,
    }


def refusal_cost(data: bytes, name: str) -> tuple[float, float, int]:
    """(ms, peak MB, characters of the error) for refusing one upload; it must be refused."""
    base = load_model()
    tracemalloc.start()
    start = time.perf_counter()
    try:
        modelfile.load_file(data, name, base)
    except InputError as error:
        message = str(error)
    else:
        raise AssertionError(f"{name} was accepted")
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return 1000 * elapsed, peak / 1e6, len(message)


@contextmanager
def limits_lifted():
    """Seed rooms larger and faster than a real room may grow (200 people, rate limits), to measure scale."""
    saved = settings.MAX_PARTICIPANTS, settings.RATE_LIMITS
    settings.MAX_PARTICIPANTS = 10**6
    settings.RATE_LIMITS = {kind: dict.fromkeys(("room", "address"), 10**9) for kind in saved[1]}
    try:
        yield
    finally:
        settings.MAX_PARTICIPANTS, settings.RATE_LIMITS = saved


def seeded_room(store: RoomStore, participants: int) -> tuple[str, str]:
    """A revealed room with one vote per participant, weights spread at random."""
    model = load_model()
    factors = [{"id": f.id, "name": f.name, "definition": f.definition} for f in model.factors]
    code, key = store.create_room("Benchmark", factors, "sliders", model)
    rng = np.random.default_rng(1)
    for i in range(participants):
        token = store.join(code, f"P{i}")
        store.submit(
            code,
            token,
            {f: int(v) for f, v in zip(model.factor_ids, rng.integers(0, 11, len(factors)), strict=True)}
            | {model.factor_ids[0]: 5},
            round_number=1,
        )
    store.reveal(code, key)
    return code, key


def board_ms(participants: int, folder: Path) -> float:
    """Median rerun of the facilitator's page with the revealed board (aggregation and charts)."""
    os.environ["PLACEMENT_DB_PATH"] = str(folder / f"board{participants}.db")
    store = RoomStore(sa.create_engine(database_url()))
    with limits_lifted():
        code, key = seeded_room(store, participants)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.session_state["facilitated"] = (code, key)
    at.switch_page(registry.page("run").file).run()
    timings = []
    for _ in range(7):
        start = time.perf_counter()
        at.run()
        timings.append(time.perf_counter() - start)
        assert not at.exception, at.exception
    return median_ms(timings)


def live_counts_ms(participants: int, folder: Path) -> float:
    """Median cost of the board's 3-second refresh between changes: the room's state and its counts."""
    os.environ["PLACEMENT_DB_PATH"] = str(folder / f"board{participants}.db")
    store = RoomStore(sa.create_engine(database_url()))
    with limits_lifted():
        code, _ = seeded_room(store, participants)
    timings = []
    for _ in range(41):
        start = time.perf_counter()
        board_state(store.room(code), store.counts(code)[1])
        timings.append(time.perf_counter() - start)
    return median_ms(timings)


def submit_to_board_seconds(folder: Path, votes: int = 8) -> list[float]:
    """Seconds from a participant's confirmed vote to the projector's 'Votes in' count showing it, in Chromium."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only this measurement needs a browser

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, app_server, create_room, wait_for_app, wait_for_votes  # noqa: PLC0415

    model = load_model()
    waits = []
    with app_server(folder) as url, sync_playwright() as playwright:
        store = RoomStore(sa.create_engine(f"sqlite:///{folder / 'rooms.db'}"))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{url}/run")
        wait_for_app(page)
        code = create_room(page, "Bench")
        offsets = np.random.default_rng(7).uniform(0.0, 3.0, votes)  # votes arrive at any point of the poll cycle
        for n in range(1, votes + 1):
            time.sleep(offsets[n - 1])
            token = store.join(code, f"P{n}")
            store.submit(code, token, dict.fromkeys(model.factor_ids, 5), round_number=1)
            start = time.perf_counter()
            wait_for_votes(page, n, timeout=30_000)
            waits.append(time.perf_counter() - start)
        browser.close()
    return waits


def votes_per_second(folder: Path, participants: int = 50, revisions: int = 20) -> float:
    store = RoomStore(sa.create_engine(f"sqlite:///{folder / 'votes.db'}"))
    model = load_model()
    a, b = model.factors[:2]
    factors = [{"id": f.id, "name": f.name, "definition": f.definition} for f in (a, b)]
    code, _ = store.create_room("Votes", factors, "sliders", model)
    tokens = [store.join(code, f"P{i}") for i in range(participants)]

    def vote(token: str) -> None:
        for revision in range(revisions):
            store.submit(code, token, {a.id: revision % 11, b.id: 5}, round_number=1)

    start = time.perf_counter()
    with limits_lifted(), ThreadPoolExecutor(16) as pool:  # the database's pace, not the rate limit's
        list(pool.map(vote, tokens))
    return participants * revisions / (time.perf_counter() - start)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "baseline.py"
        script.write_text(BASELINE)
        reruns = page_reruns(script)
    base, explore, sensitivity = reruns["baseline"], reruns["explore"], reruns["sensitivity"]
    print(f"Rerun after a weight change (median of {REPEATS}, AppTest, server side)")
    print(f"  bare Streamlit (1 slider + 1 Altair chart) {base:8.1f} ms")
    print(f"  Explore page                               {explore:8.1f} ms   ratio {explore / base:4.1f}x")
    print(f"  Sensitivity page (SMAA-2, 20,000 samples)  {sensitivity:8.1f} ms   ratio {sensitivity / base:4.1f}x")
    print("SMAA-2, 4 placements x 8 factors (median of 15)")
    for samples in (20_000, 100_000):
        print(f"  {samples:>7,} samples                            {smaa_ms(samples):8.1f} ms")
    print(
        f"SMAA-2, largest allowed model ({MAX_PLACEMENTS} placements x {MAX_FACTORS} factors, cells doubted): peak memory"
    )
    for samples in (SMAA_SAMPLES, MAX_SMAA_SAMPLES):
        peak, elapsed = smaa_peak_mb(samples)
        print(f"  {samples:>7,} samples                            {peak:8.1f} MB  {elapsed:8.1f} ms")
    print("Hostile uploads: time, peak memory and error size to refuse each (the limits are checked first)")
    for label, data in hostile_uploads().items():
        ms, mb, chars = refusal_cost(data, "upload.csv" if "CSV" in label else "upload.json")
        print(f"  {label:<40} {ms:8.1f} ms {mb:8.1f} MB  {chars:>6,} characters")
    with tempfile.TemporaryDirectory() as folder:
        print("Workshop board, facilitator page rerun after the reveal (median of 7)")
        for participants in (10, 100, 1000):
            print(
                f"  {participants:>5,} participants                        {board_ms(participants, Path(folder)):8.1f} ms"
            )
        print("Workshop board, its 3-second refresh between changes (room state and counts, median of 41)")
        for participants in (10, 100, 1000):
            print(
                f"  {participants:>5,} votes                               {live_counts_ms(participants, Path(folder)):8.1f} ms"
            )
        rate = votes_per_second(Path(folder))
        print(f"Vote submissions on SQLite (50 people x 20 revisions, 16 threads): {rate:,.0f} per second")
    with tempfile.TemporaryDirectory() as folder:
        waits = submit_to_board_seconds(Path(folder))
        print(
            f"Confirmed vote to the projector's count, Chromium (8 votes at random moments): median {statistics.median(waits):.2f} s,"
            f" min {min(waits):.2f} s, max {max(waits):.2f} s (the board polls every 3 s)"
        )


if __name__ == "__main__":
    main()
