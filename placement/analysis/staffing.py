"""How big Product Ops should be: practitioners' rules of thumb, applied and cited.

No survey-based benchmark exists (see context.csv, 'no_benchmark'): every bound below
comes from one published rule in data/staffing_rules.csv and says which.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from placement.data.problems import InputError, Problem
from placement.data.staffing import COVERAGES, Rule, Signal, StaffingData

PILLARS = {
    "data": "Business data and insights",
    "customer": "Customer and market insights",
    "process": "Process and practices",
}
MAX_PMS, MAX_PODS = 5000, 1000


@dataclass(frozen=True)
class Bound:
    headcount: int
    rule: Rule | None  # None when a floor, not a rule, set it
    reason: str


@dataclass(frozen=True)
class Estimate:
    coverage: str
    low: Bound
    high: Bound
    notes: list[str]
    signals: list[tuple[Signal, bool]]  # each published 'when to start' signal, and whether it is met

    def headline(self, pms: int) -> str:
        """The headcount line the page and the record both show, e.g. '1 to 6 Product Ops people for 20 PMs'."""
        low, high = self.low.headcount, self.high.headcount
        span = f"{low}" if low == high else f"{low} to {high}"
        return f"{span} Product Ops {'person' if high == 1 else 'people'} for {pms} PMs"


def coverage_for(placement_id: str) -> str:
    """The coverage model a placement implies: embedded within product areas, hybrid for the hybrid."""
    return {"product_areas": "embedded", "uber_hybrid": "hybrid"}.get(placement_id, "central")


def estimate(
    data: StaffingData, pms: int, pods: int, areas: int, coverage: str, pillars: list[str], placement_id: str = ""
) -> Estimate:
    """A headcount range for the inputs, each bound tied to its rule of thumb."""
    _check_inputs(pms, pods, areas, coverage, pillars)
    notes = []
    low_rule, high_rule = data.rule(coverage, "low"), data.rule(coverage, "high")
    low = Bound(low_rule.headcount(pms, pods), low_rule, low_rule.statement)
    high = Bound(high_rule.headcount(pms, pods), high_rule, high_rule.statement)
    if coverage == "embedded" and placement_id == "product_areas" and areas > low.headcount:
        low = Bound(areas, None, f"Within product areas, each of the {areas} areas needs at least one person.")
    if high.headcount < low.headcount:
        high = Bound(low.headcount, None, "Raised to the lower bound.")
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


def curve(data: StaffingData, coverage: str, pms: int, pods: int, areas: int, placement_id: str = "") -> pd.DataFrame:
    """Low and high headcount as the PM count grows, pods growing in proportion."""
    top = min(max(20, 2 * pms), MAX_PMS)
    pods_per_pm = pods / pms if pms else 0.0
    rows = []
    for n in range(0, top + 1, max(1, top // 50)):
        scaled_pods = min(round(n * pods_per_pm), MAX_PODS)
        e = estimate(data, n, scaled_pods, min(areas, n) if n else 0, coverage, list(PILLARS), placement_id)
        rows += [
            {"PMs": n, "bound": "low", "headcount": e.low.headcount},
            {"PMs": n, "bound": "high", "headcount": e.high.headcount},
        ]
    return pd.DataFrame(rows)


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
