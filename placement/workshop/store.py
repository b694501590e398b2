"""Workshop rooms in a real database (SQLAlchemy Core): rooms, rounds, participants, votes.

The store is the only place that decides who may do what: every facilitator action
checks the room's key (stored as a SHA-256 hash, compared in constant time), and a
round's votes are readable without the key only once the facilitator revealed them.

The room owns its model: each round keeps a snapshot of the facilitator's model (as a
model file), so the board and every phone rank with the same scores. A vote names the
round it was cast in, and the check of the round's state and the write happen in one
transaction that waits for any other writer (BEGIN IMMEDIATE on SQLite, a row lock on
PostgreSQL): nothing is stored in a round after it was locked or a new one started.

The room fills the source's gaps (version 4): while the facilitator has "name what is missing" open,
participants propose a risk or benefit for a cell; the facilitator's decision on a group of proposals
is stored, and the accepted ones become the room's cells (see placement.workshop.gaps).
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from placement import settings
from placement.data.model import Model
from placement.data.modelfile import to_json
from placement.data.problems import InputError, Problem
from placement.data.text import clean_text
from placement.workshop import domain
from placement.workshop.domain import (
    CLOSED,
    CODE_ALPHABET,
    CODE_LENGTH,
    NOT_ANSWERING,
    NOT_CHANGED,
    NOT_JOINED,
    NOT_SAVED,
    REMOVED,
    CountedRefusal,
    Participant,
    Room,
    RoomError,
    RoomInfo,
    RoomUnavailable,
    Vote,
    clean_code,
    moved_on,
    round_ended,
)
from placement.workshop.gaps import ACTIONS, Decision, Proposal, proposal_problems, with_room_cells
from placement.workshop.limits import check_rate, count, refuse_over_limit
from placement.workshop.rules import check_values, checked_room, missing_factors, nul_problem
from placement.workshop.schema import (
    ROOM_WITH_LATEST_ROUND,
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
from placement.workshop.snapshots import Snapshots, describe_model


def _unavailable(message: str):
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


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class _Located(NamedTuple):
    """A room with the ids and key hash its lookup query also returns, so that no further query asks for them."""

    room: Room
    room_id: int
    round_id: int  # the latest round's
    key_hash: str


class RoomStore:
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

    # --- facilitator -------------------------------------------------------------------------

    @_unavailable(NOT_CHANGED)
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
                    key_hash=_hash(key),
                    closed=False,
                    created_at=domain.now(),
                    require_names=bool(require_names),
                    passcode_hash=_hash(passcode) if passcode else None,
                )
            ).inserted_primary_key[0]
            db.execute(rounds.insert().values(room_id=room_id, number=1, revealed=False, locked=False, model=snapshot))
        return code, key

    @_unavailable(NOT_ANSWERING)
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
            if not hmac.compare_digest(located.key_hash, _hash(key or "")):
                count(db, located.room_id, "key", address)
                raise CountedRefusal(mismatch)
        return located.room.code

    # Round controls take `round_number`, the round the facilitator's screen showed: for a round the room has
    # left they raise RoundMovedOn and change nothing (None: whatever round is current).

    @_unavailable(NOT_CHANGED)
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

    @_unavailable(NOT_CHANGED)
    def lock(self, code: str, key: str, round_number: int | None = None) -> None:
        with self._writing() as db:
            _, round_row = self._control(db, code, key, round_number)
            db.execute(rounds.update().where(rounds.c.id == round_row.id).values(locked=True))

    @_unavailable(NOT_CHANGED)
    def reopen_voting(self, code: str, key: str, round_number: int | None = None) -> None:
        """Unlock the current round and hide it again: people may revise, and the next reveal shows them."""
        with self._writing() as db:
            _, round_row = self._control(db, code, key, round_number)
            db.execute(rounds.update().where(rounds.c.id == round_row.id).values(locked=False, revealed=False))

    @_unavailable(NOT_CHANGED)
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

    @_unavailable(NOT_CHANGED)
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

    @_unavailable(NOT_CHANGED)
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

    @_unavailable(NOT_ANSWERING)
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

    @_unavailable(NOT_ANSWERING)
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
                sa.select(sa.func.count(), sa.func.max(decisions.c.id)).where(decisions.c.room_id == located.room_id)
            ).one()
        return (round_id, *row, *decided)

    @_unavailable(NOT_ANSWERING)
    def round_numbers(self, code: str, revealed_only: bool = False) -> list[int]:
        """The room's rounds, in order (only those revealed, whose votes may be read, if `revealed_only`)."""
        with self.engine.connect() as db:
            query = sa.select(rounds.c.number).where(rounds.c.room_id == self._located(db, code).room_id)
            if revealed_only:
                query = query.where(rounds.c.revealed.is_(True))
            return [r.number for r in db.execute(query.order_by(rounds.c.number))]

    # --- the room fills the gaps ("name what is missing") --------------------------------------

    @_unavailable(NOT_CHANGED)
    def open_gaps(self, code: str, key: str, round_number: int | None = None) -> None:
        """Let participants propose what the source misses, in the current round (voting is unaffected)."""
        self._set_gaps(code, key, True, round_number)

    @_unavailable(NOT_CHANGED)
    def close_gaps(self, code: str, key: str, round_number: int | None = None) -> None:
        """Stop taking proposals; those already in stay on the board for a decision."""
        self._set_gaps(code, key, False, round_number)

    def _cells_of(self, room: Room) -> Model:
        """The current round's model, whose cells a proposal may name."""
        snapshot = self._snapshot(room.code, room.round)
        if snapshot is None:
            raise RoomError("This round has no model of its own (it predates version 2): start a new round first.")
        return snapshot.only(factor_ids=room.factor_ids)

    def _set_gaps(self, code: str, key: str, value: bool, round_number: int | None) -> None:
        with self._writing() as db:
            _, round_row = self._control(db, code, key, round_number)
            db.execute(rounds.update().where(rounds.c.id == round_row.id).values(gaps_open=value))

    @_unavailable(NOT_SAVED.replace("your vote", "your proposal"))
    def propose(
        self,
        code: str,
        token: str,
        proposal: dict,
        round_number: int | None = None,
        device: str | None = None,
        address: str | None = None,
    ) -> int:
        """Store a participant's proposal: {placement, factor, kind, text, score}; returns its id.

        Untrusted input: the sentence is cleaned and limited (settings.MAX_PROPOSAL), the cell must be one
        of the round's model, the score a risk's (below 0) or a benefit's (above 0); proposals are
        rate-limited like votes and capped per participant and round (settings.MAX_PROPOSALS). Refused
        unless the facilitator has "name what is missing" open in the round the form was drawn for.
        """
        text = proposal.get("text")
        if problems := nul_problem("sentence", "sentence", text if isinstance(text, str) else ""):
            raise InputError(problems)
        text = " ".join(clean_text(text if isinstance(text, str) else "").split())
        placement, factor, kind, score = (proposal.get(k) for k in ("placement", "factor", "kind", "score"))
        address = (address or "").replace("\x00", "") or None
        with self._writing() as db:
            room = self._room(db, code)
            person = self._acting_participant(db, room.code, token, device)
            room_id = self._lock_current_round(db, room.code).room_id
            room = self._room(db, room.code)
            if room.closed:
                raise RoomError("This room is closed, so your proposal was not recorded.")
            if not room.gaps_open or (round_number is not None and round_number != room.round):
                raise RoomError("The facilitator is not taking proposals now, so yours was not recorded.")
            model = self._cells_of(room)
            if problems := proposal_problems(model, str(placement), str(factor), str(kind), text, score):
                raise InputError(problems)
            made = db.execute(
                sa.select(sa.func.count())
                .select_from(proposals)
                .where(proposals.c.participant_id == person.id, proposals.c.round == room.round)
            ).scalar()
            if made >= settings.MAX_PROPOSALS:
                raise RoomError(
                    f"You have made {settings.MAX_PROPOSALS} proposals in this round, the most one person can."
                )
            check_rate(db, room_id, "propose", address, person.id)
            return db.execute(
                proposals.insert().values(
                    room_id=room_id,
                    round=room.round,
                    participant_id=person.id,
                    placement=placement,
                    factor=factor,
                    kind=kind,
                    text=text,
                    score=score,
                    created_at=domain.now(),
                )
            ).inserted_primary_key[0]

    @_unavailable(NOT_ANSWERING)
    def proposals(self, code: str, key: str) -> list[Proposal]:
        """Every proposal of the room, for the facilitator's board (oldest first), decided or not."""
        with self.engine.connect() as db:
            room_id = self._authorised(db, code, key).room_id
            rows = db.execute(
                sa.select(proposals)
                .join(participants, participants.c.id == proposals.c.participant_id)
                .where(proposals.c.room_id == room_id, present())
                .order_by(proposals.c.id)
            ).all()
        return [_proposal(r) for r in rows]

    @_unavailable(NOT_ANSWERING)
    def own_proposals(self, code: str, token: str) -> list[Proposal]:
        """A participant's own proposals in the room, oldest first."""
        with self.engine.connect() as db:
            person = self._participant(db, code, token)
            if person is None:
                return []
            rows = db.execute(
                sa.select(proposals).where(proposals.c.participant_id == person.id).order_by(proposals.c.id)
            ).all()
        return [_proposal(r) for r in rows]

    @_unavailable(NOT_CHANGED)
    def decide(
        self, code: str, key: str, proposal_ids: list[int], action: str, text: str = "", score: int = 0
    ) -> Decision:
        """The facilitator accepts (as proposed), edits (accepts their own text or score) or rejects a group of
        undecided proposals of one cell and kind, named by id (the ones the board showed: one raised since
        waits for its own decision). Accepted and edited ones become the room's cells."""
        if problems := nul_problem("sentence", "sentence", text):
            raise InputError(problems)
        text = " ".join(clean_text(text or "").split())
        if action not in ACTIONS:
            raise InputError([Problem("decision", f"unknown decision '{action}'", f"use one of {', '.join(ACTIONS)}")])
        with self._writing() as db:
            room, round_row = self._control(db, code, key)
            room_id = round_row.room_id
            rows = db.execute(
                sa.select(proposals).where(
                    proposals.c.room_id == room_id,
                    proposals.c.id.in_([int(i) for i in proposal_ids]),
                    proposals.c.decision_id.is_(None),
                )
            ).all()
            cells = {(r.placement, r.factor, r.kind) for r in rows}
            if not rows or len(rows) != len(set(proposal_ids)) or len(cells) != 1:
                raise RoomError(
                    "Those proposals were decided already or are not one cell's: the board shows them again."
                )
            placement, factor, kind = cells.pop()
            if action == "rejected":
                text, score = rows[0].text, rows[0].score
            else:
                model = self._cells_of(room)
                if problems := proposal_problems(model, placement, factor, kind, text, score):
                    raise InputError(problems)
            decision = {
                "room_id": room_id,
                "round": min(r.round for r in rows),
                "placement": placement,
                "factor": factor,
                "kind": kind,
                "action": action,
                "text": text,
                "score": score,
                "people": len({r.participant_id for r in rows}),
            }
            decision_id = db.execute(
                decisions.insert().values(**decision, decided_at=domain.now())
            ).inserted_primary_key[0]
            db.execute(
                proposals.update().where(proposals.c.id.in_([r.id for r in rows])).values(decision_id=decision_id)
            )
        return _decision({**decision, "id": decision_id})

    @_unavailable(NOT_ANSWERING)
    def decisions(self, code: str, key: str) -> list[Decision]:
        """The facilitator's decisions in this room, oldest first (rejected ones too)."""
        with self.engine.connect() as db:
            room = self._authorised(db, code, key).room
            return self._decisions(db, room.code, accepted_only=False)

    @_unavailable(NOT_ANSWERING)
    def room_cells(self, code: str) -> list[Decision]:
        """The accepted and edited decisions, oldest first: the cells the room added to its model (public to
        the room, like the ranking they change)."""
        with self.engine.connect() as db:
            return self._decisions(db, clean_code(code), accepted_only=True)

    def _decisions(self, db, code: str, accepted_only: bool) -> list[Decision]:
        query = (
            sa.select(decisions)
            .join(rooms, decisions.c.room_id == rooms.c.id)
            .where(rooms.c.code == code)
            .order_by(decisions.c.id)
        )
        if accepted_only:
            query = query.where(decisions.c.action != "rejected")
        return [_decision(r._mapping) for r in db.execute(query)]

    # --- the room's model ---------------------------------------------------------------------

    @_unavailable(NOT_ANSWERING)
    def round_model(self, code: str, number: int, fallback: Model) -> Model:
        """The model a round is scored with, restricted to the room's factors: its snapshot, or
        `fallback` for a round saved before rounds kept one (schema version 1), with the room's accepted
        cells raised in that round or before (so accepting one updates the round's ranking at once)."""
        room, cells = self._room_and_cells(code, number)
        return self._round_model(room, cells, number, fallback)

    @_unavailable(NOT_ANSWERING)
    def model_note(self, code: str, number: int, baseline: Model) -> str:
        """How a round's model differs from the source `baseline`, in a few words for the board:
        "the source baseline", or e.g. "edited: 2 cells changed, 1 cell from the room, Hybrid placement added"."""
        room, cells = self._room_and_cells(code, number)
        if self._snapshot(room.code, number) is None and not cells:
            return "the source baseline"
        return describe_model(self._round_model(room, cells, number, baseline), baseline)

    def _room_and_cells(self, code: str, number: int) -> tuple[Room, list[Decision]]:
        """The room and its accepted cells raised in round `number` or before: two queries, one connection."""
        with self.engine.connect() as db:
            room = self._room(db, code)
            return room, [d for d in self._decisions(db, room.code, accepted_only=True) if d.round <= number]

    def _round_model(self, room: Room, cells: list[Decision], number: int, fallback: Model) -> Model:
        return with_room_cells((self._snapshot(room.code, number) or fallback).only(factor_ids=room.factor_ids), cells)

    def _snapshot(self, code: str, number: int) -> Model | None:
        """A round's parsed snapshot (None for a version 1 round), parsed once: snapshots never change."""
        key = (clean_code(code), number)

        def read() -> str | None:
            with self.engine.connect() as db:
                return self._round(db, key[0], number).model

        return self._models.parsed(key, read)

    # --- anyone -------------------------------------------------------------------------------

    @_unavailable(NOT_ANSWERING)
    def room(self, code: str) -> Room:
        with self.engine.connect() as db:
            return self._room(db, code)

    @_unavailable(NOT_ANSWERING)
    def counts(self, code: str) -> tuple[int, int]:
        """(participants who joined, participants with a vote in the current round)."""
        with self.engine.connect() as db:
            located = self._located(db, code)
            joined = db.execute(
                sa.select(sa.func.count())
                .select_from(participants)
                .where(participants.c.room_id == located.room_id, present())
            ).scalar()
            submitted = db.execute(
                sa.select(sa.func.count()).select_from(votes).where(votes.c.round_id == located.round_id)
            ).scalar()
        return joined, submitted

    @_unavailable(NOT_JOINED)
    def join(
        self, code: str, name: str = "", device: str | None = None, passcode: str = "", address: str | None = None
    ) -> str:
        """Add a participant to an open room; returns their private token.

        A browser joins once: with the `device` id of a participant already in the room, their token
        is returned (no second participant). Refused for a removed participant, a missing name when
        the room requires names, a wrong passcode, a full room and too many joins in a minute. Wrong passcodes
        are counted, and limited per room and per `address` (settings.FAILURE_LIMITS["passcode"]).
        """
        if problems := nul_problem("name", "name", name):
            raise InputError(problems)
        name = " ".join(clean_text(name or "").split())[: settings.MAX_PARTICIPANT_NAME].strip()
        device = (device or "").replace("\x00", "")[:64] or None
        address = (address or "").replace("\x00", "") or None
        with self._writing() as db:
            room = self._room(db, code)
            if room.closed:
                raise RoomError("This room is closed.")
            room_id = self._lock_current_round(db, room.code).room_id  # one join at a time per room (PostgreSQL)
            if device:
                known = db.execute(
                    sa.select(participants).where(participants.c.room_id == room_id, participants.c.device == device)
                ).first()
                if known is not None and known.removed:
                    raise RoomError(REMOVED)
                if known is not None:
                    return known.token
            if room.require_names and not name:
                raise RoomError("This room asks everyone for their name: enter it to join.")
            stored = db.execute(sa.select(rooms.c.passcode_hash).where(rooms.c.id == room_id)).scalar()
            if stored is not None:
                refuse_over_limit(db, room_id, "passcode", address)
                if not hmac.compare_digest(stored, _hash((passcode or "").strip())):
                    count(db, room_id, "passcode", address)
                    raise CountedRefusal("The passcode does not match: ask the facilitator for it.")
            joined = db.execute(
                sa.select(sa.func.count()).select_from(participants).where(participants.c.room_id == room_id, present())
            ).scalar()
            if joined >= settings.MAX_PARTICIPANTS:
                raise RoomError(f"This room is full ({settings.MAX_PARTICIPANTS} participants): ask the facilitator.")
            check_rate(db, room_id, "join", address)
            token = secrets.token_urlsafe(18)
            db.execute(
                participants.insert().values(
                    room_id=room_id, token=token, name=name or "Anonymous", joined_at=domain.now(), device=device
                )
            )
        return token

    @_unavailable(NOT_ANSWERING)
    def participant_name(self, code: str, token: str, device: str | None = None) -> str | None:
        """The participant's name, or None: unknown token, removed, or (with `device`) another browser's link."""
        with self.engine.connect() as db:
            row = self._participant(db, code, token)
        if row is None or row.removed or (device is not None and row.device not in (None, device)):
            return None
        return row.name

    @_unavailable(NOT_ANSWERING)
    def device_token(self, code: str, device: str | None) -> str | None:
        """The token of the participant who joined the room from this browser, if any (and not removed)."""
        if not device or "\x00" in device:
            return None
        with self.engine.connect() as db:
            room_id = db.execute(sa.select(rooms.c.id).where(rooms.c.code == clean_code(code))).scalar()
            return db.execute(
                sa.select(participants.c.token).where(
                    participants.c.room_id == room_id, participants.c.device == device[:64], present()
                )
            ).scalar()

    @_unavailable(NOT_ANSWERING)
    def participants(self, code: str, key: str) -> list[Participant]:
        """The room's participants for the facilitator: name, whether they voted this round, duplicate names."""
        with self.engine.connect() as db:
            located = self._authorised(db, code, key)
            voted = (votes.c.participant_id == participants.c.id) & (votes.c.round_id == located.round_id)
            rows = db.execute(
                sa.select(participants.c.id, participants.c.name, votes.c.id.label("vote"))
                .outerjoin(votes, voted)
                .where(participants.c.room_id == located.room_id, present())
                .order_by(participants.c.id)
            ).all()
        names = [r.name.casefold() for r in rows]
        return [Participant(r.id, r.name, r.vote is not None, names.count(r.name.casefold()) > 1) for r in rows]

    @_unavailable(NOT_CHANGED)
    def remove_participant(self, code: str, key: str, participant_id: int) -> str:
        """Remove a participant: their vote in the current round and their undecided proposals leave, and they
        cannot vote again.

        Returns what happened, for the board: "Ana removed; 11 votes"."""
        with self._writing() as db:
            located = self._authorised(db, code, key)
            round_row = self._lock_current_round(db, located.room.code)
            person = db.execute(
                sa.select(participants).where(
                    participants.c.id == participant_id, participants.c.room_id == located.room_id
                )
            ).first()
            if person is None or person.removed:
                raise RoomError("That participant is not in the room (any more).")
            db.execute(participants.update().where(participants.c.id == person.id).values(removed=True))
            db.execute(votes.delete().where(votes.c.round_id == round_row.id, votes.c.participant_id == person.id))
            db.execute(  # their undecided proposals leave the board too
                proposals.delete().where(proposals.c.participant_id == person.id, proposals.c.decision_id.is_(None))
            )
            left = db.execute(
                sa.select(sa.func.count()).select_from(votes).where(votes.c.round_id == round_row.id)
            ).scalar()
        return f"{person.name} removed; {left} vote{'s' if left != 1 else ''}"

    # --- housekeeping -------------------------------------------------------------------------

    @_unavailable(NOT_CHANGED)
    def delete_room(self, code: str, key: str) -> None:
        """Delete the room with its rounds, participants and votes (the facilitator, confirmed on the board)."""
        with self._writing() as db:
            located = self._authorised(db, code, key)
            _delete_rooms(db, [located.room_id])
        self._forget_models(located.room.code)

    @_unavailable(NOT_CHANGED)
    def purge(self, older_than_days: float = settings.ROOM_DAYS, now: datetime | None = None) -> list[str]:
        """Delete every room created more than `older_than_days` ago, with its votes; returns their codes."""
        cutoff = (now or domain.now()) - timedelta(days=older_than_days)
        with self._writing() as db:
            old = db.execute(sa.select(rooms.c.id, rooms.c.code).where(rooms.c.created_at < cutoff)).all()
            _delete_rooms(db, [r.id for r in old])
        for row in old:
            self._forget_models(row.code)
        return [r.code for r in old]

    @_unavailable(NOT_ANSWERING)
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

    @_unavailable(NOT_CHANGED)
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

    @_unavailable(NOT_SAVED)
    def submit(
        self,
        code: str,
        token: str,
        values: dict[str, float],
        comment: str = "",
        round_number: int | None = None,
        device: str | None = None,
        address: str | None = None,
    ) -> int:
        """Record or replace the participant's vote (see _submit); a database failure is a RoomError
        (RoomUnavailable) saying the vote was not saved, never a confirmation."""
        return self._submit(code, token, values, comment, round_number, device, address)

    def _submit(
        self,
        code: str,
        token: str,
        values: dict[str, float],
        comment: str,
        round_number: int | None,
        device: str | None,
        address: str | None,
    ) -> int:
        """Record or replace the participant's vote in the current round; returns its revision.

        `round_number` is the round the participant voted in (the one their form showed): if it is
        no longer the current round, the vote is refused with RoundEnded rather than filed elsewhere.
        The state is checked in the transaction that writes, after any lock or new round committed.
        """
        if problems := nul_problem("comment", "comment", comment):
            raise InputError(problems)
        comment = clean_text(comment or "").strip()  # a comment cannot forge a second "Name: comment" line
        address = (address or "").replace("\x00", "") or None
        with self._writing() as db:
            room = self._room(db, code)
            person = self._acting_participant(db, room.code, token, device)
            round_row = self._lock_current_round(db, room.code)
            room = self._room(db, room.code)  # as it is now that no other writer can change it
            if round_number is not None and round_number != room.round:
                raise round_ended(round_number, room)
            if room.closed:
                raise RoomError("This room is closed, so your vote was not counted; your earlier vote, if any, stands.")
            if round_row.locked:
                raise RoomError("Voting is locked: your earlier vote, if any, stands.")
            check_values(values, room)
            check_rate(db, round_row.room_id, "vote", address, person.id)
            if len(comment) > settings.MAX_COMMENT:
                raise InputError(
                    [
                        Problem(
                            "comment",
                            f"the comment is {len(comment)} characters",
                            f"shorten it to {settings.MAX_COMMENT}",
                        )
                    ]
                )
            insert = (postgresql.insert if db.dialect.name == "postgresql" else sqlite.insert)(votes)
            statement = insert.values(
                round_id=round_row.id,
                participant_id=person.id,
                values=json.dumps(values),
                comment=comment,
                revision=1,
                submitted_at=domain.now(),
            )
            statement = statement.on_conflict_do_update(
                index_elements=["round_id", "participant_id"],
                set_={
                    "values": statement.excluded["values"],
                    "comment": statement.excluded.comment,
                    "revision": votes.c.revision + 1,
                    "submitted_at": statement.excluded.submitted_at,
                },
            ).returning(votes.c.revision)
            return db.execute(statement).scalar_one()

    @_unavailable(NOT_ANSWERING)
    def own_vote(self, code: str, token: str) -> Vote | None:
        with self.engine.connect() as db:
            room = self._room(db, code)
            person = self._participant(db, room.code, token)
            if person is None:
                return None
            row = db.execute(
                sa.select(votes.c["values"], votes.c.comment, votes.c.revision).where(
                    votes.c.round_id == self._round(db, room.code, room.round).id, votes.c.participant_id == person.id
                )
            ).first()
        return Vote(person.name, json.loads(row[0]), row.comment, row.revision) if row else None

    # --- internals ----------------------------------------------------------------------------

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
        if not hmac.compare_digest(located.key_hash, _hash(key or "")):
            raise RoomError("Only the facilitator can do this: the facilitator key does not match.")
        return located

    def _round_state(self, db, located: _Located, number: int) -> tuple[int, bool]:
        """(id, revealed) of the room's round `number`: the latest round's came with the room, others are read."""
        if number == located.room.round:
            return located.round_id, located.room.revealed
        row = self._round(db, located.room.code, number)
        return row.id, row.revealed


def _proposal(row) -> Proposal:
    return Proposal(
        row.id,
        row.round,
        row.participant_id,
        row.placement,
        row.factor,
        row.kind,
        row.text,
        row.score,
        utc(row.created_at),
        row.decision_id is not None,
    )


def _decision(values) -> Decision:
    fields = ("id", "round", "placement", "factor", "kind", "action", "text", "score", "people")
    return Decision(*(values[k] for k in fields))


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
