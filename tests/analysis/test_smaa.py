"""SMAA-2: shares add up, sampling is unbiased, seeds reproduce, large kappa is deterministic."""

from itertools import permutations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from placement.analysis import smaa

SEED, KAPPA = 2024, 50.0


@pytest.fixture
def weights(model):
    w = np.array([model.presets["balanced"].weights[f] for f in model.factor_ids])
    return w / w.sum()


def test_acceptability_rows_and_columns_sum_to_one(model, weights):
    result = smaa.smaa(model.matrix, weights, samples=5_000, seed=SEED, kappa=KAPPA)
    np.testing.assert_allclose(result.acceptability.sum(axis=0), 1.0)
    np.testing.assert_allclose(result.acceptability.sum(axis=1), 1.0)


def test_same_seed_same_numbers_and_other_seed_differs(model, weights):
    first = smaa.smaa(model.matrix, None, samples=3_000, seed=7)
    again = smaa.smaa(model.matrix, None, samples=3_000, seed=7)
    other = smaa.smaa(model.matrix, None, samples=3_000, seed=8)
    np.testing.assert_array_equal(first.acceptability, again.acceptability)
    assert not np.array_equal(first.acceptability, other.acceptability)


def test_very_large_kappa_reproduces_the_deterministic_ranking(model, weights):
    result = smaa.smaa(model.matrix, weights, samples=2_000, seed=SEED, kappa=1e7)
    expected_order = np.argsort(-(model.matrix @ weights), kind="stable")
    for rank, placement in enumerate(expected_order):
        assert result.acceptability[placement, rank] == 1.0


def test_uniform_sampler_is_unbiased_on_the_simplex():
    rng = np.random.default_rng(1)
    n, samples = 6, 40_000
    drawn = smaa.sample_weights(None, samples, rng, n=n)
    np.testing.assert_allclose(drawn.sum(axis=1), 1.0)
    # Dirichlet(1) has mean 1/n and variance (n-1)/(n^2 (n+1)) per coordinate.
    standard_error = np.sqrt((n - 1) / (n**2 * (n + 1)) / samples)
    assert np.all(np.abs(drawn.mean(axis=0) - 1 / n) < 4 * standard_error)


def test_concentrated_sampler_centres_on_the_weights_and_keeps_zeros():
    rng = np.random.default_rng(2)
    w = np.array([0.5, 0.3, 0.2, 0.0])
    drawn = smaa.sample_weights(w, 20_000, rng, kappa=50)
    assert np.all(drawn[:, 3] == 0)
    np.testing.assert_allclose(drawn.mean(axis=0), w, atol=0.01)


def test_pairwise_winning_index_is_complementary_without_ties(model, weights):
    result = smaa.smaa(model.matrix, None, samples=4_000, seed=SEED)
    pairwise = result.pairwise
    off_diagonal = ~np.eye(len(pairwise), dtype=bool)
    np.testing.assert_allclose((pairwise + pairwise.T)[off_diagonal], 1.0, atol=1e-12)
    assert np.all(np.diag(pairwise) == 0)


def test_central_weights_make_their_placement_win(model):
    result = smaa.smaa(model.matrix, None, samples=10_000, seed=SEED)
    for i, central in enumerate(result.central_weights):
        if result.acceptability[i, 0] > 0:
            assert central.sum() == pytest.approx(1.0)
            assert np.argmax(model.matrix @ central) == i
            assert result.confidence[i] == 1.0
        else:
            assert np.isnan(central).all()
            assert np.isnan(result.confidence[i])  # SMAA-2 leaves it undefined: never reported as 0


def test_doubting_cells_lowers_confidence_below_certainty(model, weights):
    exact = smaa.smaa(model.matrix, weights, samples=5_000, seed=SEED, kappa=KAPPA)
    every_cell = np.arange(model.matrix.size).reshape(model.matrix.shape)
    doubted = smaa.smaa(model.matrix, weights, samples=5_000, seed=SEED, kappa=KAPPA, groups=every_cell, spread=1.0)
    assert np.all(exact.confidence[exact.acceptability[:, 0] > 0] == 1.0)
    assert np.nanmin(doubted.confidence) < 1.0


def test_cells_of_one_group_move_together_and_fixed_cells_stay():
    groups = np.array([[0, 0], [-1, 1]])
    cells = smaa.sample_cells(np.zeros((2, 2)), groups, 1.0, 5_000, np.random.default_rng(SEED))
    np.testing.assert_array_equal(cells[:, 0, 0], cells[:, 0, 1])  # one statement, one shift
    assert np.all(cells[:, 1, 0] == 0.0)
    assert not np.allclose(cells[:, 1, 1], cells[:, 0, 0])
    assert cells.min() >= -1.0 and cells.max() <= 1.0
    assert abs(cells[:, 1, 1].mean()) < 0.05 and cells[:, 1, 1].std() == pytest.approx(1 / np.sqrt(3), abs=0.02)


def test_a_tie_for_first_shares_the_ranks_instead_of_crediting_file_order():
    """Only factor 0 is weighted (kappa sampling keeps a zero weight at zero), so p0 and p1 tie in every sample."""
    matrix = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 1.0]])
    result = smaa.smaa(matrix, np.array([1.0, 0.0]), samples=1_000, seed=SEED, kappa=KAPPA)
    np.testing.assert_allclose(result.acceptability, [[0.5, 0.5, 0.0], [0.5, 0.5, 0.0], [0.0, 0.0, 1.0]])
    np.testing.assert_allclose(result.central_weights[:2], [[1.0, 0.0], [1.0, 0.0]])
    assert np.isnan(result.central_weights[2]).all()
    # Under its central weights each still ties with the other: half a win each; p2 is never first.
    np.testing.assert_allclose(result.confidence[:2], [0.5, 0.5])
    assert np.isnan(result.confidence[2])
    np.testing.assert_allclose(result.pairwise, [[0, 0, 1], [0, 0, 1], [0, 0, 0]])  # a tie is nobody's win


def test_rank_credit_matches_a_brute_force_over_orderings():
    """Shared credit equals the average rank position over every order of the tied placements."""
    scores = np.array([[3.0, 1.0, 3.0, 1.0, 0.0]])
    credit = smaa.rank_credit(scores)[0]
    brute = np.zeros((5, 5))
    orders = [o for o in permutations(range(5)) if all(scores[0, o[k]] >= scores[0, o[k + 1]] for k in range(4))]
    for order in orders:
        for position, placement in enumerate(order):
            brute[placement, position] += 1 / len(orders)
    np.testing.assert_allclose(credit, brute)


def shares_by_brute_force(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The oracle for every sample: each placement's average position over all orders that sort it best first."""
    samples, m = scores.shape
    counts, first = np.zeros((m, m)), np.zeros((samples, m))
    for s, row in enumerate(scores):
        orders = [o for o in permutations(range(m)) if all(row[o[k]] >= row[o[k + 1]] for k in range(m - 1))]
        for order in orders:
            for position, placement in enumerate(order):
                counts[placement, position] += 1 / len(orders)
            first[s, order[0]] += 1 / len(orders)
    return counts, first


@given(arrays(float, st.tuples(st.integers(1, 30), st.integers(1, 5)), elements=st.sampled_from([0.0, 0.5, 1.0, 2.0])))
def test_rank_shares_match_a_brute_force_with_and_without_ties(scores):
    """Samples without ties take the quick path (one sort), samples with ties share credit: both as the oracle."""
    scores = scores + np.random.default_rng(0).uniform(0, 1e-12, scores.shape)  # float noise never splits a tie
    counts, first = smaa._rank_shares(scores)
    expected_counts, expected_first = shares_by_brute_force(np.round(scores, 6))
    np.testing.assert_allclose(counts, expected_counts, atol=1e-12)
    np.testing.assert_allclose(first, expected_first, atol=1e-12)


def test_standard_error_bound():
    assert smaa.SmaaResult(None, None, None, None, 10_000, 0).standard_error == pytest.approx(0.005)


def test_sampling_around_weights_needs_a_concentration(model, weights):
    with pytest.raises(ValueError, match="kappa"):
        smaa.smaa(model.matrix, weights, samples=10, seed=SEED)


def test_the_package_keeps_no_second_set_of_defaults():
    """The defaults live in placement.settings (through robustness.Settings), not here."""
    for name in ("DEFAULT_KAPPA", "DEFAULT_SAMPLES", "DEFAULT_SEED"):
        assert not hasattr(smaa, name)


# --- one BLAS thread for the small matrix work -------------------------------------------------


def blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info  # noqa: PLC0415

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_blas_runs_one_thread_inside_and_as_before_after(model, weights, monkeypatch):
    before = blas_threads()
    seen = []
    real = smaa._smaa
    monkeypatch.setattr(smaa, "_smaa", lambda *args: seen.append(blas_threads()) or real(*args))
    smaa.smaa(model.matrix, weights, samples=1_000, seed=SEED, kappa=KAPPA)
    assert seen == [[1] * len(before)]
    assert blas_threads() == before


def test_overlapping_analyses_share_the_limit_and_the_last_restores_it():
    before = blas_threads()
    with smaa.one_blas_thread():
        with smaa.one_blas_thread():  # a second session at the same time
            assert set(blas_threads()) <= {1}
        assert set(blas_threads()) <= {1}  # the first is still running: still one thread
    assert blas_threads() == before
