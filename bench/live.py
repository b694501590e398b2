"""A live room on one server: emulated phones and a board speaking Streamlit's own protocol.

Each participant is a websocket client on `/_stcore/stream` that does what the browser does: it asks for its page
(a `rerun_script` BackMsg with the page's name, its query string and the device cookie), keeps a timer per
fragment the server registers (`auto_rerun`), as the browser's `setInterval`, and on each tick asks for that
fragment's rerun. The facilitator's board is one more client, signed in through the page's own "Open a room you
run" form. Votes, the reveal, the lock and new rounds are written through the room store, as another server or
the facilitator's own session would; what is timed is how long each takes to show on the board or on every phone.

`python -m bench.live` runs this part alone and writes its section into bench/RESULTS.md; `make bench` runs it
with the rest. `--hour` adds the memory run: 200 phones through an hour-long workshop, time compressed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import sqlalchemy as sa
import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState, ContextInfo
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates

from harness.server import app_process
from placement import settings
from placement.data.model import load_model
from placement.workshop.store import RoomStore

SIZES = (12, 50, 100, 200)
IDLE_SECONDS = 20  # phones and board refreshing, nothing changing
VOTES_TIMED = 10  # votes, one at a time at random moments, each timed to the board's count
TARGETS = {"vote_to_board": 1.0, "to_every_phone": 2.0, "cpu_at_200": 60.0, "idle_refresh_ms": 2.0}
# What a phone shows once the room moved on (found in the messages the server sends it).
REVEALED = b"The room's results"
LOCKED = b"Voting is locked."
NEW_ROUND = b"Voting is open for round 2"


# --- the server ----------------------------------------------------------------------------------------


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    database: Path

    def cpu_seconds(self) -> float:
        """User and system CPU the server process has used so far."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    def resident_mb(self) -> float:
        status = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) / 1000


@contextmanager
def served(folder: Path) -> Iterator[Server]:
    """`streamlit run app.py` as `make run` starts it (the project's .streamlit/config.toml), on SQLite in `folder`."""
    with app_process(folder) as (url, process):
        yield Server(url, process, folder / "rooms.db")


# --- an emulated browser ---------------------------------------------------------------------------------


def rerun_request(
    page: str, query: str, page_hash: str, widgets: list[WidgetState], fragment: str = "", url: str = ""
) -> bytes:
    """The BackMsg the browser sends to run its page (or, with `fragment`, that fragment on its timer)."""
    state = ClientState(
        query_string=query,
        page_name=page,
        page_script_hash=page_hash,
        widget_states=WidgetStates(widgets=widgets),
        context_info=ContextInfo(url=url),
        fragment_id=fragment,
        is_auto_rerun=bool(fragment),
    )
    message = BackMsg(rerun_script=state)
    return message.SerializeToString()


@dataclass
class Client:
    """One browser tab on one page. `seen` records when each watched text first arrived after `watch_from`."""

    base: str
    page: str
    query: str = ""
    device: str = field(default_factory=lambda: secrets.token_urlsafe(18))
    speed: float = 1.0  # >1 compresses time: fragment timers fire `speed` times as often
    page_hash: str = ""
    widgets: list[WidgetState] = field(default_factory=list)
    timers: dict[str, asyncio.Task] = field(default_factory=dict)
    round_trips: list[float] = field(default_factory=list)  # seconds from a fragment's request to its run's end
    refreshes: int = 0
    pending: list[float] = field(default_factory=list)
    runs_finished: int = 0
    watched: tuple[bytes, ...] = ()
    seen: dict[bytes, float] = field(default_factory=dict)
    elements: list = field(default_factory=list)  # the latest full run's elements (the board reads its widgets)
    on_delta: Callable | None = None
    _socket: object = None

    async def open(self) -> None:
        host = self.base.removeprefix("http://")
        self._socket = await websockets.connect(
            f"ws://{host}/_stcore/stream",
            subprotocols=["streamlit"],
            additional_headers={"Cookie": f"placement_device={self.device}", "Origin": self.base},
            max_size=None,
            ping_interval=None,
        )
        asyncio.get_running_loop().create_task(self._receive())
        await self.run()

    async def run(self, widgets: list[WidgetState] | None = None) -> None:
        """A full run of the page (the first load, or a form submitted with `widgets`)."""
        await self._socket.send(
            rerun_request(self.page, self.query, self.page_hash, widgets or self.widgets, url=self._url())
        )

    async def close(self) -> None:
        for timer in self.timers.values():
            timer.cancel()
        await self._socket.close()

    def _url(self) -> str:
        return f"{self.base}/{self.page}" + (f"?{self.query}" if self.query else "")

    async def _tick(self, fragment: str, interval: float) -> None:
        while True:
            await asyncio.sleep(interval / self.speed)
            self.pending.append(time.perf_counter())
            self.refreshes += 1
            await self._socket.send(
                rerun_request(self.page, self.query, self.page_hash, self.widgets, fragment, self._url())
            )

    async def _receive(self) -> None:
        try:
            async for raw in self._socket:
                self._handle(raw)
        except websockets.ConnectionClosed:
            pass

    def _handle(self, raw: bytes) -> None:
        now = time.perf_counter()
        for needle in self.watched:
            if needle not in self.seen and needle in raw:
                self.seen[needle] = now
        message = ForwardMsg()
        message.ParseFromString(raw)
        kind = message.WhichOneof("type")
        if kind == "new_session" and not message.metadata.run.fragment_ids:  # a full run: timers dropped
            self._stop_timers()
            self.elements = []
        elif kind == "navigation":  # the page the run resolved to: the browser names it from now on
            self.page_hash = message.navigation.page_script_hash
        elif kind == "auto_rerun" and message.auto_rerun.fragment_id not in self.timers:
            self.timers[message.auto_rerun.fragment_id] = asyncio.get_running_loop().create_task(
                self._tick(message.auto_rerun.fragment_id, message.auto_rerun.interval)
            )
        elif kind == "stop_auto_rerun":
            for fragment in message.stop_auto_rerun.fragment_ids:
                if timer := self.timers.pop(fragment, None):
                    timer.cancel()
        elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
            self.elements.append(message.delta.new_element)
            if self.on_delta:
                self.on_delta(message.delta.new_element, now)
        elif kind == "script_finished":  # any run answers the ticks sent before it (the server merges them)
            self.runs_finished += 1
            if message.script_finished == ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY and self.pending:
                self.round_trips.append(now - self.pending[0])
            self.pending.clear()

    def _stop_timers(self) -> None:
        for timer in self.timers.values():
            timer.cancel()
        self.timers.clear()

    def widget(self, kind: str, label: str):
        """The latest full run's widget of this kind ("text_input", "button") and label."""
        return next(e for e in self.elements if e.WhichOneof("type") == kind and getattr(e, kind).label == label)

    async def settled(self, runs: int, timeout: float = 300) -> None:
        """Wait until `runs` runs finished in all."""
        deadline = time.monotonic() + timeout
        while self.runs_finished < runs:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{self.page}: {self.runs_finished} runs finished, {runs} expected")
            await asyncio.sleep(0.05)


class Board(Client):
    """The facilitator's page, signed in to the room through its "Open a room you run" form; it notes when
    each "Votes in" count first shows."""

    def __init__(self, base: str, **kwargs):
        super().__init__(base, "run", **kwargs)
        self.votes_shown: dict[int, float] = {}
        self.on_delta = self._note_count

    def _note_count(self, element, now: float) -> None:
        if element.WhichOneof("type") == "metric" and element.metric.label == "Votes in":
            self.votes_shown.setdefault(int(element.metric.body), now)

    async def sign_in(self, code: str, key: str) -> None:
        await self.open()
        await self.settled(1)
        typed = [
            WidgetState(id=self.widget("text_input", "Room code").text_input.id, string_value=code),
            WidgetState(id=self.widget("text_input", "Facilitator key").text_input.id, string_value=key),
        ]
        submit = WidgetState(id=self.widget("button", "Open").button.id, trigger_value=True)
        self.widgets = typed
        await self.run([*typed, submit])
        await until(lambda: 0 in self.votes_shown, "the board never showed its counts")


# --- one room, measured ----------------------------------------------------------------------------------


@dataclass
class RoomFigures:
    phones: int
    round_trips: list[float]  # seconds, every phone's fragment refreshes while the room was idle
    idle_cpu: float  # server CPU while idle, % of one core
    idle_refresh_ms: float  # server CPU per refresh while idle (phones' and the board's), ms
    busy_cpu: float  # server CPU from the first timed vote to the new round on every phone, % of one core
    vote_to_board: list[float]  # seconds from a vote's commit to the board's count
    lock: list[float]  # seconds from the lock to each phone's message
    reveal: list[float]  # from the reveal to each phone's results
    new_round: list[float]  # from a new round to each phone's form
    memory: list[tuple[float, float]]  # (seconds since the server started, resident MB)


def seeded(store: RoomStore, people: int) -> tuple[str, str, list[str]]:
    """A room with `people` joined, each from their own device; (code, key, devices)."""
    model = load_model()
    factors = [{"id": f.id, "name": f.name, "definition": f.definition} for f in model.factors]
    code, key = store.create_room("Live bench", factors, "sliders", model)
    devices = [secrets.token_urlsafe(18) for _ in range(people)]
    for i, device in enumerate(devices):
        store.join(code, f"P{i}", device)
    return code, key, devices


def random_vote(model, rng) -> dict:
    return {f: int(v) for f, v in zip(model.factor_ids, rng.integers(0, 11, len(model.factor_ids)), strict=True)}


async def until(condition: Callable[[], bool], failure: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(failure)
        await asyncio.sleep(0.01)


def progress(people: int, step: str) -> None:
    print(f"  {people} phones: {step}", file=sys.stderr, flush=True)


async def until_every_phone(phones: list[Client], needle: bytes, since: float, timeout: float = 60) -> list[float]:
    """Seconds from `since` until each phone received `needle`."""
    await until(lambda: all(needle in p.seen for p in phones), f"a phone never showed {needle!r}", timeout)
    return [p.seen[needle] - since for p in phones]


class Sampler:
    """The server's resident memory every `every` seconds, in the background."""

    def __init__(self, server: Server, every: float):
        self.server, self.every = server, every
        self.samples: list[tuple[float, float]] = []
        self.started = time.monotonic()

    async def run(self) -> None:
        while True:
            self.samples.append((time.monotonic() - self.started, self.server.resident_mb()))
            await asyncio.sleep(self.every)


async def live_room(server: Server, people: int, idle_seconds: float = IDLE_SECONDS) -> RoomFigures:
    store = RoomStore(sa.create_engine(f"sqlite:///{server.database}"))
    model = load_model()
    rng = np.random.default_rng(people)
    code, key, devices = seeded(store, people)
    sampler = Sampler(server, 5)
    sampling = asyncio.get_running_loop().create_task(sampler.run())
    board = Board(server.url)
    await board.sign_in(code, key)
    progress(people, "board signed in")
    phones = [
        Client(server.url, "join", f"room={code}", device, watched=(LOCKED, REVEALED, NEW_ROUND)) for device in devices
    ]
    for start in range(0, people, 10):  # ten at a time, as people scan the code
        batch = phones[start : start + 10]
        await asyncio.gather(*(p.open() for p in batch))
        await asyncio.gather(*(p.settled(1) for p in batch))
    await asyncio.sleep(2)  # every timer started
    progress(people, "every phone open")

    for client in (*phones, board):
        client.round_trips.clear()
    refreshes = sum(c.refreshes for c in (*phones, board))
    cpu, wall = server.cpu_seconds(), time.perf_counter()
    await asyncio.sleep(idle_seconds)
    idle_cpu_seconds, idle_wall = server.cpu_seconds() - cpu, time.perf_counter() - wall
    idle_refreshes = sum(c.refreshes for c in (*phones, board)) - refreshes
    round_trips = [t for p in phones for t in p.round_trips]

    progress(people, "idle measured")
    busy_cpu, busy_wall = server.cpu_seconds(), time.perf_counter()
    waits = []
    for n in range(1, VOTES_TIMED + 1):  # votes at random moments of the refresh cycle
        await asyncio.sleep(float(rng.uniform(0, 2 * settings.LIVE_REFRESH_SECONDS)))
        await asyncio.to_thread(store.submit, code, _token(store, code, devices[n - 1]), random_vote(model, rng), "", 1)
        voted = time.perf_counter()
        await until(lambda n=n: n in board.votes_shown, f"the board never counted vote {n}")
        waits.append(board.votes_shown[n] - voted)
    for device in devices[VOTES_TIMED:]:  # the rest of the room votes too (untimed)
        await asyncio.to_thread(store.submit, code, _token(store, code, device), random_vote(model, rng), "", 1)
    await asyncio.sleep(float(rng.uniform(0, settings.LIVE_REFRESH_SECONDS)))
    moved = await _timed(store.lock, code, key)
    lock = await until_every_phone(phones, LOCKED, moved)
    await asyncio.sleep(float(rng.uniform(0, settings.LIVE_REFRESH_SECONDS)))
    moved = await _timed(store.reveal, code, key)
    reveal = await until_every_phone(phones, REVEALED, moved)
    await asyncio.sleep(float(rng.uniform(0, settings.LIVE_REFRESH_SECONDS)))
    moved = await _timed(store.new_round, code, key)
    new_round = await until_every_phone(phones, NEW_ROUND, moved)
    busy = (server.cpu_seconds() - busy_cpu) / (time.perf_counter() - busy_wall)

    sampling.cancel()
    await asyncio.gather(*(c.close() for c in (*phones, board)))
    return RoomFigures(
        people,
        round_trips,
        100 * idle_cpu_seconds / idle_wall,
        1000 * idle_cpu_seconds / idle_refreshes,
        100 * busy,
        waits,
        lock,
        reveal,
        new_round,
        sampler.samples,
    )


def _token(store: RoomStore, code: str, device: str) -> str:
    return store.device_token(code, device)


async def _timed(action, *args) -> float:
    """Run a store action off the event loop; the moment it committed."""
    await asyncio.to_thread(action, *args)
    return time.perf_counter()


# --- the report --------------------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(values, q))


def ms(values: list[float]) -> str:
    return f"{1000 * percentile(values, 50):.0f} / {1000 * percentile(values, 95):.0f} / {1000 * max(values):.0f} ms"


def seconds(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} / {max(values):.2f} s"


def sizes_named(found: list[RoomFigures]) -> str:
    return ", ".join(str(f.phones) for f in found) + " phones"


def section(found: list[RoomFigures]) -> tuple[str, list[str]]:
    lines = [
        f"Phones refresh every {settings.LIVE_REFRESH_SECONDS:g} s from a room pulse shared per server and "
        f"{settings.PULSE_SECONDS:g} s; one `streamlit run` process on SQLite, its CPU and memory read from /proc. "
        f"Idle: {IDLE_SECONDS} s with nothing changing. Votes: {VOTES_TIMED} written one at a time at random "
        "moments, each timed to the board's count; then the lock, the reveal and a new round, each timed to every phone.",
        "| live phones | refresh round trip p50 / p95 / max | server CPU idle | server CPU per idle refresh | "
        "server CPU voting to new round | vote -> board median / max | lock -> every phone median / max | "
        "reveal -> every phone | new round -> every phone | resident memory |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for f in found:
        memory = [mb for _, mb in f.memory]
        lines.append(
            f"| {f.phones} | {ms(f.round_trips)} | {f.idle_cpu:.0f}% | {f.idle_refresh_ms:.2f} ms | {f.busy_cpu:.0f}% | "
            f"{seconds(f.vote_to_board)} | {seconds(f.lock)} | {seconds(f.reveal)} | {seconds(f.new_round)} | "
            f"{min(memory):.0f}-{max(memory):.0f} MB |"
        )
    return "Live room: emulated phones and board on one server", lines


async def measure(sizes=SIZES, idle_seconds: float = IDLE_SECONDS) -> list[RoomFigures]:
    found = []
    for people in sizes:
        with tempfile.TemporaryDirectory() as folder, served(Path(folder)) as server, lifted():
            found.append(await live_room(server, people, idle_seconds))
        print(section(found[-1:])[1][-1], flush=True)
    return found


@contextmanager
def lifted():
    """The bench writes every vote from one address: its own rate limits lifted (the server's are not involved)."""
    saved = settings.RATE_LIMITS
    settings.RATE_LIMITS = {kind: dict.fromkeys(("room", "address"), 10**9) for kind in saved}
    try:
        yield
    finally:
        settings.RATE_LIMITS = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    parser.add_argument("--idle", type=float, default=IDLE_SECONDS)
    arguments = parser.parse_args()
    found = asyncio.run(measure(arguments.sizes, arguments.idle))
    title, lines = section(found)
    print(title, *lines, sep="\n")


if __name__ == "__main__":
    main()
