"""The random index a CR is judged against (placement/analysis/ahp.py): the published table for complete
matrices, and for incomplete designs random answers on the same pairs, checked against exact enumeration."""

from __future__ import annotations

import itertools
from itertools import combinations

import numpy as np
import pytest

from placement.analysis import ahp
from placement.analysis.design_random_index import DESIGN_RANDOM_INDEX

# Saaty's full scale, written out here rather than taken from the code under test.
SCALE = [1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9]
# Alonso, J.A. and Lamata, M.T. (2006), "Consistency in the analytic hierarchy process: a new approach",
# Int. J. of Uncertainty, Fuzziness and Knowledge-Based Systems 14(4), 445-459: RI for n = 3..15.
ALONSO_LAMATA = [0.5245, 0.8815, 1.1086, 1.2479, 1.3417, 1.4056, 1.4499, 1.4854, 1.5141, 1.5365, 1.5551, 1.5713, 1.5838]


def exact_random_index(n: int, pairs: list[tuple[int, int]]) -> tuple[float, float]:
    """(mean, standard deviation) of the CI over every answer set on `pairs`, each equally likely.

    Written apart from the code: LLSM by least squares on the log system (numpy's lstsq, not the Laplacian),
    the missing pairs filled with the weights' ratios, lambda_max the largest real eigenvalue."""
    answers = np.array(list(itertools.product(SCALE, repeat=len(pairs))))
    system = np.zeros((len(pairs), n))
    for row, (i, j) in enumerate(pairs):
        system[row, i], system[row, j] = 1.0, -1.0
    logs = np.log(answers)
    y = np.linalg.lstsq(system, logs.T, rcond=None)[0].T  # one least-squares solution per answer set
    filled = np.exp(y[:, :, None] - y[:, None, :])
    for row, (i, j) in enumerate(pairs):
        filled[:, i, j], filled[:, j, i] = answers[:, row], 1 / answers[:, row]
    ci = (np.linalg.eigvals(filled).real.max(axis=1) - n) / (n - 1)
    return float(ci.mean()), float(ci.std())


def test_the_simulated_random_index_of_a_ring_matches_exact_enumeration():
    # Four factors compared round a ring (4 of 6 pairs): all 17^4 = 83,521 answer sets enumerated.
    ring = [(0, 1), (1, 2), (2, 3), (0, 3)]
    exact, spread = exact_random_index(4, ring)
    simulated = ahp.simulated_random_index(4, tuple(sorted(ring)))
    assert simulated == pytest.approx(exact, abs=4 * spread / np.sqrt(ahp.RANDOM_DRAWS))
    assert ahp.simulated_random_index(4, tuple(sorted(ring))) == simulated  # the fixed seed: the same every time


def test_a_small_complete_design_matches_exact_enumeration_and_the_published_value():
    # Three factors, every pair: 17^3 answer sets; the published RI(3) is 0.5245.
    exact, spread = exact_random_index(3, [(0, 1), (0, 2), (1, 2)])
    assert exact == pytest.approx(ALONSO_LAMATA[0], abs=0.002)
    assert ahp.simulated_random_index(3, ((0, 1), (0, 2), (1, 2))) == pytest.approx(
        exact, abs=4 * spread / np.sqrt(ahp.RANDOM_DRAWS)
    )


@pytest.mark.parametrize("n", [4, 5, 6, 7])
def test_simulating_every_pair_gives_back_the_published_random_index(n):
    simulated = ahp.random_cis(n, tuple(combinations(range(n), 2)), ahp.RANDOM_DRAWS, ahp.RANDOM_SEED)
    assert simulated.mean() == pytest.approx(ALONSO_LAMATA[n - 3], abs=4 * simulated.std() / np.sqrt(len(simulated)))


def test_complete_matrices_use_the_named_table_up_to_15_factors():
    assert list(ahp.RANDOM_INDEX) == list(range(3, 16))
    assert list(ahp.RANDOM_INDEX.values()) == ALONSO_LAMATA
    for n in (11, 15):
        judged = np.full((n, n), 2.0)
        judged[np.tril_indices(n, -1)] = 0.5
        np.fill_diagonal(judged, 1.0)
        result = ahp.analyse([f"f{k}" for k in range(n)], judged)
        assert result.cr == pytest.approx(result.ci / ALONSO_LAMATA[n - 3])
        assert "Alonso and Lamata (2006)" in result.cr_source
    # Beyond the table a complete matrix is judged against random answers on all its pairs, simulated.
    judged = np.full((16, 16), 2.0)
    judged[np.tril_indices(16, -1)] = 0.5
    np.fill_diagonal(judged, 1.0)
    beyond = ahp.analyse([f"f{k}" for k in range(16)], judged)
    every_pair = tuple(combinations(range(16), 2))
    assert beyond.cr == pytest.approx(beyond.ci / ahp.simulated_random_index(16, every_pair))
    assert "on all 120 pairs of 16 factors" in beyond.cr_source and "stops at 15" in beyond.cr_source
    assert ahp.RANDOM_INDEX[15] < beyond.random_index.value < 1.7  # random index grows slowly with n


def test_the_eight_factor_phone_design_is_judged_against_random_answers_on_its_16_pairs():
    factors = [f"f{k}" for k in range(8)]
    asked = ahp.design(factors)
    compared = tuple(sorted(tuple(sorted((factors.index(a), factors.index(b)))) for a, b in asked))
    # The field guide measured random answers on a 16-of-28-pair design averaging CI 0.62.
    assert ahp.simulated_random_index(8, compared) == pytest.approx(0.62, abs=0.02)
    # Against the complete matrix's RI about 1% of purely random answer sets passed CR <= 0.10; against
    # random answers on the same design almost none do (independent draws, another seed).
    cis = ahp.random_cis(8, compared, 20_000, seed=7)
    assert np.mean(cis / ahp.RANDOM_INDEX[8] <= ahp.CR_LIMIT) > 0.005
    assert np.mean(cis / ahp.simulated_random_index(8, compared) <= ahp.CR_LIMIT) < 0.002
    # Each answer set's CI is the CI analyse gives the same answers.
    answers = {pair: 3.0 if k % 3 else 1 / 5 for k, pair in enumerate(asked)}
    result = ahp.analyse(factors, ahp.matrix_of(factors, answers))
    assert result.cr == pytest.approx(result.ci / ahp.simulated_random_index(8, compared))
    assert "16 of 28 pairs" in result.cr_source and "10,000 random answer sets" in result.cr_source


def test_a_tree_of_pairs_has_cr_zero_since_random_answers_cannot_contradict_it_either():
    result = ahp.analyse(
        ["a", "b", "c", "d"], ahp.matrix_of(list("abcd"), {("a", "b"): 9, ("b", "c"): 9, ("c", "d"): 9})
    )
    assert result.random_index.value == pytest.approx(0.0, abs=1e-9)
    assert result.cr == 0.0


@pytest.mark.parametrize("n", [6, 8, 12])
def test_the_stored_random_index_of_each_standard_design_is_the_simulation_itself(n):
    # placement/analysis/design_random_index.py is generated; a stale file (design, scale, draws or seed
    # changed since) fails here.
    pattern = ahp.design_pattern(n)
    assert DESIGN_RANDOM_INDEX[n] == ahp.simulated_random_index(n, pattern)
    assert ahp.random_index(n, pattern).value == DESIGN_RANDOM_INDEX[n]
    assert set(DESIGN_RANDOM_INDEX) == {k for k in range(6, 31)}  # every size whose design leaves pairs out
