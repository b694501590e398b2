"""Tidy tables behind the charts (placement/tables.py)."""

from __future__ import annotations

import pytest

from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.present import tables


@pytest.fixture(scope="module")
def author(model):
    weights = normalise(model.presets["author"].weights, model.factor_ids)
    return weights, rank(model, weights)


def test_weights_table(model, author):
    weights, _ = author
    table = tables.weights_table(model, weights)
    assert table.columns.tolist() == ["factor", "weight"]
    assert len(table) == len(model.factors)
    assert table["factor"].tolist() == [f.name for f in model.factors]
    assert table["weight"].sum() == pytest.approx(1.0)
    assert table.set_index("factor").loc["Visibility and global trade-offs", "weight"] == pytest.approx(10 / 38)


def test_ranking_table(model, author):
    _, results = author
    table = tables.ranking_table(model, results)
    assert table.columns.tolist() == ["rank", "placement", "short_name", "score", "benefit_points", "risk_points"]
    assert len(table) == 4
    assert table["rank"].tolist() == [1, 2, 3, 4]
    assert table["placement"].tolist() == [r.name for r in results]
    assert table["short_name"].tolist() == ["Head of Product", "Central Biz Ops", "Product Areas", "Operations"]
    assert table["score"].tolist() == [80.3, 49.3, 46.1, 34.2]
    first = table.iloc[0]
    assert first["benefit_points"] == 30.3 and first["risk_points"] == 0.0
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
    assert table.loc["PM alignment", "Head of Product"] == "+2 D"
    assert table.loc["Visibility and global trade-offs", "Operations"] == "-1 I"
    assert table.loc["Ops empathy", "Head of Product"].endswith("–")
