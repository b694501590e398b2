"""Reading a pairwise comparison matrix from CSV: a header of factor ids, then one row per factor.

Cells are numbers or fractions (`3`, `0.5`, `1/3`); an empty cell is a comparison not made. A first
column of row labels is allowed when the header's first cell is blank or `factor`; the labels must
then repeat the header's ids in order.
"""

from __future__ import annotations

import csv
import re

import numpy as np

from placement.data.problems import InputError, Problem
from placement.data.schema import ID_PATTERN, read_csv_bounded
from placement.settings import MAX_FACTORS, MAX_NUMBER_LENGTH

NUMBER = r"[-+]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?"
FRACTION = re.compile(rf"^\s*({NUMBER})\s*(?:/\s*({NUMBER}))?\s*$")
LABEL_HEADERS = ("", "factor")


def parse_judgement(text: str) -> float | None:
    """A cell as a number: '3', '0.25', '1/3'; None when it is not one (signs are kept: -3 is -3)."""
    match = FRACTION.match(text) if len(text) <= MAX_NUMBER_LENGTH else None
    if match is None:
        return None
    numerator, denominator = float(match[1]), float(match[2]) if match[2] else 1.0
    return numerator / denominator if denominator else None


def read_matrix(data: bytes | str, name: str) -> tuple[list[str], np.ndarray]:
    """Factor ids and the matrix (NaN for empty cells); an InputError naming every problem in the file."""
    table = read_csv_bounded(data, name, MAX_FACTORS)
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data  # read_csv_bounded checked it decodes
    header = [c.strip() for c in next(csv.reader(text.splitlines()[:1]), [])]  # as typed: the table renames repeats
    labelled = header[0].lower() in LABEL_HEADERS
    ids = header[1:] if labelled else header
    problems = _header_problems(ids, name)
    rows = [[str(v).strip() for v in row] for row in table.rows]
    rows = [row for row in rows if any(row)]
    if len(rows) != len(ids):
        problems.append(
            Problem(name, f"{len(rows)} rows for {len(ids)} factors", "give one row per factor, in the header's order")
        )
    matrix = np.full((len(ids), len(ids)), np.nan)
    for i, row in enumerate(rows[: len(ids)]):
        line = i + 2  # as a spreadsheet counts: the header is row 1
        if labelled and row[0] != ids[i]:
            problems.append(Problem(name, f"the row is labelled '{row[0][:40]}'", f"label it '{ids[i]}'", line))
        for j, cell in enumerate(row[1:] if labelled else row):
            if cell == "":
                continue
            value = parse_judgement(cell)
            if value is None:
                problems.append(
                    Problem(
                        name, f"'{cell[:40]}' is not a number", "write a number or a fraction such as 1/3", line, ids[j]
                    )
                )
            else:
                matrix[i, j] = value
    if problems:
        raise InputError(problems)
    return ids, matrix


def _header_problems(ids: list[str], name: str) -> list[Problem]:
    problems = [
        Problem(name, f"'{f[:40]}' in the header is not a factor id", "use lower-case letters, digits and _", 1)
        for f in ids
        if not ID_PATTERN.fullmatch(f)
    ]
    duplicates = sorted({f for f in ids if ids.count(f) > 1})
    if duplicates:
        problems.append(Problem(name, f"the header repeats {', '.join(duplicates)}", "name each factor once", 1))
    return problems
