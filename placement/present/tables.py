"""Tidy tables of a ranking and of its robustness: the numbers behind every chart, ready to show or export."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from placement.analysis import one_way
from placement.analysis.evidence import PROVENANCE_LABELS
from placement.analysis.robustness import Robustness
from placement.analysis.scoring import Result, points_per_unit, to_points, weight_vector
from placement.data.model import Model

MATRIX_MARKS = {"documented": "D", "inferred": "I", "neutral": "–", "user": "U", "room": "R"}
MATRIX_LEGEND = "D = documented, I = inferred, – = no evidence, U = set by user, R = raised by the room"


Columns = dict[str, list]  # a table as plain columns: what a chart is filled from, without a data frame


def ranking_columns(model: Model, results: list[Result]) -> Columns:
    """The ranking's columns, which the table shows and the ranking chart draws."""
    return {
        "rank": [r.rank for r in results],
        "placement": [r.name for r in results],
        "short_name": [model.placement(r.placement).short_name for r in results],
        "score": [round(r.score, 1) for r in results],
        "benefit_points": [round(sum(r.benefits.values()) * points_per_unit(), 1) for r in results],
        "risk_points": [round(sum(r.risks.values()) * points_per_unit(), 1) for r in results],
    }


def ranking_table(model: Model, results: list[Result]) -> pd.DataFrame:
    return pd.DataFrame(ranking_columns(model, results))


def contributions_columns(model: Model, results: list[Result], weights: Mapping[str, float]) -> Columns:
    """One row per placement and factor: the cell, its weight and its points (w * v * 25)."""
    rows = [(r, factor, model.cells[r.placement, factor.id]) for r in results for factor in model.factors]
    return {
        "placement": [r.name for r, _, _ in rows],
        "short_name": [model.placement(r.placement).short_name for r, _, _ in rows],
        "factor": [factor.name for _, factor, _ in rows],
        "score_cell": [cell.score for _, _, cell in rows],
        "score_label": [f"{cell.score:+d}" if cell.score else "0" for _, _, cell in rows],
        "weight": [round(weights[factor.id], 4) for _, factor, _ in rows],
        "points": [round(r.contributions[factor.id] * points_per_unit(), 2) for r, factor, _ in rows],
        "provenance": [PROVENANCE_LABELS[cell.provenance] for _, _, cell in rows],
        "rationale": [cell.reason for _, _, cell in rows],
        "evidence": [model.evidence[cell.evidence].statement if cell.evidence else "" for _, _, cell in rows],
    }


def contributions_table(model: Model, results: list[Result], weights: Mapping[str, float]) -> pd.DataFrame:
    return pd.DataFrame(contributions_columns(model, results, weights))


# What a reader of "Show the numbers" under the benefits and risks chart needs: no ids or chart-only columns.
CONTRIBUTION_NUMBERS = ["placement", "factor", "score_cell", "weight", "points", "provenance", "rationale"]


def contributions_numbers(model: Model, results: list[Result], weights: Mapping[str, float]) -> pd.DataFrame:
    """The numbers behind the benefits and risks chart, as the page shows them."""
    return contributions_table(model, results, weights)[CONTRIBUTION_NUMBERS]


def matrix_table(model: Model) -> pd.DataFrame:
    """The placement x factor score matrix, wide, with provenance marks (see MATRIX_MARKS)."""
    marks = MATRIX_MARKS
    data = {
        p.short_name: [
            f"{model.cells[p.id, f.id].score:+d} {marks[model.cells[p.id, f.id].provenance]}" for f in model.factors
        ]
        for p in model.placements
    }
    return pd.DataFrame(data, index=pd.Index([f.name for f in model.factors], name="factor"))


# --- Robustness ("How sure are we?") -----------------------------------------------------------


def stability_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    """One row per factor, ordered by how little change flips the leader (factors that never flip it last)."""
    name = lambda i: model.placements[i].short_name if i is not None else "nobody"  # noqa: E731
    rows = sorted(robustness.stabilities, key=lambda s: (0, s.slack) if np.isfinite(s.slack) else (1, 0.0))
    return pd.DataFrame(
        {
            "factor": [model.factors[s.factor].name for s in rows],
            "current": [s.current for s in rows],
            "low": [s.low for s in rows],
            "high": [s.high for s in rows],
            "below low, leader": [name(s.taker_low) for s in rows],
            "above high, leader": [name(s.taker_high) for s in rows],
            "smallest flip": [s.slack if np.isfinite(s.slack) else None for s in rows],
        }
    )


def takeover_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    """What it takes for each trailing placement to lead, the smallest change first (those no change helps last)."""
    placements, texts = [], []
    for t in sorted(robustness.takeovers, key=lambda t: (1, 0.0) if t.factor is None else (0, t.change)):
        placements.append(model.placements[t.placement].name)
        if t.factor is None:
            texts.append("No change to a single factor's weight makes it lead.")
            continue
        factor = model.factors[t.factor].name
        direction = "Raise" if t.target > t.current else "Lower"
        texts.append(
            f"{direction} {factor} from {t.current:.0%} to {t.target:.0%} (the others rescaled): it ties there and leads past that point."
        )
    return pd.DataFrame({"placement": placements, "what it takes": texts})


def acceptability_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    """Long form: placement, rank, share of samples."""
    shares = robustness.smaa.acceptability
    m, ranks = shares.shape
    return pd.DataFrame(
        {
            "placement": [p.name for p in model.placements for _ in range(ranks)],
            "rank": list(range(1, ranks + 1)) * m,
            "share": shares.reshape(-1).astype(float),
        }
    )


def acceptability_by_rank(acceptability: pd.DataFrame) -> pd.DataFrame:
    """The long acceptability table as one row per placement and a column per rank ("rank 1", ...)."""
    wide = acceptability.pivot(index="placement", columns="rank", values="share")
    return wide.add_prefix("rank ").reset_index().rename_axis(columns=None)


def central_weights_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    """Each placement's share of first places and central weights; confidence only when scores were doubted.

    With exact scores every central weighting wins by construction, so a confidence
    column would only ever say 100%: it is left out.
    """
    result = robustness.smaa
    doubted = robustness.settings.doubted
    names = ["placement", "first in"] + (["confidence"] if doubted else [])
    values = [[p.name for p in model.placements], result.acceptability[:, 0]]
    values += [result.confidence] if doubted else []  # NaN (shown blank) for a placement never first
    values += list(result.central_weights.T)
    return _frame(names + [f.name for f in model.factors], values)


def shares_in(frame: pd.DataFrame) -> tuple[str, ...]:
    """The number columns of a table of shares (central weights, the pairwise winning index): shown as percentages."""
    return tuple(dict.fromkeys(name for name, column in frame.items() if column.dtype.kind == "f"))


def percent_text(frame: pd.DataFrame, percent: tuple[str, ...]) -> pd.DataFrame:
    """`frame` with its `percent` columns written as the grid shows shares ('98.4%'), for an HTML table;
    blank where a share is undefined (NaN). By position: a factor may share a fixed column's name."""
    shown = frame.copy()
    for position, name in enumerate(frame.columns):
        if name in percent:
            shown.isetitem(position, [("" if pd.isna(v) else f"{v:.1%}") for v in frame.iloc[:, position]])
    return shown


def _frame(names: list[str], columns: list) -> pd.DataFrame:
    """A data frame of `columns` named `names` (a name may repeat, as a factor named like a fixed column)."""
    frame = pd.DataFrame(dict(enumerate(columns)))
    frame.columns = names
    return frame


def sampling_note(robustness: Robustness) -> str:
    """How precise the sampled shares are, stated as measured: the Monte Carlo standard error of each share."""
    result = robustness.smaa
    return (
        f"SMAA-2 with {result.samples:,} sampled weightings (seed {result.seed}). Each share's Monte Carlo standard "
        f"error is √(p(1−p)/N): {result.largest_share_error * 100:.2f} points at most here (never above "
        f"{result.standard_error * 100:.2f}), so another seed moves a share by about that much, rarely more than twice it."
    )


def central_weights_caption(robustness: Robustness) -> str:
    """What the central weights table's confidence column means, or how to see it."""
    if robustness.settings.doubted:
        return (
            "Confidence: how often a placement still wins with its central weights when the doubted scores vary; "
            "blank (undefined) for a placement that never ranks first. It moves more from run to run than the "
            "shares, because the central weights are averaged over only the samples a placement wins: over 20 seeds "
            "at 20,000 samples its standard deviation stayed under 1 point for placements first in 30% of samples "
            "or more, but reached 2 points between 5% and 30%, 4 points between 1% and 5% and 10 points below 1% "
            "(docs/methods.md)."
        )
    return "Switch on 'doubt the scores' above to see confidence factors."


def pairwise_table(model: Model, robustness: Robustness) -> pd.DataFrame:
    names = [p.short_name for p in model.placements]
    return _frame(["beats →", *names], [names, *robustness.smaa.pairwise.T])


def sweep_table(model: Model, weights: Mapping[str, float], factor_id: str) -> pd.DataFrame:
    """Each placement's score at 0% and 100% of the factor's weight (the lines are straight)."""
    k = model.factor_ids.index(factor_id)
    ends = one_way.sweep_ends(model.matrix, weight_vector(model, weights), k)
    m = len(model.placements)
    return pd.DataFrame(
        {
            "weight": np.repeat(ends[:, 0], m).astype(float),
            "placement": [p.name for p in model.placements] * len(ends),
            "score": ends[:, 1 : 1 + m].reshape(-1).astype(float),
        }
    )


def crossing_table(model: Model, weights: Mapping[str, float], factor_id: str) -> pd.DataFrame:
    """Where two placements' lines cross on the factor's sweep, with the score there."""
    k = model.factor_ids.index(factor_id)
    w = weight_vector(model, weights)
    lines = one_way.sweep_lines(model.matrix, w, k)
    rows = [
        {
            "weight": t,
            "score": float(to_points(lines.at(t)[a])),
            "crossing": f"{model.placements[a].short_name} = {model.placements[b].short_name}",
        }
        for t, a, b in one_way.crossings(model.matrix, w, k)
    ]
    return pd.DataFrame(rows, columns=["weight", "score", "crossing"])
