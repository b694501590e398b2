"""The room fills the source's gaps: proposals of a risk or benefit per cell, grouped for the board, and
the facilitator's accepted ones merged into the room's model as cells with provenance `room`.

A proposal names a placement, a factor, its kind (risk or benefit), a sentence and a suggested score
whose sign follows its kind (a risk scores below 0, a benefit above). The board groups the proposals
of one cell and kind, merges near-identical sentences (same words once case, punctuation and spacing
are set aside) and counts the distinct participants who raised them. An accepted group sets the cell's
score; the cell keeps the source's value as its baseline, like an edit on *Make it yours*.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime

from placement.data.model import Model
from placement.data.problems import Problem
from placement.data.schema import SCORE_MAX, SCORE_MIN
from placement.settings import MAX_PROPOSAL

KINDS = ("risk", "benefit")
ACTIONS = ("accepted", "edited", "rejected")  # accepted as proposed, accepted with the facilitator's edit, rejected
KIND_SCORES = {"risk": list(range(SCORE_MIN, 0)), "benefit": list(range(1, SCORE_MAX + 1))}


@dataclass(frozen=True)
class Proposal:
    id: int
    round: int  # the room's round it was raised in
    participant: int  # the participant's id: the board counts people, not proposals
    placement: str
    factor: str
    kind: str  # risk | benefit
    text: str
    score: int  # suggested
    created_at: datetime
    decided: bool = False  # the facilitator accepted, edited or rejected it


@dataclass(frozen=True)
class Decision:
    """The facilitator's decision on a group of proposals: accepted, edited or rejected, with the final
    text and score; accepted and edited ones are the room's cells."""

    id: int
    round: int  # the earliest round the group was raised in
    placement: str
    factor: str
    kind: str
    action: str
    text: str
    score: int
    people: int  # distinct participants who raised it

    @property
    def accepted(self) -> bool:
        return self.action != "rejected"


@dataclass(frozen=True)
class Sentence:
    text: str  # as the first person who wrote it put it
    people: int  # distinct participants who wrote it (or a near-identical sentence)


@dataclass(frozen=True)
class ProposalGroup:
    """The undecided proposals of one cell and kind, as the board shows them."""

    placement: str
    factor: str
    kind: str
    proposals: tuple[Proposal, ...]

    @property
    def ids(self) -> list[int]:
        return [p.id for p in self.proposals]

    @property
    def people(self) -> int:
        return len({p.participant for p in self.proposals})

    @property
    def round(self) -> int:
        return min(p.round for p in self.proposals)

    @property
    def sentences(self) -> list[Sentence]:
        """Near-identical sentences merged, the most raised first (ties: the first raised first)."""
        merged: dict[str, tuple[str, set[int]]] = {}
        for p in self.proposals:
            text, people = merged.setdefault(sentence_key(p.text), (p.text, set()))
            people.add(p.participant)
        ordered = sorted(merged.values(), key=lambda item: -len(item[1]))  # stable: first raised first
        return [Sentence(text, len(people)) for text, people in ordered]

    @property
    def suggested_score(self) -> int:
        """The median of the suggested scores, one per person (their latest), rounded towards 0 on a tie."""
        latest = {p.participant: p.score for p in sorted(self.proposals, key=lambda p: p.id)}
        middle = statistics.median(latest.values())
        return int(middle) if float(middle).is_integer() else int(middle - 0.5 if middle > 0 else middle + 0.5)


def sentence_key(text: str) -> str:
    """What makes two sentences near-identical: the same words, whatever the case, punctuation and spacing."""
    return " ".join(re.sub(r"[^\w\s]", " ", text.casefold()).split())


def group_proposals(proposals: Iterable[Proposal]) -> list[ProposalGroup]:
    """The undecided proposals grouped per cell and kind, most people first (ties: the earliest raised first)."""
    groups: dict[tuple[str, str, str], list[Proposal]] = {}
    for p in sorted(proposals, key=lambda p: p.id):
        if not p.decided:
            groups.setdefault((p.placement, p.factor, p.kind), []).append(p)
    found = [ProposalGroup(*key, tuple(items)) for key, items in groups.items()]
    return sorted(found, key=lambda g: -g.people)


def signed_score(kind: object, strength: object) -> object:
    """The score a proposal's kind and strength give: a risk counts against. A strength that is not a whole
    number (text sent in its place by a script) is passed on as it is, for proposal_problems to refuse."""
    whole = isinstance(strength, int) and not isinstance(strength, bool)
    return -strength if kind == "risk" and whole else strength


def proposal_problems(model: Model, placement: str, factor: str, kind: str, text: str, score) -> list[Problem]:
    """Why a proposal (or the facilitator's final version of one) cannot be stored, each with its fix.

    `text` is already cleaned (one line, no control characters)."""
    problems = []
    if placement not in model.placement_ids:
        problems.append(Problem("placement", f"unknown placement '{placement}'", "choose a placement of the room"))
    if factor not in model.factor_ids:
        problems.append(Problem("factor", f"unknown factor '{factor}'", "choose a factor the room weighs"))
    if kind not in KINDS:
        problems.append(Problem("kind", f"unknown kind '{kind}'", "choose risk or benefit"))
    if not text:
        problems.append(Problem("sentence", "the sentence is empty", "say in one sentence what is missing"))
    elif len(text) > MAX_PROPOSAL:
        problems.append(Problem("sentence", f"the sentence is {len(text)} characters", f"shorten it to {MAX_PROPOSAL}"))
    whole = isinstance(score, int) and not isinstance(score, bool)
    if kind in KINDS and (not whole or score not in KIND_SCORES[kind]):
        allowed = KIND_SCORES[kind]
        problems.append(
            Problem(
                "score",
                f"{score!r} is not a score for a {kind}",
                f"use a whole number from {allowed[0]:+d} to {allowed[-1]:+d}",
            )
        )
    return problems


def with_room_cells(model: Model, decisions: Iterable[Decision]) -> Model:
    """`model` with each accepted decision's cell set to its score, provenance `room` (a later decision on the
    same cell replaces an earlier one). Each cell keeps the source's value as its baseline; decisions about a
    placement or factor the model does not have are left out."""
    cells = dict(model.cells)
    for d in decisions:
        cell = cells.get((d.placement, d.factor))
        if not d.accepted or cell is None:
            continue
        score, provenance = (
            (cell.original_score, cell.original_provenance) if cell.edited else (cell.score, cell.provenance)
        )
        if provenance in ("user", "room"):  # a cell the team created has no source baseline
            score = provenance = None
        cells[d.placement, d.factor] = replace(
            cell,
            score=d.score,
            provenance="room",
            original_score=score,
            original_provenance=provenance,
            room_text=d.text,
            room_round=d.round,
            room_people=d.people,
        )
    return replace(model, cells=cells)
