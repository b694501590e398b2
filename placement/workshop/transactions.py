"""The store's transactions and lookups, shared by every area of the store (see placement.workshop.store).

A transaction that writes waits for every other writer (BEGIN IMMEDIATE on SQLite, the current round's row
locked on PostgreSQL); lookups read a room with its latest round in one query; a facilitator's action
checks the room's key (a SHA-256 hash, compared in constant time).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import NamedTuple

import sqlalchemy as sa

from placement.workshop.domain import (
    CLOSED,
    REMOVED,
    CountedRefusal,
    Room,
    RoomError,
    RoomUnavailable,
    clean_code,
    moved_on,
)
from placement.workshop.schema import (
    ROOM_WITH_LATEST_ROUND,
    decisions,
    participants,
    present,
    rooms,
    rounds,
    utc,
    votes,
)
from placement.workshop.snapshots import Snapshots


def unavailable(message: str):
    """A store method whose database failures (SQLAlchemy or OS errors) become RoomUnavailable(message)."""

    def wrap(method):
        @functools.wraps(method)
        def guarded(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RoomUnavailable:
                raise
            except (sa.exc.SQLAlchemyError, OSError) as error:
                raise RoomUnavailable(message) from error

        return guarded

    return wrap


def secret_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class _Located(NamedTuple):
    """A room with the ids and key hash its lookup query also returns, so that no further query asks for them."""

    room: Room
    room_id: int
    round_id: int  # the latest round's
    key_hash: str


class Transactions:
    """The connection to the rooms' database, the snapshot cache, and the lookups every store method uses."""

    engine: sa.Engine
    _models: Snapshots

    @contextmanager
    def _writing(self) -> Iterator[sa.Connection]:
        """A transaction that writes and sees every change committed before it: other writers wait.

        SQLite: BEGIN IMMEDIATE takes the write lock before the first read (pysqlite would
        otherwise begin only at the first INSERT/UPDATE, after the reads that decide it;
        SQLAlchemy's autobegin sends nothing to SQLite, so ours is the transaction's BEGIN).
        PostgreSQL: the current round's row is locked (SELECT ... FOR UPDATE, see
        _lock_current_round) by every action that changes what a vote may do.
        A CountedRefusal commits (its count is the transaction's only write) before it is raised.
        """
        refused = None
        with self.engine.begin() as db:
            if db.dialect.name == "sqlite":
                db.exec_driver_sql("BEGIN IMMEDIATE")
            try:
                yield db
            except CountedRefusal as refusal:
                refused = refusal
        if refused is not None:
            raise refused

    def _lock_current_round(self, db, code: str):
        """The current round's row, locked until the transaction ends (PostgreSQL; SQLite's writer
        lock already holds everyone off). Read again after the lock, so a round started meanwhile counts."""
        room_id = self._room_id(db, code)
        while True:
            row = db.execute(
                sa.select(rounds)
                .where(rounds.c.room_id == room_id)
                .order_by(rounds.c.number.desc())
                .limit(1)
                .with_for_update()
            ).first()
            latest = db.execute(sa.select(sa.func.max(rounds.c.number)).where(rounds.c.room_id == room_id)).scalar()
            if latest == row.number:
                return row

    def _control(self, db, code: str, key: str, round_number: int | None = None):
        """(room, its current round's row, locked) for a facilitator's action on an open room, refused unless
        the current round is `round_number` (the screen's; None: any): compare and set in one transaction."""
        room = self._authorised(db, code, key).room
        round_row = self._lock_current_round(db, room.code)
        room = self._room(db, room.code)
        if room.closed:
            raise RoomError(CLOSED)
        if round_number is not None and round_number != room.round:
            raise moved_on(round_number, room)
        return room, round_row

    def _room(self, db, code: str) -> Room:
        return self._located(db, code).room

    def _located(self, db, code: str) -> _Located:
        """The room, its latest round, their ids and the key's hash, in one query (the board reads a room several
        times per redraw)."""
        row = db.execute(ROOM_WITH_LATEST_ROUND, {"code": clean_code(code)}).first()
        if row is None:
            raise RoomError(
                f"There is no room with the code '{clean_code(code)[:16]}'. Check the code on the shared screen."
            )
        room = Room(
            row.code,
            row.title,
            json.loads(row.factors),
            row.method,
            row.closed,
            row.number,
            row.revealed,
            row.locked,
            utc(row.closed_at),
            bool(row.require_names),
            row.passcode_hash is not None,
            bool(row.gaps_open),
        )
        return _Located(room, row.id, row.round_id, row.key_hash)

    def _room_id(self, db, code: str) -> int:
        return db.execute(sa.select(rooms.c.id).where(rooms.c.code == code)).scalar_one()

    def _round(self, db, code: str, number: int):
        row = db.execute(
            sa.select(rounds)
            .join(rooms, rounds.c.room_id == rooms.c.id)
            .where(rooms.c.code == code, rounds.c.number == number)
        ).first()
        if row is None:
            raise RoomError(f"This room has no round {number}.")
        return row

    def _acting_participant(self, db, code: str, token: str, device: str | None):
        """The participant a vote or proposal comes from: one of the room's, from their own browser, not removed."""
        person = self._participant(db, code, token)
        if person is None or (device is not None and person.device not in (None, device)):
            raise RoomError("This link does not belong to a participant of the room. Join again from the room's link.")
        if person.removed:
            raise RoomError(REMOVED)
        return person

    def _participant(self, db, code: str, token: str):
        """The participant with this token in this room, or None (also for an unknown room)."""
        if "\x00" in (token or ""):  # no token has one (and PostgreSQL cannot compare it)
            return None
        room_id = db.execute(sa.select(rooms.c.id).where(rooms.c.code == clean_code(code))).scalar()
        if room_id is None:
            return None
        return db.execute(
            sa.select(participants).where(participants.c.token == (token or ""), participants.c.room_id == room_id)
        ).first()

    def _authorised(self, db, code: str, key: str) -> _Located:
        located = self._located(db, code)
        if not hmac.compare_digest(located.key_hash, secret_hash(key or "")):
            raise RoomError("Only the facilitator can do this: the facilitator key does not match.")
        return located

    def _round_state(self, db, located: _Located, number: int) -> tuple[int, bool]:
        """(id, revealed) of the room's round `number`: the latest round's came with the room, others are read."""
        if number == located.room.round:
            return located.round_id, located.room.revealed
        row = self._round(db, located.room.code, number)
        return row.id, row.revealed


def round_revision_of(db, room_id: int, round_id: int) -> tuple:
    """(the round's id, votes, the newest vote's id, revisions in total, when the last vote was sent, the room's
    decisions and the newest one's id): it moves with every vote, revision, removal and accepted cell."""
    row = db.execute(
        sa.select(
            sa.func.count(),
            sa.func.max(votes.c.id),
            sa.func.sum(votes.c.revision),
            sa.func.max(votes.c.submitted_at),
        ).where(votes.c.round_id == round_id)
    ).one()
    # The round is scored with the room's accepted cells too: a decision changes its model.
    decided = db.execute(
        sa.select(sa.func.count(), sa.func.max(decisions.c.id)).where(decisions.c.room_id == room_id)
    ).one()
    return (round_id, *row, *decided)


def counts_of(db, located: _Located) -> tuple[int, int]:
    """(participants who joined, participants with a vote in the current round)."""
    joined = db.execute(
        sa.select(sa.func.count()).select_from(participants).where(participants.c.room_id == located.room_id, present())
    ).scalar()
    submitted = db.execute(
        sa.select(sa.func.count()).select_from(votes).where(votes.c.round_id == located.round_id)
    ).scalar()
    return joined, submitted
