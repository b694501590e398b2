"""The whole model as one JSON file, and the score matrix as CSV, both ways.

Imports go through the same schema checks as the files in data/, so an uploaded
file gets the same file/row/column messages, all at once. Exports neutralise text
that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import io
import json
import math
from collections.abc import Mapping

import pandas as pd

from placement.data import schema
from placement.data.model import Model, build_model
from placement.data.problems import InputError, Problem

FORMAT = "product-ops-placement-model"
VERSION = 1
MAX_BYTES = 2_000_000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SECTIONS = {spec.file.removesuffix(".csv"): spec for spec in schema.ALL_TABLES}


def model_tables(model: Model) -> dict[str, list[dict[str, str]]]:
    """The model as rows of text per table, exactly as the CSV files in data/ hold it."""
    text = lambda value: "" if value is None else str(value)  # noqa: E731
    return {
        "sources": [{"id": k, "citation": v} for k, v in model.sources.items()],
        "placements": [
            {
                "id": p.id,
                "name": p.name,
                "short_name": p.short_name,
                "description": p.description,
                "optional": "yes" if p.optional else "",
            }
            for p in model.placements
        ],
        "factors": [vars(f) for f in model.factors],
        "evidence": [vars(e) for e in model.evidence.values()],
        "scores": [{k: text(v) for k, v in vars(c).items()} for c in model.cells.values()],
        "presets": [
            {k: text(getattr(p, k)) for k in ("id", "name", "description", "source_placement", "evidence")}
            for p in model.presets.values()
        ],
        "preset_weights": [
            {"preset": p.id, "factor": f, "weight": repr(w)}
            for p in model.presets.values()
            for f, w in p.weights.items()
        ],
        "context": [{k: text(v) for k, v in vars(c).items()} for c in model.context],
    }


def to_json(model: Model, weights: Mapping[str, float] | None = None) -> str:
    document = {"format": FORMAT, "version": VERSION, **model_tables(model), "weights": dict(weights or {})}
    return json.dumps(document, indent=2, ensure_ascii=False)


def from_json(data: bytes | str, name: str = "model file") -> tuple[Model, dict[str, float]]:
    """Read a model file; raise InputError with every problem, located by section, row and column."""
    document = _parse_json(_decode(data, name), name)
    problems: list[Problem] = []
    tables = {}
    for section, spec in SECTIONS.items():
        rows = document.get(section)
        where = f"{name} › {section}"
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            problems.append(
                Problem(where, "the section is missing or is not a list of rows", "export the model again from the app")
            )
            continue
        # Absent keys stay absent (a missing column is reported) or blank (a blank cell is reported).
        frame = pd.DataFrame(
            [{k: _cell_text(v) for k, v in row.items()} for row in rows] or None,
            columns=None if rows else spec.column_names,
        )
        frame = frame.fillna("")
        tables[spec.file] = schema.check_frame(frame, _renamed(spec, where, first_row=1), problems)
    if problems:
        raise InputError(problems)
    model = _build(tables, name)
    return model, _weights(document.get("weights", {}), model, name)


def load_file(data: bytes, name: str, base: Model) -> tuple[Model, dict[str, float]]:
    """An uploaded or given file, by its extension: a .csv score matrix applies to `base`
    (and carries no weights); anything else is read as a whole model file with its weights."""
    if name.lower().endswith(".csv"):
        return apply_scores_csv(base, data, name), {}
    return from_json(data, name)


def scores_csv(model: Model) -> str:
    """The score matrix as tidy CSV for a spreadsheet, formulas neutralised."""
    frame = pd.DataFrame(model_tables(model)["scores"], columns=schema.SCORES.column_names)
    text_columns = ["rationale"]
    frame[text_columns] = frame[text_columns].map(neutralise)
    return frame.to_csv(index=False)


def apply_scores_csv(model: Model, data: bytes | str, name: str = "scores file") -> Model:
    """Replace the model's scores with those of an uploaded matrix CSV, after every check."""
    text = _decode(data, name)
    problems: list[Problem] = []
    try:
        frame = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False, skip_blank_lines=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        raise InputError(
            [Problem(name, f"not a readable CSV table ({error})", "save it as CSV with a header row")]
        ) from None
    frame = frame.map(unneutralise)
    records = schema.check_frame(frame, _renamed(schema.SCORES, name), problems)
    if problems:
        raise InputError(problems)
    tables = {SECTIONS[s].file: _typed(rows, SECTIONS[s]) for s, rows in model_tables(model).items()}
    tables["scores.csv"] = records
    return _build(tables, name, section_names=False)


def neutralise(text: str) -> str:
    """Prefix text a spreadsheet would run as a formula, so that it stays text.

    A leading apostrophe is doubled too, so that `unneutralise` can always undo this.
    """
    return "'" + text if isinstance(text, str) and text.startswith((*FORMULA_STARTS, "'")) else text


def unneutralise(text: str) -> str:
    return (
        text[1:]
        if isinstance(text, str) and text.startswith("'") and text[1:].startswith((*FORMULA_STARTS, "'"))
        else text
    )


def _decode(data: bytes | str, name: str) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8")
    if len(data) > MAX_BYTES:
        raise InputError([Problem(name, f"the file is {len(data):,} bytes", f"use a file under {MAX_BYTES:,} bytes")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(name, "the file is not UTF-8 text", "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')")]
        ) from None


def _parse_json(text: str, name: str) -> dict:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            [
                Problem(
                    name,
                    f"not valid JSON ({error.msg} at line {error.lineno}, column {error.colno})",
                    "upload a file exported by this app",
                )
            ]
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(
            [Problem(name, "this is not a Product Ops placement model file", "upload a file exported by this app")]
        )
    if document.get("version") != VERSION:
        raise InputError(
            [Problem(name, f"unsupported version {document.get('version')!r}", f"export it again (version {VERSION})")]
        )
    return document


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dict | list):
        return json.dumps(value)  # reported by the schema as an invalid value, not a crash
    return str(value)


def _renamed(spec: schema.TableSpec, where: str, first_row: int = schema.HEADER_ROWS + 1) -> schema.TableSpec:
    """The spec under the name people see; JSON rows count from 1, spreadsheet rows from 2."""
    return schema.TableSpec(where, spec.columns, spec.key, first_row)


def _typed(rows: list[dict[str, str]], spec: schema.TableSpec) -> list[dict]:
    problems: list[Problem] = []
    records = schema.check_frame(pd.DataFrame(rows, columns=spec.column_names), spec, problems)
    assert not problems, problems  # the model was valid, so its own tables are
    return records


def _build(tables: dict[str, list[dict]], name: str, section_names: bool = True) -> Model:
    """Cross-check an uploaded model. The team's own model may leave a source statement
    unused (after removing a factor), so that rule applies to data/ only."""
    try:
        return build_model(tables, require_evidence_used=False)
    except InputError as error:
        where = lambda p: f"{name} › {p.where.removesuffix('.csv')}" if section_names else name  # noqa: E731
        raise InputError([Problem(where(p), p.message, p.fix, p.row, p.column) for p in error.problems]) from None


def _weights(raw, model: Model, name: str) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise InputError(
            [Problem(f"{name} › weights", "weights must be an object of factor: weight", "export the model again")]
        )
    problems = []
    weights = {}
    for factor_id, value in raw.items():
        if factor_id not in model.factor_ids:
            problems.append(
                Problem(
                    f"{name} › weights", f"unknown factor '{factor_id}'", f"use one of {', '.join(model.factor_ids)}"
                )
            )
        elif isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
            problems.append(
                Problem(
                    f"{name} › weights",
                    f"weight {value!r} of '{factor_id}' is not a number of 0 or more",
                    "fix or remove it",
                )
            )
        else:
            weights[factor_id] = float(value)
    if problems:
        raise InputError(problems)
    return weights
