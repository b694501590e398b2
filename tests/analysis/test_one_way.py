"""Exact one-way sensitivity agrees with brute force on a dense grid."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from placement.analysis import one_way

GRID = np.linspace(0.0, 1.0, 20_001)
GRID_STEP = GRID[1]


def grid_leaders(matrix, weights, k):
    lines = one_way.sweep_lines(matrix, weights, k)
    scores = lines.intercept[None, :] + GRID[:, None] * lines.slope[None, :]
    return np.argmax(np.round(scores, 9), axis=1)


def grid_interval(matrix, weights, k):
    """The leader's interval by brute force: the grid points around w_k where it stays first."""
    leaders = grid_leaders(matrix, weights, k)
    leader = one_way.leader_of(matrix @ weights)
    i = int(np.searchsorted(GRID, weights[k]))
    low = i
    while low > 0 and leaders[low - 1] == leader:
        low -= 1
    high = min(i, len(GRID) - 1)
    while high < len(GRID) - 1 and leaders[high + 1] == leader:
        high += 1
    return GRID[low], GRID[high]


def test_stability_matches_grid_on_the_shipped_model(model):
    for preset in model.presets.values():
        w = np.array([preset.weights[f] for f in model.factor_ids])
        w = w / w.sum()
        for k in range(len(w)):
            exact = one_way.stability(model.matrix, w, k)
            low, high = grid_interval(model.matrix, w, k)
            assert exact.low == pytest.approx(low, abs=2 * GRID_STEP), (preset.id, k)
            assert exact.high == pytest.approx(high, abs=2 * GRID_STEP), (preset.id, k)


matrices = arrays(np.float64, (4, 5), elements=st.integers(-2, 2).map(float))
weight_vectors = arrays(np.float64, 5, elements=st.floats(0.01, 1.0))


@settings(max_examples=150, deadline=None)
@given(matrices, weight_vectors, st.integers(0, 4))
def test_stability_matches_grid_on_random_models(matrix, raw, k):
    w = raw / raw.sum()
    exact = one_way.stability(matrix, w, k)
    leader = one_way.leader_of(matrix @ w)
    lines = one_way.sweep_lines(matrix, w, k)
    # Strictly inside the interval the leader is first; just outside, the named taker beats it.
    for t in np.linspace(exact.low, exact.high, 7)[1:-1]:
        scores = lines.at(t)
        assert scores[leader] >= scores.max() - 1e-9
    if exact.taker_high is not None:
        after = lines.at(min(1.0, exact.high + 1e-6))
        assert after[exact.taker_high] > after[leader]
    if exact.taker_low is not None:
        before = lines.at(max(0.0, exact.low - 1e-6))
        assert before[exact.taker_low] > before[leader]


def test_sweep_reproduces_current_scores_at_current_weight(model):
    w = np.full(len(model.factor_ids), 1 / len(model.factor_ids))
    for k in range(len(w)):
        lines = one_way.sweep_lines(model.matrix, w, k)
        np.testing.assert_allclose(lines.at(w[k]), model.matrix @ w)


def test_full_weight_on_one_factor_shares_the_rest_equally():
    matrix = np.array([[2.0, 0.0, -2.0], [0.0, 1.0, 1.0]])
    lines = one_way.sweep_lines(matrix, np.array([1.0, 0.0, 0.0]), 0)
    np.testing.assert_allclose(lines.at(0.0), [-1.0, 1.0])
    np.testing.assert_allclose(lines.at(1.0), [2.0, 0.0])


def test_crossing_formula_matches_guide():
    # Two placements, two factors: S_a(t) = t*v_ak + (1-t)*R_a crosses where the GUIDE says.
    matrix = np.array([[2.0, 0.0], [0.0, 1.0]])
    w = np.array([0.5, 0.5])
    (t, a, b), *_ = one_way.crossings(matrix, w, 0)
    assert (a, b) == (0, 1)
    assert t == pytest.approx(1 / 3)


def test_takeover_makes_the_placement_lead(model):
    w = np.full(len(model.factor_ids), 1 / len(model.factor_ids))
    leader = one_way.leader_of(model.matrix @ w)
    for a in range(len(model.placements)):
        if a == leader:
            continue
        move = one_way.takeover(model.matrix, w, a)
        assert move.factor is not None
        moved = one_way.sweep_lines(model.matrix, w, move.factor).at(move.target)
        assert moved[a] >= moved.max() - 1e-9
        # No other single factor does it with a smaller change (checked on a grid).
        for k in range(len(w)):
            lines = one_way.sweep_lines(model.matrix, w, k)
            scores = lines.intercept[None, :] + GRID[:, None] * lines.slope[None, :]
            wins = scores[:, a] >= scores.max(axis=1) - 1e-9
            if wins.any():
                assert np.abs(GRID[wins] - w[k]).min() >= move.change - 2 * GRID_STEP


def test_takeover_reports_impossible_when_dominated():
    matrix = np.array([[2.0, 2.0], [1.0, 1.0]])
    move = one_way.takeover(matrix, np.array([0.5, 0.5]), 1)
    assert move.factor is None and move.target is None and move.change == np.inf
