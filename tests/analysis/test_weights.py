"""Weights (placement/analysis/weights.py): direct normalisation and rank order centroid (docs/methods.md)."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.analysis.weights import normalise, rank_order_centroid
from placement.data.problems import InputError

FACTORS = ["a", "b", "c", "d"]


def three_decimals(value: float) -> str:
    return str(Decimal(value).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP))


def input_error(call, *args) -> InputError:
    with pytest.raises(InputError) as caught:
        call(*args)
    return caught.value


# --- normalise ------------------------------------------------------------------------------


def test_normalise_divides_by_the_sum_in_factor_order():
    weights = normalise({"c": 1, "a": 3, "b": 4, "d": 2}, FACTORS)
    assert list(weights) == FACTORS
    assert weights == pytest.approx({"a": 0.3, "b": 0.4, "c": 0.1, "d": 0.2})
    assert math.fsum(weights.values()) == pytest.approx(1.0)


def test_missing_factors_count_as_zero():
    assert normalise({"b": 5}, FACTORS) == {"a": 0.0, "b": 1.0, "c": 0.0, "d": 0.0}


def test_normalise_is_scale_invariant():
    base = normalise({"a": 1, "b": 2, "c": 0, "d": 7}, FACTORS)
    scaled = normalise({"a": 0.25, "b": 0.5, "c": 0, "d": 1.75}, FACTORS)
    assert scaled == pytest.approx(base)


@given(
    st.lists(st.floats(0, 1e6, allow_nan=False), min_size=4, max_size=4).filter(lambda v: sum(v) > 1e-9),
    st.floats(1e-3, 1e3),
)
@settings(max_examples=150, deadline=None)
def test_normalise_sums_to_one_and_ignores_scale(values, factor):
    raw = dict(zip(FACTORS, values, strict=True))
    weights = normalise(raw, FACTORS)
    assert math.fsum(weights.values()) == pytest.approx(1.0)
    assert all(w >= 0 for w in weights.values())
    scaled = normalise({f: v * factor for f, v in raw.items()}, FACTORS)
    assert scaled == pytest.approx(weights, abs=1e-12)


def test_all_zero_weights_are_an_input_error():
    error = input_error(normalise, {f: 0 for f in FACTORS}, FACTORS)
    [problem] = error.problems
    assert problem.message == "every weight is zero"
    assert "above 0" in problem.fix


def test_empty_weights_are_an_input_error():
    assert input_error(normalise, {}, FACTORS).problems[0].message == "every weight is zero"


@pytest.mark.parametrize("bad", [-1, -0.001, float("nan"), float("inf"), float("-inf")])
def test_negative_or_non_finite_weight_names_the_factor(bad):
    error = input_error(normalise, {"a": 1, "c": bad}, FACTORS)
    [problem] = error.problems
    assert "'c'" in problem.message
    assert problem.fix == "use a number of 0 or more"
    assert "'c'" in str(error)


def test_unknown_factor_names_the_factor_and_the_choices():
    error = input_error(normalise, {"a": 1, "zz": 2}, FACTORS)
    [problem] = error.problems
    assert problem.message == "unknown factor 'zz'"
    assert problem.fix == "use one of a, b, c, d"


def test_every_weight_problem_is_reported_at_once():
    error = input_error(normalise, {"a": -1, "b": float("nan"), "zz": 1}, FACTORS)
    messages = [p.message for p in error.problems]
    assert "unknown factor 'zz'" in messages
    assert any("'a'" in m for m in messages) and any("'b'" in m for m in messages)
    assert len(messages) == 3


@pytest.mark.filterwarnings("ignore:overflow encountered:RuntimeWarning")
def test_huge_finite_weights_still_sum_to_one():
    weights = normalise({"a": 1e308, "b": 1e308}, FACTORS)
    assert weights == pytest.approx({"a": 0.5, "b": 0.5, "c": 0.0, "d": 0.0})


# --- rank order centroid ------------------------------------------------------------------------


def test_roc_matches_the_guide_for_four_factors():
    weights = rank_order_centroid({"a": 1, "b": 2, "c": 3, "d": 4}, FACTORS)
    assert [three_decimals(weights[f]) for f in FACTORS] == ["0.521", "0.271", "0.146", "0.063"]
    assert [weights[f] for f in FACTORS] == pytest.approx([25 / 48, 13 / 48, 7 / 48, 3 / 48])


def test_roc_follows_the_ranks_not_the_factor_order():
    weights = rank_order_centroid({"a": 4, "b": 3, "c": 1, "d": 2}, FACTORS)
    assert [weights[f] for f in FACTORS] == pytest.approx([3 / 48, 7 / 48, 25 / 48, 13 / 48])
    assert list(weights) == FACTORS


def test_roc_ties_share_the_mean_of_their_positions():
    weights = rank_order_centroid({"a": 1, "b": 2, "c": 2, "d": 4}, FACTORS)
    shared = (13 / 48 + 7 / 48) / 2
    assert [weights[f] for f in FACTORS] == pytest.approx([25 / 48, shared, shared, 3 / 48])
    assert math.fsum(weights.values()) == pytest.approx(1.0)


def test_roc_dense_and_competition_ranks_give_the_same_weights():
    dense = rank_order_centroid({"a": 1, "b": 1, "c": 2, "d": 3}, FACTORS)
    competition = rank_order_centroid({"a": 1, "b": 1, "c": 3, "d": 4}, FACTORS)
    assert dense == pytest.approx(competition)
    assert dense["a"] == pytest.approx((25 / 48 + 13 / 48) / 2)


def test_roc_all_tied_is_uniform():
    weights = rank_order_centroid(dict.fromkeys(FACTORS, 1), FACTORS)
    assert list(weights.values()) == pytest.approx([0.25] * 4)


def test_roc_single_factor_gets_everything():
    assert rank_order_centroid({"a": 1}, ["a"]) == {"a": 1.0}


def test_roc_missing_rank_is_an_input_error():
    error = input_error(rank_order_centroid, {"a": 1, "b": 2}, FACTORS)
    [problem] = error.problems
    assert problem.message == "no rank for c, d"
    assert problem.fix == "give every factor a rank"


@given(st.integers(1, 12).flatmap(lambda n: st.lists(st.integers(1, n), min_size=n, max_size=n)))
@settings(max_examples=200, deadline=None)
def test_roc_weights_sum_to_one_and_never_increase_with_rank(ranks):
    factor_ids = [f"f{i}" for i in range(len(ranks))]
    weights = rank_order_centroid(dict(zip(factor_ids, ranks, strict=True)), factor_ids)
    assert list(weights) == factor_ids
    assert math.fsum(weights.values()) == pytest.approx(1.0)
    assert all(w > 0 for w in weights.values())
    by_rank = sorted(factor_ids, key=lambda f: ranks[factor_ids.index(f)])
    for better, worse in zip(by_rank, by_rank[1:], strict=False):
        rank_better, rank_worse = ranks[factor_ids.index(better)], ranks[factor_ids.index(worse)]
        if rank_better == rank_worse:
            assert weights[better] == pytest.approx(weights[worse])
        else:
            assert weights[better] > weights[worse]


@given(st.integers(1, 12))
@settings(max_examples=50, deadline=None)
def test_roc_strict_ranking_matches_the_formula(n):
    factor_ids = [f"f{i}" for i in range(n)]
    weights = rank_order_centroid({f: i + 1 for i, f in enumerate(factor_ids)}, factor_ids)
    expected = [sum(1 / k for k in range(i, n + 1)) / n for i in range(1, n + 1)]
    assert list(weights.values()) == pytest.approx(expected)
    assert all(a > b for a, b in zip(expected, expected[1:], strict=False))


def test_same_weights_compares_factors_and_values():
    from placement.analysis.weights import same_weights

    assert same_weights({"a": 0.5, "b": 0.5}, {"b": 0.5, "a": 0.5})
    assert not same_weights({"a": 0.5, "b": 0.5}, {"a": 0.6, "b": 0.4})
    assert not same_weights({"a": 1.0}, {"a": 1.0, "b": 0.0})
