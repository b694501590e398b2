"""Practitioners' staffing rules of thumb and "when to start" signals, read and checked from data/."""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

from placement.data import schema
from placement.data.model import DATA_DIR
from placement.data.problems import InputError, Problem

COVERAGES = {
    "central": "Central team (PMs per Product Ops person)",
    "embedded": "Embedded in pods or product areas",
    "hybrid": "Hybrid: a central core plus embedded people",
}


@dataclass(frozen=True)
class Rule:
    id: str
    coverage: str
    bound: str
    basis: str  # pms | pods
    per: float
    plus: int
    statement: str
    citation: str

    def headcount(self, pms: int, pods: int) -> int:
        count = pms if self.basis == "pms" else pods
        return math.ceil(count / self.per) + self.plus  # a central core (plus) is needed even without pods


@dataclass(frozen=True)
class Signal:
    id: str
    min_pms: int
    statement: str
    citation: str


@dataclass(frozen=True)
class StaffingData:
    rules: list[Rule]
    signals: list[Signal]

    def rule(self, coverage: str, bound: str) -> Rule:
        return next(r for r in self.rules if r.coverage == coverage and r.bound == bound)


def load_staffing(sources: dict[str, str], directory: Path | str = DATA_DIR) -> StaffingData:
    """Read and check the rules and signals; their citations must be known sources."""
    problems: list[Problem] = []
    rules = schema.read_table(Path(directory), schema.STAFFING_RULES, problems)
    signals = schema.read_table(Path(directory), schema.START_SIGNALS, problems)
    for file, records in (("staffing_rules.csv", rules), ("start_signals.csv", signals)):
        for r in records:
            if r["citation"] and r["citation"] not in sources:
                problems.append(
                    Problem(
                        file, f"unknown citation '{r['citation']}'", "use an id from sources.csv", r["_row"], "citation"
                    )
                )
    for coverage in COVERAGES:
        for bound in ("low", "high"):
            if not any(r["coverage"] == coverage and r["bound"] == bound for r in rules):
                problems.append(
                    Problem("staffing_rules.csv", f"no {bound} rule for the {coverage} model", "add one row")
                )
    if problems:
        raise InputError(problems)
    strip = lambda r: {k: v for k, v in r.items() if k != "_row"}  # noqa: E731
    return StaffingData([Rule(**strip(r)) for r in rules], [Signal(**strip(r)) for r in signals])
