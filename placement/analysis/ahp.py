"""Weights from pairwise comparisons (AHP), complete or incomplete, with their consistency (docs/methods.md).

A judgement a_ij says how many times factor i matters more than factor j (Saaty's 1-9 scale; 1/3 means
j matters three times more). A matrix holds a_ij in row i, column j and NaN where nothing was compared.

- Complete matrix: weights are the principal (Perron) eigenvector, lambda_max its eigenvalue,
  CI = (lambda_max - n) / (n - 1), CR = CI / RI(n) with Alonso and Lamata's (2006) random index.
- Incomplete matrix: weights from logarithmic least squares (LLSM), the solution of the Laplacian
  system of the comparison graph (Bozoki, Fulop and Ronyai 2010). Its CI is that of the matrix
  completed with the LLSM ratios w_i / w_j (an upper bound on the CI of the completion that minimises
  lambda_max), and its RI the mean CI of random answers on the same pairs, completed the same way:
  random matrices of the same design (Agoston and Csato 2022 show the RI depends on the missing pattern).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import numpy as np

from placement.analysis.design_random_index import DESIGN_RANDOM_INDEX
from placement.data.problems import InputError, Problem

# The random index RI(n) of complete matrices: the mean CI of random reciprocal matrices on Saaty's
# 17-value scale, from Alonso and Lamata (2006), Int. J. Uncertainty, Fuzziness and Knowledge-Based Systems
# 14(4), 445-459, to four decimals. Below 3 factors every matrix is consistent.
RANDOM_INDEX = {
    3: 0.5245,
    4: 0.8815,
    5: 1.1086,
    6: 1.2479,
    7: 1.3417,
    8: 1.4056,
    9: 1.4499,
    10: 1.4854,
    11: 1.5141,
    12: 1.5365,
    13: 1.5551,
    14: 1.5713,
    15: 1.5838,
}
RANDOM_INDEX_TABLE = "Alonso and Lamata (2006)"
CR_LIMIT = 0.10  # Saaty's threshold: above it, the judgements should be revisited
# The answers a random respondent gives when the RI is simulated: Saaty's full scale 1/9 ... 9, as the
# published tables draw them; a fixed seed makes the RI of a design the same number on every run.
RANDOM_SCALE = tuple(1 / k for k in range(9, 1, -1)) + tuple(float(k) for k in range(1, 10))
RANDOM_DRAWS = 10_000
RANDOM_SEED = 2022
RECIPROCAL_TOLERANCE = 0.015  # a_ij * a_ji may differ from 1 by this much (0.33 typed for 1/3)
CONSISTENT = 1e-9  # a log residual below this is rounding, not inconsistency
TIED = 1e-9  # residuals this close (relative) are the same number, apart from rounding
# The judgements offered, in plain words: Saaty's odd intensities (equal, moderate, strong, very strong, extreme).
INTENSITY_WORDS = {
    1: "equally important",
    3: "a little more",
    5: "clearly more",
    7: "much more",
    9: "overwhelmingly more",
}
SCALE = (9.0, 7.0, 5.0, 3.0, 1.0, 1 / 3, 1 / 5, 1 / 7, 1 / 9)  # first factor far ahead ... second far ahead
PAIR_SEPARATOR = "|"  # a pair's key in a stored vote: "first|second" (factor ids never contain it)


@dataclass(frozen=True)
class RandomIndex:
    """The CI random answers give on average, and where the number comes from."""

    value: float
    source: str  # in words, for captions and the record


@dataclass(frozen=True)
class Ahp:
    """The weights a pairwise matrix gives, with its consistency."""

    weights: dict[str, float]
    lambda_max: float
    ci: float
    cr: float
    method: str  # "eigenvector" (complete matrix) or "llsm" (incomplete)
    # the judgements furthest from the weights, all of them when several are equally far; () if consistent
    most_inconsistent: tuple[tuple[str, str], ...]
    comparisons: int
    random_index: RandomIndex  # what the CI was divided by

    @property
    def too_inconsistent(self) -> bool:
        return self.cr > CR_LIMIT

    @property
    def cr_source(self) -> str:
        """How the CR was obtained, in one sentence."""
        return f"CR = CI / RI, with RI {self.random_index.value:.3f}: {self.random_index.source}."


def design(factor_ids: Sequence[str]) -> list[tuple[str, str]]:
    """The pairs to ask about: every pair while that is at most 2n, else a ring plus skip-one chords.

    The ring (i, i+1) connects every factor; the chords (i, i+2) add a second, independent path between
    neighbours, so an inconsistent answer shows up. Each factor is compared exactly four times, 2n pairs
    in all. Pairs are ordered so that consecutive questions share as few factors as possible.
    """
    n = len(factor_ids)
    if n * (n - 1) // 2 <= 2 * n:
        return list(combinations(factor_ids, 2))
    ring = [(factor_ids[i], factor_ids[(i + 1) % n]) for i in range(n)]
    chords = [(factor_ids[i], factor_ids[(i + 2) % n]) for i in range(n)]
    return [pair for both in zip(ring, chords[n // 2 :] + chords[: n // 2], strict=True) for pair in both]


def pair_key(first: str, second: str) -> str:
    return f"{first}{PAIR_SEPARATOR}{second}"


def judgements_of(values: Mapping[str, float]) -> dict[tuple[str, str], float]:
    """A stored vote {"first|second": a} as judgements {(first, second): a}."""
    return {tuple(key.split(PAIR_SEPARATOR, 1)): float(value) for key, value in values.items()}


def judgement_words(first: str, second: str, value: float) -> str:
    """A judgement in plain words: 'Ops empathy: clearly more (x5)' or 'Equally important'."""
    strength = round(value if value >= 1 else 1 / value)
    if strength == 1:
        return "Equally important"
    words = INTENSITY_WORDS.get(strength, "more")
    return f"{first if value > 1 else second}: {words} (x{strength})"


def matrix_of(factor_ids: Sequence[str], judgements: dict[tuple[str, str], float]) -> np.ndarray:
    """The reciprocal matrix of some judgements {(i, j): a_ij}; NaN where a pair was not compared."""
    index = {f: k for k, f in enumerate(factor_ids)}
    matrix = np.full((len(factor_ids), len(factor_ids)), np.nan)
    np.fill_diagonal(matrix, 1.0)
    for (first, second), value in judgements.items():
        matrix[index[first], index[second]] = value
        matrix[index[second], index[first]] = 1.0 / value
    return matrix


def analyse(factor_ids: Sequence[str], matrix: np.ndarray) -> Ahp:
    """Weights and consistency of a pairwise matrix; an InputError naming each problem if it is unusable."""
    found = problems(factor_ids, matrix)
    if found:
        raise InputError(found)
    matrix = _symmetrised(matrix)
    complete = not np.isnan(matrix).any()
    weights = eigenvector(matrix) if complete else llsm(matrix)
    filled = matrix if complete else np.where(np.isnan(matrix), np.outer(weights, 1.0 / weights), matrix)
    lambda_max = principal_eigenvalue(filled)
    n = len(factor_ids)
    ci = consistency_index(lambda_max, n)
    compared = tuple(zip(*np.nonzero(np.triu(~np.isnan(matrix), 1)), strict=True))
    index = random_index(n, tuple((int(i), int(j)) for i, j in compared))
    return Ahp(
        weights=dict(zip(factor_ids, weights.tolist(), strict=True)),
        lambda_max=lambda_max,
        ci=ci,
        cr=consistency_ratio(ci, index),
        method="eigenvector" if complete else "llsm",
        most_inconsistent=_most_inconsistent(factor_ids, matrix, weights),
        comparisons=len(compared),
        random_index=index,
    )


def consistency_index(lambda_max: float, n: int) -> float:
    return max(0.0, (lambda_max - n) / (n - 1)) if n > 1 else 0.0


def consistency_ratio(ci: float, index: RandomIndex) -> float:
    """CI / RI; 0 where random answers cannot be inconsistent either (fewer than 3 factors, a tree of pairs)."""
    return ci / index.value if index.value > CONSISTENT else 0.0


def random_index(n: int, compared: tuple[tuple[int, int], ...]) -> RandomIndex:
    """The RI to judge a matrix of n factors with these compared pairs (i < j) against.

    Complete matrices within the published table: its RI. Any other design (pairs missing, or more factors
    than the table covers): random answers on the same pairs, simulated once per design and kept
    (`simulated_random_index`).
    """
    if n < 3:
        return RandomIndex(0.0, "fewer than three factors cannot contradict each other")
    if len(compared) == n * (n - 1) // 2 and n in RANDOM_INDEX:
        return RandomIndex(RANDOM_INDEX[n], f"{RANDOM_INDEX_TABLE}'s random index for {n} factors, all pairs compared")
    stored = DESIGN_RANDOM_INDEX.get(n) if compared == design_pattern(n) else None
    value = simulated_random_index(n, compared) if stored is None else stored
    return RandomIndex(
        value,
        f"the mean CI of {RANDOM_DRAWS:,} random answer sets (Saaty's 1/9 to 9 scale, seed {RANDOM_SEED}) "
        f"on these same {len(compared)} of {n * (n - 1) // 2} pairs, each completed with its LLSM ratios "
        "as your answers are"
        if len(compared) < n * (n - 1) // 2
        else f"on all {len(compared)} pairs of {n} factors ({RANDOM_INDEX_TABLE}'s table stops at {max(RANDOM_INDEX)})",
    )


@lru_cache(maxsize=64)
def design_pattern(n: int) -> tuple[tuple[int, int], ...]:
    """The pairs `design` asks of n factors, by position (i < j), sorted: the same for any factor ids."""
    positions = [str(k) for k in range(n)]
    return tuple(sorted(tuple(sorted((int(a), int(b)))) for a, b in design(positions)))


@lru_cache(maxsize=64)
def simulated_random_index(
    n: int, compared: tuple[tuple[int, int], ...], draws: int = RANDOM_DRAWS, seed: int = RANDOM_SEED
) -> float:
    """The mean CI of `draws` random answer sets on the compared pairs, each answered uniformly on
    RANDOM_SCALE, weighted by LLSM and completed with the LLSM ratios, exactly as `analyse` treats a matrix."""
    return float(np.mean(random_cis(n, compared, draws, seed)))


def random_cis(n: int, compared: tuple[tuple[int, int], ...], draws: int, seed: int, chunk: int = 2_000) -> np.ndarray:
    """The CI of each of `draws` random answer sets on the compared pairs (all at once, in chunks)."""
    first, second = np.array(compared).T
    # LLSM as a linear map: y = solver @ log a, from L y = E log a with y_0 = 0 (as `llsm`), E the incidence.
    incidence = np.zeros((n, len(compared)))
    incidence[first, np.arange(len(compared))] = 1.0
    incidence[second, np.arange(len(compared))] = -1.0
    solver = np.zeros_like(incidence)
    solver[1:] = np.linalg.solve((incidence @ incidence.T)[1:, 1:], incidence[1:])
    rng = np.random.default_rng(seed)
    cis = []
    for size in [chunk] * (draws // chunk) + ([draws % chunk] if draws % chunk else []):
        logs = np.log(rng.choice(RANDOM_SCALE, size=(size, len(compared))))
        y = logs @ solver.T
        completed = np.exp(y[:, :, None] - y[:, None, :])
        completed[:, first, second], completed[:, second, first] = np.exp(logs), np.exp(-logs)
        cis.append(np.maximum(0.0, (np.linalg.eigvals(completed).real.max(axis=1) - n) / (n - 1)))
    return np.concatenate(cis)


def problems(factor_ids: Sequence[str], matrix: np.ndarray) -> list[Problem]:
    """Everything that keeps a matrix from giving weights: size, non-positive or non-reciprocal cells, gaps."""
    n = len(factor_ids)
    if n < 2:
        return [Problem("matrix", f"it compares {n} factor(s)", "compare at least two factors")]
    found = [
        problem
        for i, j in zip(*np.nonzero(~np.isnan(matrix)), strict=True)
        if (problem := _cell_problem(factor_ids, matrix, i, j)) is not None
    ]
    groups = components(~np.isnan(matrix) | ~np.isnan(matrix.T))
    if len(groups) > 1:
        named = " | ".join(", ".join(factor_ids[k] for k in group) for group in groups)
        found.append(
            Problem(
                "matrix",
                f"the comparisons leave {len(groups)} unconnected groups of factors ({named})",
                "compare at least one factor of each group with a factor of another group",
            )
        )
    return found


def _cell_problem(factor_ids: Sequence[str], matrix: np.ndarray, i: int, j: int) -> Problem | None:
    """What is wrong with cell (i, j): not positive, a diagonal other than 1, or disagreeing with (j, i)."""
    value, opposite = matrix[i, j], matrix[j, i]
    if not np.isfinite(value) or value <= 0:
        return Problem("matrix", f"{_pair(factor_ids, i, j)} is {value:g}", "use a positive number such as 3 or 1/3")
    if i == j and abs(value - 1) > CONSISTENT:
        return Problem("matrix", f"{_pair(factor_ids, i, j)} is {value:g}", "a factor against itself is 1")
    checked_once = i < j and np.isfinite(opposite) and opposite > 0  # a bad opposite cell is reported on its own
    if checked_once and abs(value * opposite - 1) > RECIPROCAL_TOLERANCE:
        return Problem(
            "matrix",
            f"not reciprocal: {_pair(factor_ids, i, j)} is {value:g} but {_pair(factor_ids, j, i)} is {opposite:g}",
            f"make one the reciprocal of the other (e.g. {value:g} and 1/{value:g}), or leave one empty",
        )
    return None


def components(compared: np.ndarray) -> list[list[int]]:
    """Connected groups of factors, where `compared[i, j]` links i and j."""
    unseen, groups = set(range(len(compared))), []
    while unseen:
        frontier, group = [min(unseen)], set()
        while frontier:
            node = frontier.pop()
            if node in group:
                continue
            group.add(node)
            frontier.extend(int(k) for k in np.nonzero(compared[node])[0] if k not in group)
        unseen -= group
        groups.append(sorted(group))
    return groups


def eigenvector(matrix: np.ndarray) -> np.ndarray:
    """The principal right eigenvector of a complete positive matrix, scaled to sum to 1."""
    values, vectors = np.linalg.eig(matrix)
    vector = np.abs(vectors[:, np.argmax(values.real)].real)  # Perron: one sign, so abs only fixes it
    return vector / vector.sum()


def principal_eigenvalue(matrix: np.ndarray) -> float:
    return float(np.max(np.linalg.eigvals(matrix).real))


def llsm(matrix: np.ndarray) -> np.ndarray:
    """Logarithmic least squares weights of a connected, possibly incomplete, matrix.

    Minimises sum over compared pairs of (log a_ij - log w_i + log w_j)^2. The normal equations are
    L y = b with L the Laplacian of the comparison graph and b_i = sum_j log a_ij; y_0 = 0 fixes the scale.
    """
    compared = ~np.isnan(matrix)
    np.fill_diagonal(compared, False)
    logs = np.where(compared, np.log(np.where(compared, matrix, 1.0)), 0.0)
    laplacian = np.diag(compared.sum(axis=1)) - compared.astype(float)
    y = np.zeros(len(matrix))
    y[1:] = np.linalg.solve(laplacian[1:, 1:], logs.sum(axis=1)[1:])
    weights = np.exp(y - y.max())
    return weights / weights.sum()


def residuals(matrix: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """|log(a_ij * w_j / w_i)| for every compared pair: 0 where a judgement agrees with the weights."""
    return np.abs(np.log(matrix * np.outer(1.0 / weights, weights)))


def _most_inconsistent(
    factor_ids: Sequence[str], matrix: np.ndarray, weights: np.ndarray
) -> tuple[tuple[str, str], ...]:
    """The compared pairs whose judgements the weights contradict most (largest |log(a_ij w_j / w_i)|),
    every pair within rounding of the largest: a cycle's inconsistency is often spread evenly."""
    upper = np.triu(np.nan_to_num(residuals(matrix, weights), nan=-1.0), 1)
    largest = upper.max()
    if largest <= CONSISTENT:
        return ()
    tied = zip(*np.nonzero(upper >= largest - TIED * max(1.0, largest)), strict=True)
    return tuple((factor_ids[i], factor_ids[j]) for i, j in tied)


def _symmetrised(matrix: np.ndarray) -> np.ndarray:
    """Each pair once, from the upper triangle (or the reciprocal of a cell given below the diagonal only)."""
    result = np.full_like(matrix, np.nan)
    for i, j in zip(*np.triu_indices(len(matrix), 1), strict=True):
        value = matrix[i, j] if not np.isnan(matrix[i, j]) else 1.0 / matrix[j, i]
        result[i, j], result[j, i] = value, 1.0 / value
    np.fill_diagonal(result, 1.0)
    return result


def _pair(factor_ids: Sequence[str], i: int, j: int) -> str:
    return f"'{factor_ids[i]}' vs '{factor_ids[j]}'"
