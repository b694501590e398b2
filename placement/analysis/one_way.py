"""One-way sensitivity of the weighted sum, in closed form (docs/methods.md).

Setting w_k = t and rescaling the other weights proportionally to 1 - t makes every
placement's score a straight line in t: S_a(t) = t * v_ak + (1 - t) * R_a, with
R_a = (S_a - w_k * v_ak) / (1 - w_k), computed as the other factors' weighted mean so that
it stays exact when w_k is close to 1. Crossings of those lines are exact; no grid.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from placement.analysis.scoring import to_points

EPSILON = 1e-12
TIE = 1e-9  # score differences below this are ties (as in ranking: scores rounded to 9 decimals)


@dataclass(frozen=True)
class Lines:
    """Each placement's score on factor k's sweep as intercept + slope * t (raw scale)."""

    intercept: np.ndarray  # R_a
    slope: np.ndarray  # v_ak - R_a

    def at(self, t: float) -> np.ndarray:
        return self.intercept + t * self.slope


@dataclass(frozen=True)
class Stability:
    factor: int
    current: float
    low: float  # the weight at which the leader is overtaken going down (0 if never)
    high: float  # ... going up (1 if never)
    taker_low: int | None  # the placement that takes over below `low`
    taker_high: int | None

    @property
    def slack(self) -> float:
        """How far this weight can move (either way) before the leader changes; inf if it never does."""
        down = self.current - self.low if self.taker_low is not None else np.inf
        up = self.high - self.current if self.taker_high is not None else np.inf
        return float(min(down, up))

    @property
    def nearest_flip(self) -> tuple[float, int] | None:
        """(weight, taker) at the nearer side where someone takes the lead; None if nobody ever does.

        A side only counts when it has a taker: its bound alone (0 or 1) is no flip.
        """
        sides = [
            (self.high - self.current, self.high, self.taker_high),
            (self.current - self.low, self.low, self.taker_low),
        ]
        taken = [(distance, weight, taker) for distance, weight, taker in sides if taker is not None]
        if not taken:
            return None
        _, weight, taker = min(taken, key=lambda side: side[0])
        return weight, taker


@dataclass(frozen=True)
class Takeover:
    """The smallest single-weight change that makes `placement` lead (None: impossible)."""

    placement: int
    factor: int | None
    current: float
    target: float | None

    @property
    def change(self) -> float:
        return abs(self.target - self.current) if self.target is not None else np.inf


def sweep_lines(matrix: np.ndarray, weights: np.ndarray, k: int) -> Lines:
    """The score lines of factor k's one-way sweep."""
    column = matrix[:, k]
    others = np.array(weights, dtype=float)
    others[k] = 0.0
    rest = others.sum()
    if rest <= EPSILON:
        # All weight already sits on k: the others have no proportions to keep, so they share equally.
        others = np.where(np.arange(matrix.shape[1]) == k, 0.0, 1.0)
        rest = others.sum()
    intercept = matrix @ others / rest
    return Lines(intercept, column - intercept)


def leader_of(scores: np.ndarray) -> int:
    """Index of the best score; ties go to the first placement (file order), as in ranking."""
    return int(np.argmax(np.round(scores, 9)))


def stability(matrix: np.ndarray, weights: np.ndarray, k: int) -> Stability:
    """How far w_k can move either way before the current leader is overtaken.

    The leader stays on top between the nearest crossings of its line below and above
    the current weight; a placement with a steeper line overtakes going up, a flatter
    one going down. A placement that only ties at an end (t = 0 or 1) never overtakes:
    the ends' scores are the exact values v_ak (t = 1) and R_a (t = 0), so that is
    decided on them rather than on a crossing point that carries rounding error.
    """
    lines = sweep_lines(matrix, weights, k)
    current = float(weights[k])
    b = leader_of(matrix @ weights)
    ups, downs = [], []
    for a in range(matrix.shape[0]):
        t = None if a == b else _crossing(lines, a, b)
        if t is None:
            continue
        beats_at_one = matrix[a, k] > matrix[b, k] + TIE
        beats_at_zero = lines.intercept[a] > lines.intercept[b] + TIE
        if lines.slope[a] > lines.slope[b] and beats_at_one and t >= current - TIE:
            ups.append((max(t, current), a))  # a tie now (t == current) flips the lead at once
        elif lines.slope[a] < lines.slope[b] and beats_at_zero and t <= current + TIE:
            downs.append((-min(t, current), a))
    high, taker_high = min(ups) if ups else (1.0, None)
    low, taker_low = min(downs) if downs else (-0.0, None)
    return Stability(k, current, -low, high, taker_low, taker_high)


def _crossing(lines: Lines, a: int, b: int) -> float | None:
    """t* = (R_a - R_b) / ((v_bk - R_b) - (v_ak - R_a)); None when the lines are parallel."""
    denominator = lines.slope[b] - lines.slope[a]
    if abs(denominator) <= EPSILON:
        return None
    return float((lines.intercept[a] - lines.intercept[b]) / denominator)


def crossings(matrix: np.ndarray, weights: np.ndarray, k: int) -> list[tuple[float, int, int]]:
    """Every pairwise crossing (t, a, b) of factor k's sweep inside 0..1, for labelling charts."""
    lines = sweep_lines(matrix, weights, k)
    found = []
    for a in range(matrix.shape[0]):
        for b in range(a + 1, matrix.shape[0]):
            t = _crossing(lines, a, b)
            if t is not None and 0.0 <= t <= 1.0:
                found.append((t, a, b))
    return sorted(found)


def takeover(matrix: np.ndarray, weights: np.ndarray, a: int) -> Takeover:
    """The smallest change to one weight that lets placement `a` draw level with every other."""
    best = Takeover(a, None, 0.0, None)
    for k in range(matrix.shape[1]):
        lines = sweep_lines(matrix, weights, k)
        interval = _winning_interval(lines, a)
        if interval is None:
            continue
        current = float(weights[k])
        target = float(np.clip(current, *interval))
        if abs(target - current) < best.change:
            best = Takeover(a, k, current, target)
    return best


def _winning_interval(lines: Lines, a: int) -> tuple[float, float] | None:
    """The values of t in 0..1 where S_a(t) >= S_c(t) for every c, or None."""
    low, high = 0.0, 1.0
    for c in range(len(lines.intercept)):
        if c == a:
            continue
        gap = lines.intercept[a] - lines.intercept[c]  # S_a - S_c at t = 0
        rate = lines.slope[a] - lines.slope[c]
        if abs(rate) <= EPSILON:
            if gap < -EPSILON:
                return None
        elif rate > 0:
            low = max(low, -gap / rate)
        else:
            high = min(high, -gap / rate)
    return (low, high) if low <= high + EPSILON else None


def sweep_ends(matrix: np.ndarray, weights: np.ndarray, k: int, points: int = 2) -> np.ndarray:
    """Scores (0-100) at `points` evenly spaced t values; straight lines need only the ends."""
    lines = sweep_lines(matrix, weights, k)
    ts = np.linspace(0.0, 1.0, points)
    return np.column_stack([ts, to_points(np.outer(ts, lines.slope) + lines.intercept)])
