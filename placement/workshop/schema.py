"""The workshop's tables (SQLAlchemy Core), their versions and the upgrades between them, and the database URL.

Version 1 -> 2 adds nullable columns (rooms.closed_at, rounds.model) with ALTER TABLE; later versions add
nullable columns the same way, and new tables (version 4: proposals, decisions), so an older database is
upgraded in place at start-up and keeps its rooms.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from placement import settings
from placement.workshop.domain import RoomError

DEFAULT_SQLITE_PATH = Path(__file__).resolve().parents[2] / "var" / "rooms.db"
SCHEMA_VERSION = 5  # 2: each round's model snapshot (rounds.model), rooms.closed_at; 3: devices, limits;
# 4: proposals and decisions ("name what is missing"), rounds.gaps_open; 5: events.participant_id, wrong secrets
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
    sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),  # version 2
    sa.Column("require_names", sa.Boolean, nullable=True),  # version 3: no anonymous joins
    sa.Column("passcode_hash", sa.String(64), nullable=True),  # version 3: a passcode to join, if set
)
rounds = sa.Table(
    "rounds",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("number", sa.Integer, nullable=False),
    sa.Column("revealed", sa.Boolean, nullable=False, default=False),
    sa.Column("locked", sa.Boolean, nullable=False, default=False),
    sa.Column("model", sa.Text, nullable=True),  # version 2: the model file the round is scored with
    sa.Column("gaps_open", sa.Boolean, nullable=True),  # version 4: "name what is missing" is open
    sa.UniqueConstraint("room_id", "number"),
)
ADDED_IN_2 = [(rooms, "closed_at"), (rounds, "model")]
participants = sa.Table(
    "participants",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("token", sa.String(64), nullable=False, unique=True),
    sa.Column("name", sa.String(settings.MAX_PARTICIPANT_NAME), nullable=False),
    sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("device", sa.String(64), nullable=True),  # version 3: the browser they joined from
    sa.Column("removed", sa.Boolean, nullable=True),  # version 3: removed by the facilitator
)
ADDED_IN_3 = [(rooms, "require_names"), (rooms, "passcode_hash"), (participants, "device"), (participants, "removed")]
events = sa.Table(  # version 3: what the limits count, per time window (see "limits" below)
    "events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),  # a key of settings.RATE_LIMITS or settings.FAILURE_LIMITS
    sa.Column("address", sa.String(64), nullable=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("participant_id", sa.Integer, nullable=True),  # version 5: whose vote or proposal it was
)
RECENT_EVENTS = sa.Index("events_recent", events.c.room_id, events.c.kind, events.c.at)  # version 5
votes = sa.Table(
    "votes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("round_id", sa.ForeignKey("rounds.id"), nullable=False),
    sa.Column("participant_id", sa.ForeignKey("participants.id"), nullable=False),
    sa.Column("values", sa.Text, nullable=False),  # JSON: {factor: slider 0-10 or rank} or {"a|b": judgement}
    sa.Column("comment", sa.String(settings.MAX_COMMENT), nullable=False, default=""),
    sa.Column("revision", sa.Integer, nullable=False, default=1),
    sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
    sa.UniqueConstraint("round_id", "participant_id"),  # one current vote per participant per round
)
decisions = sa.Table(  # version 4: the facilitator's decision on a group of proposals (one cell and kind)
    "decisions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),  # the earliest round the group was raised in
    sa.Column("placement", sa.String(40), nullable=False),
    sa.Column("factor", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),  # risk | benefit
    sa.Column("action", sa.String(8), nullable=False),  # accepted | edited | rejected
    sa.Column("text", sa.String(settings.MAX_PROPOSAL), nullable=False),  # the final sentence
    sa.Column("score", sa.Integer, nullable=False),  # the final score
    sa.Column("people", sa.Integer, nullable=False),  # distinct participants who raised it
    sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
)
proposals = sa.Table(  # version 4: a participant's proposed risk or benefit for one cell
    "proposals",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("participant_id", sa.ForeignKey("participants.id"), nullable=False),
    sa.Column("placement", sa.String(40), nullable=False),
    sa.Column("factor", sa.String(40), nullable=False),
    sa.Column("kind", sa.String(8), nullable=False),
    sa.Column("text", sa.String(settings.MAX_PROPOSAL), nullable=False),
    sa.Column("score", sa.Integer, nullable=False),  # suggested
    sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("decision_id", sa.ForeignKey("decisions.id"), nullable=True),  # None until decided
)
ADDED_IN_4 = [(rounds, "gaps_open")]  # and the new tables, made by create_all
ADDED_IN_5 = [(events, "participant_id")]  # and RECENT_EVENTS


def _room_with_latest_round() -> sa.Select:
    """A room (by the bound `code`) joined to its latest round: built once, as the board runs it several times
    per redraw."""
    each = rounds.alias("each_round")
    latest = sa.select(sa.func.max(each.c.number)).where(each.c.room_id == rooms.c.id).correlate(rooms)
    latest = latest.scalar_subquery()
    return (
        sa.select(
            rooms,
            rounds.c.id.label("round_id"),
            rounds.c.number,
            rounds.c.revealed,
            rounds.c.locked,
            rounds.c.gaps_open,
        )
        .select_from(rooms)
        .join(rounds, sa.and_(rounds.c.room_id == rooms.c.id, rounds.c.number == latest))
        .where(rooms.c.code == sa.bindparam("code"))
    )


ROOM_WITH_LATEST_ROUND = _room_with_latest_round()


def present():
    """Participants not removed by the facilitator (NULL: joined before version 3)."""
    return sa.or_(participants.c.removed.is_(None), participants.c.removed.is_(False))


def database_url(environ=os.environ) -> str:
    """PLACEMENT_DATABASE_URL (e.g. PostgreSQL), else a SQLite file at PLACEMENT_DB_PATH or var/rooms.db."""
    if environ.get("PLACEMENT_DATABASE_URL"):
        return environ["PLACEMENT_DATABASE_URL"]
    path = Path(environ.get("PLACEMENT_DB_PATH", DEFAULT_SQLITE_PATH))
    path.parent.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{path}"


def upgrade(db: sa.Connection) -> None:
    """Create the tables, or upgrade them to SCHEMA_VERSION, in the caller's writing transaction."""
    metadata.create_all(db, checkfirst=True)
    if db.dialect.name == "postgresql":  # two servers starting at once upgrade once
        db.exec_driver_sql("LOCK TABLE schema_version IN SHARE ROW EXCLUSIVE MODE")
    current = db.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    if current is None:
        db.execute(schema_version.insert().values(version=SCHEMA_VERSION))
    elif current > SCHEMA_VERSION:
        raise RoomError(
            f"The database schema is version {current}, newer than this app ({SCHEMA_VERSION}); update the app."
        )
    elif current < SCHEMA_VERSION:
        _add_missing_columns(db, ADDED_IN_2 + ADDED_IN_3 + ADDED_IN_4 + ADDED_IN_5)
        RECENT_EVENTS.create(db, checkfirst=True)
        db.execute(schema_version.insert().values(version=SCHEMA_VERSION))


def _add_missing_columns(db, columns: list[tuple[sa.Table, str]]) -> None:
    """ALTER TABLE ... ADD COLUMN for each nullable column the database does not have yet."""
    quote = db.dialect.identifier_preparer.quote
    for table, name in columns:
        if name in {c["name"] for c in sa.inspect(db).get_columns(table.name)}:
            continue
        column_type = table.c[name].type.compile(dialect=db.dialect)
        db.exec_driver_sql(f"ALTER TABLE {quote(table.name)} ADD COLUMN {quote(name)} {column_type}")


def utc(moment: datetime | None) -> datetime | None:
    """SQLite returns the stored UTC times without their zone."""
    return moment.replace(tzinfo=UTC) if moment is not None and moment.tzinfo is None else moment


def sqlite_pragmas(connection, _record) -> None:
    """WAL lets readers work while one writer writes; the busy timeout makes writers queue, not fail."""
    cursor = connection.cursor()
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
