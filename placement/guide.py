"""The facilitator's guide: timed steps, the questions to ask, and the page each step uses."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from placement import schema
from placement.model import DATA_DIR, Model
from placement.problems import InputError, Problem

PAGES_DIR = DATA_DIR.parent


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    minutes: int
    page: str  # the app page this step uses, relative to the app's folder
    purpose: str
    prompts: list[str]


def load_steps(model: Model, directory: Path | str = DATA_DIR) -> list[Step]:
    """Read the steps and add prompts drawn from the model: the source's conditions, the factor questions."""
    problems: list[Problem] = []
    records = schema.read_table(Path(directory), schema.GUIDE_STEPS, problems)
    for r in records:
        in_app = r["page"] == "app.py" or (r["page"].startswith("pages/") and r["page"].endswith(".py"))
        if r["page"] and not (in_app and (PAGES_DIR / r["page"]).is_file()):
            problems.append(
                Problem(
                    "guide_steps.csv",
                    f"page '{r['page']}' does not exist",
                    "use app.py or a file in pages/",
                    r["_row"],
                    "page",
                )
            )
    if problems:
        raise InputError(problems)
    return [
        Step(
            r["id"],
            r["title"],
            r["minutes"],
            r["page"],
            r["purpose"],
            _prompts(r["prompts"]) + _extra(model, r["extra_prompts"]),
        )
        for r in records
    ]


def _prompts(text: str) -> list[str]:
    return [p.strip() for p in text.split("|") if p.strip()]


def _extra(model: Model, kind: str | None) -> list[str]:
    if kind == "conditions":
        return [
            f"{model.placement(e.placement).short_name}: {e.statement} Is that us?"
            for e in model.evidence.values()
            if e.kind == "works_when"
        ]
    if kind == "factor_questions":
        return [f"{f.name}: {f.question}" for f in model.factors]
    return []


def total_minutes(steps: list[Step]) -> int:
    return sum(s.minutes for s in steps)


def countdown(minutes: int, elapsed_seconds: float) -> tuple[str, float, bool]:
    """(time left as m:ss, or +m:ss over; share of the step used, capped at 1; whether it overran)."""
    left = minutes * 60 - int(elapsed_seconds)
    over = left < 0
    shown = abs(left)
    text = f"{'+' if over else ''}{shown // 60}:{shown % 60:02d}"
    return text, min(1.0, max(0.0, elapsed_seconds / (minutes * 60))), over
