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


READING_LABELS = {"published": "published", "ours": "our reading", "extrapolated": "our extrapolation"}
BASIS_NAMES = {"pms": "PMs", "pods": "pods"}


@dataclass(frozen=True)
class Rule:
    id: str
    coverage: str
    bound: str
    basis: str  # pms | pods
    per: float | None  # None: a fixed team of `plus` people
    plus: int
    applies_from: int | None  # the range of the basis the source states; None: no limit on that side
    applies_to: int | None
    reading: str  # published | ours
    stated_from: int | None  # the team sizes (PMs) its source states it for; None for our own rules
    stated_to: int | None
    statement: str
    citation: str

    def reading_at(self, pms: int) -> str:
        """'published' only at the team sizes its source states; beyond them a published rule is our extrapolation."""
        if (
            self.reading == "published"
            and self.stated_from is not None
            and not self.stated_from <= pms <= self.stated_to
        ):
            return "extrapolated"
        return self.reading

    @property
    def stated_text(self) -> str:
        """E.g. 'the rule's source states it for 7 to 50 PMs', or '' for a rule of ours."""
        return f"the rule's source states it for {self.stated_from} to {self.stated_to} PMs" if self.stated_from else ""

    def headcount(self, pms: int, pods: int) -> int | None:
        """People by this rule, or None outside the range its source states (no published guidance there)."""
        count = pms if self.basis == "pms" else pods
        if not self.applies_at(count):
            return None
        # A central core (plus) is needed even without pods.
        return self.plus if self.per is None else math.ceil(count / self.per) + self.plus

    def applies_at(self, count: int) -> bool:
        return (self.applies_from is None or count >= self.applies_from) and (
            self.applies_to is None or count <= self.applies_to
        )

    @property
    def range_text(self) -> str:
        """E.g. 'stated for 7 to 50 PMs; beyond that there is no published guidance', or '' without a range."""
        unit = BASIS_NAMES[self.basis]
        if self.applies_from is None and self.applies_to is None:
            return ""
        if self.applies_to is None:
            span = f"from {self.applies_from} {unit}"
        elif self.applies_from is None:
            span = f"up to {self.applies_to} {unit}"
        else:
            span = f"{self.applies_from} to {self.applies_to} {unit}"
        return f"applies to {span}; outside that range there is no published guidance"


@dataclass(frozen=True)
class Signal:
    id: str
    min_pms: int
    reading: str
    statement: str
    citation: str


@dataclass(frozen=True)
class DataPoint:
    """A published team: its company, PMs and Product Ops people (None where the source does not say)."""

    id: str
    company: str
    pms: int | None
    product_ops_low: int | None
    product_ops_high: int | None
    statement: str
    citation: str

    @property
    def people(self) -> str:
        low, high = self.product_ops_low, self.product_ops_high
        if low is None:
            return "not stated"
        return str(low) if high in (None, low) else f"{low} to {high}"


@dataclass(frozen=True)
class StaffingData:
    rules: list[Rule]
    signals: list[Signal]
    points: list[DataPoint]

    def rule(self, coverage: str, bound: str) -> Rule:
        return next(r for r in self.rules if r.coverage == coverage and r.bound == bound)


def load_staffing(sources: dict[str, str], directory: Path | str = DATA_DIR) -> StaffingData:
    """Read and check the rules and signals; their citations must be known sources."""
    problems: list[Problem] = []
    rules = schema.read_table(Path(directory), schema.STAFFING_RULES, problems)
    signals = schema.read_table(Path(directory), schema.START_SIGNALS, problems)
    points = schema.read_table(Path(directory), schema.STAFFING_POINTS, problems)
    for file, records in (
        ("staffing_rules.csv", rules),
        ("start_signals.csv", signals),
        ("staffing_points.csv", points),
    ):
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
    _check_ranges(rules, points, problems)
    problems += _stated_range_problems(rules)
    if problems:
        raise InputError(problems)
    strip = lambda r: {k: v for k, v in r.items() if k != "_row"}  # noqa: E731
    return StaffingData(
        [Rule(**strip(r)) for r in rules],
        [Signal(**strip(r)) for r in signals],
        [DataPoint(**strip(r)) for r in points],
    )


def _stated_range_problems(rules: list[dict]) -> list[Problem]:
    """A published rule the planner applies says for which team sizes its source states it; a rule of ours has none
    (all of it is our reading)."""
    problems = []
    for r in rules:
        stated = (r["stated_from"], r["stated_to"])
        if r["reading"] == "published" and r["coverage"] != "reference" and None in stated:
            problems.append(
                Problem(
                    "staffing_rules.csv",
                    f"the published rule '{r['id']}' does not say for which team sizes its source states it",
                    "fill in stated_from and stated_to (PMs), from the source; beyond them the app labels the rule "
                    "our extrapolation",
                    r["_row"],
                    "stated_from" if stated[0] is None else "stated_to",
                )
            )
        elif r["reading"] == "ours" and stated != (None, None):
            problems.append(
                Problem(
                    "staffing_rules.csv",
                    f"the rule '{r['id']}' is our reading, so no source states it for any team size",
                    "leave stated_from and stated_to blank, or mark the rule published",
                    r["_row"],
                    "stated_from",
                )
            )
    return problems


def _check_ranges(rules: list[dict], points: list[dict], problems: list[Problem]) -> None:
    """A rule's range runs upwards; a data point's Product Ops people run from low to high."""
    for file, records, first, last in (
        ("staffing_rules.csv", rules, "applies_from", "applies_to"),
        ("staffing_rules.csv", rules, "stated_from", "stated_to"),
        ("staffing_points.csv", points, "product_ops_low", "product_ops_high"),
    ):
        for r in records:
            if r[first] is not None and r[last] is not None and r[first] > r[last]:
                problems.append(
                    Problem(file, f"{first} ({r[first]}) is above {last} ({r[last]})", "swap them", r["_row"], last)
                )
