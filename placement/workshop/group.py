"""What the room thinks: group weights, spread, consensus (Kendall's W), each person's winner and the
group's ranking; and what the workshop pages show and allow for a room in its current state.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from placement.analysis import ahp
from placement.analysis.scoring import Result, rank
from placement.analysis.weights import normalise, rank_order_centroid, same_weights
from placement.data.model import Model
from placement.workshop.store import Room, Vote

# Conventional reading of Kendall's W (Schmidt 1997), worded for a room.
CONSENSUS_LABELS = [
    (0.1, "no real agreement"),
    (0.3, "weak agreement"),
    (0.5, "moderate agreement"),
    (0.7, "strong agreement"),
]
STRONGEST = "very strong agreement"


@dataclass(frozen=True)
class GroupWeights:
    """A round's group weights carried to the analysis pages and the decision record, with the room's context."""

    room: str
    round: int
    participants: int
    weights: dict[str, float]  # exact and normalised, over the model's factors (0 for those the room left out)
    kendall_w: float | None = None
    consensus: str = ""
    model_note: str = ""  # which model the round was scored with
    spread: tuple[tuple[str, float, float, float], ...] = ()  # factor, q1, median, q3; most divisive first
    # placement, participants whose own weights rank it first alone, and those whose weights tie it for first
    winners: tuple[tuple[str, int, int], ...] = ()
    comments: tuple[tuple[str, str], ...] = ()  # name, comment

    @classmethod
    def of_round(
        cls, room: str, number: int, summary: RoomSummary, factor_ids: list[str], model_note: str
    ) -> GroupWeights:
        """The round's exact group weights over `factor_ids`, with everything the record needs to audit them."""
        spread = summary.spread[["factor", "q1", "median", "q3"]].itertuples(index=False, name=None)
        return cls(
            room,
            number,
            summary.participants,
            {f: float(summary.weights.get(f, 0.0)) for f in factor_ids},
            summary.kendall_w,
            summary.consensus,
            model_note,
            tuple((name, float(q1), float(median), float(q3)) for name, q1, median, q3 in spread),
            tuple(
                (name, int(alone), int(tied))
                for name, alone, tied in summary.winners.itertuples(index=False, name=None)
            ),
            tuple(summary.comments),
        )

    def still_in_effect(self, weights: Mapping[str, float]) -> bool:
        """Whether `weights` are still the group's (nobody has moved a weight since)."""
        return same_weights(self.weights, weights)


@dataclass(frozen=True)
class RoomSummary:
    participants: int  # votes counted
    model: Model  # the model the room is scored with: only the room's factors
    ranking: list[Result]  # the placements under the group's weights, best first (empty without votes)
    weights: dict[str, float]  # the group's weights (group_weights): mean, or geometric mean for pairwise
    group: pd.DataFrame  # factor name, group weight, in the room's order
    individual: pd.DataFrame  # participant x factor normalised weights
    spread: pd.DataFrame  # per factor: min, q1, median, q3, max, iqr; most divisive first
    kendall_w: float | None
    consensus: str
    winners: pd.DataFrame  # placement, first for (alone), tied first for: see _winners
    comments: list[tuple[str, str]]

    def divisive(self, top: int = 3) -> list[str]:
        """The factors whose weights spread widest across the room, most divisive first."""
        return list(self.spread["factor"].head(top))

    @property
    def agreement_note(self) -> str:
        if self.kendall_w is None:
            return "Kendall's W needs at least two votes."
        return (
            f"Kendall's W = {self.kendall_w:.2f} over {self.participants} participants' factor rankings "
            "(0 = no agreement, 1 = identical)."
        )


def room_factors(model: Model, factor_ids: list[str]) -> list[dict]:
    """The factors a new room weighs, as the store keeps them: id, name and definition, in the chosen order."""
    return [{"id": f, "name": model.factor(f).name, "definition": model.factor(f).definition} for f in factor_ids]


def vote_weights(vote: Vote, room: Room) -> dict[str, float]:
    """A participant's normalised weights: from sliders, ranks (rank-order centroid) or pairwise judgements (AHP)."""
    if room.method == "pairwise":
        return ahp.analyse(room.factor_ids, ahp.matrix_of(room.factor_ids, ahp.judgements_of(vote.values))).weights
    if room.method == "rank":
        return rank_order_centroid({f: int(v) for f, v in vote.values.items()}, room.factor_ids)
    return normalise(vote.values, room.factor_ids)


def kendall_w(rankings: np.ndarray) -> float | None:
    """Kendall's coefficient of concordance with the tie correction.

    `rankings` is raters x items, each row the ranks (1 = first, ties averaged).
    W = 12 S / (m^2 (n^3 - n) - m sum T), T = sum over tie groups of (t^3 - t).
    None when it is undefined (fewer than two raters or items, or everyone ties everything).
    """
    m, n = rankings.shape
    if m < 2 or n < 2:
        return None
    totals = rankings.sum(axis=0)
    s = float(((totals - totals.mean()) ** 2).sum())
    ties = sum(float((c**3 - c).sum()) for row in rankings for c in [np.unique(row, return_counts=True)[1]])
    denominator = m**2 * (n**3 - n) - m * ties
    return None if denominator <= 0 else 12 * s / denominator


def consensus_label(w: float | None) -> str:
    if w is None:
        return "not enough votes to measure agreement"
    return next((label for limit, label in CONSENSUS_LABELS if w < limit), STRONGEST)


def summarise(room: Room, votes: list[Vote], model: Model) -> RoomSummary:
    """Aggregate a round. `model` scores the placements; it must contain the room's factors."""
    factor_names = {f["id"]: f["name"] for f in room.factors}
    individual = pd.DataFrame(
        [vote_weights(v, room) for v in votes], columns=room.factor_ids, index=[v.participant for v in votes]
    )
    group = group_weights(individual, room.method) if len(votes) else {}
    rankings = individual.rank(axis=1, ascending=False, method="average").to_numpy()
    w = kendall_w(rankings) if len(votes) else None
    scoring_model = model.only(factor_ids=room.factor_ids)
    winners = _winners(scoring_model, individual.to_dict("records"))
    group_table = pd.DataFrame(
        {
            "factor": [factor_names[f] for f in room.factor_ids],
            "group weight": [group.get(f, 0.0) for f in room.factor_ids],
        }
    )
    return RoomSummary(
        participants=len(votes),
        model=scoring_model,
        ranking=rank(scoring_model, group) if votes else [],
        weights=group,
        group=group_table,
        individual=individual.rename(columns=factor_names),
        spread=_spread(individual, factor_names),
        kendall_w=w,
        consensus=consensus_label(w),
        winners=winners,
        comments=[(v.participant, v.comment) for v in votes if v.comment],
    )


def group_weights(individual: pd.DataFrame, method: str) -> dict[str, float]:
    """The mean of everyone's normalised weights; for pairwise votes the geometric mean, normalised.

    The geometric mean of individual AHP priorities keeps the ratio meaning of the judgements (and
    the group of identical voters has their weights); AHP weights are always positive.
    """
    if method != "pairwise":
        return individual.mean().to_dict()
    geometric = np.exp(np.log(individual).mean())
    return (geometric / geometric.sum()).to_dict()


def _winners(model: Model, everyone: list[dict[str, float]]) -> pd.DataFrame:
    """Per placement, the participants whose own weights rank it first alone, and those whose weights tie it
    for first with others: a tie is reported as a tie, never settled by the placements' file order."""
    alone, tied = Counter(), Counter()
    for weights in everyone:
        leaders = [r.name for r in rank(model, weights) if r.rank == 1]
        (alone if len(leaders) == 1 else tied).update(leaders)
    rows = [{"placement": p.name, "first for": alone[p.name], "tied first for": tied[p.name]} for p in model.placements]
    return pd.DataFrame(rows).sort_values(["first for", "tied first for"], ascending=False, kind="stable")


def _spread(individual: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """Per factor: quartiles of the participants' weights, most divisive (widest IQR) first."""
    if individual.empty:
        return pd.DataFrame(columns=["factor", "min", "q1", "median", "q3", "max", "iqr"])
    q = individual.quantile([0.0, 0.25, 0.5, 0.75, 1.0]).T
    q.columns = ["min", "q1", "median", "q3", "max"]
    q["iqr"] = q["q3"] - q["q1"]
    q.index = [names[f] for f in q.index]
    return (
        q.rename_axis("factor").reset_index().sort_values("iqr", ascending=False, kind="stable").reset_index(drop=True)
    )


# --- what the pages show and allow --------------------------------------------------------------


@dataclass(frozen=True)
class Control:
    """A facilitator button: its label, the RoomStore action it calls and whether it can be used now."""

    label: str
    action: str
    enabled: bool
    primary: bool = False


def board_metrics(room: Room, joined: int, submitted: int) -> list[tuple[str, int | str]]:
    """The board's headline numbers, (label, value), left to right."""
    return [("Joined", joined), ("Votes in", submitted), ("Round", room.round), ("Voting", room.status)]


def facilitator_controls(room: Room, submitted: int | None = None) -> list[Control]:
    """Reveal, lock or reopen voting, new round, close or reopen the room: always four buttons.

    Reveal needs a vote in the round (`submitted`, the count of votes in, when known). Nothing
    else is possible in a closed room; the last button reopens it while that is still allowed.
    """
    open_room = not room.closed
    if room.locked:
        lock = Control("Reopen voting", "reopen_voting", open_room)
    else:
        lock = Control("Lock voting", "lock", open_room)
    if room.closed and room.reopenable:
        last = Control("Reopen the room", "reopen", True)
    else:
        last = Control("Close the room", "close", open_room)
    has_votes = submitted is None or submitted > 0
    return [
        Control("Reveal votes", "reveal", open_room and not room.revealed and has_votes, primary=True),
        lock,
        Control("Start a new round", "new_round", open_room),
        last,
    ]
