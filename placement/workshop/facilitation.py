"""The facilitator's side of the store: creating a room, the round controls (reveal, lock, reopen voting,
new round), closing and reopening, and reading a revealed round's votes."""

from __future__ import annotations

import hmac
import json
import secrets
from datetime import datetime

import sqlalchemy as sa

from placement import settings
from placement.data.model import Model
from placement.data.modelfile import to_json
from placement.data.problems import InputError
from placement.workshop import domain
from placement.workshop.domain import (
    CODE_ALPHABET,
    CODE_LENGTH,
    NOT_ANSWERING,
    NOT_CHANGED,
    CountedRefusal,
    RoomError,
    Vote,
)
from placement.workshop.limits import count, refuse_over_limit
from placement.workshop.rules import checked_room, missing_factors
from placement.workshop.schema import participants, rooms, rounds, votes
from placement.workshop.transactions import Transactions, round_revision_of, secret_hash, unavailable


class Facilitation(Transactions):
    """A room's life as the facilitator runs it; every control checks the room's key. Part of RoomStore, whose
    `purge` (before a room is created) and `room` (the participants' side) it calls."""

    @unavailable(NOT_CHANGED)
    def create_room(
        self,
        title: str,
        factors: list[dict],
        method: str,
        model: Model,
        require_names: bool = False,
        passcode: str = "",
    ) -> tuple[str, str]:
        """A new open room whose first round is scored with `model` (which must hold every factor of the room).

        `require_names`: no anonymous joins; `passcode`: joining asks for it. Rooms older than
        settings.ROOM_DAYS are purged first. Returns (room code, facilitator key). The key is shown once.
        """
        self.purge()
        title, passcode = checked_room(title, factors, method, model, passcode)
        snapshot = to_json(model)
        key = secrets.token_urlsafe(18)
        with self._writing() as db:
            for _ in range(5):
                code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
                if db.execute(sa.select(rooms.c.id).where(rooms.c.code == code)).first() is None:
                    break
            room_id = db.execute(
                rooms.insert().values(
                    code=code,
                    title=title,
                    factors=json.dumps(factors),
                    method=method,
                    key_hash=secret_hash(key),
                    closed=False,
                    created_at=domain.now(),
                    require_names=bool(require_names),
                    passcode_hash=secret_hash(passcode) if passcode else None,
                )
            ).inserted_primary_key[0]
            db.execute(rounds.insert().values(room_id=room_id, number=1, revealed=False, locked=False, model=snapshot))
        return code, key

    @unavailable(NOT_ANSWERING)
    def facilitated_code(self, code: str, key: str, address: str | None = None) -> str:
        """The room's code, cleaned, for a facilitator who gave its key; a RoomError otherwise.

        One message for an unknown code and a wrong key: it does not tell which rooms exist. Wrong keys are
        counted, and limited per room and per `address` (settings.FAILURE_LIMITS["key"]).
        """
        mismatch = "That code and key do not match a room. Check both; the key was shown when the room was created."
        with self._writing() as db:
            try:
                located = self._located(db, code)
            except RoomError:
                raise RoomError(mismatch) from None
            self._lock_current_round(db, located.room.code)  # one attempt at a time per room: exact counts
            refuse_over_limit(db, located.room_id, "key", address)
            if not hmac.compare_digest(located.key_hash, secret_hash(key or "")):
                count(db, located.room_id, "key", address)
                raise CountedRefusal(mismatch)
        return located.room.code

    # Round controls take `round_number`, the round the facilitator's screen showed: for a round the room has
    # left they raise RoundMovedOn and change nothing (None: whatever round is current).

    @unavailable(NOT_CHANGED)
    def reveal(self, code: str, key: str, round_number: int | None = None) -> None:
        """Show the current round's votes to the room; voting locks, so nothing changes under its eyes."""
        with self._writing() as db:
            room, round_row = self._control(db, code, key, round_number)
            submitted = db.execute(
                sa.select(sa.func.count()).select_from(votes).where(votes.c.round_id == round_row.id)
            ).scalar()
            if not submitted:
                raise RoomError("Nobody has voted in this round yet: reveal once at least one vote is in.")
            db.execute(rounds.update().where(rounds.c.id == round_row.id).values(revealed=True, locked=True))

    @unavailable(NOT_CHANGED)
    def lock(self, code: str, key: str, round_number: int | None = None) -> None:
        with self._writing() as db:
            _, round_row = self._control(db, code, key, round_number)
            db.execute(rounds.update().where(rounds.c.id == round_row.id).values(locked=True))

    @unavailable(NOT_CHANGED)
    def reopen_voting(self, code: str, key: str, round_number: int | None = None) -> None:
        """Unlock the current round and hide it again: people may revise, and the next reveal shows them."""
        with self._writing() as db:
            _, round_row = self._control(db, code, key, round_number)
            db.execute(rounds.update().where(rounds.c.id == round_row.id).values(locked=False, revealed=False))

    @unavailable(NOT_CHANGED)
    def new_round(self, code: str, key: str, model: Model | None = None, round_number: int | None = None) -> int:
        """Start a fresh, hidden round scored with `model` (None: the previous round's); earlier rounds are kept.

        Two facilitator screens that showed the same round start one round, not two: the round number is
        compared and the new round written in one transaction, so the later click finds the round moved on.
        """
        problems = missing_factors(model, self.room(code).factors) if model is not None else []
        if problems:
            raise InputError(problems)
        with self._writing() as db:
            room, previous = self._control(db, code, key, round_number)
            number = room.round + 1
            snapshot = previous.model if model is None else to_json(model)
            db.execute(
                rounds.insert().values(
                    room_id=previous.room_id, number=number, revealed=False, locked=False, model=snapshot
                )
            )
        return number

    @unavailable(NOT_CHANGED)
    def close(self, code: str, key: str) -> None:
        """Close the room (voting and joining stop); it can be reopened for settings.REOPEN_HOURS."""
        with self._writing() as db:
            room = self._authorised(db, code, key).room
            self._lock_current_round(db, room.code)
            db.execute(
                rooms.update()
                .where(rooms.c.code == room.code, rooms.c.closed.is_(False))
                .values(closed=True, closed_at=domain.now())
            )

    @unavailable(NOT_CHANGED)
    def reopen(self, code: str, key: str, now: datetime | None = None) -> None:
        """Reopen a room closed less than settings.REOPEN_HOURS ago; its rounds are as they were."""
        with self._writing() as db:
            room = self._authorised(db, code, key).room
            self._lock_current_round(db, room.code)
            room = self._room(db, room.code)
            if not room.closed:
                return
            if not room.reopenable_at(now or domain.now()):
                raise RoomError(
                    f"This room was closed more than {settings.REOPEN_HOURS} hours ago, so it can no longer be "
                    "reopened. Create a new room instead."
                )
            db.execute(rooms.update().where(rooms.c.code == room.code).values(closed=False, closed_at=None))

    @unavailable(NOT_ANSWERING)
    def votes(self, code: str, key: str | None = None, number: int | None = None) -> list[Vote]:
        """A round's current votes, once the facilitator revealed it: before, for nobody (the key
        does not open an unrevealed round; a round left unrevealed when the next began stays secret).
        `key` is accepted for the callers' sake and changes nothing."""
        del key
        with self.engine.connect() as db:
            located = self._located(db, code)
            number = located.room.round if number is None else number
            round_id, revealed = self._round_state(db, located, number)
            if not revealed:
                raise RoomError(f"The votes of round {number} are hidden: nobody sees them until it is revealed.")
            rows = db.execute(
                sa.select(participants.c.name, votes.c["values"], votes.c.comment, votes.c.revision)
                .join(participants, participants.c.id == votes.c.participant_id)
                .where(votes.c.round_id == round_id)
                .order_by(votes.c.id)
            ).all()
        values = json.loads(f"[{','.join(r[1] for r in rows)}]")  # one parse for the round, not one per vote
        return [Vote(name, v, comment, revision) for (name, _, comment, revision), v in zip(rows, values, strict=True)]

    @unavailable(NOT_ANSWERING)
    def round_revision(self, code: str, number: int) -> tuple:
        """What changes whenever a revealed round's votes or model change, read in two small queries: (the round's
        id, votes, the newest vote's id, revisions in total, when the last vote was sent, the room's decisions
        and the newest one's id). A vote, a revision, a removed participant or a facilitator's decision on a
        proposal changes it; the votes themselves are not read. Hidden rounds raise, as `votes`."""
        with self.engine.connect() as db:
            located = self._located(db, code)
            round_id, revealed = self._round_state(db, located, number)
            if not revealed:
                raise RoomError(f"The votes of round {number} are hidden: nobody sees them until it is revealed.")
            return round_revision_of(db, located.room_id, round_id)

    @unavailable(NOT_ANSWERING)
    def round_numbers(self, code: str, revealed_only: bool = False) -> list[int]:
        """The room's rounds, in order (only those revealed, whose votes may be read, if `revealed_only`)."""
        with self.engine.connect() as db:
            query = sa.select(rounds.c.number).where(rounds.c.room_id == self._located(db, code).room_id)
            if revealed_only:
                query = query.where(rounds.c.revealed.is_(True))
            return [r.number for r in db.execute(query.order_by(rounds.c.number))]
