"""The room fills the source's gaps (schema version 4): while the facilitator has "name what is missing" open,
participants propose a risk or benefit for a cell; the facilitator's decision on a group of proposals is stored,
and the accepted ones become the room's cells (see placement.workshop.gaps), in each round's model."""

from __future__ import annotations

import sqlalchemy as sa

from placement import settings
from placement.data.model import Model
from placement.data.problems import InputError, Problem
from placement.data.text import clean_text
from placement.workshop import domain
from placement.workshop.domain import NOT_ANSWERING, NOT_CHANGED, NOT_SAVED, Room, RoomError, clean_code
from placement.workshop.gaps import ACTIONS, Decision, Proposal, proposal_problems, with_room_cells
from placement.workshop.limits import check_rate
from placement.workshop.rules import nul_problem
from placement.workshop.schema import decisions, participants, present, proposals, rooms, rounds, utc
from placement.workshop.snapshots import describe_model
from placement.workshop.transactions import Transactions, unavailable


class Proposing(Transactions):
    """Proposals, the facilitator's decisions on them, and the model each round is scored with."""

    @unavailable(NOT_CHANGED)
    def open_gaps(self, code: str, key: str, round_number: int | None = None) -> None:
        """Let participants propose what the source misses, in the current round (voting is unaffected)."""
        self._set_gaps(code, key, True, round_number)

    @unavailable(NOT_CHANGED)
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

    @unavailable(NOT_SAVED.replace("your vote", "your proposal"))
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

    @unavailable(NOT_ANSWERING)
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

    @unavailable(NOT_ANSWERING)
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

    @unavailable(NOT_CHANGED)
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

    @unavailable(NOT_ANSWERING)
    def decisions(self, code: str, key: str) -> list[Decision]:
        """The facilitator's decisions in this room, oldest first (rejected ones too)."""
        with self.engine.connect() as db:
            room = self._authorised(db, code, key).room
            return self._decisions(db, room.code, accepted_only=False)

    @unavailable(NOT_ANSWERING)
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

    @unavailable(NOT_ANSWERING)
    def round_model(self, code: str, number: int, fallback: Model) -> Model:
        """The model a round is scored with, restricted to the room's factors: its snapshot, or
        `fallback` for a round saved before rounds kept one (schema version 1), with the room's accepted
        cells raised in that round or before (so accepting one updates the round's ranking at once)."""
        room, cells = self._room_and_cells(code, number)
        return self._round_model(room, cells, number, fallback)

    @unavailable(NOT_ANSWERING)
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
