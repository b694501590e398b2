"""How live pages (every phone, the board) learn whether their room moved on, at a cost independent of the room.

Every open page asks every `settings.LIVE_REFRESH_SECONDS`. The answer comes from `Pulses`: one read of the
room's pulse (its state and counts) per room and `settings.PULSE_SECONDS`, made by whichever session asks first
and shared by every session of the server. Two hundred phones asking every second cost the database about two
reads a second, and each phone's refresh a dictionary look-up; a page redraws only when what it shows changed.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from placement.workshop.ballot import Moment, moment
from placement.workshop.board import board_state
from placement.workshop.domain import Pulse, RoomError

ROOMS_KEPT = 1024  # rooms whose latest pulse is kept (a server runs a few at a time)


@dataclass
class _Entry:
    pulse: Pulse | None = None
    error: RoomError | None = None  # the last read failed (the database did not answer): shared as an answer too
    read_at: float = float("-inf")
    lock: threading.Lock = None  # one reader per room at a time; the others wait for its answer

    def __post_init__(self):
        self.lock = threading.Lock()


class Pulses:
    """Rooms' pulses, each read at most once per `max_age` seconds for every session that asks."""

    def __init__(self, read: Callable[[str], Pulse], max_age: float, clock: Callable[[], float] = time.monotonic):
        self._read = read
        self._max_age = max_age
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, code: str) -> Pulse:
        """The room's pulse, no older than `max_age` when it was asked for; a failed read's error is raised to
        every session that asks within `max_age` too (with the database away, one attempt per interval)."""
        return self._pulse(code, self._max_age)

    def fresh(self, code: str) -> Pulse:
        """The room's pulse read now, and shared: a page drawn from it is compared with what the others read next."""
        return self._pulse(code, 0.0)

    def _pulse(self, code: str, max_age: float) -> Pulse:
        entry = self._entry(code)
        with entry.lock:
            if self._clock() - entry.read_at >= max_age:
                started = self._clock()  # a change committed after this instant is seen by the next read
                try:
                    entry.pulse, entry.error = self._read(code), None
                except RoomError as error:  # no such room, or the database did not answer
                    entry.pulse, entry.error = None, error
                entry.read_at = started
            if entry.error is not None:
                raise entry.error
            return entry.pulse

    def _entry(self, code: str) -> _Entry:
        with self._lock:
            entry = self._entries.get(code)
            if entry is None:
                entry = self._entries[code] = _Entry()
                while len(self._entries) > ROOMS_KEPT:
                    self._entries.popitem(last=False)
            self._entries.move_to_end(code)
            return entry


def phone_view(pulse: Pulse) -> Moment:
    """What a participant's page shows of the room: it redraws when the round, reveal, lock or closing changed,
    or once revealed when a late vote or an accepted proposal changed the results."""
    return moment(pulse.room, pulse.results)


def board_view(pulse: Pulse) -> tuple:
    """What the facilitator's board shows of the room: its controls and results (a revealed round's revision moves
    with a late vote or a cell another facilitator screen accepted), the counts and the proposals."""
    return board_state(pulse.room, pulse.submitted), pulse.joined, pulse.proposals, pulse.results
