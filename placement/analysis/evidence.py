"""What the source documents for each placement, which cells each statement drives, and the gaps."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pandas as pd

from placement.data.model import Evidence, Model

KIND_LABELS = {
    "recommendation": "Author's recommendation",
    "works_when": "Works best when",
    "benefit": "Benefit",
    "risk": "Risk",
}


@dataclass(frozen=True)
class Statement:
    evidence: Evidence
    label: str
    drives: list[str]  # "Factor name (+2)" for each cell citing the statement


def statements(model: Model, placement_id: str) -> list[Statement]:
    """The placement's evidence in reading order: recommendation, conditions, benefits, risks."""
    order = list(KIND_LABELS)
    items = sorted(
        (e for e in model.evidence.values() if e.placement == placement_id), key=lambda e: order.index(e.kind)
    )
    return [Statement(e, KIND_LABELS[e.kind], _drives(model, e.id)) for e in items]


def _drives(model: Model, evidence_id: str) -> list[str]:
    return [f"{model.factor(c.factor).name} ({c.score:+d})" for c in model.cells.values() if c.evidence == evidence_id]


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
