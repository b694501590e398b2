"""How sure to be of the leader: stability intervals, takeovers, SMAA-2 and a verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placement.analysis import one_way, smaa
from placement.analysis.scoring import weight_vector
from placement.data.model import Model
from placement.settings import CERTAINTY_LEVELS, DEFAULT_CERTAINTY, SMAA_SAMPLES, SMAA_SEED

CELL_SPREAD = 1.0  # how far a doubted (not documented) score may move either way
FRAGILE_ROOM = 0.05  # a weight change under 5 percentage points flips the leader
SOLID_SHARE = 0.8


@dataclass(frozen=True)
class Settings:
    """How the robustness analysis samples: one value per browser session, shared by page, record and CLI."""

    kappa: float | None = CERTAINTY_LEVELS[DEFAULT_CERTAINTY]  # None: uniform on the simplex ("no idea")
    doubt_cells: bool = False
    samples: int = SMAA_SAMPLES
    seed: int = SMAA_SEED

    @classmethod
    def at_level(cls, level: str = DEFAULT_CERTAINTY, doubt_cells: bool = False) -> Settings:
        return cls(CERTAINTY_LEVELS[level], doubt_cells)

    def describe(self) -> str:
        """E.g. 'fairly sure (kappa = 50); undocumented scores doubted ±1'."""
        level = next((name for name, k in CERTAINTY_LEVELS.items() if k == self.kappa), None)
        spread = "uniform over all weightings" if self.kappa is None else f"kappa = {self.kappa:g}"
        text = f"{level.lower()} ({spread})" if level else spread
        doubt = f"undocumented scores doubted ±{CELL_SPREAD:g}" if self.doubt_cells else "scores as given"
        return f"{text}; {doubt}; {self.samples:,} samples, seed {self.seed}"


@dataclass(frozen=True)
class Robustness:
    leader: int
    stabilities: list[one_way.Stability]
    takeovers: list[one_way.Takeover]
    smaa: smaa.SmaaResult
    kappa: float | None

    @property
    def hinge(self) -> one_way.Stability:
        """The factor whose smallest change flips the leader."""
        return min(self.stabilities, key=lambda s: s.room)

    @property
    def leader_share(self) -> float:
        return float(self.smaa.acceptability[self.leader, 0])


def analyse(
    model: Model,
    weights: Mapping[str, float],
    samples: int = smaa.DEFAULT_SAMPLES,
    seed: int = smaa.DEFAULT_SEED,
    kappa: float | None = smaa.DEFAULT_KAPPA,
    doubt_cells: bool = False,
) -> Robustness:
    """Every robustness figure for normalised `weights`; kappa None samples uniformly."""
    matrix, w = model.matrix, weight_vector(model, weights)
    leader = one_way.leader_of(matrix @ w)
    stabilities = [one_way.stability(matrix, w, k) for k in range(len(w))]
    takeovers = [one_way.takeover(matrix, w, a) for a in range(len(matrix)) if a != leader]
    result = smaa.smaa(
        matrix,
        None if kappa is None else w,
        samples,
        seed,
        kappa or smaa.DEFAULT_KAPPA,
        doubtful=model.doubtful if doubt_cells else None,
        spread=CELL_SPREAD,
    )
    return Robustness(leader, stabilities, takeovers, result, kappa)


def verdict(model: Model, robustness: Robustness) -> str:
    """One sentence a facilitator can read out."""
    leader = model.placements[robustness.leader].name
    share = robustness.leader_share
    hinge = robustness.hinge
    strength = (
        "solid"
        if share >= SOLID_SHARE and hinge.room >= FRAGILE_ROOM
        else "fragile"
        if share < 0.5 or hinge.room < FRAGILE_ROOM
        else "fairly robust"
    )
    pool = "of all possible weightings" if robustness.kappa is None else "of plausible weightings near these"
    sentence = f"{leader} leads and the lead is {strength}: it stays first in {share:.0%} {pool}"
    if np.isinf(hinge.room):
        return sentence + ", and no change to a single factor's weight dethrones it."
    taker = hinge.taker_high if hinge.high - hinge.current == hinge.room else hinge.taker_low
    moved = hinge.high if taker == hinge.taker_high else hinge.low
    factor = model.factors[hinge.factor].name
    return sentence + (
        f"; the decision hinges on {factor}: moving its weight from {hinge.current:.0%} to {moved:.0%}"
        f" hands the lead to {model.placements[taker].name}."
    )


def stability_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    """One row per factor, ordered by how little change flips the leader."""
    name = lambda i: model.placements[i].short_name if i is not None else "nobody"  # noqa: E731
    rows = [
        {
            "factor": model.factors[s.factor].name,
            "current": s.current,
            "low": s.low,
            "high": s.high,
            "below low, leader": name(s.taker_low),
            "above high, leader": name(s.taker_high),
            "smallest flip": s.room if np.isfinite(s.room) else None,
        }
        for s in robustness.stabilities
    ]
    return pd.DataFrame(rows).sort_values("smallest flip", na_position="last", kind="stable").reset_index(drop=True)


def takeover_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    rows = []
    for t in robustness.takeovers:
        placement = model.placements[t.placement].name
        if t.factor is None:
            rows.append(
                {
                    "placement": placement,
                    "what it takes": "No change to a single factor's weight makes it lead.",
                    "change": None,
                }
            )
            continue
        factor = model.factors[t.factor].name
        direction = "Raise" if t.target > t.current else "Lower"
        text = f"{direction} {factor} from {t.current:.0%} to {t.target:.0%} (the others rescaled): it ties there and leads past that point."
        rows.append({"placement": placement, "what it takes": text, "change": t.change})
    return pd.DataFrame(rows).sort_values("change", na_position="last", kind="stable").reset_index(drop=True)


def acceptability_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    """Long form: placement, rank, share of samples."""
    shares = robustness.smaa.acceptability
    return pd.DataFrame(
        [
            {"placement": model.placements[i].name, "rank": r + 1, "share": float(shares[i, r])}
            for i in range(shares.shape[0])
            for r in range(shares.shape[1])
        ]
    )


def central_weights_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    result = robustness.smaa
    frame = pd.DataFrame(result.central_weights, columns=[f.name for f in model.factors])
    frame.insert(0, "placement", [p.name for p in model.placements])
    frame.insert(1, "first in", result.acceptability[:, 0])
    frame.insert(2, "confidence", result.confidence)
    return frame


def pairwise_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    names = [p.short_name for p in model.placements]
    return pd.DataFrame(robustness.smaa.pairwise, index=pd.Index(names, name="beats →"), columns=names).reset_index()


def sweep_table(model: Model, weights: Mapping[str, float], factor_id: str) -> pd.DataFrame:
    """Each placement's score at 0% and 100% of the factor's weight (the lines are straight)."""
    k = model.factor_ids.index(factor_id)
    ends = one_way.sweep_table(model.matrix, weight_vector(model, weights), k)
    return pd.DataFrame(
        [
            {"weight": t, "placement": p.name, "score": float(row[1 + i])}
            for row, t in zip(ends, ends[:, 0], strict=True)
            for i, p in enumerate(model.placements)
        ]
    )


def crossing_table(model: Model, weights: Mapping[str, float], factor_id: str) -> pd.DataFrame:
    """Where two placements' lines cross on the factor's sweep, with the score there."""
    k = model.factor_ids.index(factor_id)
    w = weight_vector(model, weights)
    lines = one_way.sweep_lines(model.matrix, w, k)
    rows = [
        {
            "weight": t,
            "score": float(100 * (lines.at(t)[a] + 2) / 4),
            "crossing": f"{model.placements[a].short_name} = {model.placements[b].short_name}",
        }
        for t, a, b in one_way.crossings(model.matrix, w, k)
    ]
    return pd.DataFrame(rows, columns=["weight", "score", "crossing"])
