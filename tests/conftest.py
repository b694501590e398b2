"""Shared fixtures for the placement package tests.

`model` is the model built from the shipped data. `data_copy` is a private copy of
the data directory that a test may corrupt before calling load_model(data_copy);
`csv_files` edits the files in that copy by column name and reports the spreadsheet
row (header = row 1, first data row = 2) of what it changed.
"""

from __future__ import annotations

import csv
import io
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import settings

from placement.data.model import Model, load_model

# Hypothesis's per-example deadline is a timed assertion: on a busy machine it fails correct code. Speed is
# measured by `make bench`, never here.
settings.register_profile("no_deadline", deadline=None)
settings.load_profile("no_deadline")

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_DATA = ROOT / "data"
POSTGRES_ENV = "PLACEMENT_TEST_POSTGRES_URL"


def postgres_url() -> str:
    """The test PostgreSQL server's URL; without one the test skips, or fails when REQUIRE_POSTGRES=1."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        reason = f"PostgreSQL tests need a server: set {POSTGRES_ENV}, see .ci/start-postgres"
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail(f"{reason} (REQUIRE_POSTGRES=1 forbids skipping them)")
        pytest.skip(reason)
    return url


@pytest.fixture(scope="session")
def model() -> Model:
    return load_model()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    target.mkdir()
    for path in sorted(SHIPPED_DATA.glob("*.csv")):
        shutil.copy(path, target / path.name)
    return target


class CsvFiles:
    """Read and rewrite the CSV files of one data directory, row by row."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    def read(self, file: str) -> tuple[list[str], list[dict[str, str]]]:
        with open(self.directory / file, encoding="utf-8-sig", newline="") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)

    def write(self, file: str, header: list[str], rows: list[dict[str, str]]) -> None:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        (self.directory / file).write_text(buffer.getvalue(), encoding="utf-8")

    def find(self, file: str, **match: str) -> int:
        """Spreadsheet row of the only row whose columns equal `match`."""
        _, rows = self.read(file)
        found = [i for i, r in enumerate(rows) if all(r[k] == v for k, v in match.items())]
        assert len(found) == 1, f"{file}: expected one row matching {match}, found {len(found)}"
        return found[0] + 2

    def set(self, file: str, match: dict[str, str], **values: str) -> int:
        """Change cells of the only row matching `match`; return its spreadsheet row."""
        header, rows = self.read(file)
        row = self.find(file, **match)
        rows[row - 2].update(values)
        self.write(file, header, rows)
        return row

    def delete(self, file: str, keep: Callable[[dict[str, str]], bool]) -> int:
        """Keep only the rows for which `keep` is true; return how many were deleted."""
        header, rows = self.read(file)
        kept = [r for r in rows if keep(r)]
        self.write(file, header, kept)
        return len(rows) - len(kept)

    def append(self, file: str, **values: str) -> int:
        """Add a row (unnamed columns blank); return its spreadsheet row."""
        header, rows = self.read(file)
        rows.append({c: values.get(c, "") for c in header})
        self.write(file, header, rows)
        return len(rows) + 1

    def rename_column(self, file: str, old: str, new: str) -> None:
        header, rows = self.read(file)
        self.write(
            file,
            [new if c == old else c for c in header],
            [{(new if k == old else k): v for k, v in r.items()} for r in rows],
        )


@pytest.fixture
def csv_files(data_copy: Path) -> CsvFiles:
    return CsvFiles(data_copy)
