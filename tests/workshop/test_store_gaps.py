"""The room fills the source's gaps, in the store: proposals, the facilitator's decisions, the room's cells,
and the upgrade of a version 3 database. Every test runs on SQLite and on PostgreSQL (see test_store.py)."""

# The store fixtures (per backend) come from test_store.py: tests take them as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from placement import settings
from placement.data.modelfile import to_json
from placement.data.problems import InputError
from placement.workshop.domain import RoomError
from placement.workshop.schema import SCHEMA_VERSION
from placement.workshop.store import RoomStore
from tests.workshop.test_store import (  # noqa: F401 - fixtures, used by name
    FACTORS,
    MODEL,
    VOTE,
    database,
    new_engine,
    problem_places,
    room,
    schema_versions,
    store,
)

HOP = "head_of_product"
RISK = {"placement": HOP, "factor": "reach", "kind": "risk", "text": "Ops teams lose their voice.", "score": -1}


def open_room(store, room):
    """The room with three participants (Ada, Bob, Cy) and "name what is missing" open."""
    code, key = room
    people = [store.join(code, name, device=name) for name in ("Ada", "Bob", "Cy")]
    store.open_gaps(code, key)
    return code, key, people


def test_proposals_are_taken_only_while_the_facilitator_has_the_gap_round_open(store, room):
    code, key = room
    ada = store.join(code, "Ada")
    assert not store.room(code).gaps_open
    with pytest.raises(RoomError, match="not taking proposals"):
        store.propose(code, ada, RISK)
    with pytest.raises(RoomError, match="facilitator key"):
        store.open_gaps(code, "not-the-key")
    store.open_gaps(code, key)
    assert store.room(code).gaps_open
    first = store.propose(code, ada, RISK, round_number=1)
    with pytest.raises(RoomError, match="not taking proposals"):  # a form drawn for another round
        store.propose(code, ada, RISK, round_number=2)
    store.close_gaps(code, key)
    with pytest.raises(RoomError, match="not taking proposals"):
        store.propose(code, ada, RISK)
    assert [p.id for p in store.proposals(code, key)] == [first]  # those already in stay for a decision
    store.open_gaps(code, key)
    store.new_round(code, key)
    assert not store.room(code).gaps_open  # a new round starts without it
    with pytest.raises(RoomError, match="facilitator key"):
        store.proposals(code, "not-the-key")


@pytest.mark.parametrize(
    ("change", "place"),
    [
        ({"placement": "nowhere"}, "placement"),
        ({"factor": "pm_alignment"}, "factor"),  # not a factor of this room
        ({"kind": "worry"}, "kind"),
        ({"text": "   "}, "sentence"),
        ({"text": "x" * (settings.MAX_PROPOSAL + 1)}, "sentence"),
        ({"score": 1}, "score"),  # a risk scores below 0
        ({"score": -3}, "score"),
        ({"score": 0}, "score"),
        ({"score": -1.5}, "score"),
        ({"score": "-1"}, "score"),
        ({"kind": "benefit", "score": -2}, "score"),
        ({"text": "bad\x00"}, "sentence"),
    ],
)
def test_a_bad_proposal_is_refused_with_the_problem_named(store, room, change, place):
    code, key, (ada, *_) = open_room(store, room)
    with pytest.raises(InputError) as caught:
        store.propose(code, ada, {**RISK, **change})
    assert problem_places(caught) == [place]
    assert store.proposals(code, key) == []


def test_the_sentence_is_cleaned_and_a_removed_participant_cannot_propose(store, room):
    code, key, (ada, bob, _) = open_room(store, room)
    store.propose(code, ada, {**RISK, "text": "  Ops\nteams\u202e lose   their voice. "})
    assert [p.text for p in store.proposals(code, key)] == ["Ops teams lose their voice."]
    bob_id = next(p.id for p in store.participants(code, key) if p.name == "Bob")
    store.propose(code, bob, RISK)
    store.remove_participant(code, key, bob_id)
    assert len(store.proposals(code, key)) == 1  # Bob's undecided proposal left the board with him
    with pytest.raises(RoomError, match="removed you"):
        store.propose(code, bob, RISK)
    with pytest.raises(RoomError, match="does not belong"):
        store.propose(code, "not-a-token", RISK)


def test_proposals_are_limited_per_person_and_rate_limited(store, room, monkeypatch):
    code, _, (ada, bob, cy) = open_room(store, room)
    monkeypatch.setattr(settings, "MAX_PROPOSALS", 2)
    store.propose(code, ada, RISK)
    store.propose(code, ada, RISK)
    with pytest.raises(RoomError, match="2 proposals in this round"):
        store.propose(code, ada, RISK)
    monkeypatch.setattr(settings, "RATE_LIMITS", {**settings.RATE_LIMITS, "propose": {"room": 100, "address": 1}})
    store.propose(code, bob, RISK, address="10.0.0.1")
    with pytest.raises(RoomError, match="Too many proposals from your network"):
        store.propose(code, cy, RISK, address="10.0.0.1")


def test_an_accepted_risk_becomes_a_room_cell_and_changes_the_rounds_model(store, room):
    code, key, (ada, bob, cy) = open_room(store, room)
    before = store.round_model(code, 1, MODEL).cells[HOP, "reach"]
    assert (before.score, before.provenance) == (0, "neutral")
    ids = [store.propose(code, person, RISK) for person in (ada, bob)]
    ids.append(store.propose(code, ada, {**RISK, "text": "ops teams lose their voice"}))  # Ada twice: one person
    other = store.propose(code, cy, {**RISK, "kind": "benefit", "score": 2, "text": "One roadmap."})
    with pytest.raises(RoomError, match="not one cell's"):  # a risk and a benefit are not one group
        store.decide(code, key, [*ids, other], "accepted", RISK["text"], -1)
    with pytest.raises(RoomError, match="facilitator key"):
        store.decide(code, "not-the-key", ids, "accepted", RISK["text"], -1)
    with pytest.raises(InputError) as caught:
        store.decide(code, key, ids, "edited", RISK["text"], 2)  # a risk's score must stay below 0
    assert problem_places(caught) == ["score"]
    decision = store.decide(code, key, ids, "edited", "Ops teams lose their seat at the table.", -2)
    assert (decision.action, decision.score, decision.people, decision.round) == ("edited", -2, 2, 1)
    with pytest.raises(RoomError, match="decided already"):
        store.decide(code, key, ids, "rejected")
    cell = store.round_model(code, 1, MODEL).cells[HOP, "reach"]
    assert (cell.score, cell.provenance, cell.room_text, cell.room_round, cell.room_people) == (
        -2,
        "room",
        "Ops teams lose their seat at the table.",
        1,
        2,
    )
    assert (cell.original_score, cell.original_provenance) == (0, "neutral")  # the source's value, kept
    assert store.model_note(code, 1, MODEL) == "edited: 1 cell from the room"
    assert [p.decided for p in store.proposals(code, key)] == [True, True, True, False]
    assert [d.action for d in store.room_cells(code)] == ["edited"]
    store.decide(code, key, [other], "rejected")
    assert [d.action for d in store.decisions(code, key)] == ["edited", "rejected"]
    assert [d.action for d in store.room_cells(code)] == ["edited"]  # a rejected one changes nothing
    assert store.round_model(code, 1, MODEL).cells[HOP, "reach"].score == -2
    assert [p.decided for p in store.own_proposals(code, cy)] == [True]


def test_a_room_cell_applies_to_its_round_and_later_ones_only(store, room):
    code, key, (ada, *_) = open_room(store, room)
    store.new_round(code, key)
    store.open_gaps(code, key)
    proposal = store.propose(code, ada, RISK, round_number=2)
    store.decide(code, key, [proposal], "accepted", RISK["text"], -1)
    assert store.round_model(code, 1, MODEL).cells[HOP, "reach"].provenance == "neutral"
    assert store.round_model(code, 2, MODEL).cells[HOP, "reach"].score == -1
    store.new_round(code, key)
    assert store.round_model(code, 3, MODEL).cells[HOP, "reach"].provenance == "room"


def test_deleting_a_room_deletes_its_proposals_and_decisions(store, room):
    code, key, (ada, *_) = open_room(store, room)
    store.decide(code, key, [store.propose(code, ada, RISK)], "accepted", RISK["text"], -1)
    store.delete_room(code, key)
    with store.engine.connect() as db:
        for table in ("proposals", "decisions"):
            assert db.execute(sa.text(f"SELECT count(*) FROM {table}")).scalar() == 0


def version_3_tables() -> sa.MetaData:
    """The schema as version 3 created it: no proposals, no decisions, no rounds.gaps_open."""
    old = sa.MetaData()
    sa.Table("schema_version", old, sa.Column("version", sa.Integer, nullable=False))
    sa.Table(
        "rooms",
        old,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("code", sa.String(16), nullable=False, unique=True),
        sa.Column("title", sa.String(80), nullable=False),
        sa.Column("factors", sa.Text, nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False),
        sa.Column("closed", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("require_names", sa.Boolean, nullable=True),
        sa.Column("passcode_hash", sa.String(64), nullable=True),
    )
    sa.Table(
        "rounds",
        old,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("revealed", sa.Boolean, nullable=False),
        sa.Column("locked", sa.Boolean, nullable=False),
        sa.Column("model", sa.Text, nullable=True),
        sa.UniqueConstraint("room_id", "number"),
    )
    sa.Table(
        "participants",
        old,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
        sa.Column("token", sa.String(64), nullable=False, unique=True),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("joined_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("device", sa.String(64), nullable=True),
        sa.Column("removed", sa.Boolean, nullable=True),
    )
    return old


def test_a_version_3_database_is_upgraded_and_its_rooms_take_proposals(new_engine):
    engine = new_engine()
    old = version_3_tables()
    old.create_all(engine)
    t = old.tables
    key = "version-three-facilitator-key"
    now = datetime.now(UTC)
    with engine.begin() as db:
        db.execute(t["schema_version"].insert().values(version=3))
        room_id = db.execute(
            t["rooms"]
            .insert()
            .values(
                code="THREE234",
                title="Before version 4",
                factors=json.dumps(FACTORS),
                method="sliders",
                key_hash=hashlib.sha256(key.encode()).hexdigest(),
                closed=False,
                created_at=now,
            )
        ).inserted_primary_key[0]
        db.execute(
            t["rounds"].insert().values(room_id=room_id, number=1, revealed=False, locked=False, model=to_json(MODEL))
        )
        db.execute(t["participants"].insert().values(room_id=room_id, token="ada-token", name="Ada", joined_at=now))

    store = RoomStore(engine)

    assert schema_versions(store) == [3, SCHEMA_VERSION] and SCHEMA_VERSION == 5
    tables = set(sa.inspect(engine).get_table_names())
    assert {"proposals", "decisions", "votes", "events"} <= tables
    assert "gaps_open" in {c["name"] for c in sa.inspect(engine).get_columns("rounds")}
    assert not store.room("THREE234").gaps_open  # NULL: closed
    store.open_gaps("THREE234", key)
    proposal = store.propose("THREE234", "ada-token", RISK)
    store.decide("THREE234", key, [proposal], "accepted", RISK["text"], -1)
    assert store.round_model("THREE234", 1, MODEL).cells[HOP, "reach"].provenance == "room"
    assert store.submit("THREE234", "ada-token", VOTE) == 1
    RoomStore(new_engine())  # the next start-up finds version 5 and changes nothing
    assert schema_versions(store) == [3, SCHEMA_VERSION]


def test_a_decision_changes_the_revealed_rounds_revision_so_its_summary_is_scored_anew(store, room):
    """The board and the phones share one summary per round revision: accepting a cell changes the round's
    model, so it must change the revision (or every screen would keep the old ranking)."""
    code, key, people = open_room(store, room)
    store.submit(code, people[0], VOTE)
    store.reveal(code, key)
    before = store.round_revision(code, 1)
    proposal = store.propose(code, people[1], RISK)
    assert store.round_revision(code, 1) == before  # a proposal alone changes nothing the room is scored with
    store.decide(code, key, [proposal], "rejected")
    rejected = store.round_revision(code, 1)
    store.decide(code, key, [store.propose(code, people[2], RISK)], "accepted", RISK["text"], -1)
    assert len({before, rejected, store.round_revision(code, 1)}) == 3
