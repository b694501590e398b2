"""The decision model: placements, factors, the score matrix with provenance, evidence, presets."""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path

import numpy as np

from placement.data import schema
from placement.data.problems import InputError, Problem

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
# A cell scored from a condition: the source names a fit, not an advantage (docs/data.md).
CONDITION_SCORE = 1
# The source's own words for its conditions, the one phrase the app quotes from it: every other mention of the
# source is our paraphrase. Checked against the source by hand (tests/data/test_source_claims.py).
SOURCE_CONDITION_WORDS = "can work and be effective if"


@dataclass(frozen=True)
class Placement:
    id: str
    name: str
    short_name: str
    description: str
    optional: bool = False  # published context beyond the source, off unless the user adds it


@dataclass(frozen=True)
class Factor:
    id: str
    name: str
    definition: str
    question: str


@dataclass(frozen=True)
class Evidence:
    id: str
    placement: str
    kind: str  # recommendation | works_when | benefit | risk
    statement: str
    citation: str


@dataclass(frozen=True)
class Cell:
    """One placement x factor score with where it comes from."""

    placement: str
    factor: str
    score: int
    provenance: str  # documented | inferred | neutral | user | room
    evidence: str | None
    rationale: str
    original_score: int | None = None  # the source baseline of a cell the user (or a room) changed
    original_provenance: str | None = None
    room_text: str | None = None  # a cell a workshop room added: the sentence it accepted,
    room_round: int | None = None  # the round it was raised in
    room_people: int | None = None  # and how many people raised it

    @property
    def edited(self) -> bool:
        return self.original_score is not None

    @property
    def room_note(self) -> str:
        """Who stands behind a room's cell: 'the room (round 1, 3 people)'."""
        people = f"{self.room_people} {'person' if self.room_people == 1 else 'people'}"
        return f"the room (round {self.room_round}, {people})"

    @property
    def reason(self) -> str:
        """The rationale as shown to people: an edited cell also names its source baseline."""
        if not self.edited:
            return f"Raised by {self.room_note}: {self.room_text}" if self.provenance == "room" else self.rationale
        baseline = f"the baseline was {self.original_score:+d} ({self.original_provenance}): {self.rationale}"
        if self.provenance == "room":
            return f"Raised by {self.room_note}: {self.room_text} Before, {baseline}"
        return f"Set by the user; {baseline}"


@dataclass(frozen=True)
class ContextItem:
    """Published material beyond the source, always shown as such."""

    id: str
    topic: str
    placement: str | None
    statement: str
    citation: str


@dataclass(frozen=True)
class Preset:
    id: str
    name: str
    description: str
    source_placement: str | None
    evidence: str | None
    weights: dict[str, float]


@dataclass(frozen=True)
class Model:
    sources: dict[str, str]
    placements: tuple[Placement, ...]
    factors: tuple[Factor, ...]
    evidence: dict[str, Evidence]
    cells: dict[tuple[str, str], Cell]
    presets: dict[str, Preset]
    context: tuple[ContextItem, ...] = ()

    @cached_property
    def placement_ids(self) -> list[str]:
        return [p.id for p in self.placements]

    @cached_property
    def factor_ids(self) -> list[str]:
        return [f.id for f in self.factors]

    @cached_property
    def matrix(self) -> np.ndarray:
        """Scores as a placements x factors array, in file order."""
        return np.array([[self.cells[p, f].score for f in self.factor_ids] for p in self.placement_ids], dtype=float)

    def placement(self, placement_id: str) -> Placement:
        return next(p for p in self.placements if p.id == placement_id)

    def factor(self, factor_id: str) -> Factor:
        return next(f for f in self.factors if f.id == factor_id)

    def only(self, placement_ids: list[str] | None = None, factor_ids: list[str] | None = None) -> Model:
        """This model restricted to some placements and factors (in their current order)."""
        keep_p = [p for p in self.placements if placement_ids is None or p.id in placement_ids]
        keep_f = [f for f in self.factors if factor_ids is None or f.id in factor_ids]
        p_ids, f_ids = {p.id for p in keep_p}, {f.id for f in keep_f}
        presets = {
            key: replace(
                preset,
                source_placement=preset.source_placement if preset.source_placement in p_ids else None,
                evidence=preset.evidence if preset.source_placement in p_ids else None,
                weights={f: w for f, w in preset.weights.items() if f in f_ids},
            )
            for key, preset in self.presets.items()
            if any(w for f, w in preset.weights.items() if f in f_ids)
        }
        return replace(
            self,
            placements=tuple(keep_p),
            factors=tuple(keep_f),
            evidence={k: e for k, e in self.evidence.items() if e.placement in p_ids},
            cells={k: c for k, c in self.cells.items() if k[0] in p_ids and k[1] in f_ids},
            presets=presets,
            context=tuple(c for c in self.context if c.placement is None or c.placement in p_ids),
        )

    def placements_without(self, kind: str) -> list[Placement]:
        """Placements for which the source documents no evidence of `kind`: evidence gaps."""
        return [p for p in self.placements if not self.evidence_for(p.id, kind)]

    def evidence_for(self, placement_id: str, kind: str) -> list[Evidence]:
        return [e for e in self.evidence.values() if e.placement == placement_id and e.kind == kind]


def load_model(directory: Path | str = DATA_DIR, include_optional: bool = False) -> Model:
    """Load and validate the model in `directory`; raise InputError listing every problem.

    Optional placements (published context beyond the source) are left out unless asked for.
    """
    problems: list[Problem] = []
    tables = {spec.file: schema.read_table(Path(directory), spec, problems) for spec in schema.ALL_TABLES}
    if problems:
        raise InputError(problems)
    model = build_model(tables)
    return model if include_optional else model.only([p.id for p in model.placements if not p.optional])


def build_model(tables: dict[str, list[dict]], require_evidence_used: bool = True) -> Model:
    """Assemble a model from typed table records, checking every cross-reference.

    `require_evidence_used`: every documented benefit and risk must drive a cell (true
    of the source baseline; a team may drop the factor a statement drove).
    """
    problems: list[Problem] = []
    sources = {r["id"]: r["citation"] for r in tables["sources.csv"]}
    placements = tuple(
        Placement(r["id"], r["name"], r["short_name"], r["description"], r["optional"] == "yes")
        for r in tables["placements.csv"]
    )
    factors = tuple(Factor(r["id"], r["name"], r["definition"], r["question"]) for r in tables["factors.csv"])
    placement_ids = {p.id for p in placements}
    factor_ids = [f.id for f in factors]
    _require_some(placements, "placements.csv", "placement", problems)
    _require_some(factors, "factors.csv", "factor", problems)
    _check_unique(tables["placements.csv"], "placements.csv", ("name", "short_name"), "placement", problems)
    _check_unique(tables["factors.csv"], "factors.csv", ("name",), "factor", problems)
    _check_refs(
        tables["evidence.csv"], "evidence.csv", {"placement": placement_ids, "citation": set(sources)}, problems
    )
    evidence = {
        r["id"]: Evidence(r["id"], r["placement"], r["kind"], r["statement"], r["citation"])
        for r in tables["evidence.csv"]
    }
    cells = _build_cells(tables["scores.csv"], placements, factor_ids, evidence, problems)
    if require_evidence_used:
        _check_evidence_covered(cells, evidence, problems)
    presets = _build_presets(tables, placement_ids, factor_ids, evidence, problems)
    records = tables["context.csv"]
    _check_refs(records, "context.csv", {"placement": placement_ids, "citation": set(sources)}, problems)
    context = tuple(ContextItem(r["id"], r["topic"], r["placement"], r["statement"], r["citation"]) for r in records)
    if problems:
        raise InputError(problems)
    return Model(sources, placements, factors, evidence, cells, presets, context)


def _require_some(items, file: str, noun: str, problems: list[Problem]) -> None:
    if not items:
        problems.append(Problem(file, f"there is no {noun}", f"add at least one {noun} row"))


def _check_unique(records: list[dict], file: str, columns: tuple[str, ...], noun: str, problems: list[Problem]) -> None:
    """Display names tell items apart on every page and in every table: no two may be the same (ignoring case)."""
    for column in columns:
        seen: dict[str, int] = {}
        for record in records:
            value = record[column]
            if not value:
                continue
            key = value.casefold()
            if key in seen:
                problems.append(
                    Problem(
                        file,
                        f"the {column.replace('_', ' ')} '{value}' is also used on row {seen[key]}",
                        f"give every {noun} its own {column.replace('_', ' ')}",
                        record["_row"],
                        column,
                    )
                )
            seen.setdefault(key, record["_row"])


def _check_refs(records: list[dict], file: str, allowed: dict[str, set], problems: list[Problem]) -> None:
    for record in records:
        for column, ids in allowed.items():
            value = record[column]
            if value is not None and value not in ids:
                problems.append(
                    Problem(
                        file,
                        f"unknown {column} '{value}'",
                        f"use one of {', '.join(sorted(ids)) or '(none defined)'}",
                        record["_row"],
                        column,
                    )
                )


def _build_cells(records, placements, factor_ids, evidence, problems) -> dict[tuple[str, str], Cell]:
    file = "scores.csv"
    _check_refs(records, file, {"placement": {p.id for p in placements}, "factor": set(factor_ids)}, problems)
    cells = {}
    listed = {(r["placement"], r["factor"]) for r in records}  # rows present, even if a cell was unusable
    # A row with an unknown id is most likely the missing cell mistyped: report it once, as unknown.
    mistyped_factor = {r["placement"] for r in records if r["factor"] not in factor_ids}
    mistyped_placement = {r["factor"] for r in records if r["placement"] not in {p.id for p in placements}}
    for r in records:
        if None in (r["placement"], r["factor"], r["score"], r["provenance"]):
            continue
        _check_cell_evidence(r, evidence, problems)
        cells[r["placement"], r["factor"]] = Cell(
            r["placement"],
            r["factor"],
            r["score"],
            r["provenance"],
            r["evidence"],
            r["rationale"],
            r["original_score"],
            r["original_provenance"],
            r["room_text"] or None,
            r["room_round"],
            r["room_people"],
        )
    for placement in placements:
        for factor_id in factor_ids:
            unexplained = placement.id not in mistyped_factor and factor_id not in mistyped_placement
            if (placement.id, factor_id) not in listed and unexplained:
                problems.append(
                    Problem(
                        file,
                        f"placement '{placement.id}' has no score for factor '{factor_id}'",
                        "add a row with a score from -2 to 2, a provenance and a rationale",
                    )
                )
    return cells


def _check_cell_evidence(r: dict, evidence: dict[str, Evidence], problems: list[Problem]) -> None:
    """Cited evidence exists and is about the cell's own placement; a source cell that cites a statement
    follows its kind (docs/data.md): a benefit scores above 0, a risk below 0, a condition exactly +1."""
    file, row = "scores.csv", r["_row"]

    def fail(message: str, fix: str, column: str) -> None:
        problems.append(Problem(file, message, fix, row, column))

    cited = evidence.get(r["evidence"]) if r["evidence"] else None
    if r["evidence"] and cited is None:
        fail(f"unknown evidence '{r['evidence']}'", "use an id from evidence.csv, or leave the cell blank", "evidence")
        return
    if r["provenance"] == "neutral" and r["score"] != 0:
        fail(
            "a neutral cell (no evidence) must score 0",
            "set the score to 0, or mark it inferred and explain why",
            "score",
        )
    if r["provenance"] == "room":
        _check_room_cell(r, problems)
    if r["provenance"] == "documented" and cited is None:
        fail(
            "a documented cell must cite an evidence id from evidence.csv",
            "enter the id of the statement it rests on, or mark the cell inferred",
            "evidence",
        )
    if cited is None or r["provenance"] not in ("documented", "inferred"):
        return  # a team's own score may depart from the statement it started from
    if cited.placement != r["placement"]:
        fail(
            f"evidence '{cited.id}' is about placement '{cited.placement}'",
            "cite evidence about this row's placement",
            "evidence",
        )
    elif cited.kind == "recommendation":
        fail(
            "a recommendation is about the whole placement, not one factor",
            "cite a benefit, risk or condition, or leave the evidence blank",
            "evidence",
        )
    elif (cited.kind == "benefit" and r["score"] <= 0) or (cited.kind == "risk" and r["score"] >= 0):
        sign = "positive" if cited.kind == "benefit" else "negative"
        fail(f"the cell cites a documented {cited.kind} but scores {r['score']}", f"make the score {sign}", "score")
    elif cited.kind == "works_when" and r["score"] != CONDITION_SCORE:
        fail(
            f"the cell is scored from a condition but scores {r['score']}",
            f"score it {CONDITION_SCORE:+d}: a condition names a fit, not a stated benefit (docs/data.md)",
            "score",
        )


def _check_room_cell(r: dict, problems: list[Problem]) -> None:
    """A cell a workshop room added says what the room said, when, and how many people raised it; it is
    a risk (below 0) or a benefit (above 0), never neutral."""
    missing = [c for c in ("room_text", "room_round", "room_people") if r[c] in (None, "")]
    for column in missing:
        problems.append(
            Problem(
                "scores.csv",
                f"a room cell has no {column.replace('_', ' ')}",
                "fill it in, or mark the cell user",
                r["_row"],
                column,
            )
        )
    if r["score"] == 0:
        problems.append(
            Problem(
                "scores.csv",
                "a room cell scores 0",
                "give the room's risk a negative score or its benefit a positive one",
                r["_row"],
                "score",
            )
        )


def _check_evidence_covered(cells, evidence, problems) -> None:
    """Every documented benefit and risk must drive at least one documented score cell."""
    cited = {  # a documented cell the user changed still cites its statement
        c.evidence for c in cells.values() if "documented" in (c.provenance, c.original_provenance)
    }
    for item in evidence.values():
        if item.kind in ("benefit", "risk") and item.id not in cited:
            sign = "positive" if item.kind == "benefit" else "negative"
            problems.append(
                Problem(
                    "scores.csv",
                    f"the documented {item.kind} '{item.id}' is not used by any documented score",
                    f"cite it from a {sign} documented cell of placement '{item.placement}'",
                )
            )


def _build_presets(tables, placement_ids, factor_ids, evidence, problems) -> dict[str, Preset]:
    records = tables["presets.csv"]
    _check_refs(records, "presets.csv", {"source_placement": placement_ids, "evidence": set(evidence)}, problems)
    weights: dict[str, dict[str, float]] = {r["id"]: {} for r in records}
    for w in tables["preset_weights.csv"]:
        if w["preset"] not in weights:
            problems.append(
                Problem(
                    "preset_weights.csv",
                    f"unknown preset '{w['preset']}'",
                    f"use one of {', '.join(weights)}",
                    w["_row"],
                    "preset",
                )
            )
        elif w["factor"] not in factor_ids:
            problems.append(
                Problem(
                    "preset_weights.csv",
                    f"unknown factor '{w['factor']}'",
                    f"use one of {', '.join(factor_ids)}",
                    w["_row"],
                    "factor",
                )
            )
        elif w["weight"] is not None:
            weights[w["preset"]][w["factor"]] = w["weight"]
    presets = {}
    for r in records:
        given = weights[r["id"]]
        missing = [f for f in factor_ids if f not in given]
        if missing:
            problems.append(
                Problem(
                    "preset_weights.csv",
                    f"preset '{r['id']}' has no weight for {', '.join(missing)}",
                    "add one row per factor (0 is allowed)",
                )
            )
        elif not any(given.values()):
            problems.append(
                Problem(
                    "preset_weights.csv",
                    f"every weight of preset '{r['id']}' is zero",
                    "give at least one factor a positive weight",
                )
            )
        presets[r["id"]] = Preset(
            r["id"],
            r["name"],
            r["description"],
            r["source_placement"],
            r["evidence"],
            {f: given.get(f, 0.0) for f in factor_ids},
        )
    return presets
