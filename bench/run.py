"""`make bench`: how fast the app is, beside a bare Streamlit script, written to bench/RESULTS.md.

Fair by construction:

- Reruns are timed with Streamlit's AppTest made to run pages as a server does: one script cache
  shared by every run (a server compiles a page once, AppTest on every run), Streamlit's full
  garbage collection after each run when the config asks for it (`runner.postScriptGC`, which AppTest
  skips; the app's config switches it off) counted in the CPU figures, and the app's own start-up
  freeze of long-lived objects (ui/memory.py) as on a server.
- The pages and the bare script (one slider, one Altair chart) take turns, run after run, so that
  machine noise hits all alike; every figure is given as min, median and max, and ratios are taken
  between medians of the same run.
- Chromium measures what a person waits for, on real servers: the cold load to the first chart,
  and a slider key press to the chart redrawn (with the websocket messages it took), beside the
  bare script served the same way.
- The workshop board's live fragment is timed alone (a fragment rerun, as its timer
  triggers it), beside the whole board at 10, 100 and 1,000 revealed votes.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np
import sqlalchemy as sa
from streamlit import config
from streamlit.runtime.scriptrunner import RerunData
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.testing.v1 import app_test, local_script_runner
from streamlit.testing.v1.app_test import AppTest

from bench import live
from placement import settings
from placement.analysis import robustness
from placement.analysis.robustness import Settings
from placement.analysis.smaa import smaa
from placement.analysis.weights import normalise
from placement.data import modelfile
from placement.data.model import load_model
from placement.data.problems import InputError
from placement.settings import MAX_FACTORS, MAX_PLACEMENTS, MAX_SMAA_SAMPLES, SMAA_SAMPLES
from placement.workshop import group
from placement.workshop.live import board_view
from placement.workshop.store import RoomStore
from ui import memory, registry

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"
REPEATS = 41  # reruns per page, interleaved
MEMORY_RERUNS = 1000
BOARD_VOTES = (10, 100, 1000)
BOARD_REPEATS = 15  # redraws of each kind per board (7 left its medians at the mercy of one slow run)
BROWSER_ROUNDS = 11  # cold loads per server, interleaved (7 left the ratios noisy), each then KEY_PRESSES presses
KEY_PRESSES = 6
CLI_ROUNDS = 15
BASELINE = """
import altair as alt
import pandas as pd
import streamlit as st

value = st.slider("weight", 0, 10, 5, key="weight")
data = pd.DataFrame({"placement": list("ABCD"), "score": [value, 10 - value, 5, 3]})
st.altair_chart(alt.Chart(data).mark_bar().encode(x="score:Q", y="placement:N"))
"""

# Targets of issue 16, in its order, as ratios (of medians) to the bare script or as times.
TARGETS = {
    "explore": 1.3,
    "sensitivity": 2.5,
    "smaa": 10.0,  # ms, 20,000 samples
    "board": 40.0,  # ms, 1,000 revealed votes
    "cold_load": 1.2,
    "key_to_chart": 1.3,
    "cpu": 1.5,
    "memory": 5.0,  # MB of growth from rerun 100 to rerun 1,000 ("flat")
    "cli": 1.15,
    "cli_model_file": 1.15,  # as fast as the shipped model
    "live_idle_refresh": live.TARGETS["idle_refresh_ms"],  # ms of server CPU per idle refresh
    "live_vote_to_board": live.TARGETS["vote_to_board"],  # s, median
    "live_to_every_phone": live.TARGETS["to_every_phone"],  # s, the slowest phone
    "live_cpu_200": live.TARGETS["cpu_at_200"],  # % of one core with 200 live phones
}


# --- figures -----------------------------------------------------------------------------------------


@dataclass
class Spread:
    """Repeated measurements of one thing, in seconds (or any unit), reported as min, median and max."""

    values: list[float] = field(default_factory=list)

    def add(self, value: float) -> None:
        self.values.append(value)

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def ms(self) -> str:
        low, mid, high = (1000 * v for v in (min(self.values), self.median, max(self.values)))
        return f"{mid:.1f} ms ({low:.1f}-{high:.1f})"


@dataclass
class Report:
    """What the run found: the targets' rows and the details, turned into bench/RESULTS.md."""

    targets: dict[str, tuple[str, str, str, bool | None]] = field(default_factory=dict)
    sections: list[tuple[str, list[str]]] = field(default_factory=list)

    def target(self, key: str, what: str, measured: str, target: str, met: bool | None) -> None:
        self.targets[key] = (what, measured, target, met)

    def section(self, title: str, lines: list[str]) -> None:
        self.sections.append((title, lines))
        print(f"\n{title}")
        for line in lines:
            print(f"  {line}")


# --- AppTest as a server runs pages --------------------------------------------------------------------


@dataclass
class RunCost:
    cpu: float  # seconds of the script thread: the run, Streamlit's bookkeeping and the after-run collection
    collection: float  # seconds of the after-run collection alone


_costs: deque[RunCost] = deque(maxlen=4)  # the last runs' costs (bounded: the memory figures must not count them)
_auto_reruns: dict[str, float] = {}  # fragment id -> seconds between its automatic reruns (run_every)
_fragment: list[str] = []  # the fragment the next run reruns, if any (a run_every tick)
_shared_cache = ScriptCache()


class ServerLikeRunner(local_script_runner.LocalScriptRunner):
    """AppTest's script runner, doing after each run what a server's does, and measuring it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_event.connect(self._note_auto_rerun, weak=False)
        self._collection = 0.0

    def _note_auto_rerun(self, _sender, event, **kwargs) -> None:
        message = kwargs.get("forward_msg")
        if message is not None and message.HasField("auto_rerun"):
            _auto_reruns[message.auto_rerun.fragment_id] = message.auto_rerun.interval

    def _run_script_thread(self) -> None:
        start = time.thread_time()
        try:
            super()._run_script_thread()
        finally:
            _costs.append(RunCost(time.thread_time() - start, self._collection))

    def _on_script_finished(self, ctx, event, premature_stop, run_descriptor) -> None:
        super()._on_script_finished(ctx, event, premature_stop, run_descriptor)
        if config.get_option("runner.postScriptGC"):  # as ScriptRunner._on_script_finished does on a server
            start = time.thread_time()
            gc.collect(2)
            self._collection += time.thread_time() - start


def _rerun_data(**kwargs) -> RerunData:
    """The next run's request: a fragment's automatic rerun when one is queued, else a full run."""
    if _fragment:
        return RerunData(**kwargs, fragment_id_queue=[_fragment[0]], is_auto_rerun=True)
    return RerunData(**kwargs)


@contextmanager
def server_like() -> Iterator[None]:
    """AppTest with a shared script cache, the after-run collection and the app's start-up freeze."""
    saved = (
        app_test.LocalScriptRunner,
        app_test.ScriptCache,
        local_script_runner.ScriptCache,
        local_script_runner.RerunData,
        memory.UNDER_APPTEST,
    )
    app_test.LocalScriptRunner = ServerLikeRunner
    app_test.ScriptCache = local_script_runner.ScriptCache = lambda: _shared_cache
    local_script_runner.RerunData = _rerun_data
    memory.UNDER_APPTEST = True
    try:
        yield
    finally:
        (
            app_test.LocalScriptRunner,
            app_test.ScriptCache,
            local_script_runner.ScriptCache,
            local_script_runner.RerunData,
            memory.UNDER_APPTEST,
        ) = saved


def timed_run(at: AppTest) -> tuple[float, RunCost]:
    """(wall seconds, cost) of one run of `at`, which must not fail."""
    start = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - start
    assert not at.exception, at.exception
    return elapsed, _costs[-1]


def fragment_run(at: AppTest, fragment_id: str) -> tuple[float, RunCost]:
    """One automatic rerun of a fragment, as its run_every timer asks the server for it."""
    _fragment.append(fragment_id)
    try:
        return timed_run(at)
    finally:
        _fragment.clear()


def page_apps(baseline_script: Path) -> dict[str, AppTest]:
    """The bare script, Explore and "How sure are we?", each run once."""
    sensitivity = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    return {
        "baseline": AppTest.from_file(str(baseline_script), default_timeout=60).run(),
        "explore": AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run(),
        "sensitivity": sensitivity.switch_page(registry.page("how_sure").file).run(),
    }


def weight_moves(count: int) -> list[tuple[str, int]]:
    """`count` slider moves (key, level) that each give the pages a weighting not seen before (as normalised
    weights), so that no rerun finds its analysis cached."""
    factors = load_model().factor_ids
    levels = dict.fromkeys(factors, 5)
    rng = np.random.default_rng(16)
    seen = {tuple(np.round(np.array(list(levels.values())) / sum(levels.values()), 12))}
    moves = []
    while len(moves) < count:
        factor = factors[int(rng.integers(len(factors)))]
        level = int(rng.integers(1, 11))
        vector = [level if f == factor else levels[f] for f in factors]
        weights = tuple(np.round(np.array(vector) / sum(vector), 12))
        if weights not in seen:
            seen.add(weights)
            levels[factor] = level
            moves.append((f"slider_{factor}", level))
    return moves


@dataclass
class PageFigures:
    wall: Spread = field(default_factory=Spread)  # seconds from the rerun's request to its element tree
    cpu: Spread = field(default_factory=Spread)  # the script thread's CPU seconds, collection included
    collection: Spread = field(default_factory=Spread)  # the after-run collection's CPU seconds


def page_reruns(apps: dict[str, AppTest], moves: list[tuple[str, int]]) -> dict[str, PageFigures]:
    """Each page's reruns after a weight change; the apps take turns, in a rotating order.

    Every rerun of the pages brings weights never seen before (the bare script alternates its slider),
    so "How sure are we?" samples again each time: each rerun is checked to have run its analysis.
    `moves` continue from where the pages' sliders are (see weight_moves).
    """
    found = {name: PageFigures() for name in apps}
    names = list(apps)
    for i, (key, value) in enumerate(moves):
        for name in names[i % len(names) :] + names[: i % len(names)]:
            at = apps[name]
            if name == "baseline":
                at.slider(key="weight").set_value(3 if i % 2 else 7)
            else:
                at.slider(key=key).set_value(value)
            analyses = robustness._analyses.computed
            wall, cost = timed_run(at)
            assert name != "sensitivity" or robustness._analyses.computed == analyses + 1, "the analysis was cached"
            found[name].wall.add(wall)
            found[name].cpu.add(cost.cpu)
            found[name].collection.add(cost.collection)
    return found


def collection_cost() -> tuple[Spread, Spread]:
    """A full collection with the long-lived objects frozen (as the app leaves them) and without."""
    frozen, unfrozen = Spread(), Spread()
    for _ in range(5):
        start = time.thread_time()
        gc.collect(2)
        frozen.add(time.thread_time() - start)
    gc.unfreeze()
    for _ in range(5):
        start = time.thread_time()
        gc.collect(2)
        unfrozen.add(time.thread_time() - start)
    gc.freeze()
    return frozen, unfrozen


def resident_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 1e6


def memory_over_reruns(
    at: AppTest, done: list[tuple[str, int]], reruns: int = MEMORY_RERUNS
) -> list[tuple[int, float, int]]:
    """(rerun, resident MB, objects the collector tracks) every 100 reruns of one page, each with new weights
    (continuing from the `done` moves)."""
    samples = [(0, resident_mb(), len(gc.get_objects()))]
    for i, (key, value) in enumerate(weight_moves(len(done) + reruns)[len(done) :], start=1):
        at.slider(key=key).set_value(value)
        timed_run(at)
        if i % 100 == 0:
            samples.append((i, resident_mb(), len(gc.get_objects())))
    return samples


# --- SMAA-2 -----------------------------------------------------------------------------------------


def smaa_ms(samples: int, repeats: int = 15) -> Spread:
    model = load_model()
    weights = np.array(list(normalise(model.presets["balanced"].weights, model.factor_ids).values()))
    found = Spread()
    for seed in range(repeats):
        start = time.perf_counter()
        smaa(model.matrix, weights, samples=samples, seed=seed, kappa=Settings().kappa)
        found.add(time.perf_counter() - start)
    return found


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


# --- hostile uploads -------------------------------------------------------------------------------------


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


# --- the workshop board ---------------------------------------------------------------------------------


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


@dataclass
class Board:
    votes: int
    store: RoomStore
    code: str
    key: str
    url: str


def seeded_board(folder: Path, votes: int) -> Board:
    url = f"sqlite:///{folder / f'board{votes}.db'}"
    store = RoomStore(sa.create_engine(url))
    with limits_lifted():
        code, key = seeded_room(store, votes)
    return Board(votes, store, code, key, url)


def board_app(board: Board) -> AppTest:
    """The facilitator's page showing the revealed board, run once."""
    os.environ["PLACEMENT_DATABASE_URL"] = board.url
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120).run()
    at.session_state["facilitated"] = (board.code, board.key)
    at.switch_page(registry.page("run").file).run()
    assert not at.exception, at.exception
    return at


def live_fragment(at: AppTest) -> str:
    """The id of the board's live fragment: the one the page asks to rerun every LIVE_REFRESH_SECONDS."""
    _auto_reruns.clear()
    timed_run(at)
    [fragment] = [f for f, seconds in _auto_reruns.items() if seconds == settings.LIVE_REFRESH_SECONDS]
    return fragment


@dataclass
class BoardFigures:
    redraw: Spread  # the whole board, the round's summary reused
    first_redraw: Spread  # the whole board after its votes changed (summarised again)
    fragment: Spread  # the live fragment alone, as on each tick of its timer
    summarise: Spread  # summarising the round alone


def board_figures(board: Board, repeats: int = BOARD_REPEATS) -> BoardFigures:
    at = board_app(board)
    figures = BoardFigures(Spread(), Spread(), Spread(), Spread())
    fragment = live_fragment(at)
    room = board.store.room(board.code)
    votes = board.store.votes(board.code)
    model = board.store.round_model(board.code, 1, load_model())
    for _ in range(repeats):
        figures.redraw.add(timed_run(at)[0])
        figures.fragment.add(fragment_run(at, fragment)[0])
        group._summaries.clear()  # as when a vote changed: the next redraw summarises again
        figures.first_redraw.add(timed_run(at)[0])
        start = time.perf_counter()
        group.summarise(room, votes, model)
        figures.summarise.add(time.perf_counter() - start)
    return figures


def live_counts_ms(board: Board, repeats: int = 41) -> Spread:
    """The live pages' check between changes, without Streamlit: one read of the room's pulse (shared by every
    session of a server, so made at most once per room and PULSE_SECONDS)."""
    found = Spread()
    for _ in range(repeats):
        start = time.perf_counter()
        board_view(board.store.pulse(board.code))
        found.add(time.perf_counter() - start)
    return found


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


# --- Chromium ---------------------------------------------------------------------------------------------

# Set on every page before its scripts run: the moment (ms from navigation start) the first chart has marks.
FIRST_CHART = """(() => {
  const drawn = () => document.querySelector('[data-testid="stVegaLiteChart"] svg [role="graphics-symbol"]');
  const watch = new MutationObserver(() => {
    if (window.__firstChart === undefined && drawn()) { window.__firstChart = performance.now(); watch.disconnect(); }
  });
  watch.observe(document, {childList: true, subtree: true});
  document.addEventListener('keydown', () => { window.__keyAt = performance.now(); }, true);
})()"""
# Starts watching the first chart: window.__changed resolves with the ms from the next key press to its marks
# differing from `before` (what they were when the key was pressed).
WATCH_CHART = """before => {
  const chart = document.querySelector('[data-testid="stVegaLiteChart"]');
  const marks = () => [...chart.querySelectorAll('[role="graphics-symbol"]')].map(m => (m.getAttribute('d') || '') + m.textContent).join('|');
  window.__changed = new Promise(resolve => {
    const check = () => { if (marks() !== before) { watch.disconnect(); resolve(performance.now() - window.__keyAt); } };
    const watch = new MutationObserver(check);
    watch.observe(chart, {childList: true, subtree: true, attributes: true, characterData: true});
  });
}"""
MARKS = """() => [...document.querySelector('[data-testid="stVegaLiteChart"]').querySelectorAll('[role="graphics-symbol"]')]
  .map(m => (m.getAttribute('d') || '') + m.textContent).join('|')"""


@dataclass
class BrowserFigures:
    cold_load: Spread = field(default_factory=Spread)  # navigation start to the first chart's marks
    key_to_chart: Spread = field(default_factory=Spread)  # slider key press to the chart redrawn
    messages: list[int] = field(default_factory=list)  # websocket messages received per key press
    kilobytes: list[float] = field(default_factory=list)


def browser_figures(servers: dict[str, tuple[str, str]], rounds: int = BROWSER_ROUNDS) -> dict[str, BrowserFigures]:
    """Cold loads and key presses on each server in turn; `servers` maps name -> (url, the slider's key)."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only the browser part needs it

    from harness.browser import CHROMIUM, CHROMIUM_ARGS, wait_for_app  # noqa: PLC0415

    found = {name: BrowserFigures() for name in servers}
    names = list(servers)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for url, _ in servers.values():  # a first load each (server start-up, first imports): not counted
            warm = browser.new_page(viewport={"width": 1600, "height": 1000})
            warm.goto(url)
            wait_for_app(warm)
            warm.close()
        for i in range(rounds):
            for name in names[i % len(names) :] + names[: i % len(names)]:
                url, key = servers[name]
                _browser_round(browser, url, key, found[name], wait_for_app)
        browser.close()
    return found


def _browser_round(browser, url: str, key: str, figures: BrowserFigures, wait_for_app: Callable) -> None:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    frames: list[tuple[float, int]] = []
    page.on(
        "websocket", lambda ws: ws.on("framereceived", lambda data: frames.append((time.perf_counter(), len(data))))
    )
    page.add_init_script(FIRST_CHART)
    page.goto(url)
    page.wait_for_function("window.__firstChart !== undefined", timeout=60_000)
    figures.cold_load.add(page.evaluate("window.__firstChart") / 1000)
    wait_for_app(page)
    slider = page.locator(f".st-key-{key} input[type=range]")
    for press in range(KEY_PRESSES):
        before = page.evaluate(MARKS)
        slider.focus()
        page.evaluate(WATCH_CHART, before)
        start = time.perf_counter()
        slider.press("ArrowRight" if press % 2 == 0 else "ArrowLeft")
        figures.key_to_chart.add(page.evaluate("window.__changed") / 1000)
        wait_for_app(page)  # the run finished and everything it sent arrived
        received = [size for moment, size in frames if moment >= start]
        figures.messages.append(len(received))
        figures.kilobytes.append(sum(received) / 1000)
    context.close()


def submit_to_board_seconds(folder: Path, votes: int = 8) -> list[float]:
    """Seconds from a participant's confirmed vote to the projector's 'Votes in' count showing it, in Chromium."""
    from playwright.sync_api import sync_playwright  # noqa: PLC0415 - only this measurement needs a browser

    from harness.browser import CHROMIUM, CHROMIUM_ARGS, create_room, wait_for_app, wait_for_votes  # noqa: PLC0415
    from harness.server import app_server  # noqa: PLC0415

    model = load_model()
    waits = []
    with app_server(folder) as url, sync_playwright() as playwright:
        store = RoomStore(sa.create_engine(f"sqlite:///{folder / 'rooms.db'}"))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1920, "height": 1080})
        page.goto(f"{url}/run")
        wait_for_app(page)
        code = create_room(page, "Bench")
        cycle = settings.LIVE_REFRESH_SECONDS
        offsets = np.random.default_rng(7).uniform(0.0, cycle, votes)  # votes arrive at any point of the cycle
        for n in range(1, votes + 1):
            time.sleep(offsets[n - 1])
            token = store.join(code, f"P{n}")
            store.submit(code, token, dict.fromkeys(model.factor_ids, 5), round_number=1)
            start = time.perf_counter()
            wait_for_votes(page, n, timeout=30_000)
            waits.append(time.perf_counter() - start)
        browser.close()
    return waits


# --- the command line --------------------------------------------------------------------------------------


def cli_figures(rounds: int = CLI_ROUNDS) -> dict[str, tuple[Spread, Spread]]:
    """(wall, CPU) of `rank --json`, of the same with the shipped model as a model file, and of importing pandas
    alone, in turns, each a fresh process."""
    with tempfile.TemporaryDirectory() as folder:
        model_file = Path(folder) / "model.json"
        model_file.write_text(modelfile.to_json(load_model()), encoding="utf-8")
        rank = [sys.executable, "-m", "placement", "rank"]
        commands = {
            "import pandas": [sys.executable, "-c", "import pandas"],
            "rank --json": [*rank, "--json"],
            "rank --model FILE --json": [*rank, "--model", str(model_file), "--json"],
        }
        return _interleaved(commands, rounds)


def _interleaved(commands: dict[str, list[str]], rounds: int) -> dict[str, tuple[Spread, Spread]]:
    """(wall, CPU) of each command, run in turns, starting each round with the next command."""
    found = {name: (Spread(), Spread()) for name in commands}
    for i in range(rounds):
        shift = i % len(commands)
        for name in list(commands)[shift:] + list(commands)[:shift]:
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run(commands[name], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            found[name][0].add(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            found[name][1].add(after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime)
    return found


# --- the whole run -----------------------------------------------------------------------------------------


def ratio(a: Spread, b: Spread) -> float:
    return a.median / b.median


def machine() -> str:
    model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    memory_gb = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1e9
    return f"{model}, {os.cpu_count()} cores, {memory_gb:.0f} GB; {platform.system()} {platform.release()}"


def versions() -> str:
    import pandas  # noqa: PLC0415
    import streamlit  # noqa: PLC0415

    return f"Python {platform.python_version()}, Streamlit {streamlit.__version__}, pandas {pandas.__version__}, NumPy {np.__version__}"


def reruns_section(report: Report, reruns: dict[str, PageFigures]) -> None:
    base = reruns["baseline"]
    lines = [
        "| page | wall per rerun | ratio | server CPU per rerun | ratio | of which the after-run collection |",
        "|---|---|---|---|---|---|",
    ]
    for name, label in (("baseline", "bare script"), ("explore", "Explore"), ("sensitivity", "How sure are we?")):
        page = reruns[name]
        lines.append(
            f"| {label} | {page.wall.ms()} | {ratio(page.wall, base.wall):.2f}x | {page.cpu.ms()} | "
            f"{ratio(page.cpu, base.cpu):.2f}x | {page.collection.ms()} |"
        )
    report.section(
        f"Reruns after a weight change (AppTest as a server runs pages, {REPEATS} interleaved runs each)", lines
    )
    explore, sensitivity = (ratio(reruns[name].wall, base.wall) for name in ("explore", "sensitivity"))
    report.target(
        "explore", "Explore rerun vs the bare script", f"{explore:.2f}x", "<= 1.3x", explore <= TARGETS["explore"]
    )
    report.target(
        "sensitivity",
        "Sensitivity rerun (20,000 SMAA samples) vs the bare script",
        f"{sensitivity:.2f}x",
        "<= 2.5x",
        sensitivity <= TARGETS["sensitivity"],
    )
    cpu = ratio(reruns["explore"].cpu, base.cpu)  # sampling 20,000 weightings is the other page's own target
    report.target(
        "cpu",
        "Server CPU per Explore rerun, after-run collection included, vs the bare script's",
        f"{cpu:.2f}x ({1000 * reruns['explore'].collection.median:.1f} ms collecting)",
        "<= 1.5x",
        cpu <= TARGETS["cpu"],
    )


def memory_section(report: Report, frozen: Spread, unfrozen: Spread, samples: list[tuple[int, float, int]]) -> None:
    first, last = samples[1], samples[-1]  # from rerun 100: the first reruns fill caches once
    lines = [
        f"After-run collection (gc.collect(2)) with the start-up freeze: {frozen.ms()}; without it: {unfrozen.ms()}.",
        f"{MEMORY_RERUNS:,} Explore reruns: resident memory {samples[0][1]:.0f} MB at the start, "
        f"{first[1]:.0f} MB after {first[0]}, {last[1]:.0f} MB after {last[0]} ({last[1] - first[1]:+.1f} MB); "
        f"objects tracked by the collector {first[2]:,} -> {last[2]:,} ({last[2] - first[2]:+,}).",
        "| reruns | resident MB | tracked objects |",
        "|---|---|---|",
        *(f"| {n} | {mb:.1f} | {objects:,} |" for n, mb, objects in samples),
    ]
    report.section("Memory and the after-run garbage collection", lines)
    growth = last[1] - first[1]
    report.target(
        "memory",
        f"Memory over {MEMORY_RERUNS:,} Explore reruns (after-run collection with the start-up freeze)",
        f"{growth:+.1f} MB, {last[2] - first[2]:+,} tracked objects from rerun {first[0]} to {last[0]}; "
        f"collection {1000 * frozen.median:.1f} ms (without the freeze {1000 * unfrozen.median:.0f} ms)",
        "flat",
        growth <= TARGETS["memory"],
    )


def main() -> None:
    report = Report()
    started = datetime.now().astimezone()
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as folder, server_like():
        script = Path(folder) / "baseline.py"
        script.write_text(BASELINE)
        apps = page_apps(script)
        moves = weight_moves(3 + REPEATS)
        page_reruns(apps, moves[:3])  # warm: the first reruns fill caches (chart templates, the evidence matrix)
        reruns = page_reruns(apps, moves[3:])
        reruns_section(report, reruns)
        frozen, unfrozen = collection_cost()
        memory_section(report, frozen, unfrozen, memory_over_reruns(apps["explore"], moves))
        del apps

    smaa_20k = smaa_ms(SMAA_SAMPLES)
    lines = [
        f"{SMAA_SAMPLES:,} samples: {smaa_20k.ms()}; 100,000 samples: {smaa_ms(100_000).ms()} (15 seeds each, one BLAS thread)."
    ]
    for samples in (SMAA_SAMPLES, MAX_SMAA_SAMPLES):
        peak, elapsed = smaa_peak_mb(samples)
        lines.append(
            f"Largest allowed model ({MAX_PLACEMENTS} placements x {MAX_FACTORS} factors, cells doubted), {samples:,} samples: "
            f"peak {peak:.1f} MB, {elapsed:.1f} ms."
        )
    report.section("SMAA-2, 4 placements x 8 factors", lines)
    report.target(
        "smaa",
        "SMAA-2 with 20,000 samples",
        f"{1000 * smaa_20k.median:.1f} ms",
        "<= 10 ms",
        1000 * smaa_20k.median <= TARGETS["smaa"],
    )

    database = os.environ.get("PLACEMENT_DATABASE_URL")  # the bench points it at each board's database
    with tempfile.TemporaryDirectory() as folder, server_like():
        boards = [seeded_board(Path(folder), votes) for votes in BOARD_VOTES]
        lines = [
            "| votes | board redraw | first redraw after a change | live fragment alone | summarise alone | pulse read without Streamlit |",
            "|---|---|---|---|---|---|",
        ]
        largest = None
        for board in boards:
            figures = board_figures(board)
            largest = figures
            lines.append(
                f"| {board.votes:,} | {figures.redraw.ms()} | {figures.first_redraw.ms()} | {figures.fragment.ms()} | "
                f"{figures.summarise.ms()} | {live_counts_ms(board).ms()} |"
            )
        rate = votes_per_second(Path(folder))
        lines.append(f"Vote submissions on SQLite (50 people x 20 revisions, 16 threads): {rate:,.0f} per second.")
        if database is None:
            os.environ.pop("PLACEMENT_DATABASE_URL", None)
        else:
            os.environ["PLACEMENT_DATABASE_URL"] = database
        report.section(
            f"Workshop board, facilitator's page after the reveal (AppTest as a server, {BOARD_REPEATS} runs each)",
            lines,
        )
        worst = max(largest.redraw.median, largest.first_redraw.median)
        report.target(
            "board",
            "Board refresh with 1,000 revealed votes",
            f"{1000 * largest.first_redraw.median:.1f} ms after the votes changed, "
            f"{1000 * largest.redraw.median:.1f} ms otherwise; live fragment {1000 * largest.fragment.median:.1f} ms",
            "<= 40 ms",
            1000 * worst <= TARGETS["board"],
        )

    lines = []
    for label, data in hostile_uploads().items():
        ms, mb, chars = refusal_cost(data, "upload.csv" if "CSV" in label else "upload.json")
        lines.append(f"{label}: {ms:.1f} ms, peak {mb:.1f} MB, an error of {chars:,} characters.")
    report.section(
        "Hostile uploads: time, peak memory and error size to refuse each (the limits are checked first)", lines
    )

    cli = cli_figures()
    pandas_wall, pandas_cpu = cli["import pandas"]
    rank_wall, rank_cpu = cli["rank --json"]
    file_wall, file_cpu = cli["rank --model FILE --json"]
    report.section(
        f"Command line, fresh processes in turns ({CLI_ROUNDS} each)",
        [
            f'`python -c "import pandas"`: {pandas_wall.ms()} wall, {pandas_cpu.ms()} CPU.',
            f"`python -m placement rank --json`: {rank_wall.ms()} wall, {rank_cpu.ms()} CPU.",
            f"`python -m placement rank --model FILE --json` (the shipped model as a model file): {file_wall.ms()} "
            f"wall, {file_cpu.ms()} CPU; {ratio(file_wall, rank_wall):.2f}x the shipped model's wall time.",
        ],
    )
    cli_ratio = ratio(rank_wall, pandas_wall)
    report.target(
        "cli",
        'CLI `rank --json` vs `python -c "import pandas"`',
        f"{cli_ratio:.2f}x (CPU {ratio(rank_cpu, pandas_cpu):.2f}x)",
        "<= 1.15x",
        cli_ratio <= TARGETS["cli"],
    )
    file_ratio = ratio(file_wall, rank_wall)
    report.target(
        "cli_model_file",
        "CLI `rank --model FILE --json` vs `rank --json` (the shipped model)",
        f"{file_ratio:.2f}x (CPU {ratio(file_cpu, rank_cpu):.2f}x)",
        "<= 1.15x",
        file_ratio <= TARGETS["cli_model_file"],
    )

    live_part(report)
    browser_part(report)
    write_results(report, started, load_before, os.getloadavg())


def live_part(report: Report) -> None:
    """The live room at 12, 50, 100 and 200 emulated phones (bench/live.py), with issue 29's targets."""
    found = asyncio.run(live.measure())
    report.section(*live.section(found))
    small, large = found[0], found[-1]
    idle = max(f.idle_refresh_ms for f in found)
    report.target(
        "live_idle_refresh",
        "Server CPU per idle refresh of a live page (phones and board)",
        f"{idle:.2f} ms at most ({', '.join(f'{f.idle_refresh_ms:.2f}' for f in found)} at {live.sizes_named(found)})",
        "<= 2 ms",
        idle <= TARGETS["live_idle_refresh"],
    )
    medians = [statistics.median(f.vote_to_board) for f in (small, large)]
    report.target(
        "live_vote_to_board",
        f"A vote to the board's count, median, at {small.phones} and {large.phones} live phones",
        " and ".join(f"{m:.2f} s" for m in medians),
        "<= 1.0 s",
        max(medians) <= TARGETS["live_vote_to_board"],
    )
    slowest = {f.phones: max(max(f.lock), max(f.reveal), max(f.new_round)) for f in (small, large)}
    report.target(
        "live_to_every_phone",
        f"A lock, reveal or new round to the slowest of every phone, at {small.phones} and {large.phones}",
        " and ".join(f"{s:.2f} s" for s in slowest.values()),
        "<= 2.0 s",
        max(slowest.values()) <= TARGETS["live_to_every_phone"],
    )
    report.target(
        "live_cpu_200",
        f"Server CPU with {large.phones} live phones, idle / voting to the next round",
        f"{large.idle_cpu:.0f}% / {large.busy_cpu:.0f}% of one core",
        "< 60%",
        large.phones == 200 and max(large.idle_cpu, large.busy_cpu) < TARGETS["live_cpu_200"],
    )


def browser_part(report: Report) -> None:
    from harness.browser import CHROMIUM  # noqa: PLC0415
    from harness.server import app_server  # noqa: PLC0415

    if not Path(CHROMIUM).exists():
        report.section("Chromium", [f"Not measured: no Chromium at {CHROMIUM} (apt-get install chromium)."])
        for key, what, target in (
            ("cold_load", "Cold load to the first chart in Chromium vs the bare script", "<= 1.2x"),
            ("key_to_chart", "Slider key press to chart updated in Chromium vs the bare script", "<= 1.3x"),
        ):
            report.target(key, what, "not measured", target, None)
        return
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "baseline.py"
        script.write_text(BASELINE)
        with app_server(Path(folder), script=script) as bare, app_server(Path(folder)) as app:
            found = browser_figures({"baseline": (bare, "weight"), "explore": (app, "slider_ops_empathy")})
    lines = [
        "| page | cold load to the first chart | key press to chart updated | messages per key press | KB per key press |",
        "|---|---|---|---|---|",
    ]
    for name, label in (("baseline", "bare script"), ("explore", "Explore")):
        f = found[name]
        lines.append(
            f"| {label} | {f.cold_load.ms()} | {f.key_to_chart.ms()} | {statistics.median(f.messages):.0f} | "
            f"{statistics.median(f.kilobytes):.1f} |"
        )
    report.section(
        f"Chromium, real servers ({BROWSER_ROUNDS} cold loads and {BROWSER_ROUNDS * KEY_PRESSES} key presses each, in turns)",
        lines,
    )
    cold = ratio(found["explore"].cold_load, found["baseline"].cold_load)
    key = ratio(found["explore"].key_to_chart, found["baseline"].key_to_chart)
    with tempfile.TemporaryDirectory() as folder:
        waits = submit_to_board_seconds(Path(folder))
    report.section(
        "Chromium, a confirmed vote to the projector's count "
        f"(8 votes at random moments; the board asks every {settings.LIVE_REFRESH_SECONDS:g} s)",
        [f"median {statistics.median(waits):.2f} s, min {min(waits):.2f} s, max {max(waits):.2f} s."],
    )
    report.target(
        "cold_load",
        "Cold load to the first chart in Chromium vs the bare script",
        f"{cold:.2f}x",
        "<= 1.2x",
        cold <= TARGETS["cold_load"],
    )
    report.target(
        "key_to_chart",
        "Slider key press to chart updated in Chromium vs the bare script",
        f"{key:.2f}x",
        "<= 1.3x",
        key <= TARGETS["key_to_chart"],
    )


def write_results(report: Report, started: datetime, load_before: tuple, load_after: tuple) -> None:
    met = {True: "yes", False: "**no**", None: "not measured"}
    lines = [
        "# Bench results",
        "",
        f"`make bench` ({'bench/run.py'}), {started:%Y-%m-%d %H:%M %Z}, on {machine()}.",
        f"{versions()}. Load average (1, 5, 15 min) {', '.join(f'{v:.1f}' for v in load_before)} before and "
        f"{', '.join(f'{v:.1f}' for v in load_after)} after: figures taken on a busy machine are noisy, so compare ratios "
        "taken in one run, and rerun `make bench` on a quiet machine for absolute times.",
        "",
        "Ratios are medians over medians of interleaved runs; times read median (min-max).",
        "",
        "## Targets (issues 16 and 29)",
        "",
        "| what | now | target | met |",
        "|---|---|---|---|",
        *(
            f"| {what} | {measured} | {target} | {met[ok]} |"
            for what, measured, target, ok in (report.targets[key] for key in TARGETS if key in report.targets)
        ),
    ]
    for title, section in report.sections:
        lines += ["", f"## {title}"]
        for previous, line in zip([""] + section, section, strict=False):
            if not (line.startswith("|") and previous.startswith("|")):
                lines.append("")  # a paragraph, or a table's first row: a blank line before it
            lines.append(line)
    RESULTS.write_text("\n".join(lines).rstrip() + "\n")
    print(f"\nwrote {RESULTS.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
