"""Making the model your own: edit cells, restore the baseline, add or remove factors and placements.

Every function returns a new Model; the source baseline of an edited cell travels
with it (original_score, original_provenance), so nothing is lost and any cell can
be restored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import replace

import pandas as pd

from placement.data.model import Cell, Factor, Model, Placement
from placement.data.problems import InputError, Problem
from placement.data.schema import SCORE_MAX, SCORE_MIN
from placement.data.text import clean_text, text_problem
from placement.settings import MAX_ITEM_NAME, MAX_SHORT_NAME, MAX_TEXT

NOT_FROM_A_ROOM = {"room_text": None, "room_round": None, "room_people": None}  # what a workshop room said


def set_score(model: Model, placement_id: str, factor_id: str, score: int) -> Model:
    """Set one cell; setting it back to its baseline value restores the baseline cell."""
    _check_score(score, f"{placement_id} / {factor_id}")
    cell = model.cells[placement_id, factor_id]
    if cell.edited and score == cell.original_score:
        return restore_cell(model, placement_id, factor_id)
    if score == cell.score:
        return model
    original_score = cell.original_score if cell.edited else cell.score
    original_provenance = cell.original_provenance if cell.edited else cell.provenance
    if original_provenance == "user":  # a cell the user created has no source baseline
        original_score = original_provenance = None
    # The rationale stays: it explains the baseline the user departed from (see Cell.reason).
    edited = replace(
        cell,
        score=score,
        provenance="user",
        original_score=original_score,
        original_provenance=original_provenance,
        **NOT_FROM_A_ROOM,
    )
    return replace(model, cells={**model.cells, (placement_id, factor_id): edited})


def restore_cell(model: Model, placement_id: str, factor_id: str, baseline: Model | None = None) -> Model:
    """Put one edited cell back to its source value (from `baseline` when given)."""
    cell = model.cells[placement_id, factor_id]
    if not cell.edited:
        return model
    original = baseline.cells.get((placement_id, factor_id)) if baseline else None
    restored = original or replace(
        cell,
        score=cell.original_score,
        provenance=cell.original_provenance,
        original_score=None,
        original_provenance=None,
        **NOT_FROM_A_ROOM,
    )
    return replace(model, cells={**model.cells, (placement_id, factor_id): restored})


def restore_cells(model: Model, keys: list[tuple[str, str]], baseline: Model | None = None) -> Model:
    for placement_id, factor_id in keys:
        model = restore_cell(model, placement_id, factor_id, baseline)
    return model


def restore_all(model: Model, baseline: Model) -> Model:
    """Restore every edited cell; custom factors and placements stay."""
    return restore_cells(model, [key for key, cell in model.cells.items() if cell.edited], baseline)


def edited_cells(model: Model) -> list[Cell]:
    return [c for c in model.cells.values() if c.edited]


def cell_label(model: Model, placement_id: str, factor_id: str) -> str:
    """How a cell is named to people: 'Operations × PM alignment'."""
    return f"{model.placement(placement_id).short_name} × {model.factor(factor_id).name}"


def edited_labels(model: Model) -> dict[str, tuple[str, str]]:
    """Each edited cell's label and its (placement, factor) key, in model order."""
    return {cell_label(model, c.placement, c.factor): (c.placement, c.factor) for c in edited_cells(model)}


def edited_frame(model: Model) -> pd.DataFrame:
    """The edited cells: label, score now, and the source baseline it replaced."""
    rows = [
        {
            "cell": cell_label(model, c.placement, c.factor),
            "now": c.score,
            "source baseline": f"{c.original_score:+d} ({c.original_provenance})",
        }
        for c in edited_cells(model)
    ]
    return pd.DataFrame(rows, columns=["cell", "now", "source baseline"])


def score_grid(model: Model) -> pd.DataFrame:
    """Scores as the team edits them: a row per factor (by name), a column per placement (by short name).

    The inverse of `apply_table_edits`: an edit at row i, column c of this grid is the cell
    (placement with short name c, i-th factor).
    """
    return pd.DataFrame(
        {p.short_name: [model.cells[p.id, f].score for f in model.factor_ids] for p in model.placements},
        index=pd.Index([f.name for f in model.factors], name="factor"),
    )


def add_factor(model: Model, name: str, definition: str, scores: Mapping[str, int], question: str = "") -> Model:
    """A custom factor with a user score for every placement; presets give it weight 0."""
    problems = _check_text(name, "name", MAX_ITEM_NAME, [f.name for f in model.factors])
    problems += _check_text(definition, "definition", MAX_TEXT)
    problems += _check_text(question, "question", MAX_TEXT, required=False)
    problems += _check_scores(scores, model.placement_ids, "placement")
    if problems:
        raise InputError(problems)
    name, definition, question = _clean(name), _clean(definition), _clean(question)
    factor = Factor(
        _new_id(name, model.factor_ids), name.strip(), definition.strip(), question.strip() or "Added by the team."
    )
    cells = {
        (p, factor.id): Cell(p, factor.id, int(scores[p]), "user", None, "Set by the user for a custom factor.")
        for p in model.placement_ids
    }
    presets = {k: replace(p, weights={**p.weights, factor.id: 0.0}) for k, p in model.presets.items()}
    return replace(model, factors=(*model.factors, factor), cells={**model.cells, **cells}, presets=presets)


def add_placement(model: Model, name: str, description: str, scores: Mapping[str, int], short_name: str = "") -> Model:
    """A custom placement with a user score for every factor."""
    short = _clean(short_name or name)[:MAX_SHORT_NAME].strip()
    problems = _check_text(name, "name", MAX_ITEM_NAME, [p.name for p in model.placements])
    problems += _check_text(short, "short name", MAX_SHORT_NAME, [p.short_name for p in model.placements])
    problems += _check_text(description, "description", MAX_TEXT)
    problems += _check_scores(scores, model.factor_ids, "factor")
    if problems:
        raise InputError(problems)
    name, description = _clean(name), _clean(description)
    placement = Placement(_new_id(name, model.placement_ids), name.strip(), short, description.strip())
    cells = {
        (placement.id, f): Cell(
            placement.id, f, int(scores[f]), "user", None, "Set by the user for a custom placement."
        )
        for f in model.factor_ids
    }
    return replace(model, placements=(*model.placements, placement), cells={**model.cells, **cells})


def add_optional(model: Model, full: Model, placement_id: str) -> Model:
    """Bring an optional placement (published context) and its cells into the model."""
    if placement_id in model.placement_ids:
        return model
    extra = full.only([placement_id], [f for f in model.factor_ids if f in full.factor_ids])
    missing = [f for f in model.factor_ids if f not in full.factor_ids]
    cells = {**model.cells, **extra.cells}
    for factor_id in missing:  # a custom factor has no published score for it: a neutral gap
        cells[placement_id, factor_id] = Cell(
            placement_id, factor_id, 0, "neutral", None, "No evidence for this custom factor."
        )
    return replace(
        model,
        placements=(*model.placements, *extra.placements),
        cells=cells,
        evidence={**model.evidence, **extra.evidence},
        context=(*model.context, *(c for c in extra.context if c not in model.context)),
    )


def added_items(model: Model, baseline: Model) -> dict[str, tuple[str, str]]:
    """What the team added and may remove again: label -> ("placement" or "factor", id)."""
    items = {
        f"Placement: {p.name}": ("placement", p.id) for p in model.placements if p.id not in baseline.placement_ids
    }
    items |= {f"Factor: {f.name}": ("factor", f.id) for f in model.factors if f.id not in baseline.factor_ids}
    return items


def remove_item(model: Model, kind: str, item_id: str) -> Model:
    """Remove a placement or a factor, as `added_items` names them."""
    removers = {"placement": remove_placement, "factor": remove_factor}
    if kind not in removers:
        raise InputError(
            [Problem("removal", f"'{kind}' is not something that can be removed", "pick a placement or a factor")]
        )
    return removers[kind](model, item_id)


def remove_factor(model: Model, factor_id: str) -> Model:
    if len(model.factors) <= 1:
        raise InputError([Problem("factors", "the last factor cannot be removed", "add another factor first")])
    return model.only(factor_ids=[f for f in model.factor_ids if f != factor_id])


def remove_placement(model: Model, placement_id: str) -> Model:
    if len(model.placements) <= 2:
        raise InputError(
            [Problem("placements", "at least two placements are needed to compare", "add another placement first")]
        )
    return model.only(placement_ids=[p for p in model.placement_ids if p != placement_id])


def _check_score(score, where: str) -> None:
    if not isinstance(score, int) or isinstance(score, bool) or not SCORE_MIN <= score <= SCORE_MAX:
        raise InputError(
            [Problem(where, f"score {score!r} is not allowed", f"use a whole number from {SCORE_MIN} to {SCORE_MAX}")]
        )


def _check_scores(scores: Mapping[str, int], ids: list[str], noun: str) -> list[Problem]:
    problems = []
    for item in ids:
        value = scores.get(item)
        if value is None:
            problems.append(
                Problem(
                    "scores",
                    f"no score for {noun} '{item}'",
                    f"give every {noun} a score from {SCORE_MIN} to {SCORE_MAX}",
                )
            )
        elif isinstance(value, bool) or not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
            problems.append(
                Problem(
                    "scores",
                    f"score {value!r} for {noun} '{item}' is not allowed",
                    f"use a whole number from {SCORE_MIN} to {SCORE_MAX}",
                )
            )
    return problems


def _clean(text: str) -> str:
    return clean_text(text or "").strip()


def _check_text(text: str, field: str, limit: int, taken: list[str] = (), required: bool = True) -> list[Problem]:
    """Problems of a typed text: refused characters (NUL), blank, too long, or a name already taken.

    Control characters and direction overrides are not problems: they are removed (see `_clean`).
    """
    refused = text_problem(text or "")
    if refused:
        return [Problem(field, refused, "retype it without that character")]
    text = _clean(text)
    if not text:
        return [Problem(field, "it is blank", f"enter a {field}")] if required else []
    if len(text) > limit:
        return [Problem(field, f"it is {len(text)} characters long", f"shorten it to at most {limit}")]
    if text.casefold() in {t.casefold() for t in taken}:
        return [Problem(field, f"'{text}' is already used", f"choose a {field} that is not taken")]
    return []


def _new_id(name: str, taken: list[str]) -> str:
    """A readable, valid, unused id from a free-text name."""
    base = "custom_" + (re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")[:24].rstrip("_") or "item")
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}_{number}", number + 1
    return candidate


def apply_table_edits(model: Model, rows: Mapping) -> Model:
    """Apply edits made in the score table (rows = factors in order, columns = placement short names)."""
    by_name = {p.short_name: p.id for p in model.placements}
    grid = {
        (by_name[column], model.factor_ids[int(row)]): value
        for row, edits in rows.items()
        for column, value in edits.items()
    }
    return apply_grid(model, grid)


def apply_grid(model: Model, grid: Mapping[tuple[str, str], object]) -> Model:
    """Apply edited cell values (as typed in a table) at once; every bad value is reported."""
    problems = []
    for (placement_id, factor_id), value in grid.items():
        where = cell_label(model, placement_id, factor_id)
        number = _whole_number(value)
        if number is None or not SCORE_MIN <= number <= SCORE_MAX:
            shown = "blank" if _is_blank(value) else repr(value)
            problems.append(
                Problem(where, f"{shown} is not a score", f"enter a whole number from {SCORE_MIN} to {SCORE_MAX}")
            )
    if problems:
        raise InputError(problems)
    for (placement_id, factor_id), value in grid.items():
        model = set_score(model, placement_id, factor_id, _whole_number(value))
    return model


def _is_blank(value) -> bool:
    try:
        return value is None or value != value or str(value).strip() == ""
    except TypeError:  # pandas' NA refuses comparison: it is a blank cell
        return True


def _whole_number(value) -> int | None:
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else None


def differences(before: Model, after: Model) -> list[str]:
    """What `after` changes from `before`, one line each: placements and factors added or dropped, then every
    shared cell whose score or provenance differs (e.g. "Operations x Ops empathy: +1 (room) -> 0 (documented)")."""
    found = []
    for kind, old, new in (
        ("placement", before.placements, after.placements),
        ("factor", before.factors, after.factors),
    ):
        old_ids, new_ids = {item.id for item in old}, {item.id for item in new}
        found += [f"Adds the {kind} {item.name}" for item in new if item.id not in old_ids]
        found += [f"Drops the {kind} {item.name}" for item in old if item.id not in new_ids]
    for (placement_id, factor_id), cell in after.cells.items():
        was = before.cells.get((placement_id, factor_id))
        if was is not None and (was.score, was.provenance) != (cell.score, cell.provenance):
            found.append(
                f"{after.placement(placement_id).name} x {after.factor(factor_id).name}: "
                f"{was.score:+d} ({was.provenance}) -> {cell.score:+d} ({cell.provenance})"
            )
    return found
