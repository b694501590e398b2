"""Workshop rooms in a real database (SQLAlchemy Core): rooms, rounds, participants, votes.

The store is the only place that decides who may do what: every facilitator action
checks the room's key (stored as a SHA-256 hash, compared in constant time), and a
round's votes are readable without the key only once the facilitator revealed them.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import math
import os
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from placement import settings
from placement.data.problems import InputError, Problem

DEFAULT_SQLITE_PATH = Path(__file__).resolve().parents[2] / "var" / "rooms.db"
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: easy to read off a projector
CODE_LENGTH = 8  # 31^8, about 8.5e11 codes
METHODS = tuple(settings.WEIGHT_METHODS)  # "sliders", "rank": one list, labelled in settings
SCHEMA_VERSION = 1

metadata = sa.MetaData()
schema_version = sa.Table("schema_version", metadata, sa.Column("version", sa.Integer, nullable=False))
rooms = sa.Table(
    "rooms",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("code", sa.String(16), nullable=False, unique=True),
    sa.Column("title", sa.String(settings.MAX_ROOM_TITLE), nullable=False),
    sa.Column("factors", sa.Text, nullable=False),  # JSON: [{id, name, definition}]
    sa.Column("method", sa.String(16), nullable=False),
    sa.Column("key_hash", sa.String(64), nullable=False),
    sa.Column("closed", sa.Boolean, nullable=False, default=False),
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
)
rounds = sa.Table(
    "rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("revealed", sa.Boolean, nullable=False, default=False),
    sa.Column("locked", sa.Boolean, nullable=False, default=False),
    sa.UniqueConstraint("room_id", "number"),
)
participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("token", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(settings.MAX_PARTICIPANT_NAME), nullable=False),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
)
votes = sa.Table(
    "votes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("round_id", sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("participant_id", sa.ForeignKey("participants.id"), nullable=False),
    sa.Column("values", sa.Text, nullable=False),  # JSON: {factor: slider 0-10 or rank}
    sa.Column("comment", sa.String(settings.MAX_COMMENT), nullable=False, default=""),
    sa.Column("revision", sa.Integer, nullable=False, default=1),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("round_id", "participant_id"),  # one current vote per participant per round
)


class RoomError(Exception):
    """A room action that cannot be done, with a message meant for people."""


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

    @property
    def factor_ids(self) -> list[str]:
        return [f["id"] for f in self.factors]

    @property
    def status(self) -> str:
        """The state of voting, worded for the board: closed, locked or open."""
        return "closed" if self.closed else "locked" if self.locked else "open"


@dataclass(frozen=True)
class Vote:
    participant: str  # display name
    values: dict[str, float]
    comment: str
    revision: int


def database_url(environ=os.environ) -> str:
    """PLACEMENT_DATABASE_URL (e.g. PostgreSQL), else a SQLite file at PLACEMENT_DB_PATH or var/rooms.db."""
    if environ.get("PLACEMENT_DATABASE_URL"):
        return environ["PLACEMENT_DATABASE_URL"]
    path = Path(environ.get("PLACEMENT_DB_PATH", DEFAULT_SQLITE_PATH))
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def clean_code(code: str | None) -> str:
    """A room code as typed or read off a screen: spaces dropped, upper case ("ab c1" -> "ABC1")."""
    return "".join((code or "").split()).upper()


def join_url(page_url: str, join_path: str, code: str) -> str:
    """The link to the page at `join_path` for a room, next to the page at `page_url` (same host and prefix).

    The caller names the join page's path (the page registry knows it); the store knows no pages.
    """
    parts = urlsplit(page_url)
    folder = parts.path.rstrip("/").rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    return urlunsplit((parts.scheme, parts.netloc, f"{folder}/{join_path.strip('/')}", f"room={clean_code(code)}", ""))


def _now() -> datetime:
    return datetime.now(UTC)


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class RoomStore:
    def __init__(self, engine: sa.Engine):
        self.engine = engine
        if engine.dialect.name == "sqlite":
            sa.event.listen(engine, "connect", _sqlite_pragmas)
        self.migrate()

    def migrate(self) -> None:
        """Create the schema, or upgrade it to SCHEMA_VERSION, at start-up."""
        with self.engine.begin() as db:
            if db.dialect.name == "sqlite":
                db.exec_driver_sql("PRAGMA journal_mode=WAL")
            metadata.create_all(db, checkfirst=True)
            current = db.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
            if current is None:
                db.execute(schema_version.insert().values(version=SCHEMA_VERSION))
            elif current > SCHEMA_VERSION:
                raise RoomError(
                    f"The database schema is version {current}, newer than this app ({SCHEMA_VERSION}); update the app."
                )

    # --- facilitator -------------------------------------------------------------------------

    def create_room(self, title: str, factors: list[dict], method: str) -> tuple[str, str]:
        """A new open room; returns (room code, facilitator key). The key is shown once."""
        title = title.strip()
        problems = []
        if not title or len(title) > settings.MAX_ROOM_TITLE:
            problems.append(
                Problem(
                    "title",
                    "a room needs a title" if not title else f"the title is {len(title)} characters",
                    f"enter 1 to {settings.MAX_ROOM_TITLE} characters",
                )
            )
        ids = [f.get("id") for f in factors]
        if len(set(ids)) != len(ids):
            problems.append(Problem("factors", "a factor is listed twice", "list each factor once"))
        if len(factors) < 2:
            problems.append(Problem("factors", "a room needs at least two factors to weigh", "choose two or more"))
        if method not in METHODS:
            problems.append(Problem("method", f"unknown method '{method}'", f"use one of {', '.join(METHODS)}"))
        if problems:
            raise InputError(problems)
        key = secrets.token_urlsafe(18)
        with self.engine.begin() as db:
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
                    created_at=_now(),
                )
            ).inserted_primary_key[0]
            db.execute(rounds.insert().values(room_id=room_id, number=1, revealed=False, locked=False))
        return code, key

    def check_key(self, code: str, key: str) -> bool:
        with self.engine.connect() as db:
            row = db.execute(sa.select(rooms.c.key_hash).where(rooms.c.code == clean_code(code))).first()
        return row is not None and hmac.compare_digest(row.key_hash, _hash(key or ""))

    def facilitated_code(self, code: str, key: str) -> str:
        """The room's code, cleaned, for a facilitator who gave its key; a RoomError otherwise.

        One message for an unknown code and a wrong key: it does not tell which rooms exist.
        """
        if not self.check_key(code, key):
            raise RoomError(
                "That code and key do not match a room. Check both; the key was shown when the room was created."
            )
        return clean_code(code)

    def reveal(self, code: str, key: str) -> None:
        self._set_round(code, key, revealed=True)

    def lock(self, code: str, key: str) -> None:
        self._set_round(code, key, locked=True)

    def unlock(self, code: str, key: str) -> None:
        self._set_round(code, key, locked=False)

    def new_round(self, code: str, key: str) -> int:
        """Start a fresh, hidden round; earlier rounds and their votes are kept.

        Two facilitator screens clicking at once start one round, not two: the loser of
        the race finds the winner's round (the unique constraint settles it).
        """
        try:
            with self.engine.begin() as db:
                room = self._authorised(db, code, key)
                number = room.round + 1
                values = {"room_id": self._room_id(db, room.code), "number": number, "revealed": False, "locked": False}
                db.execute(rounds.insert().values(**values))
        except sa.exc.IntegrityError:
            return self.room(code).round
        return number

    def close(self, code: str, key: str) -> None:
        with self.engine.begin() as db:
            room = self._authorised(db, code, key)
            db.execute(rooms.update().where(rooms.c.code == room.code).values(closed=True))

    def votes(self, code: str, key: str | None = None, number: int | None = None) -> list[Vote]:
        """A round's current votes: for the facilitator always, for others only once revealed."""
        with self.engine.connect() as db:
            room = self._room(db, code)
            number = room.round if number is None else number
            round_row = self._round(db, room.code, number)
            if not round_row.revealed and not self._key_ok(db, room.code, key):
                raise RoomError("The votes of this round are hidden until the facilitator reveals them.")
            rows = db.execute(
                sa.select(participants.c.name, votes.c["values"], votes.c.comment, votes.c.revision)
                .join(participants, participants.c.id == votes.c.participant_id)
                .where(votes.c.round_id == round_row.id)
                .order_by(votes.c.id)
            ).all()
        return [Vote(r.name, json.loads(r[1]), r.comment, r.revision) for r in rows]

    def round_numbers(self, code: str) -> list[int]:
        with self.engine.connect() as db:
            room = self._room(db, code)
            return [
                r.number
                for r in db.execute(
                    sa.select(rounds.c.number)
                    .where(rounds.c.room_id == self._room_id(db, room.code))
                    .order_by(rounds.c.number)
                )
            ]

    # --- anyone -------------------------------------------------------------------------------

    def room(self, code: str) -> Room:
        with self.engine.connect() as db:
            return self._room(db, code)

    def counts(self, code: str) -> tuple[int, int]:
        """(participants who joined, participants with a vote in the current round)."""
        with self.engine.connect() as db:
            room = self._room(db, code)
            room_id = self._room_id(db, room.code)
            joined = db.execute(
                sa.select(sa.func.count()).select_from(participants).where(participants.c.room_id == room_id)
            ).scalar()
            round_id = self._round(db, room.code, room.round).id
            submitted = db.execute(
                sa.select(sa.func.count()).select_from(votes).where(votes.c.round_id == round_id)
            ).scalar()
        return joined, submitted

    def join(self, code: str, name: str = "") -> str:
        """Add a participant to an open room; returns their private token."""
        name = " ".join((name or "").split())[: settings.MAX_PARTICIPANT_NAME].strip() or "Anonymous"
        token = secrets.token_urlsafe(18)
        with self.engine.begin() as db:
            room = self._room(db, code)
            if room.closed:
                raise RoomError("This room is closed.")
            db.execute(
                participants.insert().values(
                    room_id=self._room_id(db, room.code), token=token, name=name, joined_at=_now()
                )
            )
        return token

    def participant_name(self, code: str, token: str) -> str | None:
        with self.engine.connect() as db:
            row = self._participant(db, code, token)
        return row.name if row else None

    def submit(self, code: str, token: str, values: dict[str, float], comment: str = "") -> int:
        """Record or replace the participant's vote in the current round; returns its revision."""
        comment = (comment or "").strip()
        with self.engine.begin() as db:
            room = self._room(db, code)
            person = self._participant(db, room.code, token)
            if person is None:
                raise RoomError(
                    "This link does not belong to a participant of the room. Join again from the room's link."
                )
            round_row = self._round(db, room.code, room.round)
            if room.closed or round_row.locked:
                raise RoomError("Voting is locked: your earlier vote, if any, stands.")
            _check_values(values, room)
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
                submitted_at=_now(),
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

    def _room(self, db, code: str) -> Room:
        row = db.execute(sa.select(rooms).where(rooms.c.code == clean_code(code))).first()
        if row is None:
            raise RoomError(
                f"There is no room with the code '{clean_code(code)[:16]}'. Check the code on the shared screen."
            )
        latest = db.execute(
            sa.select(rounds).where(rounds.c.room_id == row.id).order_by(rounds.c.number.desc()).limit(1)
        ).first()
        return Room(
            row.code,
            row.title,
            json.loads(row.factors),
            row.method,
            row.closed,
            latest.number,
            latest.revealed,
            latest.locked,
        )

    def _room_id(self, db, code: str) -> int:
        return db.execute(sa.select(rooms.c.id).where(rooms.c.code == code)).scalar_one()

    def _round(self, db, code: str, number: int):
        row = db.execute(
            sa.select(rounds).where(rounds.c.room_id == self._room_id(db, code), rounds.c.number == number)
        ).first()
        if row is None:
            raise RoomError(f"This room has no round {number}.")
        return row

    def _participant(self, db, code: str, token: str):
        """The participant with this token in this room, or None (also for an unknown room)."""
        room_id = db.execute(sa.select(rooms.c.id).where(rooms.c.code == clean_code(code))).scalar()
        if room_id is None:
            return None
        return db.execute(
            sa.select(participants).where(participants.c.token == (token or ""), participants.c.room_id == room_id)
        ).first()

    def _key_ok(self, db, code: str, key: str | None) -> bool:
        stored = db.execute(sa.select(rooms.c.key_hash).where(rooms.c.code == code)).scalar_one()
        return hmac.compare_digest(stored, _hash(key or ""))

    def _authorised(self, db, code: str, key: str) -> Room:
        room = self._room(db, code)
        if not self._key_ok(db, room.code, key):
            raise RoomError("Only the facilitator can do this: the facilitator key does not match.")
        return room

    def _set_round(self, code: str, key: str, **values) -> None:
        with self.engine.begin() as db:
            room = self._authorised(db, code, key)
            db.execute(
                rounds.update()
                .where(rounds.c.room_id == self._room_id(db, room.code), rounds.c.number == room.round)
                .values(**values)
            )


def _check_values(values: dict, room: Room) -> None:
    problems = []
    if set(values) != set(room.factor_ids):
        problems.append(
            Problem("vote", "the vote does not cover exactly the room's factors", "reload the page and vote again")
        )
    high = 10 if room.method == "sliders" else len(room.factor_ids)
    low = 0 if room.method == "sliders" else 1
    for factor, value in values.items():
        number = not isinstance(value, bool) and isinstance(value, int | float) and math.isfinite(value)
        whole = number and (room.method == "sliders" or float(value).is_integer())  # ranks are whole
        if not whole or not low <= value <= high:
            problems.append(
                Problem("vote", f"{value!r} for '{factor}' is not allowed", f"use a number from {low} to {high}")
            )
    if not problems and room.method == "sliders" and not any(values.values()):
        problems.append(Problem("vote", "every weight is 0", "give at least one factor a weight above 0"))
    if problems:
        raise InputError(problems)


def _sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers work while one writer writes; the busy timeout makes writers queue, not fail."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
