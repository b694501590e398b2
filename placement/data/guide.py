"""The facilitator's guide steps, read and checked from data/guide_steps.csv."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from placement.data import schema
from placement.data.model import DATA_DIR, Model
from placement.data.problems import InputError, Problem


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    minutes: int
    page: str  # id of the app page this step uses
    purpose: str
    prompts: list[str]  # the step's own questions
    extra: str | None  # questions drawn from the model: "conditions", "factor_questions" or "missing_evidence"

    def prompts_for(self, model: Model) -> list[str]:
        """The step's questions, then those drawn from `model` (so edits and custom factors show up)."""
        return self.prompts + _extra(model, self.extra)


def load_steps(directory: Path | str = DATA_DIR, page_ids: Sequence[str] | None = None) -> list[Step]:
    """Read and check the steps.

    `page_ids` are the app's pages (from its registry) that a step may name; None skips that check.
    """
    problems: list[Problem] = []
    records = schema.read_table(Path(directory), schema.GUIDE_STEPS, problems)
    for r in records:
        if page_ids is not None and r["page"] and r["page"] not in page_ids:
            problems.append(
                Problem(
                    "guide_steps.csv",
                    f"page '{r['page']}' is not a page of the app",
                    f"use one of: {', '.join(page_ids)}",
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
            _prompts(r["prompts"]),
            r["extra_prompts"],
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
    if kind == "missing_evidence":  # the gaps the room is asked to fill
        return [
            f"{p.short_name}: the source names no {kind_}. What {'could go wrong' if kind_ == 'risk' else 'does it bring'} "
            "here, and which factor does it touch?"
            for kind_ in ("risk", "benefit")
            for p in model.placements_without(kind_)
        ]
    return []
