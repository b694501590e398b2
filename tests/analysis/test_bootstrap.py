"""Would a similar group agree? (placement/analysis/bootstrap.py): the bootstrap over participants against
exact enumeration of every resampled room, and its properties."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.analysis.bootstrap import BOOTSTRAP_DRAWS, leader_stability

# Three placements scored -2..+2 on three factors.
VALUES = np.array([[2.0, -1.0, 0.0], [-1.0, 2.0, 0.0], [0.0, 0.0, 1.5]])


def exact_share(individual: list[list[float]], values: np.ndarray, geometric: bool) -> tuple[int, float]:
    """(the leader, the exact share of all n^n equally likely resampled rooms in which it is first alone).

    Written apart from the code: every ordered draw of n participants with replacement (so a room drawn
    several ways counts that many times), its group weights pooled in plain Python, scores by a dot product."""

    def group(rows):
        if geometric:
            product = [math.prod(r[k] for r in rows) ** (1 / len(rows)) for k in range(len(rows[0]))]
            return [p / sum(product) for p in product]
        return [sum(r[k] for r in rows) / len(rows) for k in range(len(rows[0]))]

    def winner(weights):
        scores = [sum(w * v for w, v in zip(weights, row, strict=True)) for row in values.tolist()]
        best = max(scores)
        top = [i for i, s in enumerate(scores) if abs(s - best) < 1e-12]
        return top[0] if len(top) == 1 else None

    n = len(individual)
    leader = winner(group(individual))
    kept = sum(winner(group([individual[i] for i in draw])) == leader for draw in itertools.product(range(n), repeat=n))
    return leader, kept / n**n


@pytest.mark.parametrize("geometric", [False, True])
def test_the_bootstrap_matches_exact_enumeration_of_all_256_resampled_rooms_of_four(geometric):
    # Two lean to the first placement, one strongly to the second, one to the third: a contested room.
    room = [[0.6, 0.3, 0.1], [0.5, 0.3, 0.2], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5]]
    leader, exact = exact_share(room, VALUES, geometric)
    assert 0.2 < exact < 0.95  # contested: the test can tell a right share from 0 or 1
    found = leader_stability(np.array(room), VALUES, geometric, draws=20_000, seed=3)
    assert found.leader == leader
    assert found.stays_first == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20_000))


def test_a_room_of_three_matches_exact_enumeration_of_its_27_resampled_rooms():
    room = [[0.7, 0.2, 0.1], [0.2, 0.7, 0.1], [0.5, 0.3, 0.2]]
    leader, exact = exact_share(room, VALUES, geometric=False)
    found = leader_stability(np.array(room), VALUES, geometric=False, draws=20_000, seed=5)
    assert found.leader == leader
    assert found.stays_first == pytest.approx(exact, abs=4 * math.sqrt(exact * (1 - exact) / 20_000))


def test_the_same_room_gives_the_same_share_every_time():
    room = np.array([[0.6, 0.3, 0.1], [0.1, 0.8, 0.1], [0.2, 0.3, 0.5]])
    assert leader_stability(room, VALUES, True) == leader_stability(room, VALUES, True)
    assert leader_stability(room, VALUES, True).draws == BOOTSTRAP_DRAWS


weights = st.lists(st.floats(0.01, 1.0), min_size=3, max_size=3).map(lambda w: [x / sum(w) for x in w])


@settings(max_examples=40, deadline=None)
@given(weights, st.integers(1, 12), st.booleans())
def test_a_unanimous_room_keeps_its_leader_in_every_resample(person, size, geometric):
    room = np.array([person] * size)
    found = leader_stability(room, VALUES, geometric, draws=200)
    if found is not None:  # None only when the shared weights tie placements for first
        assert (found.stays_first, found.tied_first) == (1.0, 0.0)


@settings(max_examples=40, deadline=None)
@given(st.lists(weights, min_size=1, max_size=8), st.booleans())
def test_shares_are_proportions_of_the_resampled_rooms(room, geometric):
    found = leader_stability(np.array(room), VALUES, geometric, draws=300)
    if found is not None:
        assert 0.0 <= found.stays_first <= 1.0 and 0.0 <= found.tied_first <= 1.0
        assert found.stays_first + found.tied_first <= 1.0
        assert found.stays_first * 300 == pytest.approx(round(found.stays_first * 300))


def test_no_votes_or_a_tie_at_the_top_has_no_leader_to_test():
    assert leader_stability(np.zeros((0, 3)), VALUES, False) is None
    tied = np.array([[0.5, 0.5, 0.0]])  # the first two placements score the same
    assert leader_stability(tied, VALUES, False) is None


def test_a_room_beyond_200_people_gets_fewer_resamples_and_says_how_many():
    room = np.tile([[0.6, 0.3, 0.1], [0.1, 0.8, 0.1]], (250, 1))  # 500 participants
    found = leader_stability(room, VALUES, False)
    assert found.draws == 800  # 400,000 participants drawn in all
    assert leader_stability(room[:200], VALUES, False).draws == BOOTSTRAP_DRAWS
