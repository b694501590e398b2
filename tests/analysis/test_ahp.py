"""Pairwise comparisons (placement/analysis/ahp.py): published examples, properties and hand-worked LLSM cases."""

from __future__ import annotations

import math
from fractions import Fraction
from itertools import combinations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.analysis import ahp
from placement.data.problems import InputError


def matrix(rows: list[str]) -> np.ndarray:
    return np.array(
        [[float("nan") if cell == "nan" else float(Fraction(cell)) for cell in row.split()] for row in rows]
    )


def ids(n: int) -> list[str]:
    return [f"f{k}" for k in range(n)]


# --- published examples, to their printed precision --------------------------------------------

# Saaty, T.L. (1990) "How to make a decision: The Analytic Hierarchy Process", European Journal of
# Operational Research 48, 9-26: the eight criteria for choosing a house (size, transportation,
# neighbourhood, age, yard, modern facilities, condition, financing). Printed: the priority vector
# to three decimals, lambda_max = 9.669, C.I. = 0.238, C.R. = 0.169.
HOUSE = [
    "1 5 3 7 6 6 1/3 1/4",
    "1/5 1 1/3 5 3 3 1/5 1/7",
    "1/3 3 1 6 3 4 6 1/5",
    "1/7 1/5 1/6 1 1/3 1/4 1/7 1/8",
    "1/6 1/3 1/3 3 1 1/2 1/5 1/6",
    "1/6 1/3 1/4 4 2 1 1/5 1/6",
    "3 5 1/6 7 5 5 1 1/2",
    "4 7 5 8 6 6 2 1",
]
HOUSE_WEIGHTS = [0.173, 0.054, 0.188, 0.018, 0.031, 0.036, 0.167, 0.333]

# Saaty, T.L. (1980) The Analytic Hierarchy Process, McGraw-Hill, "relative wealth of nations"
# (US, USSR, China, France, UK, Japan, West Germany; from Saaty and Khouja 1976). Printed: the
# eigenvector to three decimals, lambda_max = 7.61, C.I. = 0.10, C.R. = 0.08.
NATIONS = [
    "1 4 9 6 6 5 5",
    "1/4 1 7 5 5 3 4",
    "1/9 1/7 1 1/5 1/5 1/7 1/5",
    "1/6 1/5 5 1 1 1/3 1/3",
    "1/6 1/5 5 1 1 1/3 1/3",
    "1/5 1/3 7 3 3 1 2",
    "1/5 1/4 5 3 3 1/2 1",
]
NATIONS_WEIGHTS = [0.427, 0.230, 0.021, 0.052, 0.052, 0.123, 0.094]


def test_saaty_house_criteria_reproduce_the_printed_priorities_and_consistency():
    result = ahp.analyse(ids(8), matrix(HOUSE))
    assert result.method == "eigenvector"
    assert [round(w, 3) for w in result.weights.values()] == HOUSE_WEIGHTS
    assert (round(result.lambda_max, 3), round(result.ci, 3)) == (9.669, 0.238)
    assert round(result.ci / 1.41, 3) == 0.169  # the printed CR, with the RI it was printed with (Saaty's 1.41)
    assert result.cr == pytest.approx(result.ci / 1.4056)  # ours: Alonso and Lamata's RI(8)
    assert result.too_inconsistent


def test_saaty_wealth_of_nations_reproduces_the_printed_eigenvector_and_consistency():
    result = ahp.analyse(ids(7), matrix(NATIONS))
    assert [round(w, 3) for w in result.weights.values()] == NATIONS_WEIGHTS
    assert (round(result.lambda_max, 2), round(result.ci, 2), round(result.cr, 2)) == (7.61, 0.10, 0.08)
    assert round(result.ci / 1.32, 2) == 0.08  # Saaty's RI(7), as printed
    assert not result.too_inconsistent


def test_the_house_judgement_furthest_from_its_weights_is_named():
    # Neighbourhood (0.188) is judged 6 times condition (0.167): log(6 * 0.167 / 0.188) = 1.67, the largest gap.
    assert ahp.analyse(ids(8), matrix(HOUSE)).most_inconsistent == (("f2", "f6"),)


# --- properties -------------------------------------------------------------------------------

positive_weights = st.lists(st.floats(0.05, 20.0), min_size=2, max_size=10)
SAATY = st.sampled_from([1 / 9, 1 / 7, 1 / 5, 1 / 3, 1, 3, 5, 7, 9])


@settings(max_examples=60, deadline=None)
@given(positive_weights)
def test_a_consistent_matrix_has_cr_zero_and_exactly_proportional_weights(raw):
    w = np.array(raw)
    result = ahp.analyse(ids(len(w)), np.outer(w, 1 / w))
    assert result.cr == pytest.approx(0.0, abs=1e-9)
    assert result.lambda_max == pytest.approx(len(w), abs=1e-9)
    assert list(result.weights.values()) == pytest.approx(list(w / w.sum()), rel=1e-9)
    assert result.most_inconsistent == ()


@settings(max_examples=60, deadline=None)
@given(positive_weights)
def test_a_consistent_incomplete_matrix_gives_the_weights_back_from_the_design(raw):
    w = np.array(raw)
    factors = ids(len(w))
    asked = ahp.design(factors)
    judgements = {(a, b): w[factors.index(a)] / w[factors.index(b)] for a, b in asked}
    result = ahp.analyse(factors, ahp.matrix_of(factors, judgements))
    assert list(result.weights.values()) == pytest.approx(list(w / w.sum()), rel=1e-9)
    assert result.cr == pytest.approx(0.0, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 9).flatmap(lambda n: st.lists(SAATY, min_size=n * (n - 1) // 2, max_size=n * (n - 1) // 2)))
def test_judgements_make_a_reciprocal_matrix_and_llsm_on_it_is_the_row_geometric_mean(values):
    n = next(k for k in range(2, 11) if k * (k - 1) // 2 == len(values))
    factors = ids(n)
    built = ahp.matrix_of(factors, dict(zip(combinations(factors, 2), values, strict=True)))
    assert np.allclose(built * built.T, 1.0)
    assert np.all(np.diag(built) == 1.0)
    geometric_means = np.array([math.prod(row) ** (1 / n) for row in built.tolist()])
    assert ahp.llsm(built) == pytest.approx(list(geometric_means / geometric_means.sum()), rel=1e-9)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(0.2, 5.0), min_size=5, max_size=8), st.data())
def test_one_judgement_pushed_far_from_consistent_is_the_one_named(raw, data):
    w = np.array(raw)
    n = len(w)
    i, j = data.draw(st.tuples(st.integers(0, n - 2), st.integers(1, n - 1)).filter(lambda p: p[0] < p[1]))
    pushed = np.outer(w, 1 / w)
    pushed[i, j] *= 9
    pushed[j, i] = 1 / pushed[i, j]
    assert ahp.analyse(ids(n), pushed).most_inconsistent == ((f"f{i}", f"f{j}"),)


@pytest.mark.parametrize("n", range(2, 31))
def test_the_design_asks_at_most_2n_distinct_pairs_and_connects_every_factor(n):
    factors = ids(n)
    asked = ahp.design(factors)
    assert len(asked) <= 2 * n
    assert len({frozenset(p) for p in asked}) == len(asked)
    assert all(a != b for a, b in asked)
    reached, frontier = {factors[0]}, [factors[0]]
    while frontier:
        node = frontier.pop()
        for a, b in asked:
            for here, there in ((a, b), (b, a)):
                if here == node and there not in reached:
                    reached.add(there)
                    frontier.append(there)
    assert reached == set(factors)
    if n * (n - 1) // 2 <= 2 * n:
        assert len(asked) == n * (n - 1) // 2  # few factors: every pair
    else:
        counts = [sum(f in p for p in asked) for f in factors]
        assert counts == [4] * n  # each factor compared equally often


# --- incomplete matrices, worked by hand -------------------------------------------------------


def test_llsm_of_a_spanning_tree_follows_its_judgements_exactly():
    # a is 2 x b, b is 3 x c: w = (6, 3, 1) / 10, and nothing can contradict a tree.
    result = ahp.analyse(["a", "b", "c"], ahp.matrix_of(["a", "b", "c"], {("a", "b"): 2, ("b", "c"): 3}))
    assert result.method == "llsm"
    assert list(result.weights.values()) == pytest.approx([0.6, 0.3, 0.1])
    assert result.cr == pytest.approx(0.0, abs=1e-12)
    assert result.comparisons == 2


def test_llsm_spreads_a_cycles_inconsistency_evenly_over_its_judgements():
    # Ring a-b-c-d-a with a = 4 x b and 1 elsewhere: the product round the ring is 4 instead of 1, so
    # least squares leaves the same log residual log(4)/4 on each of the four edges:
    # w_b = w_a / (2 sqrt 2), w_c = w_a / 2, w_d = w_a / sqrt 2.
    factors = ["a", "b", "c", "d"]
    result = ahp.analyse(factors, ahp.matrix_of(factors, {("a", "b"): 4, ("b", "c"): 1, ("c", "d"): 1, ("d", "a"): 1}))
    expected = np.array([1, 1 / (2 * math.sqrt(2)), 1 / 2, 1 / math.sqrt(2)])
    assert list(result.weights.values()) == pytest.approx(list(expected / expected.sum()))
    completed = np.outer(expected, 1 / expected)  # missing a-c and b-d filled with the LLSM ratios
    for a, b, value in (("a", "b", 4), ("b", "c", 1), ("c", "d", 1), ("d", "a", 1)):
        i, j = factors.index(a), factors.index(b)
        completed[i, j], completed[j, i] = value, 1 / value
    lambda_max = max(np.linalg.eigvals(completed).real)
    assert result.lambda_max == pytest.approx(lambda_max)
    # The design is a 4-cycle, not every pair: its RI is that of random answers on the same cycle.
    ring = ((0, 1), (0, 3), (1, 2), (2, 3))
    assert result.cr == pytest.approx((lambda_max - 4) / 3 / ahp.simulated_random_index(4, ring))
    assert result.cr > 0
    # Every edge carries the same residual log(4)/4, so all four are named, none picked by position.
    assert set(result.most_inconsistent) == {("a", "b"), ("b", "c"), ("c", "d"), ("a", "d")}


# --- refusals, each problem named ---------------------------------------------------------------


def refusal(factors: list[str], values: np.ndarray) -> str:
    with pytest.raises(InputError) as caught:
        ahp.analyse(factors, values)
    return str(caught.value)


def test_a_non_positive_cell_is_named():
    bad = matrix(["1 3 0", "1/3 1 2", "1 1/2 1"])
    message = refusal(["a", "b", "c"], bad)
    assert "'a' vs 'c' is 0" in message and "positive" in message


def test_a_non_reciprocal_pair_is_named_and_a_typed_decimal_passes():
    message = refusal(["a", "b", "c"], matrix(["1 3 2", "1/2 1 2", "1/2 1/2 1"]))
    assert "not reciprocal: 'a' vs 'b' is 3 but 'b' vs 'a' is 0.5" in message
    ahp.analyse(["a", "b", "c"], matrix(["1 3 2", "0.333 1 2", "0.5 0.5 1"]))


def test_unconnected_factors_are_named_by_group():
    values = ahp.matrix_of(list("abcd"), {("a", "b"): 2, ("c", "d"): 3})
    message = refusal(list("abcd"), values)
    assert "2 unconnected groups of factors (a, b | c, d)" in message


def test_every_problem_is_listed_at_once():
    values = matrix(["1 -3 nan", "1/3 1 nan", "nan nan 1"])
    message = refusal(list("abc"), values)
    assert "'a' vs 'b' is -3" in message and "unconnected" in message
