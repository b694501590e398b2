"""The room's limits and round controls in the store (issue 26): wrong passcodes and facilitator keys are counted
and limited, one participant cannot use up their network's budget, a network's budget stays in its room, and a
round control from a screen that showed an earlier round changes nothing. Every test runs on SQLite and on
PostgreSQL (see test_store.py)."""

# The store fixtures (per backend) come from test_store.py: tests take them as parameters of the same name.
# ruff: noqa: F811

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from placement import settings
from placement.workshop import domain, schema
from placement.workshop.domain import RoomError, RoundMovedOn
from placement.workshop.store import RoomStore
from tests.workshop.test_store import (  # noqa: F401 - fixtures, used by name
    FACTORS,
    MODEL,
    OTHER_VOTE,
    VOTE,
    database,
    new_engine,
    room,
    state,
    store,
)
from tests.workshop.test_store_gaps import RISK

OFFICE, HOME, CAFE = "203.0.113.7", "198.51.100.4", "192.0.2.9"  # documentation addresses (RFC 5737)
WRONG_PASSCODE = "The passcode does not match"
WRONG_KEY = "That code and key do not match a room"


class Clock:
    """The store's clock, moved by hand: waits are computed, never slept."""

    def __init__(self, monkeypatch):
        self.now = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
        monkeypatch.setattr(domain, "now", lambda: self.now)

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    return Clock(monkeypatch)


def outcome(call) -> str:
    """'ok' or the refusal's message."""
    try:
        call()
    except RoomError as error:
        return str(error)
    return "ok"


def counted(store, kind: str) -> int:
    with store.engine.connect() as db:
        events = schema.events
        return db.execute(sa.select(sa.func.count()).select_from(events).where(events.c.kind == kind)).scalar()


def passcode_room(store, passcode="tulip"):
    return store.create_room("With a passcode", FACTORS, "sliders", MODEL, passcode=passcode)[0]


# --- item 3: wrong passcodes and facilitator keys ------------------------------------------------------------


def test_a_brute_force_of_300_passcodes_from_one_network_stops_at_its_limit(store, clock):
    """The issue's attack: 300 guesses, the right one among them (the 100th), from one address. Only the first
    FAILURE_LIMITS guesses are checked; after them every attempt is refused unchecked, the right one too."""
    code = passcode_room(store)
    limit = settings.FAILURE_LIMITS["passcode"]["address"]
    guesses = [f"{n:04d}" for n in range(300)]
    guesses[99] = "tulip"
    results = [outcome(lambda g=g: store.join(code, "Eve", device=g, passcode=g, address=OFFICE)) for g in guesses]
    assert all(WRONG_PASSCODE in r for r in results[:limit])
    assert all(r.startswith("Too many wrong passcodes from your network in this room") for r in results[limit:])
    assert "ok" not in results and counted(store, "passcode") == limit  # the refusals' counts were kept
    assert f"(at most {limit} in 10 minutes): wait 10 minutes, then try again." in results[-1]
    assert store.counts(code)[0] == 0
    # Someone on another network, and the same network in another room, are not held up.
    assert store.participant_name(code, store.join(code, "Ada", passcode="tulip", address=HOME)) == "Ada"
    other = passcode_room(store, "rose")
    assert outcome(lambda: store.join(other, "Bo", passcode="rose", address=OFFICE)) == "ok"
    clock.advance(settings.FAILURE_WINDOW_SECONDS + 1)  # the guesses age out
    assert outcome(lambda: store.join(code, "Cy", device="cy", passcode="tulip", address=OFFICE)) == "ok"


def test_wrong_passcodes_are_limited_per_room_across_networks_with_the_wait(store, clock, monkeypatch):
    monkeypatch.setattr(settings, "FAILURE_LIMITS", {**settings.FAILURE_LIMITS, "passcode": {"room": 5, "address": 3}})
    code = passcode_room(store)
    for address, wrong in [(OFFICE, 3), (HOME, 2)]:
        for _ in range(wrong):
            assert WRONG_PASSCODE in outcome(lambda a=address: store.join(code, passcode="rose", address=a))
            clock.advance(60)  # the first wrong one at 9:00, the fifth at 9:04
    # 9:05: five in the room; the first ages out at 9:10 (window 10 minutes).
    refused = outcome(lambda: store.join(code, passcode="tulip", address=CAFE))
    assert (
        refused
        == "Too many wrong passcodes in this room right now (at most 5 in 10 minutes): wait 5 minutes, then try again."
    )
    clock.advance(4 * 60 + 30)  # 9:09:30
    assert "wait 30 seconds" in outcome(lambda: store.join(code, passcode="tulip", address=CAFE))
    clock.advance(31)
    assert outcome(lambda: store.join(code, passcode="tulip", address=CAFE)) == "ok"


def test_wrong_passcodes_from_many_phones_at_once_are_counted_exactly(store, monkeypatch):
    """Guesses sent at the same moment: each is checked against the count in the transaction that records it, so
    exactly the limit is checked, whatever the interleaving."""
    monkeypatch.setattr(settings, "FAILURE_LIMITS", {**settings.FAILURE_LIMITS, "passcode": {"room": 99, "address": 6}})
    code = passcode_room(store)
    start = threading.Barrier(12)

    def guess(n: int) -> str:
        start.wait()
        return outcome(lambda: store.join(code, device=f"d{n}", passcode=f"guess {n}", address=OFFICE))

    with ThreadPoolExecutor(max_workers=12) as pool:
        results = list(pool.map(guess, range(12)))
    assert sum(WRONG_PASSCODE in r for r in results) == 6
    assert sum(r.startswith("Too many wrong passcodes") for r in results) == 6
    assert counted(store, "passcode") == 6


def test_wrong_facilitator_keys_are_counted_and_limited_per_room_and_network(store, room, clock, monkeypatch):
    code, key = room
    limit = settings.FAILURE_LIMITS["key"]["address"]
    results = [outcome(lambda n=n: store.facilitated_code(code, f"guess-{n}", OFFICE)) for n in range(limit)]
    assert all(WRONG_KEY in r for r in results)
    refused = outcome(lambda: store.facilitated_code(code, key, OFFICE))  # the right key, unchecked
    assert refused.startswith("Too many wrong facilitator keys from your network in this room right now")
    assert store.facilitated_code(code, key, HOME) == code  # the facilitator elsewhere opens the room
    other, other_key = store.create_room("Another room", FACTORS, "sliders", MODEL)
    assert store.facilitated_code(other, other_key, OFFICE) == other
    assert WRONG_KEY in outcome(lambda: store.facilitated_code("ZZZZZZZZ", key, OFFICE))  # no room: same words
    clock.advance(settings.FAILURE_WINDOW_SECONDS + 1)
    assert store.facilitated_code(code, key, OFFICE) == code
    monkeypatch.setattr(settings, "FAILURE_LIMITS", {**settings.FAILURE_LIMITS, "key": {"room": 2, "address": 9}})
    for address in (HOME, CAFE):
        assert WRONG_KEY in outcome(lambda a=address: store.facilitated_code(code, "guess", a))
    assert outcome(lambda: store.facilitated_code(code, key, OFFICE)).startswith(
        "Too many wrong facilitator keys in this room right now"
    )


# --- item 4: one participant, one network, one room ----------------------------------------------------------


def test_one_participant_revising_300_times_stops_at_their_own_limit_not_their_networks(store, room):
    """The issue's attack: 300 revisions from one person. They stop at the participant's limit; everyone else
    behind the same address votes on, in this room and in others."""
    code, _ = room
    limit = settings.RATE_LIMITS["vote"]["participant"]
    ada, bob = (store.join(code, name, device=name, address=OFFICE) for name in ("Ada", "Bob"))
    results = [
        outcome(lambda r=r: store.submit(code, ada, {**VOTE, "reach": r % 11}, address=OFFICE)) for r in range(300)
    ]
    assert results[:limit] == ["ok"] * limit
    assert all(r.startswith("Too many votes from you right now (at most 10 in a minute)") for r in results[limit:])
    assert store.own_vote(code, ada).revision == limit
    assert store.submit(code, bob, OTHER_VOTE, address=OFFICE) == 1
    other, _ = store.create_room("Next door", FACTORS, "sliders", MODEL)
    assert store.submit(other, store.join(other, "Cy", address=OFFICE), VOTE, address=OFFICE) == 1


def test_a_participants_wait_is_until_their_oldest_counted_vote_ages_out(store, room, clock):
    code, _ = room
    ada = store.join(code, "Ada")
    for _ in range(settings.RATE_LIMITS["vote"]["participant"]):  # 9:00:00, 9:00:02, ... 9:00:18
        store.submit(code, ada, VOTE)
        clock.advance(2)
    assert "wait 40 seconds, then try again" in outcome(lambda: store.submit(code, ada, VOTE))  # at 9:00:20
    clock.advance(40)  # 9:01:00: the 9:00:00 vote is a minute old, still inside the window
    assert "wait 1 second" in outcome(lambda: store.submit(code, ada, VOTE))
    clock.advance(1)
    assert store.submit(code, ada, VOTE) == 11


def test_a_networks_limits_stay_in_their_room(store, room, monkeypatch):
    """Fake joins and votes from one address use up that address's budget in that room only."""
    code, _ = room
    monkeypatch.setattr(
        settings,
        "RATE_LIMITS",
        {
            "join": {"room": 100, "address": 2},
            "vote": {"room": 100, "address": 3, "participant": 100},
            "propose": settings.RATE_LIMITS["propose"],
        },
    )
    people = [store.join(code, f"P{n}", device=f"p{n}", address=OFFICE) for n in range(2)]
    assert outcome(lambda: store.join(code, "P2", device="p2", address=OFFICE)).startswith(
        "Too many joins from your network in this room right now (at most 2 in a minute)"
    )
    for n in range(3):
        store.submit(code, people[n % 2], VOTE, address=OFFICE)
    assert outcome(lambda: store.submit(code, people[0], VOTE, address=OFFICE)).startswith(
        "Too many votes from your network in this room right now"
    )
    assert store.submit(code, store.join(code, "Q", address=HOME), VOTE, address=HOME) == 1  # another network
    other, _ = store.create_room("Next door", FACTORS, "sliders", MODEL)
    newcomer = store.join(other, "R", address=OFFICE)
    assert store.submit(other, newcomer, VOTE, address=OFFICE) == 1


def test_one_participant_cannot_flood_proposals(store, room):
    code, key = room
    ada, bob = (store.join(code, name, device=name) for name in ("Ada", "Bob"))
    store.open_gaps(code, key)
    limit = settings.RATE_LIMITS["propose"]["participant"]
    assert limit < settings.MAX_PROPOSALS  # the minute's limit stops a burst before the round's cap
    for _ in range(limit):
        store.propose(code, ada, RISK, address=OFFICE)
    assert outcome(lambda: store.propose(code, ada, RISK, address=OFFICE)).startswith(
        "Too many proposals from you right now"
    )
    assert store.propose(code, bob, RISK, address=OFFICE)


def test_a_full_room_behind_one_office_address_joins_and_votes_three_times_within_one_minute(store, room, clock):
    """The numbers' purpose: MAX_PARTICIPANTS phones behind one NAT all join, and each sends a vote and two
    revisions, in the same minute, and nobody is refused."""
    code, _ = room
    people = [store.join(code, f"P{n}", device=f"p{n}", address=OFFICE) for n in range(settings.MAX_PARTICIPANTS)]
    for revision in range(3):
        for token in people:
            store.submit(code, token, {**VOTE, "depth": revision}, address=OFFICE)
    assert store.counts(code) == (settings.MAX_PARTICIPANTS, settings.MAX_PARTICIPANTS)


# --- item 6: round controls carry the round the screen showed -------------------------------------------------

MOVED_ON = (
    "Another facilitator screen already started round 2, so this click changed nothing; the board now shows round 2."
)


@pytest.mark.parametrize("action", ["new_round", "reveal", "lock", "reopen_voting", "open_gaps", "close_gaps"])
def test_a_round_control_from_a_screen_that_showed_an_earlier_round_changes_nothing(store, room, action):
    """Both screens showed round 1; the other one started round 2 (with votes in, locked, proposals open, so that
    every control would change something in it). This screen's click, for round 1, is refused."""
    code, key = room
    ada = store.join(code, "Ada")
    store.submit(code, ada, VOTE)
    assert store.new_round(code, key, round_number=1) == 2  # the other screen
    store.submit(code, ada, VOTE, round_number=2)
    store.open_gaps(code, key, round_number=2)
    if action in ("reopen_voting", "close_gaps"):
        store.lock(code, key, round_number=2)
    before = state(store, code)
    with pytest.raises(RoundMovedOn) as caught:
        getattr(store, action)(code, key, round_number=1)
    assert str(caught.value) == MOVED_ON
    assert state(store, code) == before
    with pytest.raises(RoomError, match="no round 3"):
        getattr(store, action)(code, key, round_number=3)
    getattr(store, action)(code, key, round_number=2)  # the board now shows round 2: its click works


def test_two_screens_starting_a_new_round_at_the_same_moment_start_one(store):
    """The issue's race, on purpose: screens that both showed round 1 press "Start a new round" together."""
    for _ in range(6):
        code, key = store.create_room("Two facilitators", FACTORS, "sliders", MODEL)
        start = threading.Barrier(3)

        def press(code=code, key=key, start=start):
            start.wait()
            return outcome(lambda: store.new_round(code, key, round_number=1))

        with ThreadPoolExecutor(max_workers=3) as pool:
            results = sorted(pool.map(lambda _: press(), range(3)))
        assert results == sorted(["ok", MOVED_ON, MOVED_ON])
        assert store.round_numbers(code) == [1, 2]


def test_a_reveal_racing_a_new_round_never_reveals_the_new_round(store):
    """Reveal and new round pressed together on two screens that showed round 1: either the reveal went first (round
    1 revealed, then round 2 started) or the new round did (the reveal refused); round 2 is never revealed."""
    for _ in range(8):
        code, key = store.create_room("Two facilitators", FACTORS, "sliders", MODEL)
        store.submit(code, store.join(code, "Ada"), VOTE)
        store.new_round(code, key, round_number=1)
        store.submit(code, store.join(code, "Bob"), VOTE, round_number=2)  # round 2 has a vote to reveal
        start = threading.Barrier(2)

        def press(action, code=code, key=key, start=start):
            start.wait()
            return outcome(lambda: getattr(store, action)(code, key, round_number=2))

        with ThreadPoolExecutor(max_workers=2) as pool:
            revealed, started = pool.map(press, ["reveal", "new_round"])
        assert started == "ok" and store.round_numbers(code) == [1, 2, 3]
        assert not store.room(code).revealed  # round 3
        round_2 = store.round_numbers(code, revealed_only=True) == [2]
        assert (revealed, round_2) in {("ok", True), (MOVED_ON.replace("2", "3"), False)}


def test_a_version_4_database_gains_the_participant_column_and_counts_by_participant(store, room, new_engine):
    """Version 4's events had no participant: the upgrade adds the column and the index, and the participant's
    limit counts from then on."""
    code, _ = room
    with store.engine.begin() as db:
        db.exec_driver_sql("DROP INDEX events_recent")
        db.exec_driver_sql("ALTER TABLE events DROP COLUMN participant_id")
        db.execute(schema.schema_version.delete())
        db.execute(schema.schema_version.insert().values(version=4))
    upgraded = RoomStore(new_engine())
    assert "participant_id" in {c["name"] for c in sa.inspect(upgraded.engine).get_columns("events")}
    assert "events_recent" in {i["name"] for i in sa.inspect(upgraded.engine).get_indexes("events")}
    ada = upgraded.join(code, "Ada")
    for _ in range(settings.RATE_LIMITS["vote"]["participant"]):
        upgraded.submit(code, ada, VOTE)
    assert outcome(lambda: upgraded.submit(code, ada, VOTE)).startswith("Too many votes from you")
