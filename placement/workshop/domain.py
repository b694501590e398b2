"""The workshop's domain: a room, a participant, a vote, and the errors a room action can end in.

Plain values with no database behind them, so that the board, the phone form and the pages can name
them without importing the store (placement.workshop.store), which reads and writes them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from placement import settings

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read off a projector
CODE_LENGTH = 8  # 31^8, about 8.5e11 codes
CLOSED = "This room is closed; reopen it first."
NOT_SAVED = "The workshop database is not answering, so your vote was not saved. Try again in a moment."
NOT_ANSWERING = "The workshop database is not answering right now. Try again in a moment."
NOT_CHANGED = "The workshop database is not answering, so nothing was changed. Try again in a moment."
NOT_JOINED = "The workshop database is not answering, so you have not joined yet. Try again in a moment."
REMOVED = "The facilitator removed you from this room, so you cannot vote in it."


class RoomError(Exception):
    """A room action that cannot be done, with a message meant for people."""


class RoomUnavailable(RoomError):
    """The database did not answer (stopped, unreachable, read-only, full): nothing was done or confirmed."""


class RoundEnded(RoomError):
    """A vote for a round that is no longer the room's current round: it was not counted."""


class RoundMovedOn(RoomError):
    """A facilitator's control for a round the room has already left (another screen moved it on): nothing done."""


class CountedRefusal(RoomError):
    """A wrong passcode or key: refused, and its count (the transaction's only write) is kept, not rolled back."""


@dataclass(frozen=True)
class Room:
    code: str
    title: str
    factors: list[dict]
    method: str
    closed: bool
    round: int
    revealed: bool
    locked: bool
    closed_at: datetime | None = None  # when the room was closed (None: open, or closed before version 2)
    require_names: bool = False  # no anonymous joins
    has_passcode: bool = False  # joining asks for the passcode set at creation
    gaps_open: bool = False  # the current round collects what the source misses ("name what is missing")

    @property
    def factor_ids(self) -> list[str]:
        return [f["id"] for f in self.factors]

    @property
    def reopen_until(self) -> datetime | None:
        """The end of the window in which a closed room may be reopened; None if it cannot be."""
        if not self.closed or self.closed_at is None:
            return None
        return self.closed_at + timedelta(hours=settings.REOPEN_HOURS)

    def reopenable_at(self, now: datetime) -> bool:
        return self.reopen_until is not None and now < self.reopen_until

    @property
    def reopenable(self) -> bool:
        """A closed room the facilitator may still reopen (within settings.REOPEN_HOURS of closing)."""
        return self.reopenable_at(now())

    @property
    def status(self) -> str:
        """The state of voting, worded for the board: closed, locked or open."""
        return "closed" if self.closed else "locked" if self.locked else "open"


@dataclass(frozen=True)
class Participant:
    id: int
    name: str
    voted: bool  # has a vote in the current round
    duplicate: bool  # another participant of the room has the same name


@dataclass(frozen=True)
class RoomInfo:
    """A room as the administrator's `rooms list` shows it."""

    code: str
    title: str
    created_at: datetime
    closed: bool
    participants: int


@dataclass(frozen=True)
class Vote:
    participant: str  # display name
    values: dict[str, float]
    comment: str
    revision: int


@dataclass(frozen=True)
class Pulse:
    """A room as live pages watch it: its state, who joined, the current round's votes and the proposals."""

    room: Room
    joined: int
    submitted: int
    proposals: int  # every proposal of the room's present participants, as the board lists them
    results: tuple = ()  # the latest round's revision once it is revealed (`RoomStore.round_revision`)


def now() -> datetime:
    """The rooms' clock (UTC), read through this module so that a test can move it for every part of the store."""
    return datetime.now(UTC)


def clean_code(code: str | None) -> str:
    """A room code as typed or read off a screen: spaces dropped, upper case ("ab c1" -> "ABC1")."""
    return "".join((code or "").replace("\x00", "").split()).upper()


def moved_on(number: int, room: Room) -> RoomError:
    """A round control from a screen that showed round `number` when the room is at another."""
    if number > room.round:
        return RoomError(f"This room has no round {number}.")
    return RoundMovedOn(
        f"Another facilitator screen already started round {room.round}, so this click changed nothing; "
        f"the board now shows round {room.round}."
    )


def round_ended(number: int, room: Room) -> RoomError:
    if number > room.round:
        return RoomError(f"This room has no round {number}.")
    ended = f"Round {number} ended before your vote arrived, so it was not counted."
    if room.closed:
        return RoundEnded(f"{ended} The room is now closed.")
    if room.locked:
        return RoundEnded(f"{ended} Round {room.round} has started but voting is locked for now.")
    return RoundEnded(f"{ended} Round {room.round} is open: please vote again.")
