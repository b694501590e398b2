"""Weighted-sum scoring (placement/scoring.py) on the anchored -2..+2 scale, reported on 0-100."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from placement.analysis.scoring import points_per_unit, rank, to_points, weight_vector
from placement.analysis.weights import normalise
from placement.data.model import Cell, Factor, Model, Placement

N_FACTORS = 8  # the shipped model; checked below
SETTINGS = settings(max_examples=150, deadline=None)

raw_weight = st.one_of(st.integers(0, 10), st.floats(0, 10, allow_nan=False, allow_subnormal=False))
raw_weights = st.lists(raw_weight, min_size=N_FACTORS, max_size=N_FACTORS).filter(lambda w: sum(w) > 1e-6)


def make_model(matrix) -> Model:
    """A bare model with placements p0.. and factors f0.. holding `matrix` (rows = placements)."""
    placements = tuple(Placement(f"p{i}", f"Placement {i}", f"P{i}", "") for i in range(len(matrix)))
    factors = tuple(Factor(f"f{j}", f"Factor {j}", "", "") for j in range(len(matrix[0])))
    cells = {
        (p.id, f.id): Cell(p.id, f.id, int(matrix[i][j]), "inferred", None, "test")
        for i, p in enumerate(placements)
        for j, f in enumerate(factors)
    }
    return Model({}, placements, factors, {}, cells, {})


def with_column(model: Model, factor_id: str, scores: list[int]) -> Model:
    cells = dict(model.cells)
    for placement_id, score in zip(model.placement_ids, scores, strict=True):
        cells[placement_id, factor_id] = dataclasses.replace(cells[placement_id, factor_id], score=score)
    return dataclasses.replace(model, cells=cells)


def scores_by_id(results) -> dict[str, float]:
    return {r.placement: r.score for r in results}


def named(model: Model, values) -> dict[str, float]:
    return dict(zip(model.factor_ids, values, strict=True))


def test_shipped_model_has_the_expected_factor_count(model):
    assert len(model.factor_ids) == N_FACTORS


# --- the scale ---------------------------------------------------------------------------------


def test_to_points_maps_the_anchors():
    assert to_points(-2) == 0
    assert to_points(0) == 50
    assert to_points(2) == 100
    assert to_points(1) == 75
    assert points_per_unit() == 25
    assert to_points(np.array([-2.0, 2.0])).tolist() == [0.0, 100.0]


def test_weight_vector_follows_factor_order(model):
    weights = {f: float(i) for i, f in enumerate(reversed(model.factor_ids))}
    assert weight_vector(model, weights).tolist() == [float(i) for i in reversed(range(N_FACTORS))]


# --- concrete rankings of the shipped model ------------------------------------------------------


def test_balanced_ranking(model):
    results = rank(model, normalise(model.presets["balanced"].weights, model.factor_ids))
    assert [r.placement for r in results] == ["head_of_product", "biz_ops", "product_areas", "operations"]
    assert [r.rank for r in results] == [1, 2, 3, 4]
    # head_of_product sums to +5 over 8 equal weights: 50 + 25 * 5/8; biz_ops +1, product_areas 0, operations -1.
    assert [r.score for r in results] == pytest.approx([65.625, 53.125, 50.0, 46.875])
    assert results[0].name == "Reports to the Head of Product"


def test_ties_share_a_rank_with_competition_ranking(model):
    results = rank(model, normalise(model.presets["ops_enablement"].weights, model.factor_ids))
    assert [(r.placement, r.rank) for r in results] == [
        ("operations", 1),
        ("head_of_product", 2),
        ("biz_ops", 2),
        ("product_areas", 4),
    ]
    # Weights 1, 10, 3, 1, 1, 1, 1, 1 (sum 19): both sum to 1 + 2 + 1 + 1 = 5 and -1 + 6 - 2 + 1 + 1 = 5.
    assert results[1].score == results[2].score == pytest.approx(25 * (2 + 5 / 19))


def test_tied_placements_keep_file_order(model):
    weights = normalise(model.presets["ops_enablement"].weights, model.factor_ids)
    first = rank(model, weights)
    assert [r.placement for r in rank(model, weights)] == [r.placement for r in first]
    reversed_model = dataclasses.replace(model, placements=tuple(reversed(model.placements)))
    tied = [r.placement for r in rank(reversed_model, weights) if r.rank == 2]
    assert tied == ["biz_ops", "head_of_product"]


def test_float_noise_does_not_break_a_tie(model):
    # head_of_product and product_areas both sum to 6/22 in exact arithmetic under these weights
    # (2 + 2 + 2 and 2 + 8 + 2 - 4 - 2), but the unrounded float sums differ in the last bit.
    weights = normalise(named(model, [2, 10, 0, 4, 0, 2, 2, 2]), model.factor_ids)
    raw = to_points((model.matrix * weight_vector(model, weights)).sum(axis=1))
    assert raw[0] != raw[3]  # the premise: float noise is really there
    results = rank(model, weights)
    tied = [(r.placement, r.rank) for r in results if r.placement in ("head_of_product", "product_areas")]
    assert tied == [("head_of_product", 2), ("product_areas", 2)]
    assert [(results[0].placement, results[-1].placement, results[-1].rank)] == [("operations", "biz_ops", 4)]
    assert results[1].score == results[2].score == pytest.approx(25 * (2 + 6 / 22))


def test_all_tied_share_rank_one():
    results = rank(make_model([[1, -1], [-1, 1], [0, 0]]), {"f0": 0.5, "f1": 0.5})
    assert [r.rank for r in results] == [1, 1, 1]
    assert [r.placement for r in results] == ["p0", "p1", "p2"]


def test_contributions_are_weight_times_cell_and_sum_to_the_score(model):
    weights = normalise(model.presets["author"].weights, model.factor_ids)
    for result in rank(model, weights):
        assert list(result.contributions) == model.factor_ids
        for f, c in result.contributions.items():
            assert c == pytest.approx(weights[f] * model.cells[result.placement, f].score)
        assert to_points(math.fsum(result.contributions.values())) == pytest.approx(result.score, abs=1e-9)
        assert result.benefits == {f: c for f, c in result.contributions.items() if c > 0}
        assert result.risks == {f: c for f, c in result.contributions.items() if c < 0}


def test_head_of_product_has_no_weighted_risk_under_author(model):
    results = rank(model, normalise(model.presets["author"].weights, model.factor_ids))
    top = results[0]
    assert top.placement == "head_of_product"
    assert top.risks == {}
    assert set(top.benefits) == {"pm_alignment", "global_tradeoffs", "pm_credibility", "flexibility"}


def test_removing_a_placement_never_changes_the_others(model):
    weights = normalise(model.presets["balanced"].weights, model.factor_ids)
    full = scores_by_id(rank(model, weights))
    smaller = dataclasses.replace(model, placements=model.placements[1:])
    assert scores_by_id(rank(smaller, weights)) == {p: s for p, s in full.items() if p != "head_of_product"}


# --- properties ---------------------------------------------------------------------------------


@given(raw_weights, st.floats(1e-3, 1e3))
@SETTINGS
def test_scaling_all_weights_changes_no_score(model, values, factor):
    before = rank(model, normalise(named(model, values), model.factor_ids))
    after = rank(model, normalise(named(model, [v * factor for v in values]), model.factor_ids))
    assert [r.placement for r in after] == [r.placement for r in before]
    assert [r.rank for r in after] == [r.rank for r in before]
    assert [r.score for r in after] == pytest.approx([r.score for r in before], abs=1e-6)


@given(raw_weights, st.integers(0, N_FACTORS - 1), st.lists(st.integers(-2, 2), min_size=4, max_size=4))
@SETTINGS
def test_a_zero_weight_factor_has_no_effect(model, values, zeroed, new_column):
    values = list(values)
    values[zeroed] = 0
    assume(sum(values) > 1e-6)
    weights = normalise(named(model, values), model.factor_ids)
    factor_id = model.factor_ids[zeroed]
    changed = with_column(model, factor_id, new_column)
    assert changed.matrix[:, zeroed].tolist() == [float(v) for v in new_column]
    before, after = rank(model, weights), rank(changed, weights)
    assert [(r.placement, r.score, r.rank) for r in after] == [(r.placement, r.score, r.rank) for r in before]
    assert all(r.contributions[factor_id] == 0 for r in after)


@given(raw_weights)
@SETTINGS
def test_scores_stay_within_0_and_100_on_the_shipped_model(model, values):
    results = rank(model, normalise(named(model, values), model.factor_ids))
    assert all(0 <= r.score <= 100 for r in results)
    assert [r.rank for r in results] == sorted(r.rank for r in results)
    assert all(a.score >= b.score for a, b in zip(results, results[1:], strict=False))


@given(
    st.integers(1, 6).flatmap(
        lambda n_factors: st.tuples(
            st.lists(
                st.lists(st.integers(-2, 2), min_size=n_factors, max_size=n_factors),
                min_size=1,
                max_size=6,
            ),
            st.lists(raw_weight, min_size=n_factors, max_size=n_factors).filter(lambda w: sum(w) > 1e-6),
        )
    )
)
@SETTINGS
def test_scores_stay_within_0_and_100_on_random_matrices(case):
    matrix, values = case
    model = make_model(matrix)
    weights = normalise(named(model, values), model.factor_ids)
    results = rank(model, weights)
    assert len(results) == len(matrix)
    assert all(0 <= r.score <= 100 for r in results)
    # Competition ranking: a placement's rank is 1 + the number of placements scoring strictly more.
    for r in results:
        assert r.rank == 1 + sum(other.score > r.score for other in results)


@given(
    st.integers(1, 6).flatmap(
        lambda n_factors: st.tuples(
            st.lists(
                st.lists(st.integers(-2, 2), min_size=n_factors, max_size=n_factors),
                min_size=1,
                max_size=6,
            ),
            st.integers(0, n_factors - 1),
            st.integers(0, n_factors - 1),
        )
    )
)
@SETTINGS
def test_one_or_two_weighted_factors_give_the_scale_value_of_their_cells(case):
    """With all weight on factor j the score is the 0-100 value of the cell alone:
    -2 -> 0, -1 -> 25, 0 -> 50, +1 -> 75, +2 -> 100, i.e. 25 * (v + 2). With half on j
    and half on k it is the value of the cells' average: 25 * ((v_j + v_k) / 2 + 2)."""
    matrix, j, k = case
    model = make_model(matrix)
    raw = {f: 0.0 for f in model.factor_ids}
    raw[f"f{j}"] += 1.0
    raw[f"f{k}"] += 1.0  # j == k: all weight on one factor
    results = scores_by_id(rank(model, normalise(raw, model.factor_ids)))
    scale = {-2: 0.0, -1: 25.0, 0: 50.0, 1: 75.0, 2: 100.0}
    for i, row in enumerate(matrix):
        expected = (scale[row[j]] + scale[row[k]]) / 2
        assert results[f"p{i}"] == pytest.approx(expected, abs=1e-9)


# Hand-worked from data/scores.csv. Cells (factors in factors.csv order: pm_alignment, ops_empathy,
# cross_functional_efficiency, domain_expertise, global_tradeoffs, pm_credibility, flexibility,
# best_practices):
#   head_of_product   1   0   0   0   2   1   1   0
#   operations       -2   2   1   0  -1  -1   0   0
#   biz_ops          -1   0   2   0   0  -2   1   1
#   product_areas     1   0   0   2  -1   1  -2  -1
# A raw weighted sum S maps to 100 * (S + 2) / 4 = 25 * (S + 2).
HAND_WORKED = [
    # All weight on pm_alignment: S = the cell. 25 * (1 + 2) = 75 twice (tied first), 25 * (-1 + 2) = 25,
    # 25 * (-2 + 2) = 0.
    (
        {"pm_alignment": 1},
        [("head_of_product", 75.0, 1), ("product_areas", 75.0, 1), ("biz_ops", 25.0, 3), ("operations", 0.0, 4)],
    ),
    # All weight on ops_empathy: operations 25 * (2 + 2) = 100; the other three 25 * (0 + 2) = 50, tied
    # at rank 2 in file order.
    (
        {"ops_empathy": 1},
        [("operations", 100.0, 1), ("head_of_product", 50.0, 2), ("biz_ops", 50.0, 2), ("product_areas", 50.0, 2)],
    ),
    # pm_alignment and ops_empathy at 0.5 each: S = (v1 + v2) / 2.
    #   head_of_product (1 + 0) / 2 = 0.5  -> 62.5    product_areas (1 + 0) / 2 = 0.5 -> 62.5 (tied, rank 1)
    #   operations     (-2 + 2) / 2 = 0    -> 50      biz_ops      (-1 + 0) / 2 = -0.5 -> 37.5
    (
        {"pm_alignment": 1, "ops_empathy": 1},
        [("head_of_product", 62.5, 1), ("product_areas", 62.5, 1), ("operations", 50.0, 3), ("biz_ops", 37.5, 4)],
    ),
    # domain_expertise and flexibility at 0.5 each:
    #   head_of_product (0 + 1) / 2 = 0.5 -> 62.5     biz_ops       (0 + 1) / 2 = 0.5 -> 62.5 (tied, rank 1)
    #   operations      (0 + 0) / 2 = 0   -> 50       product_areas (2 - 2) / 2 = 0   -> 50   (tied, rank 3)
    (
        {"domain_expertise": 5, "flexibility": 5},
        [("head_of_product", 62.5, 1), ("biz_ops", 62.5, 1), ("operations", 50.0, 3), ("product_areas", 50.0, 3)],
    ),
    # 'Our reading of the author's priorities', weights 8, 2, 3, 2, 10, 5, 5, 3 (sum 38); S = sum of w * v / 38:
    #   head_of_product  8*1 + 10*2 + 5*1 + 5*1          = 38  -> 25 * (76 + 38) / 38 = 2850/38 = 75
    #   biz_ops         -8 + 3*2 - 5*2 + 5*1 + 3*1         = -4  -> 25 * (76 - 4) / 38  = 1800/38 = 47.3684210526...
    #   product_areas    8 + 2*2 - 10 + 5*1 - 5*2 - 3      = -6  -> 25 * (76 - 6) / 38  = 1750/38 = 46.0526315789...
    #   operations     -16 + 2*2 + 3*1 - 10 - 5            = -24 -> 25 * (76 - 24) / 38 = 1300/38 = 34.2105263157...
    (
        {
            "pm_alignment": 8,
            "ops_empathy": 2,
            "cross_functional_efficiency": 3,
            "domain_expertise": 2,
            "global_tradeoffs": 10,
            "pm_credibility": 5,
            "flexibility": 5,
            "best_practices": 3,
        },
        [
            ("head_of_product", 75.0, 1),
            ("biz_ops", 47.368421052632, 2),
            ("product_areas", 46.052631578947, 3),
            ("operations", 34.210526315789, 4),
        ],
    ),
]


@pytest.mark.parametrize(("raw", "expected"), HAND_WORKED)
def test_shipped_model_scores_worked_by_hand(model, raw, expected):
    results = rank(model, normalise(raw, model.factor_ids))
    assert [(r.placement, r.rank) for r in results] == [(p, rank_) for p, _, rank_ in expected]
    assert [r.score for r in results] == pytest.approx([score for _, score, _ in expected], abs=1e-9)


def test_shipped_model_contributions_worked_by_hand(model):
    # Half on pm_alignment, half on global_tradeoffs: biz_ops has w * v = 0.5 * -1 = -0.5 on
    # pm_alignment and 0.5 * 0 = 0 on global_tradeoffs, 0 on every unweighted factor.
    results = rank(model, normalise({"pm_alignment": 1, "global_tradeoffs": 1}, model.factor_ids))
    biz_ops = next(r for r in results if r.placement == "biz_ops")
    assert biz_ops.contributions == {f: (-0.5 if f == "pm_alignment" else 0.0) for f in model.factor_ids}
    assert biz_ops.risks == {"pm_alignment": -0.5} and biz_ops.benefits == {}
    assert biz_ops.score == 37.5  # 25 * (-0.5 + 2)


def test_extreme_matrices_hit_the_ends_of_the_scale():
    results = rank(make_model([[2, 2, 2], [-2, -2, -2]]), {"f0": 0.2, "f1": 0.3, "f2": 0.5})
    assert [r.score for r in results] == [100.0, 0.0]


def lead(model: Model, weights: dict[str, float], a: str, b: str) -> float:
    scores = scores_by_id(rank(model, weights))
    return scores[a] - scores[b]


@given(
    raw_weights,
    st.sampled_from([(a, b) for a in range(4) for b in range(4) if a != b]),
    st.integers(0, N_FACTORS - 1),
    st.floats(0.01, 20),
)
@SETTINGS
def test_raising_a_factor_where_a_beats_b_pulls_the_lead_toward_that_factors_gap(model, values, pair, j, delta):
    """Raising w_j moves A's lead over B monotonically toward 25 * (v_Aj - v_Bj).

    So if A's advantage on factor j is at least its current lead, A's lead never shrinks,
    and a lead of A never turns into a lead of B. (A lead larger than the factor's gap
    does shrink: normalisation gives every other factor less say.)
    """
    a, b = (model.placement_ids[i] for i in pair)
    factor_id = model.factor_ids[j]
    gap = points_per_unit() * (model.cells[a, factor_id].score - model.cells[b, factor_id].score)
    assume(gap > 0)
    before = lead(model, normalise(named(model, values), model.factor_ids), a, b)
    raised = list(values)
    raised[j] += delta
    after = lead(model, normalise(named(model, raised), model.factor_ids), a, b)
    tolerance = 1e-6
    assert min(before, gap) - tolerance <= after <= max(before, gap) + tolerance
    if gap >= before:
        assert after >= before - tolerance
    if before >= 0:
        assert after >= -tolerance
    # Without normalisation the weighted-sum lead grows by exactly delta * (v_Aj - v_Bj).
    w_before, w_after = np.array(values, dtype=float), np.array(raised, dtype=float)
    i_a, i_b = pair
    diff = model.matrix[i_a] - model.matrix[i_b]
    assert diff @ w_after - diff @ w_before == pytest.approx(delta * gap / points_per_unit())


def test_a_large_lead_can_shrink_when_a_smaller_advantage_gains_weight(model):
    """Counterexample to 'raising a factor where A beats B never shrinks A's lead' (see docstring above)."""
    raw = dict(model.presets["author"].weights)
    before = lead(model, normalise(raw, model.factor_ids), "head_of_product", "operations")
    raw["flexibility"] += 5  # head_of_product +1 vs operations 0 on flexibility
    after = lead(model, normalise(raw, model.factor_ids), "head_of_product", "operations")
    assert before == pytest.approx(25 * 62 / 38)  # head_of_product 38, operations -24 (sums of w * v)
    assert after == pytest.approx(25 * 67 / 43)
    assert 25 < after < before
