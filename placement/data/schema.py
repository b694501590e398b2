"""Column specifications of the data files and a checker that reports every problem.

Tables are read as text and converted here, so that a bad cell yields a message
naming its file, spreadsheet row and column instead of a traceback. CSV files are parsed with the standard
library: loading the model needs no pandas, so the command line starts without it.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from placement.data.problems import InputError, Problem
from placement.data.text import clean_text, text_problem
from placement.settings import (
    MAX_COLUMNS,
    MAX_FACTORS,
    MAX_FILE_BYTES,
    MAX_NUMBER_LENGTH,
    MAX_PARTICIPANTS,
    MAX_PLACEMENTS,
    MAX_ROWS,
    MAX_SCORE_ROWS,
    MAX_TEXT,
)

ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
HEADER_ROWS = 1  # spreadsheet row numbers start after the header line


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # id | text | int | number | choice
    required: bool = True
    choices: tuple[str, ...] = ()
    low: float | None = None
    high: float | None = None
    may_be_absent: bool = False  # a file without this column reads it as blank


@dataclass(frozen=True)
class TableSpec:
    file: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    first_row: int = HEADER_ROWS + 1  # how people count: a spreadsheet's first data row is row 2
    max_rows: int = MAX_ROWS
    noun: str = "row"  # what one row is, for the limit's message

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


SOURCE_PROVENANCES = ("documented", "inferred", "neutral")
PROVENANCES = (*SOURCE_PROVENANCES, "user", "room")  # room: raised in a workshop room and accepted
EVIDENCE_KINDS = ("recommendation", "works_when", "benefit", "risk")
CONTEXT_TOPICS = ("placement", "scope", "staffing", "when_to_start")
EFFECT_BASES = ("source", "published", "judgement")  # what a questionnaire effect rests on
READINGS = ("published", "ours")  # a staffing rule or signal as its source states it, or our reading of one
SCORE_MIN, SCORE_MAX = -2, 2

SOURCES = TableSpec("sources.csv", (Column("id", "id"), Column("citation")), ("id",))
PLACEMENTS = TableSpec(
    "placements.csv",
    (
        Column("id", "id"),
        Column("name"),
        Column("short_name"),
        Column("description"),
        Column("optional", "choice", required=False, choices=("yes",), may_be_absent=True),
    ),
    ("id",),
    max_rows=MAX_PLACEMENTS,
    noun="placement",
)
FACTORS = TableSpec(
    "factors.csv",
    (Column("id", "id"), Column("name"), Column("definition"), Column("question")),
    ("id",),
    max_rows=MAX_FACTORS,
    noun="factor",
)
EVIDENCE = TableSpec(
    "evidence.csv",
    (
        Column("id", "id"),
        Column("placement", "id"),
        Column("kind", "choice", choices=EVIDENCE_KINDS),
        Column("statement"),
        Column("citation", "id"),
    ),
    ("id",),
)
SCORES = TableSpec(
    "scores.csv",
    (
        Column("placement", "id"),
        Column("factor", "id"),
        Column("score", "int", low=SCORE_MIN, high=SCORE_MAX),
        Column("provenance", "choice", choices=PROVENANCES),
        Column("evidence", "id", required=False),
        Column("rationale"),
        # The source baseline of a cell the user changed, so that it can be shown and restored.
        Column("original_score", "int", required=False, low=SCORE_MIN, high=SCORE_MAX, may_be_absent=True),
        Column("original_provenance", "choice", required=False, choices=SOURCE_PROVENANCES, may_be_absent=True),
        # A cell a workshop room added: the sentence it accepted, the round, how many people raised it.
        Column("room_text", required=False, may_be_absent=True),
        Column("room_round", "int", required=False, low=1, high=1000, may_be_absent=True),
        Column("room_people", "int", required=False, low=1, high=MAX_PARTICIPANTS, may_be_absent=True),
    ),
    ("placement", "factor"),
    max_rows=MAX_SCORE_ROWS,
    noun="score",
)
PRESETS = TableSpec(
    "presets.csv",
    (
        Column("id", "id"),
        Column("name"),
        Column("description"),
        Column("source_placement", "id", required=False),
        Column("evidence", "id", required=False),
    ),
    ("id",),
)
PRESET_WEIGHTS = TableSpec(
    "preset_weights.csv",
    (Column("preset", "id"), Column("factor", "id"), Column("weight", "number", low=0, high=10)),
    ("preset", "factor"),
    max_rows=MAX_ROWS * MAX_FACTORS,
)
CONTEXT = TableSpec(
    "context.csv",
    (
        Column("id", "id"),
        Column("topic", "choice", choices=CONTEXT_TOPICS),
        Column("placement", "id", required=False),
        Column("statement"),
        Column("citation", "id"),
    ),
    ("id",),
)
STAFFING_RULES = TableSpec(
    "staffing_rules.csv",
    (
        Column("id", "id"),
        Column("coverage", "choice", choices=("central", "embedded", "hybrid", "reference")),
        Column("bound", "choice", choices=("low", "high")),
        Column("basis", "choice", choices=("pms", "pods")),
        Column("per", "number", required=False, low=0.1, high=1000),  # blank: a fixed team of `plus` people
        Column("plus", "int", low=0, high=100),
        # The range of the basis (PMs or pods) the statement covers; blank: the source sets no limit on that side.
        Column("applies_from", "int", required=False, low=0, high=100_000),
        Column("applies_to", "int", required=False, low=0, high=100_000),
        Column("reading", "choice", choices=READINGS),
        # The team sizes, in PMs, for which the source states the rule: a published rule is published only there,
        # and our extrapolation elsewhere. Required for a published rule the planner applies; blank for ours.
        Column("stated_from", "int", required=False, low=1, high=100_000),
        Column("stated_to", "int", required=False, low=1, high=100_000),
        Column("statement"),
        Column("citation", "id"),
    ),
    ("id",),
)
START_SIGNALS = TableSpec(
    "start_signals.csv",
    (
        Column("id", "id"),
        Column("min_pms", "int", low=1, high=1000),
        Column("reading", "choice", choices=READINGS),
        Column("statement"),
        Column("citation", "id"),
    ),
    ("id",),
)
STAFFING_POINTS = TableSpec(
    "staffing_points.csv",
    (
        Column("id", "id"),
        Column("company"),
        # Blank: the source does not state the number.
        Column("pms", "int", required=False, low=0, high=100_000),
        Column("product_ops_low", "int", required=False, low=0, high=100_000),
        Column("product_ops_high", "int", required=False, low=0, high=100_000),
        Column("statement"),
        Column("citation", "id"),
    ),
    ("id",),
)
GUIDE_STEPS = TableSpec(
    "guide_steps.csv",
    (
        Column("id", "id"),
        Column("title"),
        Column("minutes", "int", low=1, high=60),
        Column("page"),
        Column("purpose"),
        Column("prompts"),
        Column(
            "extra_prompts", "choice", required=False, choices=("conditions", "factor_questions", "missing_evidence")
        ),
    ),
    ("id",),
)
# "Start from your company": questions, their answers (a count answers by band) and each answer's effects.
PROFILE_QUESTIONS = TableSpec(
    "profile_questions.csv",
    (
        Column("id", "id"),
        Column("prompt"),
        Column("kind", "choice", choices=("choice", "count")),
        Column("low", "int", required=False, low=0, high=100_000),
        Column("high", "int", required=False, low=0, high=100_000),
        Column("default", "int", required=False, low=0, high=100_000),
        Column("help"),
    ),
    ("id",),
)
PROFILE_ANSWERS = TableSpec(
    "profile_answers.csv",
    (
        Column("question", "id"),
        Column("answer", "id"),
        Column("label"),
        Column("low", "int", required=False, low=0, high=100_000),
        Column("high", "int", required=False, low=0, high=100_000),
    ),
    ("question", "answer"),
)
PROFILE_EFFECTS = TableSpec(
    "profile_effects.csv",
    (
        Column("question", "id"),
        Column("answer", "id"),
        Column("factor", "id"),
        Column("effect", "int", low=-10, high=10),
        Column("reason"),
        # What the effect rests on: the source's statement, a published fact (both cite sources.csv), or our judgement.
        Column("basis", "choice", choices=EFFECT_BASES),
        Column("citation", "id", required=False),
    ),
    ("question", "answer", "factor"),
)
ALL_TABLES = (SOURCES, PLACEMENTS, FACTORS, EVIDENCE, SCORES, PRESETS, PRESET_WEIGHTS, CONTEXT)


@dataclass(frozen=True)
class TextTable:
    """A table's cells as text, as a CSV file or a model file's section holds them, before they are checked.
    Blank lines stay, as rows of empty cells, so that row numbers are a spreadsheet's."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]

    @classmethod
    def of_records(cls, records: Sequence[dict], columns: Sequence[str] = ()) -> TextTable:
        """Rows given as dicts: `columns`, then every other key in order of appearance; a missing key is empty."""
        names = tuple(dict.fromkeys([*columns, *(key for record in records for key in record)]))
        return cls(names, tuple(tuple(record.get(name, "") for name in names) for record in records))

    def column(self, name: str) -> list[str]:
        """A column's cells, or none when the table has no such column."""
        if name not in self.columns:
            return []
        index = self.columns.index(name)
        return [row[index] for row in self.rows]

    def map(self, convert: Callable[[str], str]) -> TextTable:
        """Every cell (not the header) converted."""
        return TextTable(self.columns, tuple(tuple(convert(cell) for cell in row) for row in self.rows))


def read_table(directory: Path, spec: TableSpec, problems: list[Problem]) -> list[dict]:
    """Read one CSV file as typed records; append every problem found to `problems`."""
    try:
        table = read_csv_bounded(read_bounded(Path(directory) / spec.file, spec.file), spec.file, spec.max_rows)
    except FileNotFoundError:
        problems.append(Problem(spec.file, "the file is missing", f"add {spec.file} to {directory}"))
        return []
    except InputError as error:
        problems.extend(error.problems)
        return []
    return check_table(table, spec, problems)


def read_bounded(path: Path | str, name: str) -> bytes:
    """A file's bytes, reading at most one byte past MAX_FILE_BYTES: a larger file is refused with its real size."""
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            size = os.fstat(handle.fileno()).st_size  # 0 for a pipe, whose size nobody knows
            raise too_large(name, size if size > MAX_FILE_BYTES else None)
    return data


def too_large(name: str, size: int | None) -> InputError:
    """A file over MAX_FILE_BYTES, with its size when it is known."""
    said = f"the file is {size:,} bytes" if size is not None else f"the file is over {MAX_FILE_BYTES:,} bytes"
    return InputError([Problem(name, said, f"use a file under {MAX_FILE_BYTES:,} bytes (the limit)")])


def read_csv_bounded(data: bytes | str, name: str, max_rows: int) -> TextTable:
    """A CSV table as text cells, its size, header and line count checked before it is parsed.

    Raises InputError naming the limit that was exceeded.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    if len(data) > MAX_FILE_BYTES:
        raise too_large(name, len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError(
            [Problem(name, "the file is not UTF-8 text", "save it as UTF-8 (in a spreadsheet: 'CSV UTF-8')")]
        ) from None
    if "\x00" in text:
        raise InputError([Problem(name, "the file contains a NUL character (\\0)", "save it again as CSV text")])
    header = (text[: 64 * MAX_COLUMNS * 8].splitlines() or [""])[0]
    try:
        columns = len(next(csv.reader([header]), []))
    except csv.Error:
        columns = 0  # pandas reports what is wrong with it

    if columns > MAX_COLUMNS:
        raise InputError(
            [
                Problem(
                    name,
                    f"the header has {columns:,} columns",
                    f"use at most {MAX_COLUMNS} columns (the limit); the table needs fewer",
                )
            ]
        )
    lines = text.count("\n")
    if lines > max_rows + 100:  # blank lines and quoted line breaks count too, within a margin
        raise InputError(
            [Problem(name, f"the file has {lines:,} lines", f"keep it under {max_rows:,} rows (the limit)")]
        )
    return _parse_csv(text, name)


def _parse_csv(text: str, name: str) -> TextTable:
    """The header and rows of CSV text; a short row gets empty cells, a row longer than the header is refused."""

    def unreadable(why: str, row: int | None = None) -> InputError:
        fix = "save it as CSV with a header row"
        if row is not None:
            fix = "remove the extra cells, or put quotes around a cell that contains a comma"
        return InputError([Problem(name, f"the file is not a readable CSV table ({why})", fix, row)])

    try:
        lines = list(csv.reader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise unreadable(" ".join(str(error).split())[:200]) from None
    if not lines or not lines[0]:
        raise unreadable("the first line holds no column names")
    header, width = _column_names(lines[0]), len(lines[0])
    rows = []
    for row, cells in enumerate(lines[1:], HEADER_ROWS + 1):
        if len(cells) > width:
            raise unreadable(f"row {row} has {len(cells)} cells, the header {width}", row)
        rows.append((*cells, *[""] * (width - len(cells))))
    return TextTable(header, tuple(rows))


def _column_names(header: list[str]) -> tuple[str, ...]:
    """The header's names made unique as spreadsheets tend to read them: 'Unnamed: 2' for a blank one, 'name.1'
    for a repeat (so a repeated column is reported as unexpected, not silently merged)."""
    names: list[str] = []
    for index, name in enumerate(header):
        name = name or f"Unnamed: {index}"
        unique, repeat = name, 0
        while unique in names:
            repeat += 1
            unique = f"{name}.{repeat}"
        names.append(unique)
    return tuple(names)


def check_table(table: TextTable, spec: TableSpec, problems: list[Problem]) -> list[dict]:
    """Check a table of text cells against `spec` and return its rows with typed values."""
    if len(table.columns) > MAX_COLUMNS:
        problems.append(
            Problem(
                spec.file, f"the table has {len(table.columns):,} columns", f"use at most {MAX_COLUMNS} (the limit)"
            )
        )
        return []
    if len(table.rows) > spec.max_rows:
        problems.append(
            Problem(
                spec.file,
                f"the table has {len(table.rows):,} rows",
                f"keep at most {spec.max_rows:,} {spec.noun}s (the limit)",
            )
        )
        return []
    columns = [clean_text(str(c)).strip()[:60] for c in table.columns]
    missing = [c.name for c in spec.columns if c.name not in columns and not c.may_be_absent]
    if missing:
        extra = [c for c in columns if c not in spec.column_names]
        hint = f"; the file has unexpected column(s) {', '.join(map(repr, extra))}" if extra else ""
        problems.append(
            Problem(
                spec.file,
                f"missing column(s) {', '.join(map(repr, missing))}{hint}",
                f"the header must contain {', '.join(spec.column_names)}",
            )
        )
        return []
    records, seen = [], {}
    for index, cells in enumerate(table.rows):
        row = index + spec.first_row  # blank lines are kept above, so this is the spreadsheet row
        if not any(str(cell).strip() for cell in cells):
            continue
        raw = dict(zip(columns, cells, strict=True))  # two names equal once cleaned: the last one counts
        record = {}
        for column in spec.columns:
            record[column.name] = _convert(str(raw.get(column.name, "")).strip(), column, spec.file, row, problems)
        key = tuple(record[k] for k in spec.key)
        if None not in key:
            if key in seen:
                problems.append(
                    Problem(
                        spec.file,
                        f"duplicate entry {'/'.join(map(str, key))} (also on row {seen[key]})",
                        "keep one of the two rows",
                        row,
                        spec.key[-1],
                    )
                )
            seen.setdefault(key, row)
        record["_row"] = row
        records.append(record)
    return records


def _convert(text: str, column: Column, file: str, row: int, problems: list[Problem]):
    """Return the typed value of one cell, or None (with a problem) when it is unusable."""

    def fail(message: str, fix: str) -> None:
        problems.append(Problem(file, message, fix, row, column.name))

    if text == "":
        if column.required:
            fail("the cell is blank", "fill it in")
        return None if column.kind != "text" else ""
    if column.kind == "id":
        if not ID_PATTERN.fullmatch(text):
            fail(
                f"'{_clip(text)}' is not a valid id",
                "use lower-case letters, digits and _ (start with a letter, at most 40)",
            )
            return None
        return text
    if column.kind == "choice":
        if text not in column.choices:
            fail(f"'{_clip(text)}' is not allowed", f"use one of {', '.join(column.choices)}")
            return None
        return text
    if column.kind in ("int", "number"):
        return _number(text, column, fail)
    refused = text_problem(text)
    if refused:
        fail(refused, "retype the text without it")
        return None
    if len(text) > MAX_TEXT:
        fail(f"the text is {len(text)} characters long", f"shorten it to at most {MAX_TEXT}")
        return None
    return clean_text(text).strip()


def _number(text: str, column: Column, fail):
    if len(text) > MAX_NUMBER_LENGTH:
        fail(
            f"'{_clip(text, 20)}' is too long for a number ({len(text):,} characters)",
            f"use at most {MAX_NUMBER_LENGTH} characters (the limit)",
        )
        return None
    try:
        value = float(text)
    except ValueError:
        fail(f"'{_clip(text)}' is not a number", _range_hint(column))
        return None
    if value != value or value in (float("inf"), float("-inf")):
        fail(f"'{_clip(text)}' is not a finite number", _range_hint(column))
        return None
    if column.kind == "int":
        if not value.is_integer():
            fail(f"{text} is not a whole number", _range_hint(column))
            return None
        value = int(value)
    if (column.low is not None and value < column.low) or (column.high is not None and value > column.high):
        fail(f"{text} is out of range", _range_hint(column))
        return None
    return value


def _range_hint(column: Column) -> str:
    kind = "a whole number" if column.kind == "int" else "a number"
    if column.high is None:
        return f"enter {kind} of at least {column.low:g}"
    return f"enter {kind} from {column.low:g} to {column.high:g}"


def _clip(text: str, limit: int = 40) -> str:
    text = clean_text(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
