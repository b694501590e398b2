"""One-way sensitivity: sweeps, crossings and takeovers (the stability brute force is in test_one_way_oracle.py)."""

import numpy as np
import pytest

from placement.analysis import one_way


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


GRID = np.linspace(0.0, 1.0, 2_001)
GRID_STEP = GRID[1]


def rescaled(w: np.ndarray, k: int, ts: np.ndarray) -> np.ndarray:
    """One weight vector per t: w_k = t, the others scaled in proportion to share 1 - t."""
    rows = np.outer(1.0 - ts, w / (1.0 - w[k]))
    rows[:, k] = ts
    return rows


def test_takeover_makes_the_placement_lead(model):
    w = np.full(len(model.factor_ids), 1 / len(model.factor_ids))
    leader = one_way.leader_of(model.matrix @ w)
    for a in range(len(model.placements)):
        if a == leader:
            continue
        move = one_way.takeover(model.matrix, w, a)
        assert move.factor is not None
        moved = model.matrix @ rescaled(w, move.factor, np.array([move.target]))[0]
        assert moved[a] >= moved.max() - 1e-9
        # No other single factor does it with a smaller change (checked on a grid, weights rebuilt by hand).
        for k in range(len(w)):
            scores = rescaled(w, k, GRID) @ model.matrix.T
            wins = scores[:, a] >= scores.max(axis=1) - 1e-9
            if wins.any():
                assert np.abs(GRID[wins] - w[k]).min() >= move.change - 2 * GRID_STEP


def test_takeover_reports_impossible_when_dominated():
    matrix = np.array([[2.0, 2.0], [1.0, 1.0]])
    move = one_way.takeover(matrix, np.array([0.5, 0.5]), 1)
    assert move.factor is None and move.target is None and move.change == np.inf
