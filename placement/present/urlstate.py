"""The Explore view as URL query parameters, so that a copied link reproduces it.

Parsing never raises: bad or tampered values produce notices and fall back to
the defaults, so a page can always render.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from placement.analysis import ahp
from placement.data.model import Model
from placement.data.pairwise import parse_judgement
from placement.data.profile import Questionnaire
from placement.settings import SLIDER_MAX
from placement.workshop.group import GroupWeights

DEFAULT_PRESET = "balanced"
METHODS = ("sliders", "rank", "pairwise")
MAX_PARAM_LENGTH = 2000
WHOLE_NUMBER = re.compile(r"[0-9]{1,3}")  # str.isdigit() accepts digits int() rejects, such as "²"
WHOLE_COUNT = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class View:
    method: str
    sliders: dict[str, int]
    ranks: dict[str, int]
    pairs: dict[str, float] = field(default_factory=dict)  # pairwise judgements other than "equal", by pair key
    notices: tuple[str, ...] = field(default=(), compare=False)


def default_preset(model: Model) -> str:
    """The preset the app starts from (the model's first when it has no Balanced preset)."""
    return DEFAULT_PRESET if DEFAULT_PRESET in model.presets else next(iter(model.presets))


def default_view(model: Model) -> View:
    sliders = preset_sliders(model, default_preset(model))
    return View("sliders", sliders, ranks_from_sliders(sliders))


def preset_sliders(model: Model, preset_id: str) -> dict[str, int]:
    return {f: int(round(w)) for f, w in model.presets[preset_id].weights.items()}


def ranks_from_sliders(sliders: Mapping[str, int]) -> dict[str, int]:
    """Dense ranks, 1 for the heaviest weight; equal weights share a rank."""
    distinct = sorted(set(sliders.values()), reverse=True)
    return {f: distinct.index(v) + 1 for f, v in sliders.items()}


def sliders_from_weights(
    weights: Mapping[str, float], factor_ids: list[str], keep_slider_values: bool = False
) -> dict[str, int]:
    """Slider positions (0-10) for non-negative weights, scaled so that the largest is 10.

    With `keep_slider_values`, weights that already are slider positions (whole numbers
    from 0 to 10, as a model file saves them) are kept as they are.
    """
    values = {f: float(weights.get(f, 0.0)) for f in factor_ids}
    top = max(values.values(), default=0.0)
    if keep_slider_values and all(v.is_integer() for v in values.values()) and top <= SLIDER_MAX:
        return {f: int(v) for f, v in values.items()}
    return {f: round(v / top * SLIDER_MAX) if top else 0 for f, v in values.items()}  # divide first: no overflow


def matching_preset(model: Model, sliders: Mapping[str, int]) -> str | None:
    return next((p for p in model.presets if preset_sliders(model, p) == dict(sliders)), None)


def parse_view(params: Mapping[str, str], model: Model) -> View:
    """Read a view from query parameters, reporting (not raising on) anything invalid."""
    view, notices = default_view(model), []
    method = params.get("method", "sliders")
    if method not in METHODS:
        notices.append(f"Unknown weighting method '{_clip(method)}' in the link; the view started with sliders.")
        method = "sliders"
    sliders = view.sliders
    if "preset" in params:
        if params["preset"] in model.presets:
            sliders = preset_sliders(model, params["preset"])
        else:
            notices.append(
                f"Unknown preset '{_clip(params['preset'])}' in the link; the view started from the default weights."
            )
    if "w" in params:
        parsed = _parse_pairs(params["w"], model, 0, SLIDER_MAX, "weights", notices)
        if parsed is not None:
            sliders = {f: parsed.get(f, 0) for f in model.factor_ids}
            if not any(sliders.values()):
                notices.append("Every weight in the link is zero; the view started from the default weights.")
                sliders = view.sliders
    ranks = ranks_from_sliders(sliders)
    if "rank" in params:
        parsed = _parse_pairs(params["rank"], model, 1, len(model.factor_ids), "ranks", notices)
        if parsed is not None and set(parsed) == set(model.factor_ids):
            ranks = parsed
        elif parsed is not None:
            notices.append("The ranks in the link do not cover every factor; the ranks were taken from the weights.")
    pairs = _parse_judgements(params.get("pairs", ""), model, notices)
    return View(method, sliders, ranks, pairs, tuple(notices))


def encode_view(view: View, model: Model) -> dict[str, str]:
    """The shortest query parameters that reproduce `view`."""
    if view.method == "rank":
        return {"method": "rank", "rank": _pairs(view.ranks)}
    if view.method == "pairwise":
        judged = {k: _fraction(v) for k, v in view.pairs.items() if v != 1}
        return {"method": "pairwise", **({"pairs": _pairs(judged)} if judged else {})}
    preset = matching_preset(model, view.sliders)
    if preset == DEFAULT_PRESET:
        return {}
    return {"preset": preset} if preset else {"w": _pairs(view.sliders)}


def _pairs(values: Mapping[str, int]) -> str:
    return ",".join(f"{f}:{v}" for f, v in values.items())


def _parse_pairs(text: str, model: Model, low: int, high: int, what: str, notices: list[str]) -> dict[str, int] | None:
    """Parse 'factor:value,...'; on any problem add one notice and return None."""
    if len(text) > MAX_PARAM_LENGTH:
        notices.append(f"The {what} in the link are too long to be genuine; the view started from the default weights.")
        return None
    parsed: dict[str, int] = {}
    for pair in filter(None, text.split(",")):
        name, _, value = pair.partition(":")
        if name not in model.factor_ids:
            notices.append(
                f"Unknown factor '{_clip(name)}' in the link's {what}; the view started from the default weights."
            )
            return None
        if not WHOLE_NUMBER.fullmatch(value) or not low <= int(value) <= high:
            notices.append(
                f"The link's {what} for '{name}' must be a whole number from {low} to {high}; the view started from the default weights."
            )
            return None
        parsed[name] = int(value)
    return parsed


def _fraction(value: float) -> str:
    """A judgement as typed: 3 or 1/3."""
    return str(round(value)) if value >= 1 else f"1/{round(1 / value)}"


def _parse_judgements(text: str, model: Model, notices: list[str]) -> dict[str, float]:
    """Pairwise judgements 'first|second:3,...' on Saaty's scale; on any problem one notice and none at all."""
    judged: dict[str, float] = {}
    for token in filter(None, text[: MAX_PARAM_LENGTH + 1].split(",")):
        key, _, typed = token.rpartition(":")
        first, _, second = key.partition(ahp.PAIR_SEPARATOR)
        value = parse_judgement(typed)
        on_scale = value is not None and any(abs(value - s) < 1e-6 for s in ahp.SCALE)
        if len(text) > MAX_PARAM_LENGTH or {first, second} - set(model.factor_ids) or first == second or not on_scale:
            notices.append(f"The comparison '{_clip(token)}' in the link is not valid; every pair starts as equal.")
            return {}
        judged[key] = min(ahp.SCALE, key=lambda s: abs(s - value))  # exactly the control's option
    return judged


def parse_profile(text: str, questionnaire: Questionnaire) -> tuple[dict[str, str | int], tuple[str, ...]]:
    """The company profile's answers from 'question:answer,...' (counts as numbers); a notice for each bad one."""
    answers: dict[str, str | int] = {}
    notices = []
    questions = {q.id: q for q in questionnaire.questions}
    for token in filter(None, text[:MAX_PARAM_LENGTH].split(",")):
        question_id, _, typed = token.partition(":")
        question = questions.get(question_id)
        count = question is not None and question.kind == "count"
        value: str | int = int(typed) if count and WHOLE_COUNT.fullmatch(typed) else typed
        if question is None or count != isinstance(value, int) or question.answer(value) is None:
            notices.append(f"The answer '{_clip(token)}' in the link is not valid; that question is left unanswered.")
            continue
        answers[question_id] = value
    return answers, tuple(notices)


def encode_profile(answers: Mapping[str, str | int]) -> str:
    return ",".join(f"{q}:{a}" for q, a in answers.items())


def _clip(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def group_weights_shown(
    group: GroupWeights | None, sliders: Mapping[str, int], factor_ids: list[str]
) -> dict[str, float] | None:
    """A room's exact group weights while the sliders still sit where those weights put them; else None.

    Slider positions are whole numbers and a group's mean is not, so the sliders show the nearest
    positions and the exact weights stay in effect until someone moves one.
    """
    if group is None or group.weights.keys() != set(factor_ids):
        return None
    return dict(group.weights) if dict(sliders) == sliders_from_weights(group.weights, factor_ids) else None
