"""Plain-language reasons why the leading placement leads, computed from contributions."""

from __future__ import annotations

from dataclasses import dataclass

from placement.analysis.scoring import Result, points_per_unit, rank
from placement.analysis.weights import normalise
from placement.data.model import Model

TOP_BENEFITS = 2


@dataclass(frozen=True)
class Driver:
    """One factor's part in a score, in 0-100 points, with its evidence."""

    factor: str
    factor_name: str
    points: float
    provenance: str
    rationale: str
    evidence: str | None  # the paraphrased statement, when documented


@dataclass(frozen=True)
class Explanation:
    leaders: list[str]  # more than one when the top is tied
    runner_up: str | None
    margin: float  # points between the leader and the runner-up
    benefits: list[Driver]
    main_risk: Driver | None
    risk_evidence_gap: bool  # the source documents no risk for the leader
    decisive_factor: Driver | None  # the factor that adds most to the margin
    documented: list[Driver]  # the leader's documented cells that carry weight

    def evidence_statements(self) -> list[tuple[str, list[str]]]:
        """Each documented statement behind the leader once, with the factors it drives."""
        grouped: dict[str, list[str]] = {}
        for driver in self.documented:
            grouped.setdefault(driver.evidence, []).append(driver.factor_name)
        return [(statement, factors) for statement, factors in grouped.items()]

    def sentences(self, model: Model) -> list[str]:
        name = lambda pid: model.placement(pid).name  # noqa: E731
        if len(self.leaders) > 1:
            tied = " and ".join(name(p) for p in self.leaders)
            return [f"{tied} tie for first place: the weights do not separate them."]
        lines = [
            f"{name(self.leaders[0])} leads by {self.margin:.1f} points over {name(self.runner_up)}."
            if self.runner_up
            else f"{name(self.leaders[0])} is the only placement."
        ]
        if self.benefits:
            parts = ", ".join(f"{d.factor_name} (+{d.points:.1f}, {d.provenance})" for d in self.benefits)
            lines.append(f"Its biggest benefits: {parts}.")
        if self.main_risk:
            lines.append(
                f"Its main risk: {self.main_risk.factor_name} ({self.main_risk.points:.1f}, {self.main_risk.provenance})."
            )
        else:
            lines.append("It carries no weighted risk.")
        if self.risk_evidence_gap:
            lines.append(
                "The source documents no risk for this placement: that is an evidence gap, not proof that it has none, and it flatters this score."
            )
        if self.decisive_factor and self.runner_up:
            lines.append(
                f"The factor that separates it most from {name(self.runner_up)} is {self.decisive_factor.factor_name} ({self.decisive_factor.points:+.1f} points of the margin)."
            )
        return lines


def explain(model: Model, results: list[Result]) -> Explanation:
    """Explain `results` (as returned by scoring.rank) for the leading placement."""
    top = results[0]
    leaders = [r.placement for r in results if r.rank == 1]
    runner_up = results[1] if len(results) > 1 else None
    drivers = [_driver(model, top.placement, f, c) for f, c in top.contributions.items()]
    benefits = sorted((d for d in drivers if d.points > 0), key=lambda d: -d.points)[:TOP_BENEFITS]
    risks = sorted((d for d in drivers if d.points < 0), key=lambda d: d.points)
    return Explanation(
        leaders=leaders,
        runner_up=runner_up.placement if runner_up else None,
        margin=top.score - runner_up.score if runner_up else 0.0,
        benefits=benefits,
        main_risk=risks[0] if risks else None,
        risk_evidence_gap=not model.evidence_for(top.placement, "risk"),
        decisive_factor=_decisive(model, top, runner_up),
        documented=[d for d in drivers if d.provenance == "documented" and d.points != 0],
    )


def _decisive(model: Model, top: Result, runner_up: Result | None) -> Driver | None:
    if runner_up is None or top.score == runner_up.score:
        return None
    gaps = {f: top.contributions[f] - runner_up.contributions[f] for f in top.contributions}
    factor = max(gaps, key=gaps.get)
    return _driver(model, top.placement, factor, gaps[factor]) if gaps[factor] > 0 else None


def _driver(model: Model, placement_id: str, factor_id: str, contribution: float) -> Driver:
    cell = model.cells[placement_id, factor_id]
    statement = model.evidence[cell.evidence].statement if cell.evidence else None
    return Driver(
        factor_id,
        model.factor(factor_id).name,
        contribution * points_per_unit(),
        cell.provenance,
        cell.reason,
        statement,
    )


CLEAR_MARGIN = 5.0  # points on the 0-100 scale: a lead smaller than this is called narrow


def preset_note(model: Model, preset_id: str) -> str:
    """What a preset's weights do to the placement the source ties it to, as measured, not as hoped:
    the presets' weights are never tuned to make that placement win clearly."""
    preset = model.presets[preset_id]
    results = rank(model, normalise(preset.weights, model.factor_ids))
    if preset.source_placement is None or len(results) == 1:
        return f"{results[0].name} ranks first under these weights."
    target = next(r for r in results if r.placement == preset.source_placement)
    best = next(r for r in results if r.placement != target.placement)
    gap = target.score - best.score
    if gap >= CLEAR_MARGIN:
        return f"{target.name} ranks first, {gap:.1f} points ahead of {best.name}."
    if gap > 0:
        return (
            f"{target.name} ranks first, but only {gap:.1f} points ahead of {best.name}: a narrow lead "
            "(the preset's weights were not tuned to widen it)."
        )
    if gap == 0:
        return f"{target.name} and {best.name} tie for first under these weights."
    return f"{best.name} ranks first, {-gap:.1f} points ahead of {target.name}, which these weights do not put first."
