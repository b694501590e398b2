"""Weights from a company's profile: each answer adds or takes away points per factor, with its reason.

Every factor starts at BASE_POINTS; each chosen answer adds its effects (data/profile_effects.csv);
a factor never goes below 0. The weights are the points normalised, exactly. The sliders show them: as
they are while the largest is at most SLIDER_MAX, else scaled so that the largest is SLIDER_MAX and
rounded to the nearest positions, while the exact weights stay in effect until someone moves a slider.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from placement.data.problems import InputError, Problem
from placement.data.profile import Questionnaire
from placement.settings import SLIDER_MAX

BASE_POINTS = 1  # low, so that the answers decide; an answer may still lower a factor to 0


@dataclass(frozen=True)
class Because:
    """One answer's effect on one factor: 'because you said <answer> (<prompt>)', and why."""

    prompt: str
    answer: str
    effect: int
    reason: str
    basis: str  # 'the source', 'published: <citation>' or 'our judgement'


@dataclass(frozen=True)
class Profile:
    answers: dict[str, str | int]  # question id -> answer id (choice) or number (count)
    points: dict[str, int]  # factor -> BASE_POINTS plus the chosen answers' effects, at least 0
    sliders: dict[str, int]  # factor -> slider position 0..SLIDER_MAX, the nearest to the exact weights
    reasons: dict[str, list[Because]]  # factor -> the answers that moved it, in question order
    summary: list[tuple[str, str]]  # (question, answer as said), for the decision record

    @property
    def weights(self) -> dict[str, float]:
        """The answers' exact weights: the points normalised (all 0 if every factor is at 0)."""
        total = sum(self.points.values())
        return {f: p / total if total else 0.0 for f, p in self.points.items()}

    def weights_shown(self, sliders: Mapping[str, int]) -> dict[str, float] | None:
        """The exact weights while the sliders still sit where the answers put them; else None (someone moved one)."""
        return self.weights if dict(sliders) == self.sliders and any(self.points.values()) else None

    @property
    def dropped(self) -> list[str]:
        """Factors the answers set to 0: they drop out of the ranking and of the robustness sampling."""
        return [f for f, p in self.points.items() if p == 0]


def derive(questionnaire: Questionnaire, answers: Mapping[str, str | int], factor_ids: list[str]) -> Profile:
    """The profile of some answers; an InputError naming every unknown question, answer or count out of range.

    A choice question left unanswered changes nothing; a count question left out takes its default.
    """
    chosen, problems, summary = {}, [], []
    for question in questionnaire.questions:
        value = answers.get(question.id, question.default)
        if value is None:
            continue
        answer = question.answer(value) if isinstance(value, int) == (question.kind == "count") else None
        if answer is None:
            problems.append(Problem("profile", f"'{value}' is not an answer to '{question.prompt}'", _fix(question)))
            continue
        chosen[question.id] = answer.id
        summary.append((question.prompt, str(value) if question.kind == "count" else answer.label))
    problems += [
        Problem("profile", f"unknown question '{q}'", "use the questionnaire's questions")
        for q in answers
        if q not in {question.id for question in questionnaire.questions}
    ]
    if problems:
        raise InputError(problems)
    points = dict.fromkeys(factor_ids, BASE_POINTS)
    reasons: dict[str, list[Because]] = {f: [] for f in factor_ids}
    for effect in questionnaire.effects:
        if chosen.get(effect.question) == effect.answer and effect.factor in points:
            points[effect.factor] += effect.effect
            question = questionnaire.question(effect.question)
            label = next(a.label for a in question.answers if a.id == effect.answer)
            reasons[effect.factor].append(
                Because(question.prompt, label, effect.effect, effect.reason, effect.basis_label)
            )
    points = {f: max(0, p) for f, p in points.items()}
    full = {
        q.id: answers.get(q.id, q.default) for q in questionnaire.questions if answers.get(q.id, q.default) is not None
    }
    return Profile(full, points, _sliders(points), reasons, summary)


def effect_rows(derived: Profile, factor_names: Mapping[str, str]) -> list[tuple[str, str, str, str, str]]:
    """Each answer's effect as the decision record lists it: factor, answer, effect, basis, reason (factors the
    model no longer has are left out)."""
    return [
        (factor_names[factor], b.answer, f"{b.effect:+d}", b.basis, b.reason)
        for factor, items in derived.reasons.items()
        if factor in factor_names
        for b in items
    ]


def _sliders(points: dict[str, int]) -> dict[str, int]:
    top = max(points.values(), default=0)
    if top <= SLIDER_MAX:
        return dict(points)
    return {f: round(p * SLIDER_MAX / top) for f, p in points.items()}


def _fix(question) -> str:
    if question.kind == "count":
        return f"give a whole number from {question.low} to {question.high}"
    return f"choose one of {', '.join(a.id for a in question.answers)}"
