"""The participants' side of the store: joining a room, who is in it, and a participant's vote."""

from __future__ import annotations

import hmac
import json
import secrets
from collections.abc import Callable

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from placement import settings
from placement.data.problems import InputError, Problem
from placement.data.text import clean_text
from placement.workshop import domain
from placement.workshop.domain import (
    NOT_ANSWERING,
    NOT_CHANGED,
    NOT_JOINED,
    NOT_SAVED,
    REMOVED,
    CountedRefusal,
    Participant,
    Pulse,
    Room,
    RoomError,
    Vote,
    clean_code,
    round_ended,
)
from placement.workshop.limits import check_rate, count, refuse_over_limit
from placement.workshop.rules import check_values, nul_problem
from placement.workshop.schema import participants, present, proposals, rooms, votes
from placement.workshop.transactions import Transactions, counts_of, round_revision_of, secret_hash, unavailable


class Participation(Transactions):
    """Anyone's reads of a room, joining, the facilitator's list of participants, and voting."""

    @unavailable(NOT_ANSWERING)
    def room(self, code: str) -> Room:
        with self.engine.connect() as db:
            return self._room(db, code)

    @unavailable(NOT_ANSWERING)
    def counts(self, code: str) -> tuple[int, int]:
        """(participants who joined, participants with a vote in the current round)."""
        with self.engine.connect() as db:
            return counts_of(db, self._located(db, code))

    @unavailable(NOT_ANSWERING)
    def pulse(self, code: str) -> Pulse:
        """What a live page compares to learn whether the room moved on: its state and its counts, in one
        connection (live pages share one read per room and interval: see placement.workshop.live)."""
        with self.engine.connect() as db:
            located = self._located(db, code)
            joined, submitted = counts_of(db, located)
            proposed = db.execute(
                sa.select(sa.func.count())
                .select_from(proposals)
                .join(participants, participants.c.id == proposals.c.participant_id)
                .where(proposals.c.room_id == located.room_id, present())
            ).scalar()
            results = round_revision_of(db, located.room_id, located.round_id) if located.room.revealed else ()
        return Pulse(located.room, joined, submitted, proposed, results)

    @unavailable(NOT_ANSWERING)
    def count_votes(self, code: str, key: str, counted: Callable[[dict], bool]) -> int:
        """How many of the current round's votes `counted` accepts: for the facilitator, hidden votes too.
        Only the number leaves the store, never a vote or a name, so the round stays secret until the reveal."""
        with self.engine.connect() as db:
            located = self._authorised(db, code, key)
            stored = db.execute(sa.select(votes.c["values"]).where(votes.c.round_id == located.round_id)).scalars()
            return sum(bool(counted(json.loads(values))) for values in stored)

    @unavailable(NOT_JOINED)
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
                if not hmac.compare_digest(stored, secret_hash((passcode or "").strip())):
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

    @unavailable(NOT_ANSWERING)
    def participant_name(self, code: str, token: str, device: str | None = None) -> str | None:
        """The participant's name, or None: unknown token, removed, or (with `device`) another browser's link."""
        with self.engine.connect() as db:
            row = self._participant(db, code, token)
        if row is None or row.removed or (device is not None and row.device not in (None, device)):
            return None
        return row.name

    @unavailable(NOT_ANSWERING)
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

    @unavailable(NOT_ANSWERING)
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

    @unavailable(NOT_CHANGED)
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

    @unavailable(NOT_SAVED)
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

    @unavailable(NOT_ANSWERING)
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
