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


def weights_table(model: Model, weights: Mapping[str, float]) -> pd.DataFrame:
    return pd.DataFrame({"factor": [f.name for f in model.factors], "weight": [weights[f.id] for f in model.factors]})


def ranking_table(model: Model, results: list[Result]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rank": [r.rank for r in results],
            "placement": [r.name for r in results],
            "short_name": [model.placement(r.placement).short_name for r in results],
            "score": [round(r.score, 1) for r in results],
            "benefit_points": [round(sum(r.benefits.values()) * points_per_unit(), 1) for r in results],
            "risk_points": [round(sum(r.risks.values()) * points_per_unit(), 1) for r in results],
        }
    )


def contributions_table(model: Model, results: list[Result], weights: Mapping[str, float]) -> pd.DataFrame:
    """One row per placement and factor: the cell, its weight and its points (w * v * 25)."""
    rows = []
    for r in results:
        for factor in model.factors:
            cell = model.cells[r.placement, factor.id]
            rows.append(
                {
                    "placement": r.name,
                    "short_name": model.placement(r.placement).short_name,
                    "factor": factor.name,
                    "score_cell": cell.score,
                    "score_label": f"{cell.score:+d}" if cell.score else "0",
                    "weight": round(weights[factor.id], 4),
                    "points": round(r.contributions[factor.id] * points_per_unit(), 2),
                    "provenance": PROVENANCE_LABELS[cell.provenance],
                    "rationale": cell.reason,
                    "evidence": model.evidence[cell.evidence].statement if cell.evidence else "",
                }
            )
    return pd.DataFrame(rows)


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
            "smallest flip": s.slack if np.isfinite(s.slack) else None,
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
    """Each placement's share of first places and central weights; confidence only when scores were doubted.

    With exact scores every central weighting wins by construction, so a confidence
    column would only ever say 100%: it is left out.
    """
    result = robustness.smaa
    frame = pd.DataFrame(result.central_weights, columns=[f.name for f in model.factors])
    frame.insert(0, "placement", [p.name for p in model.placements])
    frame.insert(1, "first in", result.acceptability[:, 0])
    if robustness.settings.doubted:
        frame.insert(2, "confidence", result.confidence)  # NaN (shown blank) for a placement never first
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
    return pd.DataFrame(robustness.smaa.pairwise, index=pd.Index(names, name="beats →"), columns=names).reset_index()


def sweep_table(model: Model, weights: Mapping[str, float], factor_id: str) -> pd.DataFrame:
    """Each placement's score at 0% and 100% of the factor's weight (the lines are straight)."""
    k = model.factor_ids.index(factor_id)
    ends = one_way.sweep_ends(model.matrix, weight_vector(model, weights), k)
    return pd.DataFrame(
        [
            {"weight": float(row[0]), "placement": p.name, "score": float(row[1 + i])}
            for row in ends
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
            "score": float(to_points(lines.at(t)[a])),
            "crossing": f"{model.placements[a].short_name} = {model.placements[b].short_name}",
        }
        for t, a, b in one_way.crossings(model.matrix, w, k)
    ]
    return pd.DataFrame(rows, columns=["weight", "score", "crossing"])
