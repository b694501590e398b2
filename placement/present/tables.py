"""Tidy tables of a ranking: the numbers behind every chart, ready to show or export."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from placement.analysis.scoring import Result, points_per_unit
from placement.data.model import Model

PROVENANCE_LABELS = {
    "documented": "documented",
    "inferred": "inferred",
    "neutral": "no evidence",
    "user": "set by user",
}


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
    """The placement x factor score matrix, wide, with provenance marks (D, I, -)."""
    marks = {"documented": "D", "inferred": "I", "neutral": "–", "user": "U"}
    data = {
        p.short_name: [
            f"{model.cells[p.id, f.id].score:+d} {marks[model.cells[p.id, f.id].provenance]}" for f in model.factors
        ]
        for p in model.placements
    }
    return pd.DataFrame(data, index=pd.Index([f.name for f in model.factors], name="factor"))
