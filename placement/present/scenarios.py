"""Named snapshots of weights and model edits, compared side by side."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from placement.analysis.scoring import rank
from placement.data.editing import cell_label
from placement.data.model import Model
from placement.data.problems import InputError, Problem
from placement.settings import MAX_SCENARIO_NAME

MAX_COMPARED = 3  # scenarios shown side by side


@dataclass(frozen=True)
class Scenario:
    name: str
    model: Model
    weights: dict[str, float]  # normalised
    sliders: dict[str, int]  # what the controls showed, to restore them


def save(
    saved: Mapping[str, Scenario], name: str, model: Model, weights: Mapping[str, float], sliders: Mapping[str, int]
) -> tuple[dict[str, Scenario], bool]:
    """The saved scenarios with this one added under its trimmed name, and whether it replaced one of that name.

    A replaced scenario keeps its place in the order; `saved` itself is not changed.
    """
    clean = (name or "").strip()
    if not clean:
        raise InputError([Problem("scenario name", "it is blank", "type a name")])
    if len(clean) > MAX_SCENARIO_NAME:
        raise InputError(
            [Problem("scenario name", f"it is {len(clean)} characters long", f"shorten it to {MAX_SCENARIO_NAME}")]
        )
    scenario = Scenario(clean, model, dict(weights), dict(sliders))
    return {**saved, clean: scenario}, clean in saved


def latest(saved: Mapping[str, Scenario]) -> list[str]:
    """The names compared by default: the most recently saved, at most MAX_COMPARED."""
    return list(saved)[-MAX_COMPARED:]


def weights_frame(scenarios: list[Scenario]) -> pd.DataFrame:
    """Factor weights per scenario; a factor missing from a scenario shows as blank."""
    names = _factor_names(scenarios)
    data = {s.name: [s.weights.get(f) for f in names] for s in scenarios}
    return pd.DataFrame(data, index=pd.Index(names.values(), name="factor")).reset_index()


def ranking_frame(scenarios: list[Scenario]) -> pd.DataFrame:
    """Long form: scenario, placement, score, rank."""
    rows = [
        {"scenario": s.name, "placement": r.name, "score": round(r.score, 1), "rank": r.rank}
        for s in scenarios
        for r in rank(s.model, s.weights)
    ]
    return pd.DataFrame(rows)


def ranking_wide(scenarios: list[Scenario]) -> pd.DataFrame:
    """Placements as rows, each scenario's score and rank as columns."""
    long = ranking_frame(scenarios)
    long["result"] = long.apply(lambda r: f"{r['score']:.1f} (#{r['rank']})", axis=1)
    wide = long.pivot(index="placement", columns="scenario", values="result")
    return wide.reindex(index=placement_names(scenarios), columns=[s.name for s in scenarios]).reset_index()


def differing_cells(scenarios: list[Scenario]) -> pd.DataFrame:
    """Score cells whose value or provenance differs between the scenarios."""
    keys: dict[tuple[str, str], None] = {}
    for s in scenarios:
        keys.update(dict.fromkeys(s.model.cells))
    rows = []
    for key in keys:
        cells = [s.model.cells.get(key) for s in scenarios]
        shown = [f"{c.score:+d} {c.provenance}" if c else "absent" for c in cells]
        if len(set(shown)) > 1:
            placement_id, factor_id = key
            label = next(
                cell_label(s.model, placement_id, factor_id) for s, c in zip(scenarios, cells, strict=True) if c
            )
            rows.append({"cell": label, **{s.name: v for s, v in zip(scenarios, shown, strict=True)}})
    return pd.DataFrame(rows, columns=["cell", *[s.name for s in scenarios]])


def _factor_names(scenarios: list[Scenario]) -> Mapping[str, str]:
    names: dict[str, str] = {}
    for s in scenarios:
        names.update({f.id: f.name for f in s.model.factors if f.id not in names})
    return names


def placement_names(scenarios: list[Scenario]) -> list[str]:
    """Every placement name across the scenarios, once, in first-seen order."""
    return list(short_names(scenarios))


def short_names(scenarios: list[Scenario]) -> dict[str, str]:
    """Each placement's short name by its name, across the scenarios, in first-seen order."""
    names: dict[str, str] = {}
    for scenario in scenarios:
        for placement in scenario.model.placements:
            names.setdefault(placement.name, placement.short_name)
    return names
