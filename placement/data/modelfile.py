"""The whole model as one JSON file, and the score matrix as CSV, both ways.

Imports go through the same schema checks as the files in data/, so an uploaded
file gets the same file/row/column messages, all at once. Exports neutralise text
that a spreadsheet would run as a formula.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping

from placement.data import schema
from placement.data.model import Cell, Model, build_model
from placement.data.problems import InputError, Problem
from placement.data.text import SURROGATE as _SURROGATE
from placement.data.text import clean_text, text_problem
from placement.settings import MAX_COLUMNS, MAX_FILE_BYTES, MAX_JSON_DEPTH, MAX_NUMBER_LENGTH

FORMAT = "product-ops-placement-model"
VERSION = 1
MAX_BYTES = MAX_FILE_BYTES
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
        if len(rows) > spec.max_rows:
            problems.append(
                Problem(
                    where,
                    f"the section has {len(rows):,} rows",
                    f"keep at most {spec.max_rows:,} {spec.noun}s (the limit)",
                )
            )
            continue
        wide = next((i for i, row in enumerate(rows, 1) if len(row) > MAX_COLUMNS), None)
        if wide is not None:
            problems.append(
                Problem(
                    where,
                    f"the row has {len(rows[wide - 1]):,} columns",
                    f"use at most {MAX_COLUMNS} (the limit)",
                    wide,
                )
            )
            continue
        # Absent keys stay absent (a missing column is reported) or blank (a blank cell is reported).
        texts = [_row_text(row, where, number, problems) for number, row in enumerate(rows, 1)]
        table = schema.TextTable.of_records(texts, () if rows else spec.column_names)
        tables[spec.file] = schema.check_table(table, _renamed(spec, where, first_row=1), problems)
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


def base_for_scores(full: Model, data: bytes) -> Model:
    """The baseline a score matrix applies to: the source's placements plus the optional ones it scores."""
    try:
        scored = set(schema.read_csv_bounded(data, "scores", schema.SCORES.max_rows).column("placement"))
    except InputError:
        scored = set()  # apply_scores_csv reports what is wrong with the file
    return full.only([p.id for p in full.placements if not p.optional or p.id in scored])


def scores_csv(model: Model) -> str:
    """The score matrix as tidy CSV for a spreadsheet, formulas neutralised."""
    text = io.StringIO()
    writer = csv.DictWriter(text, schema.SCORES.column_names, lineterminator="\n")
    writer.writeheader()
    for row in model_tables(model)["scores"]:
        writer.writerow({**row, "rationale": neutralise(row["rationale"]), "room_text": neutralise(row["room_text"])})
    return text.getvalue()


def apply_scores_csv(model: Model, data: bytes | str, name: str = "scores file") -> Model:
    """Replace the model's scores with those of an uploaded matrix CSV, after every check."""
    problems: list[Problem] = []
    table = schema.read_csv_bounded(data, name, schema.SCORES.max_rows).map(unneutralise)
    records = schema.check_table(table, _renamed(schema.SCORES, name), problems)
    if problems:
        raise InputError(problems)
    tables = {SECTIONS[s].file: _typed(rows, SECTIONS[s]) for s, rows in model_tables(model).items()}
    tables["scores.csv"] = [_as_team_edit(row, model.cells.get((row["placement"], row["factor"]))) for row in records]
    return _build(tables, name, section_names=False)


def _as_team_edit(row: dict, cell: Cell | None) -> dict:
    """A source cell whose score the file changes becomes the team's cell, as an edit made in the app would:
    `user`, with the source baseline kept. A file cannot make its own number `documented` (or `inferred`), and
    the robustness sampling, which doubts only the source's cells, then leaves it as the team set it."""
    if cell is None or row["provenance"] not in schema.SOURCE_PROVENANCES:
        return row
    baseline = (cell.original_score, cell.original_provenance) if cell.edited else (cell.score, cell.provenance)
    if baseline[1] not in schema.SOURCE_PROVENANCES or row["score"] == baseline[0]:
        return row
    return {
        **row,
        "provenance": "user",
        "original_score": baseline[0],
        "original_provenance": baseline[1],
        "room_text": None,
        "room_round": None,
        "room_people": None,
    }


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
        raise schema.too_large(name, len(data))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(name, "the file is not UTF-8 text", "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')")]
        ) from None


class _LongNumber(ValueError):
    pass


def _bounded_number(kind):
    """A json.loads hook that refuses a number too long to be a score or weight before converting it."""

    def convert(token: str):
        if len(token) > MAX_NUMBER_LENGTH:
            raise _LongNumber(len(token))
        return kind(token)

    return convert


def _check_document(document, name: str) -> None:
    """Walk the parsed document without recursion and refuse deep nesting. (Cells that are not text, e.g.
    with a NUL or a lone surrogate, are refused by the schema, with their section, row and column.)"""
    pending: list = [(document, 1)]
    while pending:
        item, depth = pending.pop()
        if isinstance(item, dict | list):
            if depth > MAX_JSON_DEPTH:
                raise InputError(
                    [
                        Problem(
                            name,
                            f"the file nests lists or objects more than {MAX_JSON_DEPTH} deep",
                            f"keep nesting to at most {MAX_JSON_DEPTH} levels (the limit); upload a file exported by this app",
                        )
                    ]
                )
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            pending.extend((child, depth + 1) for child in children)


def _json_error(error: json.JSONDecodeError) -> str:
    """The parser's words with their place; some already end in "at" ("Unterminated string starting at")."""
    where = f"line {error.lineno}, column {error.colno}"
    return f"{error.msg} {where}" if error.msg.endswith(" at") else f"{error.msg} at {where}"


def _parse_json(text: str, name: str) -> dict:
    try:
        document = json.loads(text, parse_int=_bounded_number(int), parse_float=_bounded_number(float))
    except RecursionError:  # the C parser recurses once per level: refused, never a crash
        raise InputError(
            [
                Problem(
                    name,
                    f"the file nests lists or objects more than {MAX_JSON_DEPTH} deep",
                    f"keep nesting to at most {MAX_JSON_DEPTH} levels (the limit); upload a file exported by this app",
                )
            ]
        ) from None
    except _LongNumber as error:
        raise InputError(
            [
                Problem(
                    name,
                    f"the file holds a number {error.args[0]:,} characters long",
                    f"use numbers of at most {MAX_NUMBER_LENGTH} characters (the limit)",
                )
            ]
        ) from None
    except json.JSONDecodeError as error:
        raise InputError(
            [
                Problem(
                    name,
                    f"not valid JSON ({_json_error(error)})",
                    "upload a file exported by this app",
                )
            ]
        ) from None
    _check_document(document, name)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise InputError(
            [Problem(name, "this is not a Product Ops placement model file", "upload a file exported by this app")]
        )
    if document.get("version") != VERSION:
        raise InputError(
            [
                Problem(
                    name,
                    f"unsupported version {document.get('version')!r:.40}",
                    f"export it again (version {VERSION})",
                )
            ]
        )
    return document


def _row_text(row: dict, where: str, number: int, problems: list[Problem]) -> dict[str, str]:
    """A JSON row as text cells. A lone surrogate cannot even be stored in a table: it is reported here,
    with its row and column, and replaced so the rest of the file is still checked."""
    cells = {}
    for key, value in row.items():
        column, text = clean_text(key), _cell_text(value)
        if _SURROGATE.search(text):
            problems.append(Problem(where, text_problem(text), "retype the text without it", number, column))
            text = clean_text(text)
        cells[column] = text
    return cells


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
    records = schema.check_table(schema.TextTable.of_records(rows, spec.column_names), spec, problems)
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
                    f"{name} › weights",
                    f"unknown factor '{clean_text(factor_id)[:40]}'",
                    f"use one of {', '.join(model.factor_ids)}",
                )
            )
        elif isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value < math.inf:
            problems.append(
                Problem(
                    f"{name} › weights",
                    f"weight {value!r:.40} of '{factor_id}' is not a number of 0 or more",
                    "fix or remove it",
                )
            )
        else:
            weights[factor_id] = float(value)
    if problems:
        raise InputError(problems)
    return weights
