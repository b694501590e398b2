"""The workshop room store (placement/workshop/store.py): its contract, on SQLite and on PostgreSQL.

Every test that takes `store` runs once per backend. PostgreSQL needs a server:
set PLACEMENT_TEST_POSTGRES_URL (see .ci/start-postgres); without it those tests skip,
unless REQUIRE_POSTGRES=1, when they fail. Each PostgreSQL test starts from an empty
database (every table of the store's metadata is dropped first).
"""

from __future__ import annotations

import hashlib
import json
import math
import sqlite3
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import hypothesis
import pytest
import sqlalchemy as sa
from hypothesis import strategies

from placement import settings
from placement.data import editing
from placement.data.model import Model, load_model
from placement.data.problems import InputError
from placement.settings import MAX_COMMENT
from placement.settings import MAX_PARTICIPANT_NAME as MAX_NAME
from placement.settings import MAX_ROOM_TITLE as MAX_TITLE
from placement.workshop import domain, schema, snapshots
from placement.workshop import store as room_store
from placement.workshop.domain import CODE_ALPHABET, CODE_LENGTH, Room, RoomError, clean_code
from placement.workshop.rules import METHODS
from placement.workshop.schema import SCHEMA_VERSION, database_url
from placement.workshop.store import RoomStore
from tests.conftest import postgres_url

FACTORS = [
    {"id": "speed", "name": "Speed", "definition": "How fast work gets done."},
    {"id": "reach", "name": "Reach", "definition": "How many teams it touches."},
    {"id": "depth", "name": "Depth", "definition": "How well it knows one domain."},
]
FACTOR_IDS = [f["id"] for f in FACTORS]
VOTE = {"speed": 8, "reach": 3, "depth": 0}
OTHER_VOTE = {"speed": 1, "reach": 9.5, "depth": 4}


def model_for(factors: list[dict], full: Model) -> Model:
    """The shipped model with its first factors renamed to the rooms' test factors (speed, reach, depth)."""
    rename = dict(zip(full.factor_ids, [f["id"] for f in factors], strict=False))
    by_id = {f["id"]: f for f in factors}
    small = full.only(factor_ids=list(rename))
    return replace(
        small,
        factors=tuple(
            replace(f, id=rename[f.id], name=by_id[rename[f.id]]["name"], definition=by_id[rename[f.id]]["definition"])
            for f in small.factors
        ),
        cells={(p, rename[f]): replace(c, factor=rename[f]) for (p, f), c in small.cells.items()},
        presets={k: replace(v, weights={rename[f]: w for f, w in v.weights.items()}) for k, v in small.presets.items()},
    )


FULL_MODEL = load_model(include_optional=True)  # with the optional Hybrid placement
MODEL = model_for(FACTORS, FULL_MODEL).only(placement_ids=load_model().placement_ids)  # the source baseline
HYBRID = "uber_hybrid"


# --- fixtures -----------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database(request, tmp_path: Path) -> str:
    """The URL of an empty database of the parametrised backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/rooms.db"
    url = postgres_url()
    engine = sa.create_engine(url)
    try:
        schema.metadata.drop_all(engine)  # includes schema_version: a truly empty database
        assert not set(sa.inspect(engine).get_table_names()) & set(schema.metadata.tables)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def new_engine(database: str):
    """Make engines on the test's database; every one is disposed after the test."""
    made: list[sa.Engine] = []

    def make() -> sa.Engine:
        engine = sa.create_engine(database)
        made.append(engine)
        return engine

    yield make
    for engine in made:
        engine.dispose()


@pytest.fixture
def store(new_engine) -> RoomStore:
    return RoomStore(new_engine())


@pytest.fixture
def limits_lifted(monkeypatch):
    """No rate limits: for tests of many submits at once, which one person's limit would otherwise stop."""
    monkeypatch.setattr(settings, "RATE_LIMITS", {kind: {"room": 10**9} for kind in settings.RATE_LIMITS})


@pytest.fixture
def room(store: RoomStore) -> tuple[str, str]:
    """An open sliders room: (code, key)."""
    return store.create_room("Where should Product Ops sit?", FACTORS, "sliders", MODEL)


# --- helpers ------------------------------------------------------------------------------------


def problem_places(caught: pytest.ExceptionInfo) -> list[str]:
    return [p.where for p in caught.value.problems]


def stored_votes(store: RoomStore, code: str, number: int | None = None) -> list[domain.Vote]:
    """A round's votes read from the tables, past the store's secrecy: what the database holds."""
    with store.engine.connect() as db:
        room = store.room(code)
        round_id = db.execute(
            sa.select(schema.rounds.c.id)
            .join(schema.rooms, schema.rooms.c.id == schema.rounds.c.room_id)
            .where(schema.rooms.c.code == room.code, schema.rounds.c.number == (number or room.round))
        ).scalar_one()
        rows = db.execute(
            sa.select(schema.participants.c.name, schema.votes)
            .join(schema.participants, schema.participants.c.id == schema.votes.c.participant_id)
            .where(schema.votes.c.round_id == round_id)
            .order_by(schema.votes.c.id)
        ).all()
    return [domain.Vote(r.name, json.loads(r._mapping["values"]), r.comment, r.revision) for r in rows]


def messy(code: str) -> str:
    """The code as someone might type it: lower case, with spaces."""
    return f"  {code[:4].lower()} {code[4:].lower()}\t"


def state(store: RoomStore, code: str):
    return store.room(code), store.round_numbers(code), store.counts(code)


# --- creating rooms -----------------------------------------------------------------------------


def test_create_room_returns_a_code_and_key_and_an_open_first_round(store):
    code, key = store.create_room("  Where should Product Ops sit?  ", FACTORS, "sliders", MODEL)
    assert len(code) == CODE_LENGTH == 8
    assert set(code) <= set(CODE_ALPHABET)
    assert isinstance(key, str) and len(key) >= 20
    room = store.room(code)
    assert room.code == code
    assert room.title == "Where should Product Ops sit?"
    assert room.factors == FACTORS
    assert room.factor_ids == FACTOR_IDS
    assert room.method == "sliders"
    assert room.round == 1
    assert (room.revealed, room.locked, room.closed) == (False, False, False)
    assert store.round_numbers(code) == [1]
    assert store.counts(code) == (0, 0)


def test_create_room_keeps_the_method_and_accepts_a_title_at_the_limit(store):
    code, _ = store.create_room("T" * MAX_TITLE, FACTORS[:2], "rank", MODEL)
    room = store.room(code)
    assert room.title == "T" * MAX_TITLE
    assert room.method == "rank"
    assert room.factor_ids == FACTOR_IDS[:2]


def test_create_room_lists_every_problem_at_once(store):
    with pytest.raises(InputError) as caught:
        store.create_room("   ", FACTORS[:1], "dots", MODEL)
    assert problem_places(caught) == ["title", "factors", "method"]
    assert "dots" in str(caught.value)


@pytest.mark.parametrize(
    ("title", "factors", "method", "places"),
    [
        ("", FACTORS, "sliders", ["title"]),
        (" \t\n ", FACTORS, "sliders", ["title"]),
        ("T" * (MAX_TITLE + 1), FACTORS, "sliders", ["title"]),
        ("Room", [], "sliders", ["factors"]),
        ("Room", FACTORS[:1], "rank", ["factors"]),
        ("Room", FACTORS, "ahp", ["method"]),
        ("Room", FACTORS, "Sliders", ["method"]),
        ("T" * (MAX_TITLE + 1), [], "", ["title", "factors", "method"]),
    ],
)
def test_create_room_refuses_bad_input(store, title, factors, method, places):
    with pytest.raises(InputError) as caught:
        store.create_room(title, factors, method, MODEL)
    assert problem_places(caught) == places
    with store.engine.connect() as db:
        assert db.execute(sa.select(sa.func.count()).select_from(schema.rooms)).scalar() == 0


# --- codes, keys and tokens ---------------------------------------------------------------------


def test_codes_and_keys_are_random(store):
    made = [store.create_room(f"Room {i}", FACTORS, "sliders", MODEL) for i in range(100)]
    codes = [code for code, _ in made]
    keys = [key for _, key in made]
    assert len(set(codes)) == 100
    assert len(set(keys)) == 100
    assert all(len(c) == CODE_LENGTH and set(c) <= set(CODE_ALPHABET) for c in codes)
    # Random, not sequential: the codes do not share a common prefix.
    assert len({c[:2] for c in codes}) > 20


def test_participant_tokens_are_random_and_long(store, room):
    code, _ = room
    tokens = [store.join(code, "Same name") for _ in range(100)]
    assert len(set(tokens)) == 100
    assert all(len(t) >= 20 for t in tokens)
    assert store.counts(code) == (100, 0)


def test_the_key_is_stored_only_as_its_sha256(store, room):
    code, key = room
    with store.engine.connect() as db:
        row = db.execute(sa.select(schema.rooms).where(schema.rooms.c.code == code)).one()
    assert row.key_hash != key
    assert row.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert all(key not in str(value) for value in row)


def opens(store: RoomStore, code: str, key: str | None) -> bool:
    """Whether "Open a room you run" accepts this code and key."""
    try:
        return store.facilitated_code(code, key) == clean_code(code)
    except RoomError:
        return False


def test_only_the_rooms_own_key_opens_it(store, room):
    code, key = room
    other_code, other_key = store.create_room("Another room", FACTORS, "sliders", MODEL)
    assert opens(store, code, key) is True
    assert opens(store, messy(code), key) is True
    assert opens(store, code, key + "x") is False
    assert opens(store, code, key.upper() if key != key.upper() else key.lower()) is False
    assert opens(store, code, "") is False
    assert opens(store, code, None) is False
    assert opens(store, code, other_key) is False
    assert opens(store, other_code, other_key) is True
    assert opens(store, "ZZZZZZZZ", key) is False


def test_facilitated_code_is_the_clean_code_for_the_right_key(store, room):
    code, key = room
    other_code, _ = store.create_room("Another room", FACTORS, "sliders", MODEL)
    assert store.facilitated_code(messy(code), key) == code
    for wrong_code, wrong_key in [(code, key + "x"), (code, ""), (other_code, key), ("ZZZZZZZZ", key)]:
        with pytest.raises(RoomError, match="do not match a room"):
            store.facilitated_code(wrong_code, wrong_key)


@pytest.mark.parametrize(
    ("typed", "clean"),
    [
        ("abcd2345", "ABCD2345"),
        ("  abcd 2345\t", "ABCD2345"),
        ("AB CD\n23 45", "ABCD2345"),
        ("ABCD2345", "ABCD2345"),
        ("", ""),
        ("   ", ""),
        (None, ""),
    ],
)
def test_clean_code(typed, clean):
    assert clean_code(typed) == clean
    assert clean_code(clean_code(typed)) == clean_code(typed)  # idempotent


def test_codes_are_matched_ignoring_case_and_spaces(store, room):
    code, key = room
    typed = messy(code)
    assert typed != code
    assert store.room(typed).code == code
    token = store.join(typed, "Ada")
    assert store.participant_name(typed, token) == "Ada"
    assert store.submit(typed, token, VOTE) == 1
    assert store.own_vote(typed, token).values == VOTE
    assert store.counts(typed) == (1, 1)
    store.reveal(typed, key)
    assert [v.participant for v in store.votes(typed)] == ["Ada"]
    assert store.round_numbers(typed) == [1]


# --- joining ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["", "   ", "\t\n", None])
def test_a_blank_name_joins_as_anonymous(store, room, name):
    code, _ = room
    token = store.join(code, name)
    assert store.participant_name(code, token) == "Anonymous"


def test_names_are_collapsed_and_truncated(store, room):
    code, key = room
    spaced = store.join(code, "  Ada \t  Lovelace\n ")
    long_name = "N" * (MAX_NAME + 25)
    long = store.join(code, long_name)
    assert store.participant_name(code, spaced) == "Ada Lovelace"
    assert store.participant_name(code, long) == "N" * MAX_NAME
    store.submit(code, long, VOTE)
    assert [v.participant for v in stored_votes(store, code)] == ["N" * MAX_NAME]


def test_participant_name_is_none_for_a_stranger(store, room):
    code, _ = room
    store.join(code, "Ada")
    assert store.participant_name(code, "not-a-token") is None
    assert store.participant_name(code, "") is None


def test_a_closed_room_refuses_joining(store, room):
    code, key = room
    store.join(code, "Early bird")
    store.close(code, key)
    with pytest.raises(RoomError, match="closed"):
        store.join(code, "Latecomer")
    assert store.counts(code) == (1, 0)


@pytest.mark.parametrize("call", ["join", "room", "counts", "votes", "submit", "round_numbers"])
def test_an_unknown_code_says_there_is_no_such_room(store, room, call):
    code, _ = room
    unknown = "ZZZZZZZZ" if code != "ZZZZZZZZ" else "YYYYYYYY"
    actions = {
        "join": lambda: store.join(unknown.lower(), "Ada"),
        "room": lambda: store.room(unknown),
        "counts": lambda: store.counts(unknown),
        "votes": lambda: store.votes(unknown),
        "submit": lambda: store.submit(unknown, "token", VOTE),
        "round_numbers": lambda: store.round_numbers(unknown),
    }
    with pytest.raises(RoomError) as caught:
        actions[call]()
    assert f"no room with the code '{unknown}'" in str(caught.value)
    assert store.counts(code) == (0, 0)


def test_participant_name_for_an_unknown_room_is_none(store, room):
    """Not a database error: the Join page asks with whatever code and token the link carries."""
    code, _ = room
    token = store.join(code, "Ada")
    unknown = "ZZZZZZZZ" if code != "ZZZZZZZZ" else "YYYYYYYY"
    assert store.participant_name(unknown, token) is None
    assert store.participant_name(unknown, "") is None
    assert store.participant_name(messy(code), token) == "Ada"


# --- voting -------------------------------------------------------------------------------------


def test_a_revision_replaces_the_participants_vote(store, room):
    code, key = room
    token = store.join(code, "Ada")
    assert store.own_vote(code, token) is None
    assert store.submit(code, token, VOTE, "first thoughts") == 1
    assert store.counts(code) == (1, 1)
    assert store.submit(code, token, OTHER_VOTE, "  second thoughts  ") == 2
    assert store.submit(code, token, {"speed": 2.5, "reach": 10, "depth": 0}) == 3
    assert store.counts(code) == (1, 1)
    own = store.own_vote(code, token)
    assert own.participant == "Ada"
    assert own.values == {"speed": 2.5, "reach": 10, "depth": 0}
    assert own.comment == ""
    assert own.revision == 3
    assert stored_votes(store, code) == [own]


def test_own_vote_keeps_the_latest_comment_stripped(store, room):
    code, _ = room
    token = store.join(code, "Ada")
    store.submit(code, token, VOTE, "first")
    store.submit(code, token, OTHER_VOTE, "  Ops empathy matters most here.  ")
    own = store.own_vote(code, token)
    assert (own.values, own.comment, own.revision) == (OTHER_VOTE, "Ops empathy matters most here.", 2)


def test_typed_text_cannot_forge_lines_or_reverse_on_the_shared_screen(store, new_engine):
    """Newlines would add a fake "Name: comment" line to the board; U+202E would display text backwards."""
    code, _ = store.create_room("Room\u202e title\n:material/lock:", FACTORS, "sliders", MODEL)
    token = store.join(code, "Ada\u202e\nBob")
    store.submit(code, token, VOTE, "fine\nBob: I agree with Ada\u202e")
    assert store.room(code).title == "Room title :material/lock:"  # the icon shortcode is made inert when shown
    assert store.participant_name(code, token) == "Ada Bob"
    assert store.own_vote(code, token).comment == "fine Bob: I agree with Ada"


def test_votes_of_different_participants_are_kept_apart(store, room):
    code, key = room
    ada, bob = store.join(code, "Ada"), store.join(code, "Bob")
    store.submit(code, ada, VOTE, "A")
    store.submit(code, bob, OTHER_VOTE, "B")
    store.submit(code, ada, OTHER_VOTE, "A2")
    assert store.counts(code) == (2, 2)
    votes = {v.participant: (v.values, v.comment, v.revision) for v in stored_votes(store, code)}
    assert votes == {"Ada": (OTHER_VOTE, "A2", 2), "Bob": (OTHER_VOTE, "B", 1)}
    assert store.own_vote(code, bob).values == OTHER_VOTE


@pytest.mark.parametrize(
    "values",
    [
        pytest.param({"speed": 5, "reach": 5}, id="missing-factor"),
        pytest.param({"speed": 5, "reach": 5, "depth": 5, "other": 5}, id="extra-factor"),
        pytest.param({"speed": 5, "reach": 5, "other": 5}, id="wrong-factor"),
        pytest.param({}, id="empty"),
        pytest.param({"speed": -1, "reach": 5, "depth": 5}, id="negative"),
        pytest.param({"speed": 10.5, "reach": 5, "depth": 5}, id="above-10"),
        pytest.param({"speed": 11, "reach": 5, "depth": 5}, id="11"),
        pytest.param({"speed": True, "reach": 5, "depth": 5}, id="bool"),
        pytest.param({"speed": False, "reach": 5, "depth": 5}, id="false"),
        pytest.param({"speed": math.nan, "reach": 5, "depth": 5}, id="nan"),
        pytest.param({"speed": math.inf, "reach": 5, "depth": 5}, id="inf"),
        pytest.param({"speed": -math.inf, "reach": 5, "depth": 5}, id="-inf"),
        pytest.param({"speed": "5", "reach": 5, "depth": 5}, id="string"),
        pytest.param({"speed": None, "reach": 5, "depth": 5}, id="none"),
        pytest.param({"speed": 0, "reach": 0, "depth": 0}, id="all-zero"),
        pytest.param({"speed": 0.0, "reach": 0, "depth": -0.0}, id="all-zero-floats"),
    ],
)
def test_slider_votes_are_checked_and_a_bad_one_keeps_the_earlier_vote(store, room, values):
    code, _ = room
    token = store.join(code, "Ada")
    store.submit(code, token, VOTE, "kept")
    with pytest.raises(InputError) as caught:
        store.submit(code, token, values, "lost")
    assert set(problem_places(caught)) == {"vote"}
    own = store.own_vote(code, token)
    assert (own.values, own.comment, own.revision) == (VOTE, "kept", 1)


def test_a_bad_first_vote_is_not_stored(store, room):
    code, _ = room
    token = store.join(code, "Ada")
    with pytest.raises(InputError):
        store.submit(code, token, {"speed": 0, "reach": 0, "depth": 0})
    assert store.own_vote(code, token) is None
    assert store.counts(code) == (1, 0)


@pytest.mark.parametrize(
    "values",
    [
        {"speed": 0, "reach": 0, "depth": 0.5},
        {"speed": 10, "reach": 10, "depth": 10},
        {"speed": 0, "reach": 10, "depth": 0},
        {"speed": 3.25, "reach": 7.5, "depth": 1e-9},
    ],
)
def test_slider_votes_at_the_edges_are_accepted(store, room, values):
    code, _ = room
    token = store.join(code, "Ada")
    assert store.submit(code, token, values) == 1
    assert store.own_vote(code, token).values == values


def test_every_problem_of_a_vote_is_listed(store, room):
    code, _ = room
    token = store.join(code, "Ada")
    with pytest.raises(InputError) as caught:
        store.submit(code, token, {"speed": 11, "reach": math.nan, "other": 1})
    text = str(caught.value)
    assert len(caught.value.problems) == 3
    assert "exactly the room's factors" in text and "11" in text and "nan" in text


@pytest.mark.parametrize(
    ("values", "accepted"),
    [
        ({"speed": 1, "reach": 2, "depth": 3}, True),
        ({"speed": 3, "reach": 1, "depth": 2}, True),
        ({"speed": 1, "reach": 1, "depth": 3}, True),  # ties are allowed
        ({"speed": 0, "reach": 1, "depth": 2}, False),
        ({"speed": 1, "reach": 2, "depth": 4}, False),  # n = 3
        ({"speed": 1, "reach": 2, "depth": 10}, False),  # fine for sliders, not for ranks
        ({"speed": 1, "reach": 2, "depth": True}, False),
        ({"speed": 1, "reach": 2, "depth": math.nan}, False),
        ({"speed": 1, "reach": 2}, False),
    ],
)
def test_rank_votes_are_ranks_from_1_to_n(store, values, accepted):
    code, _ = store.create_room("Rank the factors", FACTORS, "rank", MODEL)
    token = store.join(code, "Ada")
    if accepted:
        assert store.submit(code, token, values) == 1
        assert store.own_vote(code, token).values == values
    else:
        with pytest.raises(InputError):
            store.submit(code, token, values)
        assert store.own_vote(code, token) is None


def test_comments_are_limited(store, room):
    code, _ = room
    token = store.join(code, "Ada")
    assert store.submit(code, token, VOTE, "c" * MAX_COMMENT) == 1
    assert store.own_vote(code, token).comment == "c" * MAX_COMMENT
    with pytest.raises(InputError) as caught:
        store.submit(code, token, OTHER_VOTE, "c" * (MAX_COMMENT + 1))
    assert problem_places(caught) == ["comment"]
    own = store.own_vote(code, token)
    assert (own.values, own.revision) == (VOTE, 1)


def test_an_unknown_token_cannot_vote(store, room):
    code, _ = room
    other_code, _ = store.create_room("Another room", FACTORS, "sliders", MODEL)
    stranger = store.join(other_code, "Stranger")  # a real token, but of another room
    store.join(code, "Ada")
    for token in ["not-a-token", "", None, stranger]:
        with pytest.raises(RoomError, match="does not belong to a participant"):
            store.submit(code, token, VOTE)
    assert store.counts(code) == (1, 0)
    assert store.own_vote(code, stranger) is None


def test_a_locked_round_refuses_votes_and_keeps_the_earlier_one(store, room):
    code, key = room
    token = store.join(code, "Ada")
    late = store.join(code, "Bob")
    store.submit(code, token, VOTE, "before the lock")
    store.lock(code, key)
    assert store.room(code).locked is True
    with pytest.raises(RoomError, match="locked"):
        store.submit(code, token, OTHER_VOTE, "after the lock")
    with pytest.raises(RoomError, match="locked"):
        store.submit(code, late, OTHER_VOTE)
    own = store.own_vote(code, token)
    assert (own.values, own.comment, own.revision) == (VOTE, "before the lock", 1)
    assert store.counts(code) == (2, 1)
    store.reopen_voting(code, key)
    assert store.room(code).locked is False
    assert store.submit(code, token, OTHER_VOTE) == 2


def test_a_closed_room_refuses_votes_and_keeps_the_earlier_one(store, room):
    code, key = room
    token = store.join(code, "Ada")
    store.submit(code, token, VOTE, "before closing")
    store.close(code, key)
    assert store.room(code).closed is True
    with pytest.raises(RoomError):
        store.submit(code, token, OTHER_VOTE)
    own = store.own_vote(code, token)
    assert (own.values, own.comment, own.revision) == (VOTE, "before closing", 1)
    assert stored_votes(store, code) == [own]


# --- hidden until revealed ----------------------------------------------------------------------


def test_votes_are_hidden_until_revealed(store, room):
    code, key = room
    store.submit(code, store.join(code, "Ada"), VOTE, "mine")
    store.submit(code, store.join(code, "Bob"), OTHER_VOTE)
    for wrong in [None, "", "not-the-key"]:
        with pytest.raises(RoomError, match="hidden"):
            store.votes(code, wrong)
        with pytest.raises(RoomError, match="hidden"):
            store.votes(code, wrong, number=1)
    with pytest.raises(RoomError, match="hidden"):
        store.votes(code, key)  # the facilitator too: nobody sees a round before its reveal
    seen = stored_votes(store, code)
    assert [(v.participant, v.values, v.comment, v.revision) for v in seen] == [
        ("Ada", VOTE, "mine", 1),
        ("Bob", OTHER_VOTE, "", 1),
    ]
    assert store.room(code).revealed is False
    store.reveal(code, key)
    assert store.room(code).revealed is True
    assert store.votes(code) == seen
    assert store.votes(code, "not-the-key") == seen
    assert store.votes(code, number=1) == seen


def test_facilitator_actions_with_the_key(store, room):
    code, key = room
    store.submit(code, store.join(code, "Ada"), VOTE)
    store.lock(code, key)
    assert store.room(code).locked is True
    store.reopen_voting(code, key)
    assert store.room(code).locked is False
    store.reveal(code, key)
    assert (store.room(code).revealed, store.room(code).locked) == (True, True)
    store.close(code, key)
    assert store.room(code).closed is True
    store.reopen(code, key)
    assert store.room(code).closed is False


@pytest.mark.parametrize("action", ["reveal", "lock", "reopen_voting", "new_round", "close", "reopen"])
@pytest.mark.parametrize("wrong", ["not-the-key", "", None, "another-room's-key"])
def test_a_wrong_key_cannot_act(store, room, action, wrong):
    code, key = room
    _, other_key = store.create_room("Another room", FACTORS, "sliders", MODEL)
    wrong = other_key if wrong == "another-room's-key" else wrong
    store.submit(code, store.join(code, "Ada"), VOTE)
    if action == "reopen_voting":
        store.lock(code, key)
    if action == "reopen":
        store.close(code, key)
    before = state(store, code)
    with pytest.raises(RoomError, match="facilitator key does not match"):
        getattr(store, action)(code, wrong)
    assert state(store, code) == before
    with pytest.raises(RoomError, match="hidden"):
        store.votes(code)


# --- rounds -------------------------------------------------------------------------------------


def test_new_round_keeps_earlier_rounds(store, room):
    code, key = room
    ada, bob = store.join(code, "Ada"), store.join(code, "Bob")
    store.submit(code, ada, VOTE, "round one")
    store.submit(code, bob, OTHER_VOTE)
    store.submit(code, bob, VOTE)
    store.reveal(code, key)
    store.lock(code, key)
    first = store.votes(code)

    assert store.new_round(code, key) == 2
    room_now = store.room(code)
    assert (room_now.round, room_now.revealed, room_now.locked, room_now.closed) == (2, False, False, False)
    assert store.round_numbers(code) == [1, 2]
    assert store.counts(code) == (2, 0)
    assert store.own_vote(code, ada) is None
    assert stored_votes(store, code, number=1) == first
    assert store.votes(code, number=1) == first  # round 1 was revealed
    assert stored_votes(store, code) == []
    with pytest.raises(RoomError, match="hidden"):
        store.votes(code)  # the new round is hidden

    assert store.submit(code, ada, OTHER_VOTE, "round two") == 1  # a fresh vote, not revision 2
    assert store.counts(code) == (2, 1)
    assert stored_votes(store, code, number=1) == first
    assert [(v.participant, v.values, v.revision) for v in stored_votes(store, code)] == [("Ada", OTHER_VOTE, 1)]

    assert store.new_round(code, key) == 3
    assert store.round_numbers(code) == [1, 2, 3]
    assert [v.values for v in stored_votes(store, code, number=2)] == [OTHER_VOTE]


def test_an_earlier_hidden_round_stays_hidden(store, room):
    code, key = room
    ada = store.join(code, "Ada")
    store.submit(code, ada, VOTE)
    store.new_round(code, key)
    store.submit(code, ada, OTHER_VOTE)
    store.reveal(code, key)  # reveals round 2 only
    assert [v.values for v in store.votes(code)] == [OTHER_VOTE]
    with pytest.raises(RoomError, match="hidden"):
        store.votes(code, number=1)
    with pytest.raises(RoomError, match="hidden"):
        store.votes(code, key, number=1)  # the key does not open it either
    assert [v.values for v in stored_votes(store, code, number=1)] == [VOTE]


def test_an_unknown_round_is_a_room_error(store, room):
    code, key = room
    with pytest.raises(RoomError, match="no round 7"):
        store.votes(code, key, number=7)


# --- restart and schema -------------------------------------------------------------------------


def test_everything_survives_a_restart(store, room, new_engine):
    code, key = room
    rank_code, rank_key = store.create_room("Ranks", FACTORS, "rank", MODEL)
    ada = store.join(code, "Ada")
    store.submit(code, ada, VOTE, "kept across restarts")
    store.submit(code, ada, OTHER_VOTE, "kept across restarts")
    store.reveal(code, key)
    store.new_round(code, key)
    store.submit(code, ada, VOTE)
    store.lock(code, key)
    store.close(rank_code, rank_key)
    before = state(store, code), state(store, rank_code)
    store.engine.dispose()

    again = RoomStore(new_engine())
    assert again.engine is not store.engine
    assert (state(again, code), state(again, rank_code)) == before
    assert again.room(code).round == 2 and again.room(code).locked is True
    assert again.room(rank_code).closed is True and again.room(rank_code).method == "rank"
    assert opens(again, code, key) and not opens(again, code, rank_key)
    assert again.participant_name(code, ada) == "Ada"
    assert [(v.values, v.comment, v.revision) for v in again.votes(code, number=1)] == [
        (OTHER_VOTE, "kept across restarts", 2)
    ]
    assert again.own_vote(code, ada).values == VOTE
    again.reopen_voting(code, key)
    assert again.submit(code, ada, OTHER_VOTE) == 2


def schema_versions(store: RoomStore) -> list[int]:
    with store.engine.connect() as db:
        return list(db.execute(sa.select(schema.schema_version.c.version)).scalars())


def test_migrate_twice_is_harmless(store, room, new_engine):
    code, key = room
    store.submit(code, store.join(code, "Ada"), VOTE)
    assert schema_versions(store) == [SCHEMA_VERSION]
    store.migrate()
    store.migrate()
    RoomStore(new_engine())  # another server starting on the same database
    assert schema_versions(store) == [SCHEMA_VERSION]
    assert store.counts(code) == (1, 1)
    assert opens(store, code, key)


def test_a_newer_schema_is_refused(store, room, new_engine):
    with store.engine.begin() as db:
        db.execute(schema.schema_version.update().values(version=SCHEMA_VERSION + 1))
    with pytest.raises(RoomError, match="newer than this app"):
        RoomStore(new_engine())
    with pytest.raises(RoomError, match=f"version {SCHEMA_VERSION + 1}"):
        store.migrate()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = sa.create_engine(f"sqlite:///{tmp_path}/rooms.db")
    try:
        RoomStore(engine)
        with engine.connect() as db:
            assert db.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert db.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert db.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    finally:
        engine.dispose()


# --- concurrency --------------------------------------------------------------------------------

PEOPLE, REVISIONS, WORKERS = 50, 20, 16


def revision_values(person: int, revision: int) -> dict[str, float]:
    """A different vote for every person and revision (never all zero)."""
    return {"speed": person % 11, "reach": revision / 2, "depth": person // 11}


def test_many_participants_revising_at_once_leave_one_vote_each(store, room, limits_lifted):
    code, key = room
    tokens = [store.join(code, f"P{person:02d}") for person in range(PEOPLE)]
    start = threading.Event()

    def vote(person: int) -> list[int]:
        start.wait()
        return [
            store.submit(code, tokens[person], revision_values(person, r), f"P{person:02d} r{r}")
            for r in range(1, REVISIONS + 1)
        ]

    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(vote, person) for person in range(PEOPLE)]
        start.set()  # every worker starts at the same moment
        returned = [f.result(timeout=120) for f in futures]
    elapsed = time.perf_counter() - began
    print(f"\n{store.engine.dialect.name}: {PEOPLE * REVISIONS} submits in {elapsed:.2f} s")

    assert returned == [list(range(1, REVISIONS + 1))] * PEOPLE
    assert store.counts(code) == (PEOPLE, PEOPLE)
    votes = stored_votes(store, code)
    assert len(votes) == PEOPLE
    assert {v.revision for v in votes} == {REVISIONS}
    by_name = {v.participant: v for v in votes}
    assert len(by_name) == PEOPLE
    for person in range(PEOPLE):
        vote_now = by_name[f"P{person:02d}"]
        assert vote_now.values == revision_values(person, REVISIONS)
        assert vote_now.comment == f"P{person:02d} r{REVISIONS}"
    with store.engine.connect() as db:
        assert db.execute(sa.select(sa.func.count()).select_from(schema.votes)).scalar() == PEOPLE


def test_one_participant_submitting_from_many_tabs_at_once_keeps_one_vote(store, room, limits_lifted):
    """Double clicks and several open tabs: the revisions are counted, none lost, no duplicate vote."""
    code, key = room
    token = store.join(code, "Ada")
    submits = 40
    start = threading.Event()

    def vote(attempt: int) -> tuple[int, int]:
        start.wait()
        return store.submit(code, token, revision_values(attempt, 1), f"attempt {attempt}"), attempt

    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        futures = [pool.submit(vote, attempt) for attempt in range(submits)]
        start.set()
        returned = [f.result(timeout=120) for f in futures]

    assert sorted(revision for revision, _ in returned) == list(range(1, submits + 1))
    last_attempt = next(attempt for revision, attempt in returned if revision == submits)
    assert store.counts(code) == (1, 1)
    own = store.own_vote(code, token)
    assert (own.values, own.comment, own.revision) == (
        revision_values(last_attempt, 1),
        f"attempt {last_attempt}",
        submits,
    )
    assert stored_votes(store, code) == [own]


def test_facilitators_starting_a_new_round_at_the_same_moment(store):
    outcomes = []
    for _ in range(8):
        code, key = store.create_room("Two facilitators", FACTORS, "sliders", MODEL)
        start = threading.Event()

        def new_round(code=code, key=key, start=start):
            start.wait()
            try:
                return store.new_round(code, key)
            except RoomError as error:
                return error

        with ThreadPoolExecutor(max_workers=4) as pool:
            futures = [pool.submit(new_round) for _ in range(4)]
            start.set()
            outcomes += [f.exception(timeout=60) or f.result() for f in futures]
        numbers = store.round_numbers(code)
        assert numbers == list(range(1, len(numbers) + 1))
    database_errors = [o for o in outcomes if isinstance(o, sa.exc.SQLAlchemyError)]
    assert database_errors == [], f"{len(database_errors)} of {len(outcomes)} calls failed: {database_errors[0]!r}"


# --- links and configuration --------------------------------------------------------------------


@pytest.mark.parametrize("module", sorted(Path(room_store.__file__).parent.glob("*.py")), ids=lambda p: p.name)
def test_the_store_knows_no_page_file_names(module):
    source = module.read_text()
    assert "/Join" not in source and "/join" not in source and "pages/" not in source


def test_limits_and_methods_come_from_settings():
    assert tuple(settings.WEIGHT_METHODS) == METHODS
    assert schema.rooms.c.title.type.length == settings.MAX_ROOM_TITLE == 80
    assert schema.participants.c.name.type.length == settings.MAX_PARTICIPANT_NAME == 40
    assert schema.votes.c.comment.type.length == settings.MAX_COMMENT == 280


@pytest.mark.parametrize(
    ("closed", "locked", "status"),
    [(False, False, "open"), (False, True, "locked"), (True, False, "closed"), (True, True, "closed")],
)
def test_room_status(closed, locked, status):
    assert Room("C", "T", FACTORS, "sliders", closed, 1, False, locked).status == status


def test_database_url_prefers_the_explicit_url(tmp_path):
    folder = tmp_path / "not-created"
    environ = {
        "PLACEMENT_DATABASE_URL": "postgresql+psycopg://u:p@db:5432/rooms",
        "PLACEMENT_DB_PATH": str(folder / "rooms.db"),
    }
    assert database_url(environ) == "postgresql+psycopg://u:p@db:5432/rooms"
    assert not folder.exists()


def test_database_url_makes_a_sqlite_file_url_and_its_folder(tmp_path):
    path = tmp_path / "deep" / "er" / "rooms.db"
    for environ in [{"PLACEMENT_DB_PATH": str(path)}, {"PLACEMENT_DATABASE_URL": "", "PLACEMENT_DB_PATH": str(path)}]:
        url = database_url(environ)
        assert url == f"sqlite:///{path}"
        assert path.parent.is_dir()
    engine = sa.create_engine(url)
    try:
        store = RoomStore(engine)
        code, _ = store.create_room("On disk", FACTORS, "sliders", MODEL)
        assert store.room(code).title == "On disk"
    finally:
        engine.dispose()
    assert path.is_file()


def test_database_url_defaults_to_the_embedded_file(tmp_path, monkeypatch):
    default = tmp_path / "var" / "rooms.db"
    monkeypatch.setattr(schema, "DEFAULT_SQLITE_PATH", default)
    assert database_url({}) == f"sqlite:///{default}"
    assert default.parent.is_dir()


def test_database_url_reads_the_process_environment_by_default(tmp_path, monkeypatch):
    monkeypatch.setenv("PLACEMENT_DATABASE_URL", "postgresql+psycopg://u:p@elsewhere/rooms")
    assert database_url() == "postgresql+psycopg://u:p@elsewhere/rooms"


# --- the room owns its model --------------------------------------------------------------------


def changed(model: Model, placement: str, factor: str) -> Model:
    """`model` with one cell set to another score."""
    return editing.set_score(model, placement, factor, 1 if model.cells[placement, factor].score != 1 else 0)


def edited_model() -> Model:
    """The facilitator's model after a workshop's edits: two cells changed and the optional Hybrid added."""
    edited = changed(changed(MODEL, "operations", "speed"), "biz_ops", "reach")
    return editing.add_optional(edited, model_for(FACTORS, FULL_MODEL), HYBRID)


def test_create_room_keeps_the_facilitators_model_for_round_1(store, new_engine):
    edited = edited_model()
    code, _ = store.create_room("Edited", FACTORS[:2], "sliders", edited)
    expected = edited.only(factor_ids=FACTOR_IDS[:2])
    assert store.round_model(code, 1, fallback=MODEL) == expected
    assert HYBRID in store.round_model(code, 1, fallback=MODEL).placement_ids
    # Another server (or a phone's session) with its own baseline ranks with the same model.
    elsewhere = RoomStore(new_engine())
    assert elsewhere.round_model(messy(code), 1, fallback=MODEL) == expected
    assert elsewhere.round_model(code, 1, fallback=MODEL).factor_ids == FACTOR_IDS[:2]


def statements(store: RoomStore, read) -> int:
    """How many SQL statements `read()` sends to the store's database."""
    sent = []
    listen = lambda *args: sent.append(args[2])  # noqa: E731 - the statement's text
    sa.event.listen(store.engine, "before_cursor_execute", listen)
    try:
        read()
    finally:
        sa.event.remove(store.engine, "before_cursor_execute", listen)
    return len(sent)


def test_the_board_reads_a_room_and_a_rounds_model_in_few_queries(store, room):
    """The board reads the room several times per redraw: the room with its latest round is one query, a
    round's model two (the room, then its accepted cells), the latest round's votes two."""
    code, key = room
    store.new_round(code, key, edited_model())
    store.submit(code, store.join(code, "Ana"), VOTE, round_number=2)
    store.reveal(code, key)
    store.round_model(code, 2, fallback=MODEL)  # the snapshot is parsed once, then kept
    assert statements(store, lambda: store.room(code)) == 1
    assert statements(store, lambda: store.round_model(code, 2, fallback=MODEL)) == 2
    assert statements(store, lambda: store.model_note(code, 2, MODEL)) == 2
    assert statements(store, lambda: store.votes(code, number=2)) == 2  # the room with its latest round, the votes


def test_the_boards_other_reads_take_the_room_with_its_ids_and_key_from_one_query(store, room):
    """The room's lookup also brings its id, its latest round's id and the key's hash: no read asks for them
    again (counts took 5 statements, the round's revision 5, proposals 4, decisions 3, participants 4)."""
    code, key = room
    store.submit(code, store.join(code, "Ana"), VOTE, round_number=1)
    store.reveal(code, key)
    assert statements(store, lambda: store.counts(code)) == 3  # the room, who joined, who voted
    assert statements(store, lambda: store.round_revision(code, 1)) == 3  # the room, its votes', its decisions'
    assert statements(store, lambda: store.proposals(code, key)) == 2
    assert statements(store, lambda: store.decisions(code, key)) == 2
    assert statements(store, lambda: store.participants(code, key)) == 2
    with pytest.raises(RoomError, match="key does not match"):
        store.proposals(code, "not the key")


def test_the_model_must_hold_every_factor_of_the_room(store):
    without_depth = MODEL.only(factor_ids=["speed", "reach"])
    with pytest.raises(InputError) as caught:
        store.create_room("Room", FACTORS, "sliders", without_depth)
    assert problem_places(caught) == ["factors"]
    assert "Depth" in str(caught.value)
    with store.engine.connect() as db:
        assert db.execute(sa.select(sa.func.count()).select_from(schema.rooms)).scalar() == 0


def test_a_new_round_takes_the_current_model_or_keeps_the_previous_one(store, room):
    code, key = room
    edited = edited_model()
    assert store.new_round(code, key, edited) == 2
    assert store.new_round(code, key) == 3
    assert store.round_model(code, 1, fallback=edited) == MODEL
    assert store.round_model(code, 2, fallback=MODEL) == edited
    assert store.round_model(code, 3, fallback=MODEL) == edited


def test_a_new_round_refuses_a_model_without_the_rooms_factors(store, room):
    code, key = room
    with pytest.raises(InputError, match="Reach"):
        store.new_round(code, key, MODEL.only(factor_ids=["speed", "depth"]))
    assert store.round_numbers(code) == [1]


def test_an_unknown_rounds_model_is_a_room_error(store, room):
    code, _ = room
    with pytest.raises(RoomError, match="no round 7"):
        store.round_model(code, 7, fallback=MODEL)
    with pytest.raises(RoomError, match="There is no room"):
        store.round_model("ZZZZZZZZ" if code != "ZZZZZZZZ" else "YYYYYYYY", 1, fallback=MODEL)


def test_a_rounds_model_is_parsed_once(store, room, monkeypatch):
    code, key = room
    store.new_round(code, key, edited_model())
    parsed = []
    real = snapshots.from_json
    monkeypatch.setattr(snapshots, "from_json", lambda *args: parsed.append(args) or real(*args))
    for _ in range(5):  # the board refreshes every few seconds
        store.round_model(code, 1, fallback=MODEL)
        store.round_model(messy(code), 2, fallback=MODEL)
        store.model_note(code, 2, MODEL)
    assert len(parsed) == 2


def test_the_model_note_says_how_the_round_differs_from_the_source(store, room):
    code, key = room
    assert store.model_note(code, 1, MODEL) == "the source baseline"
    store.new_round(code, key, edited_model())
    assert store.model_note(code, 2, MODEL) == "edited: 2 cells changed, Hybrid placement added"
    one_cell = changed(MODEL, "operations", "speed")
    store.new_round(code, key, one_cell.only(placement_ids=["head_of_product", "operations", "biz_ops"]))
    placement = MODEL.placement("product_areas").short_name
    assert store.model_note(code, 3, MODEL) == f"edited: 1 cell changed, {placement} placement removed"


def test_the_model_note_counts_only_what_the_room_weighs(store):
    """A cell changed in a factor the room does not weigh does not change its ranking."""
    outside = changed(MODEL, "operations", "depth")
    code, _ = store.create_room("Two factors", FACTORS[:2], "sliders", outside)
    assert store.model_note(code, 1, MODEL) == "the source baseline"
    custom = editing.add_factor(MODEL, "Budget", "Who pays.", dict.fromkeys(MODEL.placement_ids, 1))
    budget = custom.factor_ids[-1]
    factors = [*FACTORS[:2], {"id": budget, "name": "Budget", "definition": "Who pays."}]
    code, _ = store.create_room("With a custom factor", factors, "sliders", custom)
    assert store.model_note(code, 1, MODEL) == "edited: Budget factor added"
    assert store.round_model(code, 1, fallback=MODEL).factor_ids == [*FACTOR_IDS[:2], budget]


# --- votes carry their round --------------------------------------------------------------------


def test_a_vote_for_an_ended_round_is_refused_not_filed_in_the_next(store, room):
    code, key = room
    ada = store.join(code, "Ada")
    assert store.submit(code, ada, VOTE, round_number=1) == 1
    store.new_round(code, key)
    with pytest.raises(domain.RoundEnded) as caught:
        store.submit(code, ada, OTHER_VOTE, "late", round_number=1)
    assert str(caught.value) == (
        "Round 1 ended before your vote arrived, so it was not counted. Round 2 is open: please vote again."
    )
    assert isinstance(caught.value, RoomError)
    assert store.own_vote(code, ada) is None
    assert store.counts(code) == (1, 0)
    assert [(v.values, v.revision) for v in stored_votes(store, code, number=1)] == [(VOTE, 1)]
    assert store.submit(code, ada, OTHER_VOTE, round_number=2) == 1


def test_an_ended_round_says_when_the_next_is_locked_or_the_room_closed(store, room):
    code, key = room
    ada = store.join(code, "Ada")
    store.new_round(code, key)
    store.lock(code, key)
    with pytest.raises(domain.RoundEnded, match="Round 1 ended .* Round 2 has started but voting is locked"):
        store.submit(code, ada, VOTE, round_number=1)
    store.close(code, key)
    with pytest.raises(domain.RoundEnded, match="Round 1 ended .* The room is now closed."):
        store.submit(code, ada, VOTE, round_number=1)
    with pytest.raises(RoomError, match="closed"):
        store.submit(code, ada, VOTE, round_number=2)
    assert store.counts(code) == (1, 0)


def test_a_vote_for_a_round_that_does_not_exist_yet_is_refused(store, room):
    code, _ = room
    ada = store.join(code, "Ada")
    with pytest.raises(RoomError, match="no round 2") as caught:
        store.submit(code, ada, VOTE, round_number=2)
    assert not isinstance(caught.value, domain.RoundEnded)
    assert store.own_vote(code, ada) is None


def test_sqlite_write_transactions_take_the_write_lock_before_reading(tmp_path):
    """SQLAlchemy 2 autobegins without telling SQLite; pysqlite would begin only at the first write.

    Inside the store's write transaction another writer must already be shut out.
    """
    path = tmp_path / "rooms.db"
    engine = sa.create_engine(f"sqlite:///{path}")
    try:
        store = RoomStore(engine)
        code, _ = store.create_room("Room", FACTORS, "sliders", MODEL)
        with store._writing() as db:
            store._room(db, code)  # a read only, so far
            assert db.connection.dbapi_connection.in_transaction
            other = sqlite3.connect(path, timeout=0)
            try:
                with pytest.raises(sqlite3.OperationalError, match="locked"):
                    other.execute("BEGIN IMMEDIATE")
            finally:
                other.close()
        with engine.connect() as db:  # committed and released
            assert not db.connection.dbapi_connection.in_transaction
        assert store.room(code).round == 1
    finally:
        engine.dispose()


RACERS = 8


def test_no_vote_lands_in_a_round_after_a_new_round_or_a_lock(store, room, limits_lifted):
    """Participants vote as fast as they can while one facilitator thread starts round 2 (round 1
    still open) and another then locks round 2. A submit either returns a revision, and that vote is
    stored in the round it named, or raises RoomError; nothing is stored in round 1 once round 2 has
    started, nor in round 2 once its lock has committed."""
    code, key = room
    tokens = [store.join(code, f"P{person}") for person in range(RACERS)]
    stop, round_2, locked, refused_after_lock = (threading.Event() for _ in range(4))
    moments: dict[int, float] = {}  # round -> when it stopped taking votes (new round / lock returned)
    snapshots: dict[int, list] = {}  # round -> its votes right then
    voted: dict[int, set[int]] = {1: set(), 2: set()}  # round -> who has a confirmed vote in it
    confirmed = threading.Condition()

    def participant(person: int) -> list[tuple]:
        outcomes, attempt = [], 0
        while not stop.is_set():
            attempt += 1
            number = store.room(code).round  # the round the participant's form shows
            values = {"speed": attempt % 11, "reach": person, "depth": 1}
            began = time.perf_counter()
            try:
                revision = store.submit(code, tokens[person], values, "", round_number=number)
                outcomes.append(("stored", number, revision, values, began))
                with confirmed:
                    voted[number].add(person)
                    confirmed.notify_all()
            except RoomError as error:
                outcomes.append(("refused", number, type(error).__name__, values, began))
                if number == 2 and locked.is_set():
                    refused_after_lock.set()
        return outcomes

    def wait_for_votes(number: int) -> None:
        """Until half the participants hold a confirmed vote in round `number`: woken by their confirmations,
        not by polling the store (which only added writers' contention) or by a clock."""
        with confirmed:
            confirmed.wait_for(lambda: len(voted[number]) >= RACERS // 2)

    def starter() -> None:
        wait_for_votes(1)
        assert store.new_round(code, key) == 2
        moments[1] = time.perf_counter()
        snapshots[1] = stored_votes(store, code, 1)
        round_2.set()

    def locker() -> None:
        round_2.wait()
        wait_for_votes(2)
        store.lock(code, key)
        moments[2] = time.perf_counter()
        locked.set()
        snapshots[2] = stored_votes(store, code, 2)
        refused_after_lock.wait()  # the participants keep trying until one of them is turned away

    with ThreadPoolExecutor(max_workers=RACERS + 2) as pool:
        voters = [pool.submit(participant, person) for person in range(RACERS)]
        try:
            for control in [pool.submit(starter), pool.submit(locker)]:
                control.result(timeout=120)
        finally:
            stop.set()
        outcomes = {person: future.result(timeout=120) for person, future in enumerate(voters)}

    for number in (1, 2):
        stored = {v.participant: v for v in stored_votes(store, code, number)}
        assert stored, f"no votes in round {number}"
        assert list(stored.values()) == snapshots[number]  # nothing arrived after it stopped taking votes
        for person, results in outcomes.items():
            confirmed = [(r[2], r[3]) for r in results if r[0] == "stored" and r[1] == number]
            if not confirmed:
                assert f"P{person}" not in stored
                continue
            revision, values = max(confirmed, key=lambda c: c[0])  # every confirmation is stored as it was
            assert (stored[f"P{person}"].revision, stored[f"P{person}"].values) == (revision, values)
            assert [r for r, _ in confirmed] == list(range(1, revision + 1))
            assert all(r[4] < moments[number] for r in results if r[0] == "stored" and r[1] == number)
    refused = {r[2] for results in outcomes.values() for r in results if r[0] == "refused"}
    assert "RoundEnded" in refused  # the race was real: some votes named round 1 after it ended


# --- safe controls ------------------------------------------------------------------------------


def test_reveal_waits_for_a_vote(store, room):
    code, key = room
    ada = store.join(code, "Ada")
    with pytest.raises(RoomError) as caught:
        store.reveal(code, key)
    assert str(caught.value) == "Nobody has voted in this round yet: reveal once at least one vote is in."
    assert (store.room(code).revealed, store.room(code).locked) == (False, False)
    store.submit(code, ada, VOTE)
    store.reveal(code, key)
    assert store.room(code).revealed is True


def test_a_revealed_round_does_not_change_under_the_rooms_eyes(store, room):
    code, key = room
    ada, bob = store.join(code, "Ada"), store.join(code, "Bob")
    store.submit(code, ada, VOTE)
    store.reveal(code, key)
    shown = store.votes(code)
    assert store.room(code).locked is True
    for token in (ada, bob):
        with pytest.raises(RoomError, match="locked"):
            store.submit(code, token, OTHER_VOTE, round_number=1)
    assert store.votes(code) == shown
    assert store.counts(code) == (2, 1)


def test_reopen_voting_unlocks_and_hides_until_the_next_reveal(store, room):
    code, key = room
    ada, bob = store.join(code, "Ada"), store.join(code, "Bob")
    store.submit(code, ada, VOTE)
    store.reveal(code, key)
    store.reopen_voting(code, key)
    assert (store.room(code).revealed, store.room(code).locked) == (False, False)
    with pytest.raises(RoomError, match="hidden"):
        store.votes(code)
    assert store.submit(code, ada, OTHER_VOTE, round_number=1) == 2
    assert store.submit(code, bob, VOTE, round_number=1) == 1
    store.reveal(code, key)
    assert [(v.participant, v.values, v.revision) for v in store.votes(code)] == [
        ("Ada", OTHER_VOTE, 2),
        ("Bob", VOTE, 1),
    ]


def test_the_round_revision_changes_with_every_vote_revision_and_removal(store, room):
    """What the board's cached summary is keyed on: read without reading the votes, hidden rounds refused."""
    code, key = room
    ada, bob = store.join(code, "Ada"), store.join(code, "Bob")
    store.submit(code, ada, VOTE)
    with pytest.raises(RoomError, match="hidden"):
        store.round_revision(code, 1)
    store.reveal(code, key)
    seen = [store.round_revision(messy(code), 1)]
    assert store.round_revision(code, 1) == seen[0]  # nothing changed: the same revision

    def changed() -> bool:
        store.reveal(code, key)
        now = store.round_revision(code, 1)
        fresh = now not in seen
        seen.append(now)
        return fresh

    store.reopen_voting(code, key)
    store.submit(code, bob, VOTE)  # a new vote
    assert changed()
    store.reopen_voting(code, key)
    store.submit(code, ada, OTHER_VOTE)  # a revision
    assert changed()
    store.reopen_voting(code, key)
    store.submit(code, ada, VOTE)  # back to the first values: still a new revision
    assert changed()
    store.remove_participant(code, key, store.participants(code, key)[1].id)  # Bob's vote leaves the tally
    assert store.round_revision(code, 1) not in seen
    store.new_round(code, key)
    with pytest.raises(RoomError, match="hidden"):
        store.round_revision(code, 2)
    assert store.round_revision(code, 1) == store.round_revision(code, 1)


@pytest.mark.parametrize("action", ["new_round", "reveal", "lock", "reopen_voting"])
def test_a_closed_room_must_be_reopened_first(store, room, action):
    code, key = room
    store.submit(code, store.join(code, "Ada"), VOTE)
    store.close(code, key)
    before = state(store, code)
    with pytest.raises(RoomError) as caught:
        getattr(store, action)(code, key)
    assert str(caught.value) == "This room is closed; reopen it first."
    assert state(store, code) == before


def test_close_records_when_and_can_be_undone_for_a_while(store, room):
    code, key = room
    ada = store.join(code, "Ada")
    store.submit(code, ada, VOTE)
    assert (store.room(code).closed_at, store.room(code).reopenable) == (None, False)
    before = datetime.now(UTC)
    store.close(code, key)
    closed = store.room(code)
    assert closed.closed is True
    assert before <= closed.closed_at <= datetime.now(UTC)
    assert closed.reopenable is True
    store.close(code, key)  # a second click keeps the first time: the window does not grow
    assert store.room(code).closed_at == closed.closed_at
    store.reopen(code, key, now=closed.closed_at + timedelta(hours=settings.REOPEN_HOURS) - timedelta(seconds=1))
    reopened = store.room(code)
    assert (reopened.closed, reopened.closed_at, reopened.round, reopened.locked) == (False, None, 1, False)
    assert store.submit(code, ada, OTHER_VOTE, round_number=1) == 2
    assert store.participant_name(code, store.join(code, "Bob")) == "Bob"
    store.reopen(code, key)  # an open room: nothing to do
    assert store.room(code).closed is False


def test_a_room_closed_too_long_ago_stays_closed(store, room, monkeypatch):
    code, key = room
    store.close(code, key)
    closed_at = store.room(code).closed_at
    late = closed_at + timedelta(hours=settings.REOPEN_HOURS)
    with pytest.raises(RoomError) as caught:
        store.reopen(code, key, now=late)
    assert str(caught.value) == (
        f"This room was closed more than {settings.REOPEN_HOURS} hours ago, so it can no longer be reopened. "
        "Create a new room instead."
    )
    assert store.room(code).closed is True
    monkeypatch.setattr(domain, "now", lambda: late)  # the clock of the store and of Room.reopenable
    assert store.room(code).reopenable is False
    with pytest.raises(RoomError, match="no longer be reopened"):
        store.reopen(code, key)
    monkeypatch.setattr(domain, "now", lambda: late - timedelta(seconds=1))
    assert store.room(code).reopenable is True
    store.reopen(code, key)
    assert store.room(code).closed is False


def test_reopen_hours_come_from_settings():
    assert settings.REOPEN_HOURS == 24
    closed_at = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    room = Room("CODE", "T", FACTORS, "sliders", True, 1, False, False, closed_at)
    assert room.reopen_until == closed_at + timedelta(hours=24)
    assert room.reopenable_at(closed_at + timedelta(hours=23, minutes=59)) is True
    assert room.reopenable_at(closed_at + timedelta(hours=24)) is False
    assert Room("CODE", "T", FACTORS, "sliders", True, 1, False, False, None).reopenable_at(closed_at) is False


# --- migrating from schema version 1 ------------------------------------------------------------


def version_1_tables() -> sa.MetaData:
    """The schema as version 1 created it: no rooms.closed_at, no rounds.model."""
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
        sa.Column("closed", sa.Boolean, nullable=False, default=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
    )
    sa.Table(
        "rounds",
        old,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("room_id", sa.ForeignKey("rooms.id"), nullable=False),
        sa.Column("number", sa.Integer, nullable=False),
        sa.Column("revealed", sa.Boolean, nullable=False, default=False),
        sa.Column("locked", sa.Boolean, nullable=False, default=False),
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
    )
    sa.Table(
        "votes",
        old,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("round_id", sa.ForeignKey("rounds.id"), nullable=False),
        sa.Column("participant_id", sa.ForeignKey("participants.id"), nullable=False),
        sa.Column("values", sa.Text, nullable=False),
        sa.Column("comment", sa.String(280), nullable=False, default=""),
        sa.Column("revision", sa.Integer, nullable=False, default=1),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("round_id", "participant_id"),
    )
    return old


def test_a_version_1_database_is_upgraded_and_keeps_its_rooms(new_engine):
    engine = new_engine()
    old = version_1_tables()
    old.create_all(engine)
    now = datetime.now(UTC)
    key = "version-one-facilitator-key"
    t = old.tables
    with engine.begin() as db:  # no explicit ids: PostgreSQL's sequences must move on as they did
        db.execute(t["schema_version"].insert().values(version=1))
        ids = {}
        for code, closed in [("OLDROOM2", False), ("SHUT2345", True)]:
            ids[code] = db.execute(
                t["rooms"]
                .insert()
                .values(
                    code=code,
                    title="Before the upgrade",
                    factors=json.dumps(FACTORS),
                    method="sliders",
                    key_hash=hashlib.sha256(key.encode()).hexdigest(),
                    closed=closed,
                    created_at=now,
                )
            ).inserted_primary_key[0]
            db.execute(t["rounds"].insert().values(room_id=ids[code], number=1, revealed=False, locked=False))
        round_id = db.execute(sa.select(t["rounds"].c.id).where(t["rounds"].c.room_id == ids["OLDROOM2"])).scalar()
        ada = db.execute(
            t["participants"].insert().values(room_id=ids["OLDROOM2"], token="ada-token", name="Ada", joined_at=now)
        ).inserted_primary_key[0]
        db.execute(
            t["votes"]
            .insert()
            .values(
                round_id=round_id,
                participant_id=ada,
                values=json.dumps(VOTE),
                comment="v1",
                revision=1,
                submitted_at=now,
            )
        )

    store = RoomStore(engine)

    assert schema_versions(store) == [1, SCHEMA_VERSION] and SCHEMA_VERSION == 5
    columns = {table: {c["name"] for c in sa.inspect(engine).get_columns(table)} for table in ("rooms", "rounds")}
    assert "closed_at" in columns["rooms"] and "model" in columns["rounds"]
    assert [(v.participant, v.values, v.comment) for v in stored_votes(store, "OLDROOM2")] == [("Ada", VOTE, "v1")]
    # A round saved without a snapshot is scored with the caller's baseline.
    assert store.round_model("OLDROOM2", 1, fallback=MODEL) == MODEL
    assert store.model_note("OLDROOM2", 1, MODEL) == "the source baseline"
    assert store.submit("OLDROOM2", "ada-token", OTHER_VOTE, round_number=1) == 2
    assert store.new_round("OLDROOM2", key) == 2  # still without a snapshot
    assert store.round_model("OLDROOM2", 2, fallback=MODEL) == MODEL
    assert store.new_round("OLDROOM2", key, edited_model()) == 3
    assert store.round_model("OLDROOM2", 3, fallback=MODEL) == edited_model()
    # A room closed before version 2 has no closing time: it cannot be reopened.
    shut = store.room("SHUT2345")
    assert (shut.closed, shut.closed_at, shut.reopenable) == (True, None, False)
    with pytest.raises(RoomError, match="no longer be reopened"):
        store.reopen("SHUT2345", key)
    RoomStore(new_engine())  # the next start-up finds version 2 and changes nothing
    assert schema_versions(store) == [1, SCHEMA_VERSION]


# --- secrecy across rounds, one person one vote, limits (issue 11) --------------------------------


def test_no_path_reads_a_round_before_its_reveal(store):
    """Every round of every room, read with no key, a wrong key and the facilitator's key."""
    secret = {}
    for title in ("First room", "Second room"):
        code, key = store.create_room(title, FACTORS, "sliders", MODEL)
        ada, bob = store.join(code, "Ada"), store.join(code, "Bob")
        store.submit(code, ada, VOTE, "round 1")  # round 1: never revealed, a new round started
        store.new_round(code, key)
        store.submit(code, bob, OTHER_VOTE, "round 2")  # round 2: revealed
        store.reveal(code, key)
        store.new_round(code, key)
        store.submit(code, ada, VOTE, "round 3")  # round 3: revealed, then voting reopened (hidden again)
        store.reveal(code, key)
        store.reopen_voting(code, key)
        store.new_round(code, key)
        store.submit(code, bob, VOTE, "round 4")  # round 4: the current round, not revealed
        secret[code] = key
    for code, key in secret.items():
        for number in store.round_numbers(code):
            for who in (None, "", "not-the-key", key):
                if number == 2:
                    assert [v.comment for v in store.votes(code, who, number)] == ["round 2"]
                else:
                    with pytest.raises(RoomError, match="hidden"):
                        store.votes(code, who, number)
        assert store.round_numbers(code, revealed_only=True) == [2]
        with pytest.raises(RoomError, match="hidden"):
            store.votes(code, key)  # the current round


def test_a_browser_joins_once(store, room):
    code, key = room
    first = store.join(code, "Ada", device="browser-1")
    assert [store.join(code, "Ada again", device="browser-1") for _ in range(30)] == [first] * 30
    assert store.counts(code)[0] == 1
    assert store.device_token(code, "browser-1") == first
    assert store.device_token(code, "browser-2") is None
    assert store.participant_name(code, first, device="browser-1") == "Ada"
    assert store.participant_name(code, first, device="browser-2") is None  # a forwarded link
    with pytest.raises(RoomError, match="does not belong"):
        store.submit(code, first, VOTE, device="browser-2")
    assert store.submit(code, first, VOTE, device="browser-1") == 1


def test_the_facilitator_sees_participants_flags_duplicates_and_removes_one(store, room):
    code, key = room
    ana = store.join(code, "Ana", device="a")
    store.join(code, "Bob", device="b")
    bob2 = store.join(code, "bob", device="c")
    store.submit(code, ana, VOTE)
    store.submit(code, bob2, OTHER_VOTE)
    with pytest.raises(RoomError, match="facilitator key"):
        store.participants(code, "not-the-key")
    listed = store.participants(code, key)
    assert [(p.name, p.voted, p.duplicate) for p in listed] == [
        ("Ana", True, False),
        ("Bob", False, True),
        ("bob", True, True),
    ]
    assert store.remove_participant(code, key, listed[0].id) == "Ana removed; 1 vote"
    assert store.counts(code) == (2, 1)
    assert [p.name for p in store.participants(code, key)] == ["Bob", "bob"]
    with pytest.raises(RoomError, match="removed you"):
        store.submit(code, ana, VOTE)
    with pytest.raises(RoomError, match="removed you"):
        store.join(code, "Ana", device="a")
    store.reveal(code, key)
    assert [v.participant for v in store.votes(code)] == ["bob"]


def test_a_room_can_require_names_and_a_passcode(store):
    code, _ = store.create_room("Strict", FACTORS, "sliders", MODEL, require_names=True, passcode="tulip")
    assert store.room(code).require_names and store.room(code).has_passcode
    with pytest.raises(RoomError, match="name"):
        store.join(code, "  ", passcode="tulip")
    with pytest.raises(RoomError, match="passcode"):
        store.join(code, "Ada", passcode="rose")
    assert store.participant_name(code, store.join(code, "Ada", passcode=" tulip ")) == "Ada"


def test_joins_are_limited_per_room_and_per_address(store, room, monkeypatch):
    code, _ = room
    monkeypatch.setattr(settings, "RATE_LIMITS", {"join": {"room": 5, "address": 3}, "vote": {"room": 4, "address": 2}})
    for n in range(3):
        store.join(code, f"P{n}", device=f"d{n}", address="10.0.0.1")
    with pytest.raises(RoomError, match="Too many joins from your network"):
        store.join(code, "P3", device="d3", address="10.0.0.1")
    store.join(code, "P4", device="d4", address="10.0.0.2")
    store.join(code, "P5", device="d5", address="10.0.0.3")
    with pytest.raises(RoomError, match="Too many joins in this room"):
        store.join(code, "P6", device="d6", address="10.0.0.4")
    token = store.device_token(code, "d0")
    store.submit(code, token, VOTE, address="10.0.0.9")
    store.submit(code, token, VOTE, address="10.0.0.9")
    with pytest.raises(RoomError, match="Too many votes from your network"):
        store.submit(code, token, VOTE, address="10.0.0.9")


def test_a_full_room_says_so(store, room, monkeypatch):
    code, _ = room
    monkeypatch.setattr(settings, "MAX_PARTICIPANTS", 2)
    store.join(code, "A", device="a")
    store.join(code, "B", device="b")
    with pytest.raises(RoomError, match=r"full \(2 participants\)"):
        store.join(code, "C", device="c")
    assert store.join(code, "A", device="a")  # someone already in still gets back in


def test_old_rooms_are_purged_with_their_votes_and_a_room_can_be_deleted(store, room):
    code, key = room
    store.submit(code, store.join(code, "Ada"), VOTE)
    later = datetime.now(UTC) + timedelta(days=settings.ROOM_DAYS + 1)
    other, other_key = store.create_room("Kept", FACTORS, "sliders", MODEL)
    assert store.purge(now=datetime.now(UTC)) == []
    assert [r.code for r in store.list_rooms()] == [code, other]
    assert store.purge(now=later) == [code, other]
    with pytest.raises(RoomError, match="no room"):
        store.room(code)
    with store.engine.connect() as db:
        for table in (schema.votes, schema.participants, schema.rounds, schema.rooms):
            assert db.execute(sa.select(sa.func.count()).select_from(table)).scalar() == 0
    third, third_key = store.create_room("Deleted", FACTORS, "sliders", MODEL)
    store.join(third, "Ada")
    with pytest.raises(RoomError, match="facilitator key"):
        store.delete_room(third, "wrong")
    store.delete_room(third, third_key)
    assert store.list_rooms() == []


def test_the_administrator_closes_a_room_without_its_key(store, room):
    code, _ = room
    store.close_as_admin(code)
    assert store.room(code).closed


def test_a_database_failure_during_submit_says_the_vote_was_not_saved(tmp_path):
    path = tmp_path / "rooms.db"
    writer = RoomStore(sa.create_engine(f"sqlite:///{path}"))
    code, key = writer.create_room("Read-only later", FACTORS, "sliders", MODEL)
    token = writer.join(code, "Ada")
    assert writer.submit(code, token, VOTE) == 1
    writer.engine.dispose()
    writer.engine = sa.create_engine(f"sqlite:///file:{path}?mode=ro&uri=true")  # the file, read-only
    try:
        with pytest.raises(RoomError, match="your vote was not saved. Try again"):
            writer.submit(code, token, OTHER_VOTE)
    finally:
        writer.engine.dispose()
    reader = RoomStore(sa.create_engine(f"sqlite:///{path}"))
    assert [v.values for v in stored_votes(reader, code)] == [VOTE]  # the earlier vote stands
    reader.engine.dispose()


# --- NUL characters (PostgreSQL cannot store them) ----------------------------------------------


def test_a_nul_character_in_a_name_comment_or_title_is_refused_with_a_clear_problem(store, room):
    code, key = room
    with pytest.raises(InputError) as caught:
        store.join(code, "Ad\x00a")
    assert problem_places(caught) == ["name"] and "NUL" in str(caught.value)
    token = store.join(code, "Ada")
    with pytest.raises(InputError) as caught:
        store.submit(code, token, VOTE, comment="fine\x00")
    assert problem_places(caught) == ["comment"]
    with pytest.raises(InputError) as caught:
        store.create_room("Ti\x00tle", FACTORS, "sliders", MODEL)
    assert problem_places(caught) == ["title"]
    assert store.own_vote(code, token) is None  # nothing half-stored
    assert store.participant_name(code, "tok\x00en") is None  # a NUL in a link is no database error
    assert store.device_token(code, "dev\x00ice") is None
    with pytest.raises(RoomError, match="no room"):
        store.room("AB\x00CD")


# --- pairwise rooms: judgements live in the vote's values, keyed "first|second" ---------------------

PAIRWISE_VOTE = {"speed|reach": 3.0, "speed|depth": 1 / 5, "reach|depth": 1 / 9}  # three factors: every pair


def test_the_facilitator_counts_hidden_votes_and_learns_nothing_else(store):
    code, key = store.create_room("Compare pairs", FACTORS, "pairwise", MODEL)
    for name, values in (("Ada", PAIRWISE_VOTE), ("Ben", {**PAIRWISE_VOTE, "speed|reach": 9}), ("Cy", PAIRWISE_VOTE)):
        store.submit(code, store.join(code, name), values)
    assert store.count_votes(code, key, lambda values: values["speed|reach"] == 9) == 1
    assert store.count_votes(code, key, lambda values: True) == 3
    with pytest.raises(RoomError, match="facilitator key"):
        store.count_votes(code, "wrong", lambda values: True)
    with pytest.raises(RoomError, match="hidden"):
        store.votes(code, key)
    store.new_round(code, key)
    assert store.count_votes(code, key, lambda values: True) == 0  # the current round only


@pytest.mark.parametrize(
    ("values", "accepted"),
    [
        (PAIRWISE_VOTE, True),
        ({**PAIRWISE_VOTE, "speed|reach": 9}, True),
        ({**PAIRWISE_VOTE, "speed|reach": 10}, False),  # beyond Saaty's scale
        ({**PAIRWISE_VOTE, "speed|reach": 0}, False),
        ({**PAIRWISE_VOTE, "speed|reach": -3}, False),
        ({**PAIRWISE_VOTE, "speed|reach": math.inf}, False),
        ({**PAIRWISE_VOTE, "speed|reach": 2.5}, False),  # between two points of the scale
        ({**PAIRWISE_VOTE, "speed|reach": 0.5}, False),
        ({**PAIRWISE_VOTE, "speed|reach": 1 / 4}, False),
        ({**PAIRWISE_VOTE, "speed|reach": "1/3"}, False),
        ({**PAIRWISE_VOTE, "speed|reach": 1 / 7}, True),
        ({"speed|reach": 3, "speed|depth": 5}, False),  # a pair left out
        ({**PAIRWISE_VOTE, "reach|speed": 3}, False),  # a pair the design does not ask
        (VOTE, False),  # a slider vote
    ],
)
def test_pairwise_votes_are_the_designs_judgements_on_saatys_scale(store, values, accepted):
    code, _ = store.create_room("Compare pairs", FACTORS, "pairwise", MODEL)
    token = store.join(code, "Ada")
    if accepted:
        assert store.submit(code, token, values) == 1
        assert store.own_vote(code, token).values == pytest.approx(values)
    else:
        with pytest.raises(InputError):
            store.submit(code, token, values)
        assert store.own_vote(code, token) is None


def on_the_rooms_scale(value, method: str) -> bool:
    """What a vote may hold, written out here: a level 0..10 (any real), a whole rank 1..3, a point of Saaty's scale."""
    if isinstance(value, bool) or not isinstance(value, int | float) or abs(value) > 1e6:
        return False
    if method == "pairwise":
        return any(abs(value - p) <= 1e-9 * p for p in [9, 7, 5, 3, 1, 1 / 3, 1 / 5, 1 / 7, 1 / 9])
    if method == "rank":
        return value in {1, 2, 3}
    return 0 <= value <= 10


@hypothesis.settings(
    max_examples=40, deadline=None, suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture]
)
@hypothesis.given(
    method=strategies.sampled_from(["sliders", "rank", "pairwise"]),
    value=strategies.one_of(
        strategies.none(), strategies.booleans(), strategies.text(), strategies.integers(), strategies.floats()
    ),
)
def test_any_value_off_the_rooms_scale_is_refused_as_input_and_not_stored(store, method, value):
    hypothesis.assume(not on_the_rooms_scale(value, method))
    code, _ = store.create_room("Hostile values", FACTORS, method, MODEL)  # a room per example: nothing carries over
    token = store.join(code, "Ada")
    first = {"sliders": VOTE, "rank": {"speed": 1, "reach": 2, "depth": 3}, "pairwise": PAIRWISE_VOTE}[method]
    with pytest.raises(InputError) as refused:  # nothing else: no TypeError, OverflowError or database error
        store.submit(code, token, {**first, next(iter(first)): value})
    assert set(problem_places(refused)) == {"vote"}
    assert store.own_vote(code, token) is None
