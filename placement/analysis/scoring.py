"""Weighted-sum scoring on the anchored -2..+2 scale, reported on 0-100."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from placement.data.model import Model
from placement.data.schema import SCORE_MAX, SCORE_MIN

# Scores are compared after rounding so that float noise never breaks a tie.
TIE_DECIMALS = 9


def to_points(raw_score):
    """Map the -2..+2 weighted sum onto 0..100 (50 = neutral)."""
    return 100 * (raw_score - SCORE_MIN) / (SCORE_MAX - SCORE_MIN)


def points_per_unit() -> float:
    """How many 0-100 points one unit of w*v is worth (25 on the -2..+2 scale)."""
    return 100 / (SCORE_MAX - SCORE_MIN)


@dataclass(frozen=True)
class Result:
    placement: str
    name: str
    score: float  # 0-100
    rank: int  # competition ranking: tied placements share a rank
    contributions: dict[str, float]  # factor -> w * v on the -2..+2 scale

    @property
    def benefits(self) -> dict[str, float]:
        return {f: c for f, c in self.contributions.items() if c > 0}

    @property
    def risks(self) -> dict[str, float]:
        return {f: c for f, c in self.contributions.items() if c < 0}


def weight_vector(model: Model, weights: Mapping[str, float]) -> np.ndarray:
    return np.array([weights[f] for f in model.factor_ids], dtype=float)


def rank(model: Model, weights: Mapping[str, float]) -> list[Result]:
    """Rank placements under normalised `weights`, best first; ties keep file order."""
    w = weight_vector(model, weights)
    contributions = model.matrix * w
    scores = np.round(to_points(contributions.sum(axis=1)), TIE_DECIMALS)
    order = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    results = []
    for position, i in enumerate(order):
        tied_with_previous = position > 0 and scores[i] == scores[order[position - 1]]
        rank_number = results[-1].rank if tied_with_previous else position + 1
        placement = model.placements[i]
        results.append(
            Result(
                placement.id,
                placement.name,
                float(scores[i]),
                rank_number,
                dict(zip(model.factor_ids, contributions[i].tolist(), strict=True)),
            )
        )
    return results
