"""The room's pulse: what live pages compare, read once per room and interval for every session of a server."""

import threading

import pytest
import sqlalchemy as sa

from placement.data.model import load_model
from placement.workshop.domain import RoomUnavailable
from placement.workshop.live import Pulses, board_view, phone_view
from placement.workshop.store import RoomStore


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def store(tmp_path):
    return RoomStore(sa.create_engine(f"sqlite:///{tmp_path / 'rooms.db'}"))


def room(store):
    model = load_model()
    factors = [{"id": f.id, "name": f.name, "definition": f.definition} for f in model.factors]
    return store.create_room("Live", factors, "sliders", model)


def counting(read):
    calls = []

    def counted(code):
        calls.append(code)
        return read(code)

    return counted, calls


def test_the_pulse_counts_joins_votes_and_proposals_and_moves_with_the_room(store):
    code, key = room(store)
    ana, ben = store.join(code, "Ana"), store.join(code, "Ben")
    pulse = store.pulse(code)
    assert (pulse.joined, pulse.submitted, pulse.proposals) == (2, 0, 0)
    store.submit(code, ana, dict.fromkeys(load_model().factor_ids, 5))
    store.open_gaps(code, key)
    store.propose(
        code, ben, {"placement": "head_of_product", "factor": "ops_empathy", "kind": "risk", "text": "Far", "score": -1}
    )
    pulse = store.pulse(code)
    assert (pulse.joined, pulse.submitted, pulse.proposals) == (2, 1, 1)
    seen = [(phone_view(pulse), board_view(pulse))]
    for action in (store.lock, store.reveal, store.new_round, store.close):
        action(code, key)
        seen.append((phone_view(store.pulse(code)), board_view(store.pulse(code))))
    assert len({phone for phone, _ in seen}) == len({board for _, board in seen}) == 5  # every step is a change


def test_a_vote_or_a_proposal_changes_the_board_but_not_the_phones(store):
    code, key = room(store)
    token = store.join(code, "Ana")
    before = store.pulse(code)
    store.submit(code, token, dict.fromkeys(load_model().factor_ids, 5))
    after = store.pulse(code)
    assert phone_view(after) == phone_view(before) and board_view(after) != board_view(before)


def test_every_session_shares_one_read_per_interval(store):
    code, _ = room(store)
    clock = Clock()
    read, calls = counting(store.pulse)
    pulses = Pulses(read, 0.25, clock)
    sessions = [threading.Thread(target=pulses.get, args=(code,)) for _ in range(20)]
    for session in sessions:
        session.start()
    for session in sessions:
        session.join()
    assert len(calls) == 1
    clock.now += 0.2
    pulses.get(code)
    assert len(calls) == 1  # still fresh enough
    clock.now += 0.05
    pulses.get(code)
    assert len(calls) == 2


def test_a_change_is_seen_once_the_interval_passed_and_at_once_through_a_fresh_read(store):
    code, key = room(store)
    clock = Clock()
    pulses = Pulses(store.pulse, 0.25, clock)
    assert not pulses.get(code).room.locked
    store.lock(code, key)
    assert not pulses.get(code).room.locked  # within the interval: the shared answer
    clock.now += 0.25
    assert pulses.get(code).room.locked
    store.new_round(code, key)
    assert pulses.fresh(code).room.round == 2  # the board's own read, shared with the phones at once
    assert pulses.get(code).room.round == 2


def test_a_database_that_does_not_answer_is_asked_once_per_interval_and_then_again():
    clock = Clock()
    answers = [RoomUnavailable("The workshop database is not answering right now.")]

    def read(code):
        answer = answers[-1]
        if isinstance(answer, Exception):
            raise answer
        return answer

    counted, calls = counting(read)
    pulses = Pulses(counted, 0.25, clock)
    for _ in range(3):
        with pytest.raises(RoomUnavailable, match="not answering"):
            pulses.get("ROOM")
    assert len(calls) == 1
    answers.append("the pulse")
    clock.now += 0.25
    assert pulses.get("ROOM") == "the pulse"


def test_once_revealed_a_late_vote_or_an_accepted_cell_changes_what_phones_and_boards_compare(store):
    """Accepted on one facilitator screen, a cell reaches every phone and the other screens at their next tick; so
    does a participant removed after the reveal (their vote leaves the tally)."""
    code, key = room(store)
    ana, ben = store.join(code, "Ana"), store.join(code, "Ben")
    levels = dict.fromkeys(load_model().factor_ids, 4)
    store.submit(code, ana, levels)
    store.submit(code, ben, levels)
    store.open_gaps(code, key)
    store.propose(
        code, ben, {"placement": "head_of_product", "factor": "ops_empathy", "kind": "risk", "text": "Far", "score": -1}
    )
    store.reveal(code, key)
    revealed = store.pulse(code)
    assert revealed.results == store.round_revision(code, 1)  # the same revision the page is drawn with
    [first, _] = store.participants(code, key)
    store.remove_participant(code, key, first.id)
    late = store.pulse(code)
    [proposal] = store.proposals(code, key)
    store.decide(code, key, [proposal.id], "accepted", "Far from the operations teams", -1)
    decided = store.pulse(code)
    assert len({phone_view(p) for p in (revealed, late, decided)}) == 3
    assert len({board_view(p) for p in (revealed, late, decided)}) == 3
    assert store.pulse(code).results == decided.results  # nothing changed: nothing to redraw
