"""How big Product Ops should be: practitioners' rules of thumb, applied and cited.

No survey-based benchmark exists (see context.csv, 'no_benchmark'): every bound below
comes from one published rule in data/staffing_rules.csv and says which.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from placement.data.problems import InputError, Problem
from placement.data.staffing import COVERAGES, READING_LABELS, Rule, Signal, StaffingData

PILLARS = {
    "data": "Business data and insights",
    "customer": "Customer and market insights",
    "process": "Process and practices",
}
MAX_PMS, MAX_PODS = 5000, 1000


@dataclass(frozen=True)
class Bound:
    headcount: int | None  # None: no published guidance at this size
    rule: Rule | None  # None when a floor, not a rule, set it
    reason: str
    reading: str = "ours"  # published | ours | extrapolated (a published rule beyond the sizes its source states)

    @property
    def label(self) -> str:
        """'published', 'our reading' or 'our extrapolation': a floor or an adjustment of ours is our reading."""
        return READING_LABELS[self.reading]


@dataclass(frozen=True)
class Estimate:
    coverage: str
    low: Bound
    high: Bound
    notes: list[str]
    signals: list[tuple[Signal, bool]]  # each published 'when to start' signal, and whether it is met

    def headline(self, pms: int) -> str:
        """The headcount line the page and the record both show, e.g. '1 to 2 Product Ops people for 20 PMs';
        both show `extrapolation` with it."""
        low, high = self.low.headcount, self.high.headcount
        if low is None and high is None:
            return f"No published guidance on Product Ops headcount for {pms} PMs"
        if high is None:
            return f"At least {low} Product Ops {_people(low)} for {pms} PMs (no published upper bound at this size)"
        if low is None:
            return f"At most {high} Product Ops {_people(high)} for {pms} PMs (no published lower bound at this size)"
        span = f"{low}" if low == high else f"{low} to {high}"
        return f"{span} Product Ops {_people(high)} for {pms} PMs"

    @property
    def extrapolation(self) -> str:
        """'Our extrapolation: the rule's source states it for 7 to 50 PMs.' when a bound stretches a published
        rule beyond the team sizes its source states, else ''."""
        stated = sorted({b.rule.stated_text for b in (self.low, self.high) if b.reading == "extrapolated"})
        return f"Our extrapolation: {'; '.join(stated)}." if stated else ""


def _people(count: int) -> str:
    return "person" if count == 1 else "people"


def coverage_for(placement_id: str) -> str:
    """The coverage model a placement implies: embedded within product areas, hybrid for the hybrid."""
    return {"product_areas": "embedded", "uber_hybrid": "hybrid"}.get(placement_id, "central")


def estimate(
    data: StaffingData, pms: int, pods: int, areas: int, coverage: str, pillars: list[str], placement_id: str = ""
) -> Estimate:
    """A headcount range for the inputs, each bound tied to its rule of thumb."""
    _check_inputs(pms, pods, areas, coverage, pillars)
    notes = []
    low, high = (_by_rule(data.rule(coverage, bound), pms, pods) for bound in ("low", "high"))
    if (
        coverage == "embedded"
        and placement_id == "product_areas"
        and low.headcount is not None
        and areas > low.headcount
    ):
        low = Bound(
            areas, None, f"Our reading: within product areas, each of the {areas} areas needs at least one person."
        )
    if None not in (low.headcount, high.headcount) and high.headcount < low.headcount:
        high = Bound(low.headcount, None, "Raised to the lower bound (our adjustment).")
    if pms == 0:
        notes.append("With no PMs there is no product team to support yet: no Product Ops headcount.")
        low, high = Bound(0, None, "No PMs."), Bound(0, None, "No PMs.")
    if pods > pms > 0:
        notes.append(
            f"There are more pods ({pods}) than PMs ({pms}); a pod usually has at least one PM, so check the pod count."
        )
    if coverage in ("embedded", "hybrid") and pods == 0 and pms > 0:
        notes.append("The embedded figures follow the number of pods: enter it, or choose the central model.")
    if len(set(pillars)) < len(PILLARS):
        notes.append(
            f"Only {len(set(pillars))} of the {len(PILLARS)} pillars are in scope, so the lower end is the likelier fit "
            "(our reading: no published rule scales headcount by scope)."
        )
    signals = [(s, pms >= s.min_pms) for s in data.signals]
    return Estimate(coverage, low, high, notes, signals)


def _by_rule(rule: Rule, pms: int, pods: int) -> Bound:
    """The bound a rule gives, or a bound without a headcount outside the range its source states."""
    headcount = rule.headcount(pms, pods)
    reading = rule.reading_at(pms)
    if headcount is None:
        return Bound(None, rule, f"No published guidance here: the rule ({rule.statement}) {rule.range_text}.", reading)
    if reading == "extrapolated":
        beyond = f"Our extrapolation: {rule.stated_text}, and {pms} PMs is outside that."
        return Bound(headcount, rule, f"{rule.statement} {beyond}", reading)
    return Bound(headcount, rule, rule.statement, reading)


def curve(data: StaffingData, coverage: str, pms: int, pods: int, areas: int, placement_id: str = "") -> pd.DataFrame:
    """Low and high headcount as the PM count grows, pods growing in proportion."""
    top = min(max(20, 2 * pms), MAX_PMS)
    pods_per_pm = pods / pms if pms else 0.0
    rows = []
    for n in range(0, top + 1, max(1, top // 50)):
        scaled_pods = min(round(n * pods_per_pm), MAX_PODS)
        e = estimate(data, n, scaled_pods, min(areas, n) if n else 0, coverage, list(PILLARS), placement_id)
        rows += [
            {"PMs": n, "bound": name, "headcount": bound.headcount, "reading": bound.label}
            for name, bound in (("low", e.low), ("high", e.high))
            if bound.headcount is not None  # no line where no source gives guidance
        ]
    return pd.DataFrame(rows, columns=["PMs", "bound", "headcount", "reading"])


def curve_by_size(curve: pd.DataFrame) -> pd.DataFrame:
    """The curve as one row per team size, its low and high headcounts side by side (blank past a rule's range),
    and how each size's figures stand: published, our reading, or our extrapolation of a published rule."""
    wide = curve.pivot(index="PMs", columns="bound", values="headcount").reindex(columns=["low", "high"])
    readings = curve.groupby("PMs")["reading"].agg(lambda labels: ", ".join(sorted(set(labels))))
    return wide.assign(reading=readings).reset_index().rename_axis(columns=None)


def published_points(data: StaffingData) -> pd.DataFrame:
    """The published teams that state both counts, one row per end of their range, for the chart."""
    rows = [
        {"PMs": p.pms, "headcount": n, "company": p.company, "people": p.people, "statement": p.statement}
        for p in data.points
        if p.pms is not None and p.product_ops_low is not None
        for n in sorted({p.product_ops_low, p.product_ops_high or p.product_ops_low})
    ]
    return pd.DataFrame(rows, columns=["PMs", "headcount", "company", "people", "statement"])


def points_table(data: StaffingData, sources: dict[str, str]) -> pd.DataFrame:
    """Every published data point as the page lists it: company, PMs, Product Ops people, what it says, source."""
    return pd.DataFrame(
        [
            {
                "company": p.company,
                "PMs": "not stated" if p.pms is None else str(p.pms),
                "Product Ops people": p.people,
                "what the source says": p.statement,
                "source": sources[p.citation],
            }
            for p in data.points
        ]
    )


def _check_inputs(pms, pods, areas, coverage, pillars) -> None:
    problems = []
    for name, value, high in (
        ("number of PMs", pms, MAX_PMS),
        ("number of pods", pods, MAX_PODS),
        ("number of product areas", areas, MAX_PODS),
    ):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= high:
            problems.append(Problem(name, f"{value!r} is out of range", f"enter a whole number from 0 to {high:,}"))
    if coverage not in COVERAGES:
        problems.append(Problem("coverage model", f"unknown model '{coverage}'", f"use one of {', '.join(COVERAGES)}"))
    unknown = [p for p in pillars if p not in PILLARS]
    if unknown:
        problems.append(Problem("pillars", f"unknown pillar(s) {', '.join(unknown)}", f"use {', '.join(PILLARS)}"))
    if problems:
        raise InputError(problems)
