"""How sure to be of the leader: stability intervals, takeovers, SMAA-2 and a verdict."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from placement.analysis import one_way, smaa
from placement.analysis.evidence import doubt_groups
from placement.analysis.scoring import weight_vector
from placement.cache import PerObject
from placement.data.model import Model
from placement.settings import CERTAINTY_LEVELS, DEFAULT_CERTAINTY, SMAA_SAMPLES, SMAA_SEED

CELL_SPREAD = 1.0  # how far a doubted score (or a doubted statement's cells, together) may move either way
FRAGILE_ROOM = 0.05  # a weight change under 5 percentage points flips the leader
SOLID_SHARE = 0.8
ANALYSES_PER_MODEL = 32  # weightings x settings kept per model (each a few kilobytes)
_analyses = PerObject(ANALYSES_PER_MODEL)


@dataclass(frozen=True)
class Settings:
    """How the robustness analysis samples: one value per browser session, shared by page, record and CLI."""

    kappa: float | None = CERTAINTY_LEVELS[DEFAULT_CERTAINTY]  # None: uniform on the simplex ("no idea")
    doubt_cells: bool = False  # inferred and no-evidence cells vary, each on its own
    samples: int = SMAA_SAMPLES
    seed: int = SMAA_SEED
    doubt_statements: bool = False  # the cells one statement drives (documented or inferred) vary together

    @classmethod
    def at_level(
        cls, level: str = DEFAULT_CERTAINTY, doubt_cells: bool = False, doubt_statements: bool = False
    ) -> Settings:
        return cls(CERTAINTY_LEVELS[level], doubt_cells, doubt_statements=doubt_statements)

    @property
    def doubted(self) -> bool:
        """Whether any score varies in the sampling (confidence factors then say something)."""
        return self.doubt_cells or self.doubt_statements

    def describe(self) -> str:
        """E.g. 'fairly sure (kappa = 50); undocumented scores doubted ±1 each; ...'."""
        level = next((name for name, k in CERTAINTY_LEVELS.items() if k == self.kappa), None)
        spread = "uniform over all weightings" if self.kappa is None else f"kappa = {self.kappa:g}"
        text = f"{level.lower()} ({spread})" if level else spread
        doubts = [
            f"inferred and no-evidence scores doubted ±{CELL_SPREAD:g} each" if self.doubt_cells else "",
            f"each statement's cells doubted ±{CELL_SPREAD:g} together" if self.doubt_statements else "",
        ]
        doubt = ", ".join(d for d in doubts if d) or "scores as given"
        return f"{text}; {doubt}; {self.samples:,} samples, seed {self.seed}"


@dataclass(frozen=True)
class Robustness:
    leader: int
    stabilities: list[one_way.Stability]
    takeovers: list[one_way.Takeover]
    smaa: smaa.SmaaResult
    settings: Settings

    @property
    def kappa(self) -> float | None:
        return self.settings.kappa

    @property
    def hinge(self) -> one_way.Stability:
        """The factor whose smallest change flips the leader."""
        return min(self.stabilities, key=lambda s: s.slack)

    @property
    def leader_share(self) -> float:
        return float(self.smaa.acceptability[self.leader, 0])


def analyse(model: Model, weights: Mapping[str, float], settings: Settings = Settings()) -> Robustness:  # noqa: B008
    """Every robustness figure for normalised `weights`, sampled as `settings` say (kappa None: uniformly).

    Computed once per model, weights and settings, and shared (read-only) by every page and session:
    moving the sweep, opening a table or visiting the decision record does not sample again.
    """
    w = weight_vector(model, weights)
    return _analyses.get(model, (tuple(w.tolist()), settings), lambda: _analyse(model, w, settings))


def _analyse(model: Model, w: np.ndarray, settings: Settings) -> Robustness:
    matrix = model.matrix
    leader = one_way.leader_of(matrix @ w)
    stabilities = [one_way.stability(matrix, w, k) for k in range(len(w))]
    takeovers = [one_way.takeover(matrix, w, a) for a in range(len(matrix)) if a != leader]
    result = smaa.smaa(
        matrix,
        None if settings.kappa is None else w,
        settings.samples,
        settings.seed,
        settings.kappa,
        groups=doubt_groups(model, settings.doubt_cells, settings.doubt_statements),
        spread=CELL_SPREAD,
    )
    for shares in (result.acceptability, result.central_weights, result.confidence, result.pairwise):
        shares.setflags(write=False)  # shared between sessions: nobody may change it in place
    return Robustness(leader, stabilities, takeovers, result, settings)


def strength(share: float, slack: float) -> str:
    """'solid' (share >= SOLID_SHARE and slack >= FRAGILE_ROOM), 'fragile' (share < 0.5 or slack < FRAGILE_ROOM), else 'fairly robust'."""
    if share >= SOLID_SHARE and slack >= FRAGILE_ROOM:
        return "solid"
    if share < 0.5 or slack < FRAGILE_ROOM:
        return "fragile"
    return "fairly robust"


def verdict(model: Model, robustness: Robustness) -> str:
    """One sentence a facilitator can read out."""
    leader = model.placements[robustness.leader].name
    share = robustness.leader_share
    hinge = robustness.hinge
    pool = "of all possible weightings" if robustness.kappa is None else "of plausible weightings near these"
    sentence = f"{leader} leads and the lead is {strength(share, hinge.slack)}: it stays first in {share:.0%} {pool}"
    flip = hinge.nearest_flip
    if flip is None:
        return sentence + ", and no change to a single factor's weight dethrones it."
    moved, taker = flip
    factor = model.factors[hinge.factor].name
    return sentence + (
        f"; the decision hinges on {factor}: moving its weight from {hinge.current:.0%} to {moved:.0%}"
        f" hands the lead to {model.placements[taker].name}."
    )
