"""What a workshop room thinks (placement/workshop/group.py): group weights, spread, Kendall's W, winners.

docs/methods.md, "Groups": combine weights by the mean; show the spread per factor,
Kendall's W over the participants' factor rankings and which placement wins for whom.
"""

from __future__ import annotations

import dataclasses
import math
from collections import Counter
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.analysis.scoring import rank
from placement.data.editing import add_optional, set_score
from placement.data.model import load_model
from placement.data.problems import InputError
from placement.settings import REOPEN_HOURS
from placement.workshop import domain
from placement.workshop import group as group_module
from placement.workshop.domain import Room, RoomError, Vote
from placement.workshop.group import (
    GroupWeights,
    average_ranks,
    board_metrics,
    consensus_label,
    facilitator_controls,
    hidden_inconsistent_votes,
    kendall_w,
    result_checks,
    room_factors,
    round_summary,
    summarise,
    vote_weights,
    votes_matrix,
)
from placement.workshop.store import RoomStore

SPREAD_COLUMNS = ["factor", "min", "q1", "median", "q3", "max", "iqr"]
NO_AGREEMENT_YET = "not enough votes to measure agreement"
OPERATIONS = "Rolls up into Operations"
HEAD_OF_PRODUCT = "Reports to the Head of Product"
PRODUCT_AREAS = "Within Product Areas / Verticals"


def make_room(model, factor_ids=None, method="sliders") -> Room:
    factors = [
        {"id": f.id, "name": f.name, "definition": f.definition}
        for f in model.factors
        if factor_ids is None or f.id in factor_ids
    ]
    if factor_ids is not None:  # the room's own order, which may differ from the model's
        factors.sort(key=lambda f: factor_ids.index(f["id"]))
    return Room("TESTROOM", "Where should Product Ops sit?", factors, method, False, 1, True, False)


def only(room: Room, factor_id: str, weight: float = 10) -> dict[str, float]:
    """A slider vote with all the weight on one factor."""
    return {f: (weight if f == factor_id else 0) for f in room.factor_ids}


def winners(summary) -> dict[str, int]:
    return dict(zip(summary.winners["placement"], summary.winners["first for"], strict=True))


def ties(summary) -> dict[str, int]:
    return dict(zip(summary.winners["placement"], summary.winners["tied first for"], strict=True))


# --- Kendall's W --------------------------------------------------------------------------------


@pytest.mark.parametrize("m", [2, 3, 7])
def test_identical_rankings_agree_completely(m):
    rankings = np.array([[2, 1, 4, 3, 5]] * m, dtype=float)
    assert kendall_w(rankings) == pytest.approx(1.0)


def test_identical_rankings_with_ties_agree_completely():
    rankings = np.array([[1.5, 1.5, 3, 4]] * 3)
    assert kendall_w(rankings) == pytest.approx(1.0)


def test_opposite_rankings_of_three_items_do_not_agree():
    assert kendall_w(np.array([[1, 2, 3], [3, 2, 1]], dtype=float)) == pytest.approx(0.0, abs=1e-12)


def test_a_hand_computed_case_without_ties():
    # totals 4, 4, 7, 5 (mean 5): S = 1 + 1 + 4 + 0 = 6; W = 12 * 6 / (2^2 * (4^3 - 4)) = 72 / 240
    rankings = np.array([[1, 2, 3, 4], [3, 2, 4, 1]], dtype=float)
    assert kendall_w(rankings) == pytest.approx(72 / 240)


def test_the_tie_correction():
    # totals 2.5, 3.5, 6 (mean 4): S = 2.25 + 0.25 + 4 = 6.5, so 12 S = 78.
    # One tie of 2 in the first row: T = 2^3 - 2 = 6; denominator 2^2 (3^3 - 3) - 2 * 6 = 84.
    rankings = np.array([[1.5, 1.5, 3], [1, 2, 3]])
    assert kendall_w(rankings) == pytest.approx(78 / 84)
    assert kendall_w(rankings) != pytest.approx(78 / 96)  # the uncorrected value


def test_a_rater_who_ties_everything_still_counts():
    # totals 3, 4, 5: S = 2; denominator 4 * 24 - 2 * (27 - 3) = 48
    assert kendall_w(np.array([[2, 2, 2], [1, 2, 3]], dtype=float)) == pytest.approx(24 / 48)


@pytest.mark.parametrize(
    "rankings",
    [
        pytest.param([[1, 2, 3]], id="one-rater"),
        pytest.param([[1], [1], [1]], id="one-item"),
        pytest.param([[2, 2, 2], [2, 2, 2]], id="everyone-ties-everything"),
        pytest.param([[1.5, 1.5], [1.5, 1.5], [1.5, 1.5]], id="everyone-ties-two"),
    ],
)
def test_w_is_undefined_without_two_raters_who_rank_something(rankings):
    assert kendall_w(np.array(rankings, dtype=float)) is None


def test_w_does_not_depend_on_the_order_of_raters_or_items():
    rankings = np.array([[1, 2, 3, 4], [2, 1, 4, 3], [1, 3, 2, 4]], dtype=float)
    w = kendall_w(rankings)
    assert kendall_w(rankings[::-1]) == pytest.approx(w)
    assert kendall_w(rankings[:, [3, 1, 0, 2]]) == pytest.approx(w)


@st.composite
def random_rankings(draw, ties: bool) -> np.ndarray:
    m = draw(st.integers(2, 8))
    n = draw(st.integers(2, 8))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    if ties:
        values = rng.integers(0, draw(st.integers(1, 4)), size=(m, n))  # few levels: many ties
        return pd.DataFrame(values).rank(axis=1, method="average").to_numpy()
    return np.argsort(np.argsort(rng.random((m, n)), axis=1), axis=1) + 1.0


@settings(max_examples=150, deadline=None)
@given(random_rankings(ties=False))
def test_w_is_between_0_and_1_without_ties(rankings):
    w = kendall_w(rankings)
    assert w is not None
    assert -1e-12 <= w <= 1 + 1e-12


@settings(max_examples=150, deadline=None)
@given(random_rankings(ties=True))
def test_w_is_between_0_and_1_with_ties(rankings):
    w = kendall_w(rankings)
    everyone_ties_everything = all(len(set(row)) == 1 for row in rankings)
    if everyone_ties_everything:
        assert w is None
    else:
        assert w is not None
        assert -1e-12 <= w <= 1 + 1e-12


@settings(max_examples=100, deadline=None)
@given(random_rankings(ties=False))
def test_w_matches_the_mean_spearman_correlation(rankings):
    # Without ties, the mean pairwise Spearman rho of m raters is (m W - 1) / (m - 1).
    m = rankings.shape[0]
    rho = np.corrcoef(rankings)[np.triu_indices(m, k=1)].mean()
    assert kendall_w(rankings) == pytest.approx(((m - 1) * rho + 1) / m, abs=1e-9)


# --- consensus labels ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("w", "label"),
    [
        # Schmidt (1997): 0.1 very weak, 0.3 weak, 0.5 moderate, 0.7 strong, 0.9 unusually strong; W = 0 is none.
        # Between anchors the nearest one reads; halfway reads as the higher.
        (0.0, "no agreement"),
        (0.0499, "no agreement"),
        (0.05, "very weak agreement"),
        (0.1, "very weak agreement"),
        (0.1999, "very weak agreement"),
        (0.2, "weak agreement"),
        (0.3, "weak agreement"),
        (0.3999, "weak agreement"),
        (0.4, "moderate agreement"),
        (0.5, "moderate agreement"),
        (0.5999, "moderate agreement"),
        (0.6, "strong agreement"),
        (0.7, "strong agreement"),
        (0.7999, "strong agreement"),
        (0.8, "unusually strong agreement"),
        (0.9, "unusually strong agreement"),
        (1.0, "unusually strong agreement"),
        (None, NO_AGREEMENT_YET),
    ],
)
def test_consensus_label(w, label):
    assert consensus_label(w) == label


# --- individual weights -------------------------------------------------------------------------

GENERIC = Room(
    "TESTROOM",
    "Generic",
    [{"id": f, "name": f.upper(), "definition": ""} for f in ["a", "b", "c", "d"]],
    "sliders",
    False,
    1,
    False,
    False,
)


def test_slider_votes_are_normalised_in_the_rooms_factor_order():
    weights = vote_weights(Vote("Ada", {"d": 0, "c": 2, "b": 2, "a": 6}, "", 1), GENERIC)
    assert list(weights) == ["a", "b", "c", "d"]
    assert weights == pytest.approx({"a": 0.6, "b": 0.2, "c": 0.2, "d": 0.0})
    assert math.fsum(weights.values()) == pytest.approx(1.0)


def test_rank_votes_use_the_rank_order_centroid():
    room = Room(**{**GENERIC.__dict__, "method": "rank"})
    weights = vote_weights(Vote("Ada", {"a": 4, "b": 2, "c": 3, "d": 1}, "", 1), room)
    assert list(weights) == ["a", "b", "c", "d"]
    exact = {"d": Fraction(25, 48), "b": Fraction(13, 48), "c": Fraction(7, 48), "a": Fraction(3, 48)}
    assert weights == pytest.approx({f: float(w) for f, w in exact.items()})
    # Barron & Barrett (1996): n = 4 gives 0.521, 0.271, 0.146, 0.063
    three = {f: str(Decimal(w).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)) for f, w in weights.items()}
    assert [three[f] for f in ["d", "b", "c", "a"]] == ["0.521", "0.271", "0.146", "0.063"]


def test_tied_ranks_share_their_positions_weights():
    room = Room(**{**GENERIC.__dict__, "method": "rank"})
    weights = vote_weights(Vote("Ada", {"a": 1, "b": 1, "c": 3, "d": 4}, "", 1), room)
    assert weights == pytest.approx({"a": 19 / 48, "b": 19 / 48, "c": 7 / 48, "d": 3 / 48})


def test_rank_values_stored_as_floats_work():
    room = Room(**{**GENERIC.__dict__, "method": "rank"})
    as_ints = vote_weights(Vote("Ada", {"a": 2, "b": 1, "c": 4, "d": 3}, "", 1), room)
    as_floats = vote_weights(Vote("Ada", {"a": 2.0, "b": 1.0, "c": 4.0, "d": 3.0}, "", 1), room)
    assert as_floats == as_ints


# --- summarising a round ------------------------------------------------------------------------


def test_group_weights_are_the_mean_of_normalised_weights(model):
    room = make_room(model)
    raw = [
        {"pm_alignment": 10, "ops_empathy": 2, "global_tradeoffs": 8},
        {"ops_empathy": 10, "cross_functional_efficiency": 5, "best_practices": 5},
        {"domain_expertise": 3, "pm_credibility": 3, "flexibility": 3, "best_practices": 1},
    ]
    votes = [Vote(name, {f: v.get(f, 0) for f in room.factor_ids}, "", 1) for name, v in zip("ABC", raw, strict=True)]
    summary = summarise(room, votes, model)

    normalised = [{f: v.get(f, 0) / sum(v.values()) for f in room.factor_ids} for v in raw]
    expected = {f: sum(n[f] for n in normalised) / len(raw) for f in room.factor_ids}
    assert summary.weights == pytest.approx(expected)
    assert math.fsum(summary.weights.values()) == pytest.approx(1.0)

    names = [f.name for f in model.factors]
    assert list(summary.group.columns) == ["factor", "group weight"]
    assert list(summary.group["factor"]) == names
    assert list(summary.group["group weight"]) == pytest.approx([expected[f] for f in room.factor_ids])

    assert list(summary.individual.index) == ["A", "B", "C"]
    assert list(summary.individual.columns) == names
    assert summary.individual.sum(axis=1).to_numpy() == pytest.approx([1.0, 1.0, 1.0])
    assert summary.individual.loc["B", "Ops empathy"] == pytest.approx(0.5)


def test_spread_by_hand_most_divisive_first(model):
    room = make_room(model, ["pm_alignment", "domain_expertise", "ops_empathy"])
    raw = [(1, 1, 2), (1, 2, 1), (2, 1, 1), (0, 0, 4)]  # pm_alignment, domain_expertise, ops_empathy
    votes = [Vote(f"P{i}", dict(zip(room.factor_ids, r, strict=True)), "", 1) for i, r in enumerate(raw)]
    summary = summarise(room, votes, model)

    assert summary.weights == pytest.approx({"pm_alignment": 0.25, "domain_expertise": 0.25, "ops_empathy": 0.5})
    spread = summary.spread
    assert list(spread.columns) == SPREAD_COLUMNS
    # Ops empathy: 0.25, 0.25, 0.5, 1 -> IQR 0.625 - 0.25; the other two: 0, 0.25, 0.25, 0.5 -> 0.3125 - 0.1875.
    # Equal IQRs keep the room's order.
    assert list(spread["factor"]) == ["Ops empathy", "PM alignment", "Domain expertise"]
    rows = spread.set_index("factor")[SPREAD_COLUMNS[1:]]
    assert list(rows.loc["Ops empathy"]) == pytest.approx([0.25, 0.25, 0.375, 0.625, 1.0, 0.375])
    assert list(rows.loc["PM alignment"]) == pytest.approx([0.0, 0.1875, 0.25, 0.3125, 0.5, 0.125])
    assert list(rows.loc["Domain expertise"]) == pytest.approx([0.0, 0.1875, 0.25, 0.3125, 0.5, 0.125])

    # Rankings per vote (pm, domain, ops): (2.5, 2.5, 1), (2.5, 1, 2.5), (1, 2.5, 2.5), (2.5, 2.5, 1).
    # Totals 8.5, 8.5, 7: S = 1.5; W = 12 * 1.5 / (16 * 24 - 4 * 4 * 6) = 18 / 288.
    assert summary.kendall_w == pytest.approx(18 / 288)
    assert summary.consensus == "very weak agreement"  # 0.0625: nearer Schmidt's 0.1 than 0


def test_spread_matches_the_quartiles_of_each_factor(model):
    room = make_room(model)
    rng = np.random.default_rng(7)
    votes = [
        Vote(f"P{i}", {f: int(v) for f, v in zip(room.factor_ids, rng.integers(0, 11, 8), strict=True)}, "", 1)
        for i in range(9)
    ]
    votes = [v for v in votes if any(v.values.values())]
    summary = summarise(room, votes, model)
    spread = summary.spread
    assert list(spread.columns) == SPREAD_COLUMNS
    assert sorted(spread["factor"]) == sorted(f.name for f in model.factors)
    assert list(spread["iqr"]) == sorted(spread["iqr"], reverse=True)
    assert spread["iqr"].to_numpy() == pytest.approx((spread["q3"] - spread["q1"]).to_numpy())
    by_name = {f.name: f.id for f in model.factors}
    for row in spread.itertuples(index=False):
        column = [vote_weights(v, room)[by_name[row.factor]] for v in votes]
        expected = np.quantile(column, [0, 0.25, 0.5, 0.75, 1])
        assert [row.min, row.q1, row.median, row.q3, row.max] == pytest.approx(list(expected))


def test_winners_count_each_participants_first_placement(model):
    room = make_room(model)
    votes = [
        Vote("Ops fan", only(room, "ops_empathy"), "", 1),
        Vote("PM fan", only(room, "pm_alignment"), "", 1),
        Vote("Domain fan", only(room, "domain_expertise"), "", 1),
        Vote("Another ops fan", only(room, "ops_empathy", 3), "", 2),
    ]
    summary = summarise(room, votes, model)
    assert list(summary.winners.columns) == ["placement", "first for", "tied first for"]
    assert sorted(summary.winners["placement"]) == sorted(p.name for p in model.placements)
    # PM alignment alone: Head of Product and Product Areas both score +1, a tie for first, credited to neither alone.
    assert summary.winners["first for"].sum() == len(votes) - 1
    assert winners(summary) == {
        OPERATIONS: 2,
        PRODUCT_AREAS: 1,
        HEAD_OF_PRODUCT: 0,
        "Rolls up into central Biz Ops": 0,
    }
    assert ties(summary) == {OPERATIONS: 0, PRODUCT_AREAS: 1, HEAD_OF_PRODUCT: 1, "Rolls up into central Biz Ops": 0}
    assert list(summary.winners["first for"]) == sorted(summary.winners["first for"], reverse=True)
    assert summary.winners["placement"].tolist()[:3] == [OPERATIONS, PRODUCT_AREAS, HEAD_OF_PRODUCT]


def test_a_tie_for_first_is_not_settled_by_file_order(model):
    """Whichever placement comes first in the file, a tie is reported for both."""
    room = make_room(model)
    vote = [Vote("PM fan", only(room, "pm_alignment"), "", 1)]
    reordered = dataclasses.replace(model, placements=tuple(reversed(model.placements)))
    for m in (model, reordered):
        summary = summarise(room, vote, m)
        assert sum(winners(summary).values()) == 0
        assert {p for p, n in ties(summary).items() if n} == {HEAD_OF_PRODUCT, PRODUCT_AREAS}


def test_all_weight_on_ops_empathy_makes_operations_win(model):
    room = make_room(model)
    summary = summarise(room, [Vote("Ada", only(room, "ops_empathy"), "", 1)], model)
    assert winners(summary)[OPERATIONS] == 1
    assert summary.winners["first for"].sum() == 1
    assert summary.kendall_w is None
    assert summary.consensus == NO_AGREEMENT_YET


def test_comments_are_listed_only_when_given(model):
    room = make_room(model)
    votes = [
        Vote("Ada", only(room, "ops_empathy"), "Ops teams need us close.", 1),
        Vote("Bob", only(room, "pm_alignment"), "", 1),
        Vote("Cy", only(room, "flexibility"), "Keep it flexible.", 3),
    ]
    summary = summarise(room, votes, model)
    assert summary.comments == [("Ada", "Ops teams need us close."), ("Cy", "Keep it flexible.")]


def test_a_room_with_some_factors_in_its_own_order(model):
    ids = ["ops_empathy", "global_tradeoffs", "pm_alignment"]  # not the model's order
    room = make_room(model, ids)
    votes = [
        Vote("Ada", {"ops_empathy": 10, "global_tradeoffs": 0, "pm_alignment": 0}, "", 1),
        Vote("Bob", {"ops_empathy": 0, "global_tradeoffs": 4, "pm_alignment": 4}, "", 1),
    ]
    summary = summarise(room, votes, model)
    assert list(summary.weights) == ids
    assert summary.weights == pytest.approx({"ops_empathy": 0.5, "global_tradeoffs": 0.25, "pm_alignment": 0.25})
    assert list(summary.group["factor"]) == ["Ops empathy", "Visibility and global trade-offs", "PM alignment"]
    assert list(summary.individual.columns) == list(summary.group["factor"])
    assert sorted(summary.spread["factor"]) == sorted(summary.group["factor"])
    assert winners(summary) == {
        HEAD_OF_PRODUCT: 1,
        OPERATIONS: 1,
        "Rolls up into central Biz Ops": 0,
        PRODUCT_AREAS: 0,
    }
    # Ranks (ops, global, pm): (1, 2.5, 2.5) and (3, 1.5, 1.5): opposite -> W = 0
    assert summary.kendall_w == pytest.approx(0.0, abs=1e-12)
    assert summary.consensus == "no agreement"


def test_a_rank_room_uses_rank_order_centroid_weights(model):
    ids = ["pm_alignment", "ops_empathy", "domain_expertise", "flexibility"]
    room = make_room(model, ids, method="rank")
    votes = [
        Vote("Ada", {"pm_alignment": 1, "ops_empathy": 2, "domain_expertise": 3, "flexibility": 4}, "", 1),
        Vote("Bob", {"pm_alignment": 1, "ops_empathy": 2, "domain_expertise": 3, "flexibility": 4}, "", 1),
        Vote("Cy", {"pm_alignment": 1, "ops_empathy": 2, "domain_expertise": 3, "flexibility": 4}, "", 1),
    ]
    summary = summarise(room, votes, model)
    assert summary.weights == pytest.approx(
        {"pm_alignment": 25 / 48, "ops_empathy": 13 / 48, "domain_expertise": 7 / 48, "flexibility": 3 / 48}
    )
    assert summary.kendall_w == pytest.approx(1.0)
    assert summary.consensus == "unusually strong agreement"
    assert (summary.spread["iqr"] == 0).all()
    # Product Areas 25 * 1 + 7 * 2 + 3 * -2 = 33/48 beats Head of Product 25 * 1 + 3 * 1 = 28/48.
    assert winners(summary)[PRODUCT_AREAS] == 3


def test_opposite_rank_votes_show_no_agreement(model):
    ids = ["pm_alignment", "ops_empathy", "domain_expertise"]
    room = make_room(model, ids, method="rank")
    votes = [
        Vote("Ada", {"pm_alignment": 1, "ops_empathy": 2, "domain_expertise": 3}, "", 1),
        Vote("Bob", {"pm_alignment": 3, "ops_empathy": 2, "domain_expertise": 1}, "", 1),
    ]
    summary = summarise(room, votes, model)
    assert summary.kendall_w == pytest.approx(0.0, abs=1e-12)
    assert summary.consensus == "no agreement"
    assert summary.weights == pytest.approx(
        {"pm_alignment": 13 / 36, "ops_empathy": 5 / 18, "domain_expertise": 13 / 36}
    )


def test_participants_with_the_same_name_are_counted_apart(model):
    room = make_room(model)
    votes = [
        Vote("Anonymous", only(room, "ops_empathy"), "", 1),
        Vote("Anonymous", only(room, "pm_alignment"), "", 1),
    ]
    summary = summarise(room, votes, model)
    assert len(summary.individual) == 2
    assert winners(summary)[OPERATIONS] == 1 and ties(summary)[HEAD_OF_PRODUCT] == 1  # PM alignment alone: a tie
    assert summary.weights["ops_empathy"] == pytest.approx(0.5)


def test_a_round_without_votes(model):
    room = make_room(model)
    summary = summarise(room, [], model)
    assert summary.spread.empty
    assert list(summary.spread.columns) == SPREAD_COLUMNS
    assert summary.kendall_w is None
    assert summary.consensus == NO_AGREEMENT_YET
    assert summary.comments == []
    assert summary.individual.empty
    assert summary.winners["first for"].sum() == 0
    assert sorted(summary.winners["placement"]) == sorted(p.name for p in model.placements)
    assert list(summary.group["factor"]) == [f.name for f in model.factors]
    assert (summary.group["group weight"] == 0).all()


# --- the group's ranking ------------------------------------------------------------------------


def test_the_group_ranking_by_hand(model):
    # Scores from data/scores.csv (ops_empathy, pm_alignment, domain_expertise):
    #   Head of Product (0, 1, 0), Operations (2, -2, 0), central Biz Ops (0, -1, 0), Product Areas (0, 1, 2).
    # Normalised votes: Ada (1, 0, 0), Bob (0, 1/2, 1/2), Cy (2/5, 3/5, 0); the mean is (7/15, 11/30, 1/6).
    # Weighted sums: Areas 11/30 + 10/30 = 21/30, HoP 11/30, Ops 28/30 - 22/30 = 6/30, Biz Ops -11/30;
    # on 0-100 (25 points a unit, 50 = neutral): 67.5, 59.17, 55, 40.83.
    room = make_room(model, ["ops_empathy", "pm_alignment", "domain_expertise"])
    votes = [
        Vote("Ada", {"ops_empathy": 10, "pm_alignment": 0, "domain_expertise": 0}, "", 1),
        Vote("Bob", {"ops_empathy": 0, "pm_alignment": 5, "domain_expertise": 5}, "", 1),
        Vote("Cy", {"ops_empathy": 2, "pm_alignment": 3, "domain_expertise": 0}, "", 1),
    ]
    summary = summarise(room, votes, model)
    assert summary.participants == 3
    assert sorted(summary.model.factor_ids) == ["domain_expertise", "ops_empathy", "pm_alignment"]
    assert [(r.name, r.rank) for r in summary.ranking] == [
        (PRODUCT_AREAS, 1),
        (HEAD_OF_PRODUCT, 2),
        (OPERATIONS, 3),
        ("Rolls up into central Biz Ops", 4),
    ]
    expected = [50 + 25 * 21 / 30, 50 + 25 * 11 / 30, 50 + 25 * 6 / 30, 50 - 25 * 11 / 30]
    assert [r.score for r in summary.ranking] == pytest.approx(expected, abs=1e-6)
    assert expected == pytest.approx([67.5, 59.166667, 55.0, 40.833333], abs=1e-5)


def test_a_rank_room_ranks_with_its_centroid_weights(model):
    # Everyone ranks pm_alignment 1, ops_empathy 2: weights 3/4 and 1/4 (rank-order centroid, n = 2).
    # HoP 3/4, Areas 3/4 (tied first), Biz Ops -3/4, Ops -3/2 + 1/2 = -1: 68.75, 68.75, 31.25, 25.
    room = make_room(model, ["pm_alignment", "ops_empathy"], method="rank")
    votes = [Vote(n, {"pm_alignment": 1, "ops_empathy": 2}, "", 1) for n in ["Ada", "Bob"]]
    summary = summarise(room, votes, model)
    ranking = summary.ranking
    assert [(r.name, r.rank) for r in ranking] == [
        (HEAD_OF_PRODUCT, 1),
        (PRODUCT_AREAS, 1),
        ("Rolls up into central Biz Ops", 3),
        (OPERATIONS, 4),
    ]
    assert [r.score for r in ranking] == pytest.approx([68.75, 68.75, 31.25, 25.0])
    assert (ties(summary)[HEAD_OF_PRODUCT], ties(summary)[PRODUCT_AREAS], sum(winners(summary).values())) == (2, 2, 0)


def test_a_round_scored_with_an_edited_snapshot_ranks_the_added_placement(model):
    # The room's snapshot adds the optional Hybrid (ops_empathy 1, pm_alignment 1) and raises its
    # pm_alignment to 2. Equal weights: Hybrid 3/2, HoP 1/2, Areas 1/2, Ops 0, Biz Ops -1/2.
    full = load_model(include_optional=True)
    snapshot = set_score(add_optional(model, full, "uber_hybrid"), "uber_hybrid", "pm_alignment", 2)
    room = make_room(model, ["ops_empathy", "pm_alignment"])
    votes = [Vote(n, {"ops_empathy": 5, "pm_alignment": 5}, "", 1) for n in ["Ada", "Bob"]]
    summary = summarise(room, votes, snapshot)
    hybrid = full.placement("uber_hybrid").name
    assert summary.model.placement_ids == [*model.placement_ids, "uber_hybrid"]
    assert summary.model.factor_ids == ["pm_alignment", "ops_empathy"]
    assert [r.name for r in summary.ranking] == [
        hybrid,
        HEAD_OF_PRODUCT,
        PRODUCT_AREAS,
        OPERATIONS,
        "Rolls up into central Biz Ops",
    ]
    assert [r.score for r in summary.ranking] == pytest.approx([87.5, 62.5, 62.5, 50.0, 37.5])
    assert winners(summary)[hybrid] == 2 and sum(winners(summary).values()) == 2


def test_no_votes_no_ranking(model):
    summary = summarise(make_room(model), [], model)
    assert summary.ranking == []
    assert summary.participants == 0
    assert summary.agreement_note == "Kendall's W needs at least two votes."


def test_the_agreement_note_and_the_most_divisive_factors(model):
    room = make_room(model, ["ops_empathy", "pm_alignment", "domain_expertise"])
    votes = [
        Vote("Ada", {"ops_empathy": 10, "pm_alignment": 0, "domain_expertise": 5}, "", 1),
        Vote("Bob", {"ops_empathy": 0, "pm_alignment": 10, "domain_expertise": 5}, "", 1),
    ]
    summary = summarise(room, votes, model)
    assert summary.agreement_note.startswith("Kendall's W = 0.00 over 2 participants' factor rankings")
    assert summary.divisive(2) == ["Ops empathy", "PM alignment"]
    assert summary.divisive()[2] == "Domain expertise"


# --- group weights carried to the analysis pages ------------------------------------------------

CARRIED = GroupWeights("ABCD2345", 2, 5, {"a": 0.5, "b": 0.3, "c": 0.2})


def test_group_weights_stand_while_nobody_moves_them():
    assert CARRIED.still_in_effect({"a": 0.5, "b": 0.3, "c": 0.2})
    assert CARRIED.still_in_effect({"c": 0.2, "a": 0.5, "b": 0.3})  # order does not matter
    assert CARRIED.still_in_effect({"a": 0.5 + 1e-12, "b": 0.3, "c": 0.2 - 1e-12})  # float noise


@pytest.mark.parametrize(
    "weights",
    [
        pytest.param({"a": 0.4, "b": 0.4, "c": 0.2}, id="a-weight-moved"),
        pytest.param({"a": 0.5, "b": 0.2, "c": 0.3}, id="two-swapped"),
        pytest.param({"a": 0.5, "b": 0.5}, id="a-factor-removed"),
        pytest.param({"a": 0.5, "b": 0.3, "c": 0.2, "d": 0.0}, id="a-factor-added"),
        pytest.param({"a": 0.5, "b": 0.3, "x": 0.2}, id="a-factor-replaced"),
        pytest.param({}, id="no-weights"),
    ],
)
def test_group_weights_no_longer_stand_once_changed(weights):
    assert not CARRIED.still_in_effect(weights)


# --- what the pages show and allow --------------------------------------------------------------


def room_in(state: str, method="sliders", revealed=False) -> Room:
    closed, locked = state == "closed", state == "locked"
    return Room(**{**GENERIC.__dict__, "closed": closed, "locked": locked, "revealed": revealed, "method": method})


def enabled(room: Room) -> dict[str, bool]:
    return {c.label: c.enabled for c in facilitator_controls(room)}


def test_an_open_room_allows_everything():
    assert enabled(room_in("open")) == {
        "Reveal votes": True,
        "Lock voting": True,
        "Start a new round": True,
        "Close the room": True,
    }
    assert [c.action for c in facilitator_controls(room_in("open"))] == ["reveal", "lock", "new_round", "close"]
    assert [c.label for c in facilitator_controls(room_in("open")) if c.primary] == ["Reveal votes"]


def test_a_revealed_round_cannot_be_revealed_again():
    assert enabled(room_in("open", revealed=True))["Reveal votes"] is False
    assert enabled(room_in("open", revealed=True))["Start a new round"] is True


def test_a_locked_round_offers_to_reopen_voting():
    controls = facilitator_controls(room_in("locked"))
    assert [(c.label, c.action, c.enabled) for c in controls][1] == ("Reopen voting", "reopen_voting", True)
    assert "Lock voting" not in enabled(room_in("locked"))


def test_reveal_waits_for_a_vote():
    assert enabled(room_in("open"))["Reveal votes"] is True  # the count is not known: the store decides
    assert facilitator_controls(room_in("open"), submitted=0)[0].enabled is False
    assert facilitator_controls(room_in("open"), submitted=1)[0].enabled is True


def test_a_closed_room_offers_to_reopen_while_it_may(monkeypatch):
    closed_at = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)
    closed = Room(**{**room_in("closed").__dict__, "closed_at": closed_at})
    monkeypatch.setattr(domain, "now", lambda: closed_at + timedelta(hours=REOPEN_HOURS - 1))
    controls = facilitator_controls(closed, submitted=3)
    assert [(c.label, c.action, c.enabled) for c in controls] == [
        ("Reveal votes", "reveal", False),
        ("Lock voting", "lock", False),
        ("Start a new round", "new_round", False),
        ("Reopen the room", "reopen", True),
    ]
    monkeypatch.setattr(domain, "now", lambda: closed_at + timedelta(hours=REOPEN_HOURS))
    assert [c.action for c in facilitator_controls(closed)] == ["reveal", "lock", "new_round", "close"]
    assert not any(enabled(closed).values())


def test_a_closed_room_allows_nothing():
    assert not any(enabled(room_in("closed")).values())


def test_room_factors_keep_the_chosen_order_with_names_and_definitions(model):
    factors = room_factors(model, ["ops_empathy", "pm_alignment"])
    assert [f["id"] for f in factors] == ["ops_empathy", "pm_alignment"]
    assert factors[0] == {
        "id": "ops_empathy",
        "name": "Ops empathy",
        "definition": model.factor("ops_empathy").definition,
    }
    assert room_factors(model, []) == []


@pytest.mark.parametrize(("state", "voting"), [("open", "open"), ("locked", "locked"), ("closed", "closed")])
def test_board_metrics(state, voting):
    assert board_metrics(room_in(state), 7, 3) == [("Joined", 7), ("Votes in", 3), ("Round", 1), ("Voting", voting)]


# --- pairwise votes (AHP) -------------------------------------------------------------------------

PAIRWISE = Room(**{**GENERIC.__dict__, "factors": GENERIC.factors[:3], "method": "pairwise"})


def test_a_consistent_pairwise_vote_gives_the_weights_its_ratios_state():
    # a = 2 x b, a = 4 x c, b = 2 x c: consistent, so w = (4, 2, 1) / 7.
    weights = vote_weights(Vote("Ada", {"a|b": 2, "a|c": 4, "b|c": 2}, "", 1), PAIRWISE)
    assert weights == pytest.approx({"a": 4 / 7, "b": 2 / 7, "c": 1 / 7})


def test_pairwise_group_weights_are_the_normalised_geometric_mean_and_w_is_computed(model):
    room = Room(
        **{**make_room(model, ["pm_alignment", "ops_empathy", "global_tradeoffs"]).__dict__, "method": "pairwise"}
    )
    # Ada: (4, 2, 1)/7 and Bo: (1, 2, 4)/7, both consistent; Dee is inconsistent (below).
    ada = {"pm_alignment|ops_empathy": 2, "pm_alignment|global_tradeoffs": 4, "ops_empathy|global_tradeoffs": 2}
    bo = {
        "pm_alignment|ops_empathy": 1 / 2,
        "pm_alignment|global_tradeoffs": 1 / 4,
        "ops_empathy|global_tradeoffs": 1 / 2,
    }
    dee = {"pm_alignment|ops_empathy": 1, "pm_alignment|global_tradeoffs": 1, "ops_empathy|global_tradeoffs": 1 / 8}
    votes = [Vote("Ada", ada, "", 1), Vote("Bo", bo, "", 1), Vote("Dee", dee, "", 1)]
    summary = summarise(room, votes, model)
    # Dee: a = b, a = c, c = 8 x b. For three factors the eigenvector equals the row geometric means
    # (Crawford and Williams 1985): a: 1, b: (1/8)^(1/3) = 1/2, c: 8^(1/3) = 2 -> (1, 1/2, 2) / 3.5.
    dee_w = np.array([1, 0.5, 2]) / 3.5
    ada_w, bo_w = np.array([4, 2, 1]) / 7, np.array([1, 2, 4]) / 7
    expected = (ada_w * bo_w * dee_w) ** (1 / 3)
    expected = expected / expected.sum()
    assert list(summary.weights.values()) == pytest.approx(list(expected), rel=1e-6)
    assert summary.weights != pytest.approx(dict(zip(room.factor_ids, (ada_w + bo_w + dee_w) / 3, strict=True)))
    assert summary.kendall_w is not None


# --- careless pairwise votes and a resampled room -------------------------------------------------

THREE = ["pm_alignment", "ops_empathy", "global_tradeoffs"]
# Ada (4, 2, 1)/7 and Bo (1, 2, 4)/7 are consistent mirror images. Dee says a = b, a = c but c = 8 x b: the
# loop's product is 1/8, so lambda_max = 1 + (1/8)^(1/3) + 8^(1/3) = 3.5 (for three factors), CI = 0.25 and
# CR = 0.25 / 0.5245 = 0.48 (Alonso and Lamata's RI(3)).
ADA = {"pm_alignment|ops_empathy": 2, "pm_alignment|global_tradeoffs": 4, "ops_empathy|global_tradeoffs": 2}
BO = {"pm_alignment|ops_empathy": 1 / 2, "pm_alignment|global_tradeoffs": 1 / 4, "ops_empathy|global_tradeoffs": 1 / 2}
DEE = {"pm_alignment|ops_empathy": 1, "pm_alignment|global_tradeoffs": 1, "ops_empathy|global_tradeoffs": 1 / 8}
# The same three, on the points a phone's form offers (the store refuses others): Dee's loop product is 1/9,
# lambda_max = 1 + 9^(-1/3) + 9^(1/3) = 3.56, CI = 0.28, CR = 0.53.
ON_THE_FORMS_SCALE = {
    "Ada": {"pm_alignment|ops_empathy": 3, "pm_alignment|global_tradeoffs": 9, "ops_empathy|global_tradeoffs": 3},
    "Bo": {
        "pm_alignment|ops_empathy": 1 / 3,
        "pm_alignment|global_tradeoffs": 1 / 9,
        "ops_empathy|global_tradeoffs": 1 / 3,
    },
    "Dee": {"pm_alignment|ops_empathy": 1, "pm_alignment|global_tradeoffs": 1, "ops_empathy|global_tradeoffs": 1 / 9},
}


def test_a_vote_above_cr_010_is_counted_and_the_weights_are_shown_without_it(model):
    room = dataclasses.replace(make_room(model, THREE), method="pairwise")
    votes = [Vote("Ada", ADA, "", 1), Vote("Bo", BO, "", 1), Vote("Dee", DEE, "", 1)]
    summary = summarise(room, votes, model)
    assert summary.inconsistent == 1
    # Without Dee: the geometric mean of the mirror images, sqrt(4 x 1, 2 x 2, 1 x 4) = (2, 2, 2): equal weights.
    assert summary.weights_consistent == pytest.approx(dict.fromkeys(THREE, 1 / 3))
    rows = summary.without_inconsistent_rows()
    assert [name for name, _, _ in rows] == [model.factor(f).name for f in THREE]
    assert [kept for _, _, kept in rows] == pytest.approx([1 / 3] * 3)
    checks = result_checks(summary)
    assert checks[0].startswith("1 of 3 votes have a consistency ratio above 0.10")
    scoring = model.only(factor_ids=THREE)
    with_dee, without_dee = rank(scoring, summary.weights)[0].name, rank(scoring, dict.fromkeys(THREE, 1 / 3))[0].name
    expected = f"{with_dee} still leads" if with_dee == without_dee else f"{without_dee} leads instead of {with_dee}"
    assert expected in checks[0]
    assert (
        "Would a similar group agree?" in checks[1] and "2,000 rooms resampled from these 3 participants" in checks[1]
    )
    # Without inconsistent votes nothing is dropped, and the board says every vote passed.
    clean = summarise(room, votes[:2], model)
    assert (clean.inconsistent, clean.weights_consistent, clean.without_inconsistent_rows()) == (0, None, ())
    assert result_checks(clean)[0] == "Every vote has a consistency ratio of 0.10 or less."


def test_slider_rooms_have_no_consistency_check_but_the_resampling_check(model):
    room = make_room(model, THREE)
    votes = [
        Vote("Ada", dict.fromkeys(THREE, 5) | {"pm_alignment": 9}, "", 1),
        Vote("Bo", dict.fromkeys(THREE, 5), "", 1),
    ]
    checks = result_checks(summarise(room, votes, model))
    assert len(checks) == 1 and checks[0].startswith("Would a similar group agree?")


def test_the_record_carries_both_weights_and_the_resampling_share(model):
    room = dataclasses.replace(make_room(model, THREE), method="pairwise")
    summary = summarise(room, [Vote("Ada", ADA, "", 1), Vote("Bo", BO, "", 1), Vote("Dee", DEE, "", 1)], model)
    carried = GroupWeights.of_round(room, 1, summary, "the room model")
    assert carried.checks == tuple(result_checks(summary))
    assert carried.without_inconsistent == summary.without_inconsistent_rows()


def test_the_board_counts_hidden_inconsistent_votes_without_revealing_them(model, tmp_path):
    store = RoomStore(sa.create_engine(f"sqlite:///{tmp_path / 'rooms.db'}"))
    code, key = store.create_room("Pairs", room_factors(model, THREE), "pairwise", model)
    for name, values in ON_THE_FORMS_SCALE.items():
        store.submit(code, store.join(code, name), values)
    room = store.room(code)
    assert hidden_inconsistent_votes(store, room, key) == 1
    assert board_metrics(room, 3, 3, 1)[2] == ("CR above 0.10", 1)
    with pytest.raises(RoomError, match="hidden"):
        store.votes(code)  # counting revealed nothing
    with pytest.raises(RoomError, match="facilitator key"):
        hidden_inconsistent_votes(store, room, "not the key")
    sliders, sliders_key = store.create_room("Levels", room_factors(model, THREE), "sliders", model)
    assert hidden_inconsistent_votes(store, store.room(sliders), sliders_key) is None


# --- the vectorised summary against a brute-force oracle ------------------------------------------
#
# The oracle below is written from the definitions, one participant and one tie group at a time; the
# summary computes everyone at once. Few slider levels (or ranks) give many ties on purpose.


def oracle_average_ranks(weights: list[float]) -> list[float]:
    """1 for the largest weight; tied weights share the mean of the positions they occupy."""
    order = sorted(range(len(weights)), key=lambda i: -weights[i])
    ranks = [0.0] * len(weights)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and weights[order[end + 1]] == weights[order[start]]:
            end += 1
        for i in order[start : end + 1]:
            ranks[i] = (start + 1 + end + 1) / 2
        start = end + 1
    return ranks


def oracle_kendall_w(rankings: list[list[float]]) -> float | None:
    """W = 12 S / (m^2 (n^3 - n) - m sum T), T summed over every rater's tie groups of size t: t^3 - t."""
    m, n = len(rankings), len(rankings[0])
    if m < 2 or n < 2:
        return None
    totals = [math.fsum(row[j] for row in rankings) for j in range(n)]
    mean = math.fsum(totals) / n
    s = math.fsum((t - mean) ** 2 for t in totals)
    ties = sum(t**3 - t for row in rankings for t in Counter(row).values())
    denominator = m**2 * (n**3 - n) - m * ties
    return None if denominator <= 0 else 12 * s / denominator


def oracle_quartiles(values: list[float]) -> list[float]:
    """min, q1, median, q3, max by linear interpolation between order statistics."""
    ordered = sorted(values)

    def at(q: float) -> float:
        position = q * (len(ordered) - 1)
        below = math.floor(position)
        above = min(below + 1, len(ordered) - 1)
        return ordered[below] + (position - below) * (ordered[above] - ordered[below])

    return [at(q) for q in (0, 0.25, 0.5, 0.75, 1)]


SHIPPED = load_model()


@st.composite
def rounds(draw):
    """(room, votes): some of the model's factors in any order, sliders or ranks, 0-40 votes with many ties."""
    model = SHIPPED
    ids = draw(st.lists(st.sampled_from(model.factor_ids), min_size=1, max_size=8, unique=True))
    method = draw(st.sampled_from(["sliders", "rank"]))
    n = len(ids)
    if method == "sliders":
        top = draw(st.integers(1, 10))
        levels = st.lists(st.integers(0, top), min_size=n, max_size=n).filter(any)
    else:
        levels = st.lists(st.integers(1, draw(st.integers(1, n))), min_size=n, max_size=n)
    rows = draw(st.lists(levels, max_size=40))
    names = st.sampled_from(["Ana", "Ben", "Anonymous"])
    votes = [Vote(draw(names), dict(zip(ids, row, strict=True)), "", 1) for row in rows]
    return make_room(model, ids, method), votes


@settings(max_examples=200, deadline=None)
@given(rounds())
def test_the_summary_matches_a_participant_by_participant_oracle(case):
    room, votes = case
    model = SHIPPED
    summary = summarise(room, votes, model)
    names = [f["name"] for f in room.factors]
    weights = [vote_weights(v, room) for v in votes]  # the per-vote definitions (normalise, rank-order centroid)

    assert summary.participants == len(votes)
    assert summary.individual.to_numpy().tolist() == [[w[f] for f in room.factor_ids] for w in weights]
    assert list(summary.individual.columns) == names
    group = {f: math.fsum(w[f] for w in weights) / len(weights) for f in room.factor_ids} if votes else {}
    assert summary.weights == pytest.approx(group, abs=1e-12)

    # Kendall's W over average ranks, ties corrected as published.
    expected_w = (
        oracle_kendall_w([oracle_average_ranks([w[f] for f in room.factor_ids]) for w in weights]) if votes else None
    )
    if expected_w is None:
        assert summary.kendall_w is None
    else:
        assert summary.kendall_w == pytest.approx(expected_w, abs=1e-12)

    # Who wins for whom: each participant's own ranking; a tie for first is counted as a tie for each.
    scoring = model.only(factor_ids=room.factor_ids)
    leaders = [[r.name for r in rank(scoring, w) if r.rank == 1] for w in weights]
    alone = Counter(names[0] for names in leaders if len(names) == 1)
    tied = Counter(name for names in leaders if len(names) > 1 for name in names)
    table = summary.winners.set_index("placement")
    assert table["first for"].to_dict() == {p.name: alone.get(p.name, 0) for p in scoring.placements}
    assert table["tied first for"].to_dict() == {p.name: tied.get(p.name, 0) for p in scoring.placements}

    # Spread: each factor's quartiles, widest IQR first, ties in the room's order.
    if votes:
        rows = {r.factor: [r.min, r.q1, r.median, r.q3, r.max] for r in summary.spread.itertuples(index=False)}
        for f, name in zip(room.factor_ids, names, strict=True):
            assert rows[name] == pytest.approx(oracle_quartiles([w[f] for w in weights]), abs=1e-12)
        iqr = {name: rows[name][3] - rows[name][1] for name in names}  # as the summary orders them, to the bit
        assert list(summary.spread["factor"]) == sorted(names, key=lambda name: -iqr[name])


def test_tied_weights_share_their_ranks_and_are_corrected_for():
    """Two raters; the first ties two factors: as in test_the_tie_correction, W = 78 / 84."""
    votes = [Vote("Ana", {"a": 5, "b": 5, "c": 1}, "", 1), Vote("Ben", {"a": 6, "b": 3, "c": 1}, "", 1)]
    weights = votes_matrix(votes, GENERIC_3)
    assert average_ranks(weights).tolist() == [[1.5, 1.5, 3.0], [1.0, 2.0, 3.0]]
    assert kendall_w(average_ranks(weights)) == pytest.approx(78 / 84)
    everyone_ties = votes_matrix([Vote(n, {"a": 2, "b": 2, "c": 2}, "", 1) for n in "AB"], GENERIC_3)
    assert average_ranks(everyone_ties).tolist() == [[2.0, 2.0, 2.0]] * 2
    assert kendall_w(average_ranks(everyone_ties)) is None


GENERIC_3 = Room(
    "TESTROOM", "t", [{"id": f, "name": f.upper(), "definition": ""} for f in "abc"], "sliders", False, 1, True, False
)


def test_votes_the_store_would_refuse_are_read_as_one_vote_at_a_time_reads_them(model):
    """Refused with vote_weights' own message; a slider vote missing a factor gives it no weight, as before."""
    room = make_room(model, ["pm_alignment", "ops_empathy"])
    good = Vote("Ana", {"pm_alignment": 4, "ops_empathy": 6}, "", 1)
    for bad in (
        {"pm_alignment": 0, "ops_empathy": 0},
        {"pm_alignment": -1, "ops_empathy": 3},
        {"x": 1, "pm_alignment": 2},
    ):
        with pytest.raises(InputError) as caught:
            votes_matrix([good, Vote("Ben", bad, "", 1)], room)
        with pytest.raises(InputError) as per_vote:
            vote_weights(Vote("Ben", bad, "", 1), room)
        assert str(caught.value) == str(per_vote.value)
    assert votes_matrix([good, Vote("Ben", {"pm_alignment": 2}, "", 1)], room).tolist() == [
        [0.4, pytest.approx(0.6)],
        [1.0, 0.0],
    ]
    ranks = make_room(model, ["pm_alignment", "ops_empathy"], method="rank")
    with pytest.raises(InputError, match="no rank for"):
        votes_matrix([Vote("Ben", {"pm_alignment": 1}, "", 1)], ranks)


# --- the summary, kept per (room, round, latest revision) -----------------------------------------


@pytest.fixture
def revealed(tmp_path, model):
    """A SQLite store with a revealed round of two votes: (store, room code, facilitator key, tokens)."""
    store = RoomStore(sa.create_engine(f"sqlite:///{tmp_path / 'rooms.db'}"))
    code, key = store.create_room("Cached", room_factors(model, model.factor_ids[:3]), "sliders", model)
    tokens = [store.join(code, name) for name in ("Ana", "Ben")]
    for token, level in zip(tokens, (2, 8), strict=True):
        store.submit(code, token, dict.fromkeys(model.factor_ids[:3], 5) | {model.factor_ids[0]: level})
    store.reveal(code, key)
    return store, code, key, tokens


@pytest.fixture
def counted(monkeypatch):
    """Counts the summaries computed (and starts from an empty cache)."""
    calls = []
    real = group_module.summarise
    monkeypatch.setattr(group_module, "summarise", lambda *args: calls.append(args) or real(*args))
    group_module._summaries.clear()
    yield calls
    group_module._summaries.clear()


def test_the_summary_is_reused_until_the_round_changes(revealed, counted, model):
    store, code, key, tokens = revealed
    room = store.room(code)
    first = round_summary(store, room, 1, model)
    assert round_summary(store, store.room(code), 1, model) is first  # the board and every phone share it
    assert len(counted) == 1 and first.participants == 2

    store.reopen_voting(code, key)  # a revised vote: the next reveal shows it
    store.submit(code, tokens[0], dict.fromkeys(model.factor_ids[:3], 1))
    store.reveal(code, key)
    revised = round_summary(store, store.room(code), 1, model)
    assert len(counted) == 2 and revised is not first
    assert revised.weights[model.factor_ids[0]] != first.weights[model.factor_ids[0]]

    store.remove_participant(code, key, store.participants(code, key)[1].id)  # a vote leaves the tally
    assert round_summary(store, store.room(code), 1, model).participants == 1
    assert len(counted) == 3
    assert round_summary(store, store.room(code), 1, model).participants == 1
    assert len(counted) == 3


def test_a_hidden_round_is_never_served_from_the_cache(revealed, counted, model):
    store, code, key, _ = revealed
    round_summary(store, store.room(code), 1, model)
    store.reopen_voting(code, key)  # hidden again
    with pytest.raises(RoomError, match="hidden"):
        round_summary(store, store.room(code), 1, model)
    assert len(counted) == 1


def test_each_round_and_baseline_has_its_own_summary(revealed, counted, model):
    store, code, key, _ = revealed
    first = round_summary(store, store.room(code), 1, model)
    store.new_round(code, key)
    token = store.join(code, "Cy")
    store.submit(code, token, dict.fromkeys(model.factor_ids[:3], 3))
    store.reveal(code, key)
    second = round_summary(store, store.room(code), 2, model)
    assert (first.participants, second.participants) == (2, 1)
    assert round_summary(store, store.room(code), 1, model) is first
    assert round_summary(store, store.room(code), 1, load_model()) is not first  # another baseline object
    assert len(counted) == 3
