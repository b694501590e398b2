"""Workshop rooms in a real database (SQLAlchemy Core): rooms, rounds, participants, votes.

The store is the only place that decides who may do what: every facilitator action
checks the room's key (stored as a SHA-256 hash, compared in constant time), and a
round's votes are readable without the key only once the facilitator revealed them.

The room owns its model: each round keeps a snapshot of the facilitator's model (as a
model file), so the board and every phone rank with the same scores. A vote names the
round it was cast in, and the check of the round's state and the write happen in one
transaction that waits for any other writer (BEGIN IMMEDIATE on SQLite, a row lock on
PostgreSQL): nothing is stored in a round after it was locked or a new one started.

RoomStore is composed by area: the facilitator's controls (placement.workshop.facilitation), the gaps the
room fills (placement.workshop.proposing) and the participants' side (placement.workshop.participation),
over shared transactions and lookups (placement.workshop.transactions); the administrator's housekeeping
is here. The types it returns are in placement.workshop.domain, the tables in placement.workshop.schema.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from placement import settings
from placement.workshop import domain
from placement.workshop.domain import NOT_ANSWERING, NOT_CHANGED, RoomInfo
from placement.workshop.facilitation import Facilitation
from placement.workshop.participation import Participation
from placement.workshop.proposing import Proposing
from placement.workshop.schema import (
    decisions,
    events,
    participants,
    present,
    proposals,
    rooms,
    rounds,
    sqlite_pragmas,
    upgrade,
    utc,
    votes,
)
from placement.workshop.snapshots import Snapshots
from placement.workshop.transactions import unavailable


class RoomStore(Facilitation, Proposing, Participation):
    """Every room action, each one transaction; the areas are composed from the modules named above."""

    def __init__(self, engine: sa.Engine):
        self.engine = engine
        self._models = Snapshots()
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", sqlite_pragmas)
        self.migrate()

    def migrate(self) -> None:
        """Create the schema, or upgrade it to SCHEMA_VERSION, at start-up.

        Version 1 -> 2 adds nullable columns (rooms.closed_at, rounds.model) with ALTER TABLE;
        a version 1 round has no model snapshot and is scored with the caller's baseline. Later versions
        add nullable columns the same way, and new tables (version 4: proposals, decisions).
        """
        if self.engine.dialect.name == "sqlite":
            with self.engine.connect() as db:  # outside any transaction: SQLite refuses it inside one
                db.exec_driver_sql("PRAGMA journal_mode=WAL")
                db.commit()
        with self._writing() as db:
            upgrade(db)

    # --- housekeeping -------------------------------------------------------------------------

    @unavailable(NOT_CHANGED)
    def delete_room(self, code: str, key: str) -> None:
        """Delete the room with its rounds, participants and votes (the facilitator, confirmed on the board)."""
        with self._writing() as db:
            located = self._authorised(db, code, key)
            _delete_rooms(db, [located.room_id])
        self._forget_models(located.room.code)

    @unavailable(NOT_CHANGED)
    def purge(self, older_than_days: float = settings.ROOM_DAYS, now: datetime | None = None) -> list[str]:
        """Delete every room created more than `older_than_days` ago, with its votes; returns their codes."""
        cutoff = (now or domain.now()) - timedelta(days=older_than_days)
        with self._writing() as db:
            old = db.execute(sa.select(rooms.c.id, rooms.c.code).where(rooms.c.created_at < cutoff)).all()
            _delete_rooms(db, [r.id for r in old])
        for row in old:
            self._forget_models(row.code)
        return [r.code for r in old]

    @unavailable(NOT_ANSWERING)
    def list_rooms(self) -> list[RoomInfo]:
        """Every room, oldest first, for the administrator."""
        with self.engine.connect() as db:
            counted = (
                sa.select(participants.c.room_id, sa.func.count().label("n"))
                .where(present())
                .group_by(participants.c.room_id)
                .subquery()
            )
            rows = db.execute(
                sa.select(rooms.c.code, rooms.c.title, rooms.c.created_at, rooms.c.closed, counted.c.n)
                .outerjoin(counted, counted.c.room_id == rooms.c.id)
                .order_by(rooms.c.created_at)
            ).all()
        return [RoomInfo(r.code, r.title, utc(r.created_at), r.closed, r.n or 0) for r in rows]

    @unavailable(NOT_CHANGED)
    def close_as_admin(self, code: str) -> None:
        """Close a room without its key: for the administrator, who holds the database itself."""
        with self._writing() as db:
            room = self._room(db, code)
            self._lock_current_round(db, room.code)
            db.execute(
                rooms.update()
                .where(rooms.c.code == room.code, rooms.c.closed.is_(False))
                .values(closed=True, closed_at=domain.now())
            )

    def _forget_models(self, code: str) -> None:
        self._models.forget(code)


def _delete_rooms(db, room_ids: list[int]) -> None:
    """Delete rooms with everything in them, children first (foreign keys)."""
    if not room_ids:
        return
    round_ids = sa.select(rounds.c.id).where(rounds.c.room_id.in_(room_ids))
    db.execute(proposals.delete().where(proposals.c.room_id.in_(room_ids)))
    db.execute(decisions.delete().where(decisions.c.room_id.in_(room_ids)))
    db.execute(votes.delete().where(votes.c.round_id.in_(round_ids)))
    db.execute(events.delete().where(events.c.room_id.in_(room_ids)))
    db.execute(participants.delete().where(participants.c.room_id.in_(room_ids)))
    db.execute(rounds.delete().where(rounds.c.room_id.in_(room_ids)))
    db.execute(rooms.delete().where(rooms.c.id.in_(room_ids)))
