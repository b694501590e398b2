"""What the workshop accepts from people: a new room's title, factors and method, and a vote on the room's scale.

Each check names the problem and the fix (placement.data.problems); the store runs them before it writes.
"""

from __future__ import annotations

import json
import math

from placement import settings
from placement.analysis import ahp
from placement.data.model import Model
from placement.data.problems import InputError, Problem
from placement.data.text import clean_text
from placement.workshop.domain import Room

METHODS = tuple(settings.WEIGHT_METHODS)  # "sliders", "rank", "pairwise": one list, labelled in settings


def nul_problem(place: str, what: str, text: str | None) -> list[Problem]:
    """A NUL character (never typed, but pasted or sent by a script) that PostgreSQL cannot store."""
    if "\x00" not in (text or ""):
        return []
    return [Problem(place, f"the {what} contains an invisible NUL character", f"retype the {what} without it")]


def checked_room(title: str, factors: list[dict], method: str, model: Model, passcode: str) -> tuple[str, str]:
    """The title and passcode of a new room, cleaned; InputError unless the room can be created with `model`
    (which must hold every factor of the room)."""
    passcode = (passcode or "").strip()
    problems = nul_problem("title", "title", title)  # refused, not silently dropped
    title = clean_text(title or "").strip()  # one line, no control or direction-override characters
    if not title or len(title) > settings.MAX_ROOM_TITLE:
        problems.append(
            Problem(
                "title",
                "a room needs a title" if not title else f"the title is {len(title)} characters",
                f"enter 1 to {settings.MAX_ROOM_TITLE} characters",
            )
        )
    ids = [f.get("id") for f in factors]
    if len(set(ids)) != len(ids):
        problems.append(Problem("factors", "a factor is listed twice", "list each factor once"))
    if len(factors) < 2:
        problems.append(Problem("factors", "a room needs at least two factors to weigh", "choose two or more"))
    if method not in METHODS:
        problems.append(Problem("method", f"unknown method '{method}'", f"use one of {', '.join(METHODS)}"))
    problems += missing_factors(model, factors)
    problems += nul_problem("passcode", "passcode", passcode)
    problems += [p for f in factors for p in nul_problem("factors", "factor", json.dumps(f, ensure_ascii=False))]
    if problems:
        raise InputError(problems)
    return title, passcode


def missing_factors(model: Model, factors: list[dict]) -> list[Problem]:
    return [
        Problem("factors", f"the model has no factor '{f.get('name') or f.get('id')}'", "choose factors of the model")
        for f in factors
        if f.get("id") not in model.factor_ids
    ]


def check_values(values: dict, room: Room) -> None:
    """Refuse a vote that is not one value per factor (or per pair of the design) on the room's scale."""
    problems = []
    pairwise = room.method == "pairwise"
    expected = {ahp.pair_key(a, b) for a, b in ahp.design(room.factor_ids)} if pairwise else set(room.factor_ids)
    if set(values) != expected:
        what = "comparisons" if pairwise else "factors"
        problems.append(
            Problem("vote", f"the vote does not cover exactly the room's {what}", "reload the page and vote again")
        )
    for factor, value in values.items():
        if not _on_scale(value, room):
            shown = clean_text(f"{repr(value)[:40]} for '{str(factor)[:40]}'")  # clipped: a script may send a book
            problems.append(Problem("vote", f"{shown} is not allowed", _scale_fix(room)))
    if not problems and room.method == "sliders" and not any(values.values()):
        problems.append(Problem("vote", "every weight is 0", "give at least one factor a weight above 0"))
    if problems:
        raise InputError(problems)


def _scale_fix(room: Room) -> str:
    if room.method == "pairwise":
        return "use a point of Saaty's scale: 1/9, 1/7, 1/5, 1/3, 1, 3, 5, 7 or 9"
    if room.method == "rank":
        return f"use a whole number from 1 to {len(room.factor_ids)}"
    return f"use a number from 0 to {settings.SLIDER_MAX}"


def _on_scale(value: object, room: Room) -> bool:
    """A level from 0 to SLIDER_MAX (finer than the form's steps is fine), a whole rank from 1 to n,
    or a judgement on one of the points of Saaty's scale (2.5 is between two of them, so it is not)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    try:
        number = float(value)
    except OverflowError:  # a whole number too large for a float is on no scale
        return False
    if room.method == "pairwise":
        return any(math.isclose(number, point, rel_tol=1e-9) for point in ahp.SCALE)
    if room.method == "rank":
        return number.is_integer() and 1 <= number <= len(room.factor_ids)
    return 0 <= number <= settings.SLIDER_MAX
