"""The closed-form stability interval (one_way.stability) against an independent brute force.

The oracle below uses nothing from placement.analysis: for every t on a fine grid it
builds the swept weight vector explicitly (w_k = t, the other weights rescaled in
proportion to sum to 1 - t), scores every placement with a plain matrix product, and
walks outwards from the current weight until some placement strictly beats the
current leader. The stability interval is the run of grid points where nobody does.

Conventions the oracle states for itself (from the method, not from the code):
- the leader is the best placement; placements within TIE of the best are tied and
  the first in file order leads;
- a placement takes over only when it strictly beats the leader, so a tie reached
  exactly at t = 0 or t = 1 is not a takeover (the bound stays 0 or 1, no taker);
- with all weight already on k there are no proportions to keep; the other factors
  then share 1 - t equally.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.analysis import one_way
from placement.data.model import load_model

GRID_POINTS = 20_001
GRID = np.linspace(0.0, 1.0, GRID_POINTS)
GRID_STEP = 1.0 / (GRID_POINTS - 1)
TIE = 1e-9  # raw-scale difference below which two scores count as equal
BOUND_TOLERANCE = GRID_STEP + 1e-9


@dataclass(frozen=True)
class Brute:
    leader: int
    low: float
    high: float
    takers_low: frozenset[int]  # placements strictly ahead of the leader just below `low` (empty: nobody)
    takers_high: frozenset[int]


def swept_weights(weights: np.ndarray, k: int, ts: np.ndarray) -> np.ndarray:
    """Row i: the weight vector with w_k = ts[i] and the others rescaled to sum to 1 - ts[i]."""
    others = np.ones(len(weights), dtype=bool)
    others[k] = False
    kept = np.where(others, weights, 0.0)
    if kept.sum() <= 1e-12:  # all weight on k: no proportions to keep, so the others share equally
        kept = others.astype(float)
    share = kept / kept.sum()  # the other factors' proportions, summing to 1
    rows = (1.0 - ts)[:, None] * share[None, :]
    rows[:, k] = ts
    return rows


def leader(scores: np.ndarray) -> int:
    best = scores.max()
    return int(next(i for i, s in enumerate(scores) if s >= best - TIE))


def brute_force(matrix: np.ndarray, weights: np.ndarray, k: int) -> Brute:
    current = float(weights[k])
    ts = np.union1d(GRID, [current])  # the current weight itself is always on the grid
    here = int(np.searchsorted(ts, current))
    assert ts[here] == current
    w_grid = swept_weights(weights, k, ts)
    assert np.allclose(w_grid.sum(axis=1), 1.0) and (w_grid >= -1e-15).all()
    np.testing.assert_allclose(w_grid[here], weights, atol=1e-12)
    scores = w_grid @ matrix.T  # (grid points, placements)
    b = leader(matrix @ weights)
    ahead = scores - scores[:, [b]] > TIE  # who strictly beats b at each t
    beaten = ahead.any(axis=1)
    assert not beaten[here]
    high = here
    while high + 1 < len(ts) and not beaten[high + 1]:
        high += 1
    low = here
    while low > 0 and not beaten[low - 1]:
        low -= 1
    takers_high = frozenset(np.flatnonzero(ahead[high + 1]).tolist()) if high + 1 < len(ts) else frozenset()
    takers_low = frozenset(np.flatnonzero(ahead[low - 1]).tolist()) if low > 0 else frozenset()
    return Brute(b, float(ts[low]), float(ts[high]), takers_low, takers_high)


def assert_agrees(matrix: np.ndarray, weights: np.ndarray, k: int, context=None) -> one_way.Stability:
    exact = one_way.stability(matrix, weights, k)
    brute = brute_force(matrix, weights, k)
    where = (context, k, brute)
    assert exact.current == pytest.approx(weights[k], abs=1e-15), where
    assert exact.low == pytest.approx(brute.low, abs=BOUND_TOLERANCE), where
    assert exact.high == pytest.approx(brute.high, abs=BOUND_TOLERANCE), where
    assert 0.0 <= exact.low <= exact.current, where
    assert exact.current <= exact.high <= 1.0, where
    if brute.takers_high:
        assert exact.taker_high in brute.takers_high, where
    elif exact.taker_high is not None:  # nobody strictly beats the leader up to t = 1
        assert exact.high == 1.0, where
    else:
        assert exact.high == 1.0, where
    if brute.takers_low:
        assert exact.taker_low in brute.takers_low, where
    elif exact.taker_low is not None:
        assert exact.low == 0.0, where
    else:
        assert exact.low == 0.0, where
    return exact


# --- the oracle itself against hand-worked cases -------------------------------------------------


def test_brute_force_finds_a_hand_worked_crossing():
    # A = (2, 0), B = (0, 1), w = (1/2, 1/2): S_A = 1 > S_B = 1/2, A leads.
    # Sweeping factor 0: S_A(t) = 2t, S_B(t) = 1 - t; they cross at t = 1/3.
    # Below 1/3 B leads; above, A leads up to t = 1 (nobody takes over).
    brute = brute_force(np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([0.5, 0.5]), 0)
    assert brute.leader == 0
    assert brute.low == pytest.approx(1 / 3, abs=GRID_STEP)
    assert brute.high == 1.0
    assert brute.takers_low == {1}
    assert brute.takers_high == frozenset()


def test_brute_force_treats_an_end_tie_as_no_takeover():
    # A = (1, 1) leads B = (1, 0) at w = (1/2, 1/2) (1 vs 1/2). Sweeping factor 0 to t = 1 gives
    # S_A = S_B = 1: a tie at the end, never a strict lead, so nobody takes over.
    brute = brute_force(np.array([[1.0, 0.0], [1.0, 1.0]]), np.array([0.5, 0.5]), 0)
    assert brute.leader == 1
    assert (brute.low, brute.high) == (0.0, 1.0)
    assert brute.takers_low == brute.takers_high == frozenset()


def test_brute_force_rescales_the_other_weights_in_proportion():
    w = np.array([0.2, 0.3, 0.5])
    rows = swept_weights(w, 2, np.array([0.0, 0.5, 1.0]))
    # The others keep 0.2 : 0.3 = 2 : 3 and share 1 - t.
    np.testing.assert_allclose(rows, [[0.4, 0.6, 0.0], [0.2, 0.3, 0.5], [0.0, 0.0, 1.0]])


# --- the code against the oracle ----------------------------------------------------------------


def test_hand_worked_crossing():
    exact = assert_agrees(np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([0.5, 0.5]), 0)
    assert exact.low == pytest.approx(1 / 3)
    assert (exact.taker_low, exact.high, exact.taker_high) == (1, 1.0, None)


def test_a_tie_at_the_current_weight_is_a_zero_width_side():
    # Leader 0 = (2, 0) and 1 = (0, 2) tie at w = (1/2, 1/2); 0 leads by file order. Raising w_0
    # keeps 0 ahead; lowering it by any amount hands the lead to 1.
    exact = assert_agrees(np.array([[2.0, 0.0], [0.0, 2.0]]), np.array([0.5, 0.5]), 0)
    assert (exact.low, exact.taker_low) == (0.5, 1)
    assert (exact.high, exact.taker_high) == (1.0, None)


def test_identical_placements_never_take_over():
    matrix = np.array([[1.0, -1.0, 2.0], [1.0, -1.0, 2.0], [-2.0, -2.0, -2.0]])
    exact = assert_agrees(matrix, np.array([0.2, 0.3, 0.5]), 1)
    assert exact.taker_low is None and exact.taker_high is None
    assert (exact.low, exact.high) == (0.0, 1.0)


def test_all_weight_on_the_swept_factor():
    matrix = np.array([[2.0, -2.0, -2.0], [1.0, 1.0, 2.0], [-1.0, 2.0, 2.0]])
    # At t = 1: S = (2, 1, -1), placement 0 leads. Lowering t: the others share 1 - t equally,
    # S_0 = 2t - 2(1 - t) = 4t - 2, S_1 = t + 1.5(1 - t) = 1.5 - 0.5t; they cross at t = 7/9.
    exact = assert_agrees(matrix, np.array([1.0, 0.0, 0.0]), 0)
    assert exact.low == pytest.approx(7 / 9)
    assert exact.taker_low == 1


@pytest.mark.parametrize("include_optional", [False, True])
def test_shipped_model_under_every_preset(include_optional):
    model = load_model(include_optional=include_optional)
    assert len(model.placements) == (5 if include_optional else 4)
    takers = 0
    for preset in model.presets.values():
        w = np.array([preset.weights[f] for f in model.factor_ids], dtype=float)
        w = w / w.sum()
        for k in range(len(w)):
            exact = assert_agrees(model.matrix, w, k, preset.id)
            takers += (exact.taker_low is not None) + (exact.taker_high is not None)
    assert takers > 0  # premise: the comparison covered real crossings, not only "nobody"


@st.composite
def cases(draw):
    n_placements = draw(st.integers(2, 5))
    n_factors = draw(st.integers(2, 5))
    cell = st.integers(-2, 2)
    rows = draw(
        st.lists(st.lists(cell, min_size=n_factors, max_size=n_factors), min_size=n_placements, max_size=n_placements)
    )
    alpha = draw(st.sampled_from([0.3, 1.0, 3.0]))
    seed = draw(st.integers(0, 2**32 - 1))
    weights = np.random.default_rng(seed).dirichlet(np.full(n_factors, alpha))
    zeroed = draw(st.lists(st.booleans(), min_size=n_factors, max_size=n_factors))
    if not all(zeroed):
        weights = np.where(zeroed, 0.0, weights)
    weights = weights / weights.sum()
    k = draw(st.integers(0, n_factors - 1))
    return np.array(rows, dtype=float), weights, k


@settings(max_examples=300, deadline=None)
@given(cases())
def test_random_models_agree_with_the_brute_force(case):
    matrix, weights, k = case
    assert_agrees(matrix, weights, k)


# --- float-noise cases the brute force found in an earlier version of the code -----------------


def test_a_tie_at_the_current_weight_keeps_the_interval_around_it():
    # S = (7/6, 7/6): a tie, placement 0 leads by file order. Placement 1 is steeper on factor 2
    # (v = 2 against 1), so it takes over as soon as w_2 rises above 1/2: high is exactly 1/2.
    # The code returns high = 0.4999999999999999 < current, so the margin (high - current) is negative.
    exact = one_way.stability(np.array([[0.0, 2.0, 1.0], [-1.0, 1.0, 2.0]]), np.array([1.0, 2.0, 3.0]) / 6, 2)
    assert exact.taker_high == 1
    assert exact.low <= exact.current <= exact.high


def test_a_tie_at_full_weight_is_not_a_takeover():
    # Placement 1 = placement 0 + a 2e-5 share of factor 1, so it leads by 2e-5. Both have v_0 = 1,
    # so at t = 1 they tie (score 1 each) and placement 0 never strictly leads on 0..1.
    # The code reports high = 0.999999999998751 with taker_high = 0.
    matrix = np.array([[1.0, 0.0, 0.0], [1.0, 1.0, 0.0]])
    exact = one_way.stability(matrix, np.array([0.1, 2e-5, 0.89998]), 0)
    assert (exact.high, exact.taker_high) == (1.0, None)


def test_a_weight_near_one_keeps_its_precision():
    # Both placements score 1 on factor 1, the only other factor, so their intercepts are exactly
    # R = (1, 1): they tie at t = 0, and placement 0 (S_0 = 1 - t) never trails placement 1 (S_1 = 1 - 2t).
    # With w = (1 - 1e-8, 1e-8) the code computes R_0 = 0.99999999 and reports a takeover at t = 5e-9.
    matrix = np.array([[0.0, 1.0], [-1.0, 1.0]])
    exact = one_way.stability(matrix, np.array([1 - 1e-8, 1e-8]), 0)
    assert (exact.low, exact.taker_low) == (0.0, None)
