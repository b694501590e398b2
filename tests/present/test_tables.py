"""Tidy tables behind the charts and the robustness page (placement/present/tables.py)."""

from __future__ import annotations

import pandas as pd
import pytest

from placement.analysis import robustness
from placement.analysis.robustness import Settings
from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.present import tables


@pytest.fixture(scope="module")
def author(model):
    weights = normalise(model.presets["author"].weights, model.factor_ids)
    return weights, rank(model, weights)


def test_ranking_table(model, author):
    _, results = author
    table = tables.ranking_table(model, results)
    assert table.columns.tolist() == ["rank", "placement", "short_name", "score", "benefit_points", "risk_points"]
    assert len(table) == 4
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table["placement"].tolist() == [r.name for r in results]
    assert table["short_name"].tolist() == ["Head of Product", "Central Biz Ops", "Product Areas", "Operations"]
    assert table["score"].tolist() == [75.0, 47.4, 46.1, 34.2]  # 25 * (2 + (38, -4, -6, -24) / 38)
    first = table.iloc[0]
    assert first["benefit_points"] == 25.0 and first["risk_points"] == 0.0  # (8 + 20 + 5 + 5) / 38 * 25
    assert (table["benefit_points"] >= 0).all() and (table["risk_points"] <= 0).all()
    # score = 50 + benefits + risks, up to the rounding of three numbers to one decimal.
    assert ((50 + table["benefit_points"] + table["risk_points"] - table["score"]).abs() <= 0.15).all()


def test_ranking_table_keeps_tied_ranks(model):
    weights = normalise(model.presets["ops_enablement"].weights, model.factor_ids)
    table = tables.ranking_table(model, rank(model, weights))
    assert table["rank"].tolist() == [1, 2, 2, 4]


def test_contributions_table(model, author):
    weights, results = author
    table = tables.contributions_table(model, results, weights)
    assert table.columns.tolist() == [
        "placement",
        "short_name",
        "factor",
        "score_cell",
        "score_label",
        "weight",
        "points",
        "provenance",
        "rationale",
        "evidence",
    ]
    assert len(table) == len(results) * len(model.factors) == 32
    assert table["placement"].tolist()[:8] == [results[0].name] * 8  # ranking order, then factor order
    assert table["factor"].tolist()[:8] == [f.name for f in model.factors]
    assert set(table["provenance"]) == {"documented", "inferred", "no evidence"}
    assert set(table["score_label"]) <= {"-2", "-1", "0", "+1", "+2"}
    by_placement = table.groupby("placement")["points"].sum()
    for r in results:
        assert by_placement[r.name] == pytest.approx(r.score - 50, abs=0.05)


def test_the_contribution_numbers_are_the_readers_columns_of_every_row(model, author):
    weights, results = author
    shown = tables.contributions_numbers(model, results, weights)
    assert list(shown.columns) == ["placement", "factor", "score_cell", "weight", "points", "provenance", "rationale"]
    assert len(shown) == len(model.placements) * len(model.factors)


def test_contributions_table_row_details(model, author):
    weights, results = author
    table = tables.contributions_table(model, results, weights)
    row = table[(table["short_name"] == "Operations") & (table["factor"] == "PM alignment")].iloc[0]
    assert row["score_cell"] == -2
    assert row["score_label"] == "-2"
    assert row["weight"] == round(8 / 38, 4)
    assert row["points"] == round(-2 * 8 / 38 * 25, 2)
    assert row["provenance"] == "documented"
    assert row["evidence"] == model.evidence["ops_risk"].statement
    neutral = table[(table["short_name"] == "Head of Product") & (table["factor"] == "Ops empathy")].iloc[0]
    assert (neutral["score_label"], neutral["provenance"], neutral["evidence"]) == ("0", "no evidence", "")


def test_matrix_table(model):
    table = tables.matrix_table(model)
    assert table.columns.tolist() == ["Head of Product", "Operations", "Central Biz Ops", "Product Areas"]
    assert table.index.name == "factor"
    assert table.index.tolist() == [f.name for f in model.factors]
    assert table.shape == (8, 4)
    assert table.loc["PM alignment", "Head of Product"] == "+1 I"
    assert table.loc["Visibility and global trade-offs", "Operations"] == "-1 I"
    assert table.loc["Ops empathy", "Head of Product"].endswith("–")


# --- robustness tables ("How sure are we?") ----------------------------------------------------


@pytest.fixture(scope="module")
def balanced(model):
    weights = normalise(model.presets["balanced"].weights, model.factor_ids)
    return weights, robustness.analyse(model, weights, Settings(samples=4_000))


def test_stability_table_is_ordered_by_smallest_flip(model, balanced):
    _, analysis = balanced
    table = tables.stability_table(model, analysis)
    flips = table["smallest flip"].dropna().tolist()
    assert flips == sorted(flips)
    assert len(table) == len(model.factors)
    assert sorted(table["factor"]) == sorted(f.name for f in model.factors)
    first = min(analysis.stabilities, key=lambda s: s.slack)
    assert table.loc[0, "factor"] == model.factors[first.factor].name


def test_stability_table_says_nobody_and_leaves_an_endless_slack_blank(model):
    # Weights 0.2 and 0.8: Biz Ops leads (1.4 against 0.2 for Head of Product and Product Areas). Sweeping
    # Cross-functional efficiency: Biz Ops 3t - 1 meets Head of Product 1 - t at t = 0.5; above 0.8 nobody.
    weights = normalise({"pm_alignment": 1, "cross_functional_efficiency": 4}, model.factor_ids)
    table = tables.stability_table(model, robustness.analyse(model, weights, Settings(samples=200)))
    row = table.set_index("factor").loc["Cross-functional efficiency"]
    assert row["above high, leader"] == "nobody" and row["high"] == 1.0
    assert row["smallest flip"] == pytest.approx(0.3)
    assert row["current"] == pytest.approx(0.8) and row["low"] == pytest.approx(0.5)


def test_takeover_table_covers_every_other_placement(model, balanced):
    _, analysis = balanced
    table = tables.takeover_table(model, analysis)
    assert len(table) == len(model.placements) - 1
    assert table["what it takes"].str.contains("Raise|Lower|No change").all()
    assert model.placements[analysis.leader].name not in table["placement"].tolist()
    assert list(table.columns) == ["placement", "what it takes"]  # shown whole: the sort key stays inside


def test_acceptability_by_rank_puts_each_placement_on_one_row():
    long = pd.DataFrame({"placement": ["A", "A", "B", "B"], "rank": [1, 2, 1, 2], "share": [0.7, 0.3, 0.3, 0.7]})
    wide = tables.acceptability_by_rank(long)
    assert list(wide.columns) == ["placement", "rank 1", "rank 2"]
    assert wide.values.tolist() == [["A", 0.7, 0.3], ["B", 0.3, 0.7]]


def test_acceptability_table_is_long_form_and_sums_to_one(model, balanced):
    _, analysis = balanced
    table = tables.acceptability_table(model, analysis)
    assert table.columns.tolist() == ["placement", "rank", "share"]
    assert len(table) == len(model.placements) ** 2
    assert table.groupby("placement")["share"].sum().tolist() == pytest.approx([1.0] * len(model.placements))
    assert table.groupby("rank")["share"].sum().tolist() == pytest.approx([1.0] * len(model.placements))


def test_central_weights_leave_out_confidence_unless_the_scores_were_doubted(model, balanced):
    weights, exact = balanced
    frame = tables.central_weights_table(model, exact)
    assert frame.columns.tolist() == ["placement", "first in"] + [f.name for f in model.factors]
    assert tables.central_weights_caption(exact) == "Switch on 'doubt the scores' above to see confidence factors."
    doubted = robustness.analyse(model, weights, Settings(samples=4_000, doubt_cells=True))
    frame = tables.central_weights_table(model, doubted)
    assert frame.columns.tolist()[:3] == ["placement", "first in", "confidence"]
    assert 0.0 < frame["confidence"].min() < 1.0
    assert tables.central_weights_caption(doubted).startswith("Confidence: how often a placement still wins")


def test_pairwise_table(model, balanced):
    _, analysis = balanced
    table = tables.pairwise_table(model, analysis)
    names = [p.short_name for p in model.placements]
    assert table.columns.tolist() == ["beats →", *names]
    assert table["beats →"].tolist() == names


def test_every_number_in_the_sampling_tables_is_a_share(model, balanced):
    """Shown as percentages: every column but the names, including a factor named like a fixed column."""
    weights, analysis = balanced
    central = tables.central_weights_table(model, analysis)
    assert tables.shares_in(central) == ("first in", *[f.name for f in model.factors])
    pairwise = tables.pairwise_table(model, analysis)
    assert tables.shares_in(pairwise) == tuple(p.short_name for p in model.placements)
    doubled = central.set_axis(["placement", "first in", "first in", *central.columns[3:]], axis=1)
    assert tables.shares_in(doubled) == ("first in", *central.columns[3:])


def test_percent_text_writes_shares_as_the_grid_shows_them():
    frame = pd.DataFrame([["A", 0.98437, float("nan"), 0.5], ["B", 0.0, 1.0, 0.25]])
    frame.columns = ["placement", "first in", "confidence", "first in"]  # a factor named like a fixed column
    shown = tables.percent_text(frame, ("first in", "confidence"))
    assert shown.values.tolist() == [["A", "98.4%", "", "50.0%"], ["B", "0.0%", "100.0%", "25.0%"]]
    assert frame.iloc[0, 1] == 0.98437  # the frame itself is left as it was


def test_sweep_and_crossing_tables(model):
    # Two factors at 50% each: Head of Product scores +1 on PM alignment and 0 on Ops empathy.
    weights = normalise({"pm_alignment": 1, "ops_empathy": 1}, model.factor_ids)
    sweep = tables.sweep_table(model, weights, "ops_empathy")
    assert set(sweep["weight"]) == {0.0, 1.0} and len(sweep) == 2 * len(model.placements)
    ends = sweep.set_index(["weight", "placement"])["score"]
    hop = model.placement("head_of_product").name
    cell = lambda p, f: model.cells[p, f].score  # noqa: E731
    # At 0% all weight is on PM alignment, at 100% all on Ops empathy: score = 50 + 25 * cell.
    assert ends[0.0, hop] == 50 + 25 * cell("head_of_product", "pm_alignment")
    assert ends[1.0, hop] == 50 + 25 * cell("head_of_product", "ops_empathy")
    crossings = tables.crossing_table(model, weights, "ops_empathy")
    assert crossings.columns.tolist() == ["weight", "score", "crossing"]
    assert crossings["weight"].between(0, 1).all()
    # HoP (1 - t) meets Operations -2(1 - t) + 2t at t = 3/5, where both score 2/5: 50 + 25 * 2/5 points.
    meet = crossings.set_index("crossing").loc["Head of Product = Operations"]
    assert meet["weight"] == pytest.approx(3 / 5)
    assert meet["score"] == pytest.approx(50 + 25 * 2 / 5)
