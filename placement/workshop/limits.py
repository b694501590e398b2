"""The room's limits: settings.RATE_LIMITS (joins, votes and proposals accepted) and settings.FAILURE_LIMITS
(wrong passcodes and keys), each counted per participant, per address in the room and per room, in a time
window kept in the events table.
"""

from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa

from placement import settings
from placement.workshop import domain
from placement.workshop.domain import RoomError
from placement.workshop.schema import events, utc

COUNTED = {
    "join": "joins",
    "vote": "votes",
    "propose": "proposals",
    "passcode": "wrong passcodes",
    "key": "wrong facilitator keys",
}
LIMITED_FROM = {"participant": "from you", "address": "from your network in this room", "room": "in this room"}


def _limits(kind: str) -> tuple[timedelta, dict[str, int]]:
    """(window, most events per window by scope) for a kind of event."""
    if kind in settings.FAILURE_LIMITS:
        return timedelta(seconds=settings.FAILURE_WINDOW_SECONDS), settings.FAILURE_LIMITS[kind]
    return timedelta(seconds=settings.RATE_WINDOW_SECONDS), settings.RATE_LIMITS[kind]


def refuse_over_limit(db, room_id: int, kind: str, address: str | None, participant_id: int | None = None) -> None:
    """Raise RoomError, saying how long to wait, once `kind` events in the room reached a limit within the window:
    the participant's, then the address's in this room, then the room's (so one person never uses up the rest)."""
    window, most = _limits(kind)
    now = domain.now()
    address = (address or "")[:64] or None
    recent = sa.select(events.c.at).where(
        events.c.room_id == room_id, events.c.kind == kind, events.c.at >= now - window
    )
    scopes = {
        "participant": recent.where(events.c.participant_id == participant_id) if participant_id else None,
        "address": recent.where(events.c.address == address) if address else None,
        "room": recent,
    }
    for scope, counted in scopes.items():
        if scope not in most or counted is None:
            continue
        # The limit-th newest event in the window: while there is one, the limit is reached; it ages out first.
        reached = db.execute(counted.order_by(events.c.at.desc()).offset(most[scope] - 1).limit(1)).scalar()
        if reached is not None:
            raise RoomError(
                f"Too many {COUNTED[kind]} {LIMITED_FROM[scope]} right now (at most {most[scope]} in "
                f"{_duration(window)}): wait {_duration(utc(reached) + window - now)}, then try again."
            )


def count(db, room_id: int, kind: str, address: str | None, participant_id: int | None = None) -> None:
    """Record one event for the limits; events older than every window are dropped (the table stays small)."""
    now = domain.now()
    db.execute(
        events.insert().values(
            room_id=room_id, kind=kind, address=(address or "")[:64] or None, participant_id=participant_id, at=now
        )
    )
    longest = max(settings.RATE_WINDOW_SECONDS, settings.FAILURE_WINDOW_SECONDS)
    db.execute(events.delete().where(events.c.at < now - timedelta(seconds=longest)))


def check_rate(db, room_id: int, kind: str, address: str | None, participant_id: int | None = None) -> None:
    """Refuse a join, vote or proposal beyond settings.RATE_LIMITS; else count it."""
    refuse_over_limit(db, room_id, kind, address, participant_id)
    count(db, room_id, kind, address, participant_id)


def _duration(span: timedelta) -> str:
    """A wait or window in words, rounded up: "40 seconds", "a minute", "7 minutes"."""
    seconds = max(1, math.ceil(span.total_seconds()))
    if seconds < 60:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = math.ceil(seconds / 60)
    return "a minute" if minutes == 1 else f"{minutes} minutes"
