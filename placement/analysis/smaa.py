"""SMAA-2: how rankings hold up when the weights are uncertain (docs/methods.md).

Weights are drawn from Dirichlet(kappa * w) around the current weights, or uniformly
on the simplex (Dirichlet(1, ..., 1)) when nothing is known. Never uniform-then-
normalise, which biases toward the middle of the simplex.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager
from dataclasses import dataclass

import numpy as np

from placement.analysis.scoring import TIE_DECIMALS
from placement.data.schema import SCORE_MAX, SCORE_MIN
from placement.settings import MAX_SMAA_SAMPLES

MAX_SAMPLES = MAX_SMAA_SAMPLES
CHUNK_VALUES = 500_000  # values per working array (4 MB): memory stays flat however many placements


@dataclass(frozen=True)
class SmaaResult:
    acceptability: np.ndarray  # [placement, rank]: share of samples at each rank
    central_weights: np.ndarray  # [placement, factor]; NaN for a placement that never ranks first
    # [placement]: share of samples it wins with its central weights; NaN (undefined) for one never first
    confidence: np.ndarray
    pairwise: np.ndarray  # [i, j]: share of samples where i scores above j
    samples: int
    seed: int

    @property
    def standard_error(self) -> float:
        """Upper bound of the Monte Carlo standard error of any share: sqrt(0.25 / N)."""
        return float(np.sqrt(0.25 / self.samples))

    @property
    def largest_share_error(self) -> float:
        """The largest Monte Carlo standard error among the rank acceptabilities, sqrt(p (1 - p) / N) each.

        It says how far one share typically moves from run to run; confidence factors move more, because
        the central weights they rest on are themselves estimated (docs/methods.md)."""
        shares = self.acceptability
        return float(np.sqrt(shares * (1 - shares) / self.samples).max())


def sample_weights(
    weights: np.ndarray | None,
    samples: int,
    rng: np.random.Generator,
    kappa: float | None = None,
    n: int | None = None,
) -> np.ndarray:
    """Weight vectors, one per row. `weights=None` means uniform on the simplex (kappa unused, `n` factors).

    Around given weights the concentration is kappa * w; a factor weighted 0 stays
    at 0, because 'about these weights' leaves out what was left out.
    """
    if weights is None:
        return rng.dirichlet(np.ones(n), size=samples)
    if kappa is None or not kappa > 0:
        raise ValueError("sampling around given weights needs a positive concentration kappa")
    active = weights > 0
    if active.all():
        return rng.dirichlet(kappa * weights, size=samples)
    drawn = np.zeros((samples, len(weights)))
    drawn[:, active] = rng.dirichlet(kappa * weights[active], size=samples)
    return drawn


def rank_credit(scores: np.ndarray) -> np.ndarray:
    """[sample, placement, rank]: a placement's share of each rank. Tied placements share the ranks they
    span equally (two tied for first get half of first and half of second each), so no tie is settled
    by file order. Scores equal to TIE_DECIMALS count as tied, so float noise never splits a tie."""
    rounded = np.round(scores, TIE_DECIMALS)
    above = (rounded[:, None, :] > rounded[:, :, None]).sum(axis=2)  # [sample, i]: placements scoring above i
    tied = (rounded[:, None, :] == rounded[:, :, None]).sum(axis=2)  # [sample, i]: placements level with i, i too
    ranks = np.arange(scores.shape[1])
    spans = (ranks >= above[:, :, None]) & (ranks < (above + tied)[:, :, None])
    return spans / tied[:, :, None]


def _rank_shares(scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """([placement, rank] count of samples at each rank, [sample, placement] share of first place).

    Every sample is ranked by one sort; the few with a tie (rare with continuous weights) then give back
    that count and go through rank_credit, whose placements x placements comparisons cost several times more."""
    samples, m = scores.shape
    rounded = np.round(scores, TIE_DECIMALS)
    order = np.argsort(-rounded, axis=1, kind="stable")  # [sample, rank]: the placement at that rank
    ordered = np.take_along_axis(rounded, order, axis=1)
    tied = np.zeros(samples, dtype=bool)
    for rank in range(m - 1):  # neighbours in the sorted row, one column at a time: quicker than any(axis=1)
        tied |= ordered[:, rank] == ordered[:, rank + 1]
    tied_rows = np.flatnonzero(tied)
    counts = (_at_rank(order) - _at_rank(order[tied_rows])).astype(float)
    first = np.zeros((samples, m))
    first[np.arange(samples), order[:, 0]] = 1.0
    for part in _chunks(len(tied_rows), m * m):  # by chunk: never samples x placements^2 at once
        rows = tied_rows[part]
        credit = rank_credit(scores[rows])
        counts += credit.sum(axis=0)
        first[rows] = credit[:, :, 0]
    return counts, first


def _at_rank(order: np.ndarray) -> np.ndarray:
    """[placement, rank]: how many rows of `order` ([sample, rank] -> placement) put each placement at each rank."""
    m = order.shape[1]
    return np.bincount((order * m + np.arange(m)).ravel(), minlength=m * m).reshape(m, m)


def sample_cells(
    matrix: np.ndarray, groups: np.ndarray, spread: float, samples: int, rng: np.random.Generator
) -> np.ndarray:
    """Score matrices, one per sample. `groups` (placements x factors, int) gives each doubted cell a group
    number and every fixed cell -1: each group draws one shift, uniform in +-spread, that all its cells
    share (cells one statement drives move together); results stay within -2..2."""
    shifts = rng.uniform(-spread, spread, size=(samples, int(groups.max()) + 1))
    noise = np.where(groups >= 0, shifts[:, np.maximum(groups, 0)], 0.0)
    return np.clip(matrix + noise, SCORE_MIN, SCORE_MAX)


def smaa(
    matrix: np.ndarray,
    weights: np.ndarray | None,
    samples: int,
    seed: int,
    kappa: float | None = None,
    groups: np.ndarray | None = None,
    spread: float = 0.0,
) -> SmaaResult:
    """Rank acceptability, central weights, confidence factors and pairwise winning indices.

    `weights=None` samples uniformly on the simplex; otherwise Dirichlet(kappa * weights),
    so kappa is then required (the defaults live in placement.settings, via robustness.Settings).

    `groups` (placements x factors, int; see sample_cells) marks the cells whose value is uncertain
    by up to +-`spread`, e.g. inferred and no-evidence cells; -1 everywhere or None: the cells are exact.
    """
    if not 1 <= samples <= MAX_SAMPLES:
        raise ValueError(f"samples must be a whole number from 1 to {MAX_SAMPLES:,}")
    with one_blas_thread():
        return _smaa(matrix, weights, samples, seed, kappa, groups, spread)


def _smaa(
    matrix: np.ndarray,
    weights: np.ndarray | None,
    samples: int,
    seed: int,
    kappa: float | None,
    groups: np.ndarray | None,
    spread: float,
) -> SmaaResult:
    rng = np.random.default_rng(seed)
    m, n = matrix.shape
    drawn = sample_weights(weights, samples, rng, kappa, n)
    exact = groups is None or spread <= 0 or not (groups >= 0).any()
    cell_draws = None if exact else _CellDraws(matrix, groups, spread, rng)
    # Exact cells: one matrix for all samples, a plain product (several times faster). Doubted cells are
    # drawn in chunks (samples x placements x factors at once would grow without bound).
    if exact:
        scores = drawn @ matrix.T
    else:
        scores = np.empty((samples, m))
        for rows in _chunks(samples, m * n):
            scores[rows] = np.einsum("sn,smn->sm", drawn[rows], cell_draws.next(rows.stop - rows.start))
    acceptability, first = _rank_shares(scores)
    acceptability /= samples
    central = np.full((m, n), np.nan)
    for i in range(m):
        if first[:, i].any():  # a tie for first lends each tied placement its share of the sample
            central[i] = first[:, i] @ drawn / first[:, i].sum()
    by_placement = np.ascontiguousarray(scores.T)  # one pair at a time: never samples x placements^2 at once
    wins = np.zeros((m, m))
    for i in range(m):
        for j in range(m):
            if i != j:
                wins[i, j] = np.count_nonzero(by_placement[i] > by_placement[j])
    pairwise = wins / samples
    confidence = _confidence_exact(matrix, central) if exact else cell_draws.confidence(samples, central)
    return SmaaResult(acceptability, central, confidence, pairwise, samples, seed)


# BLAS (OpenBLAS) would start its threads for a 20,000 x 8 product and spend more time waking them than
# multiplying: the matrices here are small, so one thread is faster. The limit is process-wide, so
# overlapping analyses (two sessions at once) share it: the first sets it, the last restores it.
_blas_lock = threading.Lock()
_blas_users = 0
_blas_limit = None  # threadpoolctl's limiter while any analysis runs
_blas_controller = None  # threadpoolctl's view of the loaded BLAS libraries, found once


@contextmanager
def one_blas_thread():
    """BLAS limited to one thread inside the block (no limit where threadpoolctl is missing)."""
    global _blas_users, _blas_limit, _blas_controller
    with _blas_lock:
        if _blas_users == 0:
            if _blas_controller is None:
                try:
                    from threadpoolctl import ThreadpoolController  # noqa: PLC0415 - found once, when first needed
                except ImportError:  # pragma: no cover - a requirement; without it SMAA is only slower
                    _blas_controller = False
                else:
                    _blas_controller = ThreadpoolController()
            _blas_limit = _blas_controller.limit(limits=1, user_api="blas") if _blas_controller else None
        _blas_users += 1
    try:
        yield
    finally:
        with _blas_lock:
            _blas_users -= 1
            if _blas_users == 0 and _blas_limit is not None:
                _blas_limit.restore_original_limits()
                _blas_limit = None


def _chunks(total: int, width: int):
    """Row slices of `total` rows, each small enough that rows x width stays under CHUNK_VALUES."""
    size = max(1, CHUNK_VALUES // max(1, width))
    for start in range(0, total, size):
        yield slice(start, min(start + size, total))


class _CellDraws:
    """Sampled score matrices, drawn chunk by chunk, and drawn again identically for the confidence factors."""

    def __init__(self, matrix: np.ndarray, groups: np.ndarray, spread: float, rng: np.random.Generator):
        self.matrix, self.groups, self.spread, self.rng = matrix, groups, spread, rng
        self.start_state = rng.bit_generator.state  # the same draws, in the same order, for a second pass

    def next(self, count: int, rng: np.random.Generator | None = None) -> np.ndarray:
        return sample_cells(self.matrix, self.groups, self.spread, count, rng or self.rng)

    def confidence(self, samples: int, central: np.ndarray) -> np.ndarray:
        """Share of sampled score matrices in which a placement wins under its central weights (NaN if never first)."""
        replay = np.random.default_rng()
        replay.bit_generator.state = self.start_state
        m, n = self.matrix.shape
        wins = np.zeros(m)
        for rows in _chunks(samples, m * max(n, m)):
            wins += _first_shares(self.next(rows.stop - rows.start, replay), central).sum(axis=0)
        return wins / samples


def _confidence_exact(matrix: np.ndarray, central: np.ndarray) -> np.ndarray:
    """With exact cells, 1 for every placement that ever ranks alone first (its central weights lie inside the
    convex set of weights that make it win), a tie's share for one only ever tied, NaN for the others."""
    return _first_shares(matrix[None], central)[0]


def _first_shares(cells: np.ndarray, central: np.ndarray) -> np.ndarray:
    """[sample, placement]: each placement's share of first place in each sampled score matrix, scored with its
    own central weights; NaN for a placement without central weights (it never ranks first: SMAA-2 leaves its
    confidence factor undefined)."""
    shares = np.full(cells.shape[:2], np.nan)
    for i, weights in enumerate(central):
        if not np.isnan(weights).any():
            scores = np.round(cells @ weights, TIE_DECIMALS)
            best = scores == scores.max(axis=1, keepdims=True)
            shares[:, i] = best[:, i] / best.sum(axis=1)
    return shares
