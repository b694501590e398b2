"""One way in for everything in data/: the model, staffing rules, start signals, guide steps and questionnaire.

`load_catalog` reads and validates every file and reports all problems of all files at
once, so a bad file gives the same full list whichever page (or command) asks first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from placement.data import schema
from placement.data.guide import Step, load_steps
from placement.data.model import DATA_DIR, Model, load_model
from placement.data.problems import InputError, Problem
from placement.data.profile import Questionnaire, load_questionnaire
from placement.data.staffing import StaffingData, load_staffing


@dataclass(frozen=True)
class Catalog:
    model: Model  # the source baseline
    full_model: Model  # the baseline plus the optional placements from published context
    staffing: StaffingData
    steps: list[Step]
    questionnaire: Questionnaire  # "start from your company"


def load_catalog(directory: Path | str = DATA_DIR, page_ids: Sequence[str] | None = None) -> Catalog:
    """Every data file, validated; an InputError lists the problems of every file together."""
    problems: list[Problem] = []
    model = _collect(problems, load_model, directory)
    full = _collect(problems, load_model, directory, include_optional=True) if model else None
    staffing = _collect(problems, load_staffing, _sources(directory), directory)
    steps = _collect(problems, load_steps, directory, page_ids)
    factor_ids = model.factor_ids if model else []
    questionnaire = _collect(problems, load_questionnaire, factor_ids, directory) if model else None
    if problems:
        raise InputError(problems)
    return Catalog(model, full, staffing, steps, questionnaire)


def _sources(directory: Path | str) -> dict[str, str]:
    """Source ids for checking citations even when the model itself failed (its loader reports sources.csv)."""
    rows = schema.read_table(Path(directory), schema.SOURCES, [])
    return {r["id"]: r["citation"] for r in rows}


def _collect(problems: list[Problem], load, *args, **kwargs):
    try:
        return load(*args, **kwargs)
    except InputError as error:
        problems.extend(error.problems)
        return None
