"""What the source documents for each placement, which cells each statement drives, and the gaps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placement.data.model import SOURCE_CONDITION_WORDS, Cell, Evidence, Model

KIND_LABELS = {
    "recommendation": "Author's recommendation",
    "works_when": f"Condition (the source: it '{SOURCE_CONDITION_WORDS} ...')",
    "benefit": "Benefit",
    "risk": "Risk",
}


# Provenances a statement's score cells can have: the team's own scores ('user') stay as they set them.
SOURCE_SCORED = ("documented", "inferred")
DOUBTED_ALONE = ("inferred", "neutral")  # what "doubt the undocumented scores" varies, each cell on its own
PROVENANCE_LABELS = {
    "documented": "documented",
    "inferred": "inferred",
    "neutral": "no evidence",
    "user": "set by user",
    "room": "raised by the room",
}


@dataclass(frozen=True)
class Statement:
    evidence: Evidence
    label: str
    drives: list[str]  # "Factor name (+2, documented)" for each cell citing the statement


def statements(model: Model, placement_id: str) -> list[Statement]:
    """The placement's evidence in reading order: recommendation, conditions, benefits, risks."""
    order = list(KIND_LABELS)
    items = sorted(
        (e for e in model.evidence.values() if e.placement == placement_id), key=lambda e: order.index(e.kind)
    )
    return [Statement(e, KIND_LABELS[e.kind], _drives(model, e.id)) for e in items]


def _drives(model: Model, evidence_id: str) -> list[str]:
    return [
        f"{model.factor(c.factor).name} ({c.score:+d}, {PROVENANCE_LABELS[c.provenance]})"
        for c in driven_cells(model, evidence_id, SOURCE_SCORED + ("user",))
    ]


def driven_cells(model: Model, evidence_id: str, provenances: tuple[str, ...] = SOURCE_SCORED) -> list[Cell]:
    """The score cells that rest on one statement: those that cite it, documented or inferred from it."""
    return [c for c in model.cells.values() if c.evidence == evidence_id and c.provenance in provenances]


def reach_table(model: Model) -> pd.DataFrame:
    """Per placement, how many score cells each statement drives: a statement driving several cells counts
    several times in the score, so doubting it should move those cells together (robustness Settings)."""
    rows = []
    for p in model.placements:
        for item in statements(model, p.id):
            cells = driven_cells(model, item.evidence.id)
            if cells:
                kinds = Counter(c.provenance for c in cells)
                rows.append(
                    {
                        "placement": p.short_name,
                        "statement": item.label,
                        "cells it drives": len(cells),
                        "documented": kinds["documented"],
                        "inferred from it": kinds["inferred"],
                        "factors": ", ".join(model.factor(c.factor).name for c in cells),
                    }
                )
    columns = ["placement", "statement", "cells it drives", "documented", "inferred from it", "factors"]
    return pd.DataFrame(rows, columns=columns)


def doubt_groups(model: Model, undocumented: bool, statements_together: bool) -> np.ndarray:
    """Which cells the SMAA sampling doubts, and which move together (smaa.sample_cells): placements x factors,
    -1 for a fixed cell. `statements_together`: the documented and inferred cells of one statement share one
    group. `undocumented`: every other inferred or no-evidence cell is its own group. Cells the team set
    ('user') or a workshop room accepted ('room') and documented cells outside a doubted statement stay fixed."""
    groups = np.full((len(model.placements), len(model.factors)), -1)
    numbers: dict[str | tuple[int, int], int] = {}
    for i, p in enumerate(model.placement_ids):
        for j, f in enumerate(model.factor_ids):
            cell = model.cells[p, f]
            if statements_together and cell.evidence and cell.provenance in SOURCE_SCORED:
                groups[i, j] = numbers.setdefault(cell.evidence, len(numbers))
            elif undocumented and cell.provenance in DOUBTED_ALONE:
                groups[i, j] = numbers.setdefault((i, j), len(numbers))
    return groups


def coverage_table(model: Model) -> pd.DataFrame:
    """Per placement: documented benefits and risks, and how its cells are sourced."""
    rows = []
    for p in model.placements:
        sourced = Counter(model.cells[p.id, f].provenance for f in model.factor_ids)
        benefits, risks = len(model.evidence_for(p.id, "benefit")), len(model.evidence_for(p.id, "risk"))
        gaps = [kind for kind, n in (("benefit", benefits), ("risk", risks)) if n == 0]
        rows.append(
            {
                "placement": p.name,
                "documented benefits": benefits,
                "documented risks": risks,
                "documented cells": sourced["documented"],
                "inferred cells": sourced["inferred"],
                "no-evidence cells": sourced["neutral"],
                "set by user": sourced["user"],
                "raised by the room": sourced["room"],
                "evidence gap": ", ".join(f"no documented {g}" for g in gaps) or "none",
            }
        )
    return pd.DataFrame(rows)


def risk_gap_origin(model: Model, placement_id: str) -> str:
    """Where a placement with no documented risk comes from, so the gap is attributed to whoever proposed it:
    the author's own recommendation, a practitioner's published account, or neither (the team added it)."""
    if model.evidence_for(placement_id, "recommendation"):
        return "The author recommends this placement from her own experience and names no downside"
    cited = sorted({model.sources[c.citation] for c in model.context if c.placement == placement_id})
    if cited:
        return (
            f"The source never mentions this placement; it comes from published context ({'; '.join(cited)}), "
            "which names no downside"
        )
    return "No statement names a downside for this placement"


def room_cells(model: Model, placement_id: str, kind: str | None = None) -> list[tuple[str, str]]:
    """The placement's cells a workshop room added (only its risks or benefits, with `kind`), as (label, line)
    to show beside the source's statements: what the room said, who raised it, the cell it drives with its
    score and the source's value before."""
    lines = []
    for c in model.cells.values():
        cell_kind = "risk" if c.score < 0 else "benefit"
        if c.placement != placement_id or c.provenance != "room" or kind not in (None, cell_kind):
            continue
        label = f"{cell_kind.capitalize()} raised by the room"
        before = f"; the source's cell was {c.original_score:+d} ({c.original_provenance})" if c.edited else ""
        who = c.room_note.removeprefix("the room ")
        lines.append((label, f"{c.room_text} {who} → drives {model.factor(c.factor).name} ({c.score:+d}){before}"))
    return lines


def inferred_cells(model: Model, placement_id: str) -> pd.DataFrame:
    """The placement's cells that rest on our reasoning, with that reasoning."""
    rows = [
        {"factor": model.factor(c.factor).name, "score": c.score, "reasoning": c.reason}
        for c in model.cells.values()
        if c.placement == placement_id and c.provenance == "inferred"
    ]
    return pd.DataFrame(rows, columns=["factor", "score", "reasoning"])


def context_items(model: Model, topic: str) -> list[tuple[str, str]]:
    """(statement, citation) pairs of published context on one topic."""
    return [(c.statement, model.sources[c.citation]) for c in model.context if c.topic == topic]
