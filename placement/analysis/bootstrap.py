"""Would a similar group agree? A bootstrap over a room's participants (docs/methods.md).

The room's n participants are resampled with replacement B times; each resampled room gets the group
weights the room's own aggregation gives (the mean of the normalised weights, or for pairwise votes the
normalised geometric mean) and the placements are scored with them. The share of resampled rooms in
which the current leader is still first (alone) estimates how much the result rests on who happened to
be in the room.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from placement.analysis.scoring import TIE_DECIMALS, to_points

BOOTSTRAP_DRAWS = 2_000  # Monte Carlo standard error <= sqrt(0.25 / 2,000) = 1.1 points
# Participants drawn in all (resamples x room size) at most: a room above 200 (the store's limit, and
# beyond it only in benchmarks) gets fewer resamples, so the board's redraw stays quick.
DRAWN_AT_MOST = 400_000
BOOTSTRAP_SEED = 1997


@dataclass(frozen=True)
class LeaderStability:
    leader: int  # the placement first (alone) under the whole room's weights
    stays_first: float  # share of resampled rooms in which it is first alone
    tied_first: float  # share in which it ties for first with another placement
    draws: int
    seed: int


def pooled(individual: np.ndarray, geometric: bool) -> np.ndarray:
    """The group weights of participants' normalised weights (rows): their mean, or for AHP priorities
    their geometric mean, normalised (it keeps the ratio meaning of the judgements)."""
    if not geometric:
        return individual.mean(axis=0)
    product = np.exp(np.log(individual).mean(axis=0))
    return product / product.sum()


def firsts(values: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """[row, placement]: whether each row of `weights` ranks the placement first, ties included, with the
    ranking's arithmetic (each cell w_k * v_ak, summed, on the 0-100 scale, rounded to TIE_DECIMALS)."""
    points = np.round(to_points((weights[:, None, :] * values[None, :, :]).sum(axis=2)), TIE_DECIMALS)
    return points == points.max(axis=1, keepdims=True)


def leader_stability(
    individual: np.ndarray,
    values: np.ndarray,
    geometric: bool,
    draws: int = BOOTSTRAP_DRAWS,
    seed: int = BOOTSTRAP_SEED,
) -> LeaderStability | None:
    """How often the leader stays first when the participants are resampled with replacement.

    `individual` is participants x factors (normalised weights), `values` placements x factors (scores).
    None without votes or when the whole room's weights tie placements for first (no leader to keep).
    A resampled room is represented by how often it draws each participant, so its group weights are
    count-weighted means: the same numbers as pooling the drawn rows, without copying them.
    """
    n = len(individual)
    if n == 0:
        return None
    first = firsts(values, pooled(individual, geometric)[None, :])[0]
    if first.sum() != 1:
        return None
    leader = int(np.argmax(first))
    draws = min(draws, max(1, DRAWN_AT_MOST // n))
    drawn = np.random.default_rng(seed).integers(0, n, size=(draws, n))  # who is drawn, n times per resample
    rows = np.arange(draws)[:, None] * n
    counts = np.bincount((rows + drawn).ravel(), minlength=draws * n).reshape(draws, n) / n
    if geometric:
        resampled = np.exp(counts @ np.log(individual))
        resampled /= resampled.sum(axis=1, keepdims=True)
    else:
        resampled = counts @ individual
    won = firsts(values, resampled)
    alone = won.sum(axis=1) == 1
    return LeaderStability(
        leader,
        float(np.mean(won[:, leader] & alone)),
        float(np.mean(won[:, leader] & ~alone)),
        draws,
        seed,
    )
