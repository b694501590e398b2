"""What the room thinks: group weights, spread, consensus (Kendall's W), each person's winner and the
group's ranking; and what the workshop pages show and allow for a room in its current state.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from placement.analysis import ahp
from placement.analysis.bootstrap import LeaderStability, firsts, leader_stability, pooled
from placement.analysis.scoring import Result, rank
from placement.analysis.weights import normalise, rank_order_centroid, same_weights
from placement.cache import PerObject
from placement.data.model import Model
from placement.workshop.domain import Room, Vote
from placement.workshop.store import RoomStore

# Kendall's W read on Schmidt's (1997) scale, whose anchors are 0.1 very weak, 0.3 weak, 0.5 moderate, 0.7 strong
# and 0.9 unusually strong agreement, plus W = 0 (no agreement, by W's definition). A value between anchors takes
# the nearest anchor's reading (a value halfway takes the higher one): each limit below is a midpoint.
CONSENSUS_LABELS = [
    (0.05, "no agreement"),
    (0.2, "very weak agreement"),
    (0.4, "weak agreement"),
    (0.6, "moderate agreement"),
    (0.8, "strong agreement"),
]
STRONGEST = "unusually strong agreement"
SUMMARIES_KEPT = 64  # rounds whose summary is kept, per baseline model (a revealed round rarely changes)


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
    checks: tuple[str, ...] = ()  # how solid the result is: inconsistent votes, a resampled room (result_checks)
    # factor, group weight, and without the votes whose consistency ratio is above 0.10 (pairwise rooms with some)
    without_inconsistent: tuple[tuple[str, float, float], ...] = ()
    method: str = "sliders"  # how the room weighed (settings.WEIGHT_METHODS); its group weights follow from it
    model: Model | None = None  # the model the round is scored with, as its board shows it (None: not carried)

    @classmethod
    def of_round(cls, room: Room, number: int, summary: RoomSummary, model_note: str) -> GroupWeights:
        """The round's exact group weights and the model it is scored with, with everything the record needs to
        audit them: what the board shows, carried whole to the analysis pages and the record."""
        factor_ids = summary.model.factor_ids
        spread = summary.spread[["factor", "q1", "median", "q3"]].itertuples(index=False, name=None)
        return cls(
            room.code,
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
            tuple(result_checks(summary)),
            summary.without_inconsistent_rows(),
            room.method,
            summary.model,
        )

    @property
    def origin(self) -> str:
        """Where a decision taken with these weights comes from, in a few words."""
        return f"room {self.room}, round {self.round}"

    def still_in_effect(self, weights: Mapping[str, float]) -> bool:
        """Whether `weights` are still the group's (nobody has moved a weight since)."""
        return same_weights(self.weights, weights)


@dataclass(frozen=True)
class RoomSummary:
    participants: int  # votes counted
    model: Model  # the model the room is scored with: only the room's factors
    ranking: list[Result]  # the placements under the group's weights, best first (empty without votes)
    weights: dict[str, float]  # the group's weights: mean of normalised individual weights
    group: pd.DataFrame  # factor name, group weight, in the room's order
    individual: pd.DataFrame  # participant x factor normalised weights
    spread: pd.DataFrame  # per factor: min, q1, median, q3, max, iqr; most divisive first
    kendall_w: float | None
    consensus: str
    winners: pd.DataFrame  # placement, first for (alone), tied first for: see _winners
    comments: list[tuple[str, str]]
    pairwise: bool = False  # votes are pairwise comparisons, each with a consistency ratio
    stability: LeaderStability | None = None  # would a similar group agree? (None: no votes, or a tie at the top)
    inconsistent: int = 0  # pairwise votes whose consistency ratio is above CR_LIMIT
    weights_consistent: dict[str, float] | None = None  # the group's weights without them (None: none to drop)

    @property
    def leader(self) -> str | None:
        """The placement first alone under the group's weights, by name; None when placements tie for first."""
        return self.model.placements[self.stability.leader].name if self.stability else None

    def leader_without_inconsistent(self) -> str | None:
        """The placement first alone under the weights without the inconsistent votes (None if tied)."""
        ranked = rank(self.model, self.weights_consistent or {})
        return ranked[0].name if len(ranked) < 2 or ranked[0].score != ranked[1].score else None

    def without_inconsistent_rows(self) -> tuple[tuple[str, float, float], ...]:
        """(factor name, group weight, group weight without the inconsistent votes), in the room's order."""
        if self.weights_consistent is None:
            return ()
        ids = list(self.weights)
        return tuple(
            (name, self.weights[f], self.weights_consistent[f])
            for f, name in zip(ids, self.group["factor"], strict=True)
        )

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
        return dict(pairwise_analysis(room, vote.values).weights)
    if room.method == "rank":
        return rank_order_centroid({f: int(v) for f, v in vote.values.items()}, room.factor_ids)
    return normalise(vote.values, room.factor_ids)


def votes_matrix(votes: list[Vote], room: Room) -> np.ndarray:
    """Every participant's normalised weights at once (participants x the room's factors), each row exactly
    as `vote_weights` gives it. Votes the store would not have taken (factors missing or unknown, numbers
    that are not finite, negative or all zero) go through vote_weights one by one, which also explains them."""
    ids = room.factor_ids
    n = len(ids)
    if not votes:
        return np.zeros((0, n))
    if room.method == "pairwise":  # one eigenvector (or least-squares) solution per person
        return _one_by_one(votes, room)
    known = set(ids)
    if any(len(v.values) != n or not v.values.keys() <= known for v in votes):
        return _one_by_one(votes, room)
    raw = np.array([[v.values[f] for f in ids] for v in votes], dtype=float)
    if not np.isfinite(raw).all():
        return _one_by_one(votes, room)
    if room.method == "rank":
        ranks = raw.astype(int)  # as int(): ranks stored as floats are whole numbers
        before = (ranks[:, None, :] < ranks[:, :, None]).sum(axis=2)  # factors ranked ahead of each factor
        through = (ranks[:, None, :] <= ranks[:, :, None]).sum(axis=2)  # ... and those tied with it
        return _centroid_shares(n)[before, through]
    if (raw < 0).any() or not (raw.sum(axis=1) > 0).all():
        return _one_by_one(votes, room)
    scaled = raw / raw.max(axis=1, keepdims=True)  # as normalise: bring huge weights down first
    return scaled / scaled.sum(axis=1, keepdims=True)


def pairwise_analysis(room: Room, values: Mapping[str, float]) -> ahp.Ahp:
    """A pairwise vote's AHP weights and consistency, computed once per distinct vote (the board counts
    inconsistent votes every few seconds before the reveal; the summary needs them again after it)."""
    return _analysed(tuple(room.factor_ids), tuple(sorted(values.items())))


@lru_cache(maxsize=4096)
def _analysed(factor_ids: tuple[str, ...], values: tuple[tuple[str, float], ...]) -> ahp.Ahp:
    return ahp.analyse(factor_ids, ahp.matrix_of(factor_ids, ahp.judgements_of(dict(values))))


def too_inconsistent(room: Room, values: Mapping[str, float]) -> bool:
    """Whether a pairwise vote's consistency ratio is above CR_LIMIT."""
    return pairwise_analysis(room, values).too_inconsistent


def hidden_inconsistent_votes(store: RoomStore, room: Room, key: str) -> int | None:
    """Before the reveal: how many of the round's pairwise votes have a CR above CR_LIMIT, a count naming
    nobody (None for rooms that do not compare pairs)."""
    if room.method != "pairwise":
        return None
    return store.count_votes(room.code, key, lambda values: too_inconsistent(room, values))


def _one_by_one(votes: list[Vote], room: Room) -> np.ndarray:
    return np.array([[w[f] for f in room.factor_ids] for w in (vote_weights(v, room) for v in votes)])


@lru_cache(maxsize=64)
def _centroid_shares(n: int) -> np.ndarray:
    """[a, b]: the weight shared by factors tied in positions a+1..b of n (rank-order centroid), computed
    as rank_order_centroid computes it, so the numbers are the same to the last bit."""
    position_weights = [sum(1.0 / k for k in range(i, n + 1)) / n for i in range(1, n + 1)]
    shares = np.zeros((n + 1, n + 1))
    for start in range(n):
        for end in range(start + 1, n + 1):
            shares[start, end] = float(np.mean(position_weights[start:end]))
    shares.setflags(write=False)
    return shares


def average_ranks(weights: np.ndarray) -> np.ndarray:
    """Each row's ranks, 1 for the largest value, tied values sharing the mean of their positions."""
    above = (weights[:, None, :] > weights[:, :, None]).sum(axis=2)
    tied = (weights[:, None, :] == weights[:, :, None]).sum(axis=2)  # including itself
    return above + (tied + 1) / 2


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
    # A tie group of t items holds t items that each tie with t: summing t^2 - 1 over the items gives t^3 - t.
    tied = (rankings[:, None, :] == rankings[:, :, None]).sum(axis=2)
    ties = float((tied**2 - 1).sum())
    denominator = m**2 * (n**3 - n) - m * ties
    return None if denominator <= 0 else 12 * s / denominator


def consensus_label(w: float | None) -> str:
    if w is None:
        return "not enough votes to measure agreement"
    return next((label for limit, label in CONSENSUS_LABELS if w < limit), STRONGEST)


def group_weights(individual: np.ndarray, method: str) -> np.ndarray:
    """The mean of everyone's normalised weights; for pairwise votes the geometric mean, normalised.

    The geometric mean of individual AHP priorities keeps the ratio meaning of the judgements (and
    the group of identical voters has their weights); AHP weights are always positive.
    """
    return pooled(individual, geometric=method == "pairwise")


def first_places(model: Model, weights: np.ndarray) -> np.ndarray:
    """[participant, placement]: whether each row of `weights` (over the model's factors) ranks the placement
    first, ties included: one product for everyone, with rank()'s arithmetic (cell by cell, summed, rounded)."""
    return firsts(model.matrix, weights)


def _winners(model: Model, leaders: np.ndarray) -> pd.DataFrame:
    """Per placement, the participants whose own weights rank it first alone, and those whose weights tie it
    for first with others: a tie is reported as a tie, never settled by the placements' file order."""
    alone = leaders.sum(axis=1) == 1
    rows = {
        "placement": [p.name for p in model.placements],
        "first for": leaders[alone].sum(axis=0).astype(int),
        "tied first for": leaders[~alone].sum(axis=0).astype(int),
    }
    return pd.DataFrame(rows).sort_values(["first for", "tied first for"], ascending=False, kind="stable")


def summarise(room: Room, votes: list[Vote], model: Model) -> RoomSummary:
    """Aggregate a round. `model` scores the placements; it must contain the room's factors."""
    names = [f["name"] for f in room.factors]
    individual = votes_matrix(votes, room)  # participants x the room's factors
    shared = group_weights(individual, room.method).tolist() if len(votes) else []
    group = dict(zip(room.factor_ids, shared, strict=True)) if len(votes) else {}
    w = kendall_w(average_ranks(individual)) if len(votes) else None
    scoring_model = model.only(factor_ids=room.factor_ids)
    in_model_order = [room.factor_ids.index(f) for f in scoring_model.factor_ids]
    in_model = individual[:, in_model_order]
    winners = _winners(scoring_model, first_places(scoring_model, in_model))
    geometric = room.method == "pairwise"
    flagged = [too_inconsistent(room, v.values) for v in votes] if geometric else [False] * len(votes)
    kept = individual[~np.array(flagged, dtype=bool)] if votes else individual
    without = (
        dict(zip(room.factor_ids, pooled(kept, geometric).tolist(), strict=True))
        if any(flagged) and len(kept)
        else None
    )
    return RoomSummary(
        participants=len(votes),
        model=scoring_model,
        ranking=rank(scoring_model, group) if votes else [],
        weights=group,
        group=pd.DataFrame({"factor": names, "group weight": [group.get(f, 0.0) for f in room.factor_ids]}),
        individual=pd.DataFrame(individual, columns=names, index=[v.participant for v in votes]),
        spread=_spread(individual, names),
        kendall_w=w,
        consensus=consensus_label(w),
        winners=winners,
        comments=[(v.participant, v.comment) for v in votes if v.comment],
        pairwise=geometric,
        stability=leader_stability(in_model, scoring_model.matrix, geometric),
        inconsistent=sum(flagged),
        weights_consistent=without,
    )


def result_checks(summary: RoomSummary) -> list[str]:
    """How solid the group's result is, in sentences for the board and the record: the votes that contradict
    themselves (pairwise rooms) and whether a similar group would agree (a bootstrap over the participants)."""
    checks = []
    if summary.inconsistent:
        leader, cleaned = summary.leader, summary.leader_without_inconsistent() if summary.weights_consistent else None
        if summary.weights_consistent is None:
            effect = "Every vote is above it, so there are no weights without them."
        elif leader is not None and cleaned == leader:
            effect = f"Without them, {leader} still leads."
        else:
            effect = f"Without them, {cleaned or 'a tie'} leads instead of {leader or 'a tie'}."
        checks.append(
            f"{summary.inconsistent} of {summary.participants} votes have a consistency ratio above "
            f"{ahp.CR_LIMIT:.2f}: their answers contradict each other. {effect}"
        )
    elif summary.pairwise and summary.participants:
        checks.append(f"Every vote has a consistency ratio of {ahp.CR_LIMIT:.2f} or less.")
    stability = summary.stability
    if stability is not None:
        tied = f", and ties for first in {stability.tied_first:.0%}" if stability.tied_first else ""
        checks.append(
            f"Would a similar group agree? In {stability.stays_first:.0%} of {stability.draws:,} rooms resampled from "
            f"these {summary.participants} participants (drawn with replacement), {summary.leader} is still first"
            f"{tied}."
        )
    elif summary.participants:
        checks.append("Placements tie for first under the group's weights, so no leader is tested by resampling.")
    return checks


def _spread(individual: np.ndarray, names: list[str]) -> pd.DataFrame:
    """Per factor: quartiles of the participants' weights, most divisive (widest IQR) first."""
    if not len(individual):
        return pd.DataFrame(columns=["factor", "min", "q1", "median", "q3", "max", "iqr"])
    low, q1, median, q3, high = np.quantile(individual, [0.0, 0.25, 0.5, 0.75, 1.0], axis=0)
    q = pd.DataFrame({"factor": names, "min": low, "q1": q1, "median": median, "q3": q3, "max": high, "iqr": q3 - q1})
    return q.sort_values("iqr", ascending=False, kind="stable").reset_index(drop=True)


_summaries = PerObject(SUMMARIES_KEPT)


def round_summary(store: RoomStore, room: Room, number: int, baseline: Model) -> RoomSummary | None:
    """A revealed round's summary (None without votes), computed once per (room, round, latest revision)
    and shared by the board and every participant's page; `baseline` scores rounds saved without a model.

    One small query tells whether anything changed; the votes are read and summarised only if so.
    A hidden round raises RoomError, as the store does.
    """
    key = (room.code, number, store.round_revision(room.code, number))

    def compute() -> RoomSummary | None:
        votes = store.votes(room.code, number=number)
        return summarise(room, votes, store.round_model(room.code, number, baseline)) if votes else None

    return _summaries.get(baseline, key, compute)


# --- what the pages show and allow --------------------------------------------------------------


@dataclass(frozen=True)
class Control:
    """A facilitator button: its label, the RoomStore action it calls and whether it can be used now."""

    label: str
    action: str
    enabled: bool
    primary: bool = False


def board_metrics(
    room: Room, joined: int, submitted: int, inconsistent: int | None = None
) -> list[tuple[str, int | str]]:
    """The board's headline numbers, (label, value), left to right; in a pairwise room before the reveal,
    how many votes have a consistency ratio above CR_LIMIT (`inconsistent`, a count naming nobody)."""
    metrics = [("Joined", joined), ("Votes in", submitted), ("Round", room.round), ("Voting", room.status)]
    if inconsistent is not None:
        metrics.insert(2, (f"CR above {ahp.CR_LIMIT:.2f}", inconsistent))
    return metrics


def without_inconsistent_table(summary: RoomSummary) -> pd.DataFrame:
    """The group's weights beside those without the votes whose CR is above CR_LIMIT, for the board."""
    return pd.DataFrame(
        summary.without_inconsistent_rows(),
        columns=["factor", "group weight", f"without votes above CR {ahp.CR_LIMIT:.2f}"],
    )


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
