"""What the source documents (placement/evidence.py): coverage, statements, inferred cells, context."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from placement.analysis.evidence import (
    KIND_LABELS,
    context_items,
    coverage_table,
    doubt_groups,
    inferred_cells,
    reach_table,
    statements,
)
from placement.data.editing import add_factor, add_optional, set_score
from placement.data.model import load_model

COUNT_COLUMNS = ["documented cells", "inferred cells", "no-evidence cells", "set by user"]


def test_coverage_table_has_one_row_per_placement(model):
    table = coverage_table(model)
    assert list(table.columns) == [
        "placement",
        "documented benefits",
        "documented risks",
        *COUNT_COLUMNS,
        "raised by the room",
        "evidence gap",
    ]
    assert table["placement"].tolist() == [p.name for p in model.placements]


def test_coverage_table_values(model):
    table = coverage_table(model).set_index("placement")
    hop = table.loc["Reports to the Head of Product"]
    assert (hop["documented benefits"], hop["documented risks"]) == (1, 0)
    assert hop["evidence gap"] == "no documented risk"
    assert hop[COUNT_COLUMNS].tolist() == [1, 3, 4, 0]  # PM alignment is inferred: the source does not say it
    ops = table.loc["Rolls up into Operations"]
    assert (ops["documented benefits"], ops["documented risks"], ops["evidence gap"]) == (1, 1, "none")
    assert ops[COUNT_COLUMNS].tolist() == [2, 3, 3, 0]
    assert table.loc["Rolls up into central Biz Ops", "documented cells"] == 3
    assert (table["evidence gap"] != "none").sum() == 1


def test_coverage_counts_add_up_to_the_factors(model):
    edited = add_factor(
        set_score(model, "operations", "ops_empathy", -1), "Speed", "How fast.", dict.fromkeys(model.placement_ids, 1)
    )
    for m in (model, edited):
        table = coverage_table(m)
        assert (table[COUNT_COLUMNS].sum(axis=1) == len(m.factors)).all()


def test_coverage_counts_user_cells(model):
    edited = set_score(set_score(model, "operations", "ops_empathy", -1), "operations", "flexibility", 2)
    row = coverage_table(edited).set_index("placement").loc["Rolls up into Operations"]
    assert row[COUNT_COLUMNS].tolist() == [1, 3, 2, 2]  # one documented and one neutral cell became the user's
    custom = add_factor(model, "Speed", "How fast.", dict.fromkeys(model.placement_ids, 0))
    assert coverage_table(custom)["set by user"].tolist() == [1, 1, 1, 1]


def test_an_optional_placement_without_evidence_shows_both_gaps(model):
    added = add_optional(model, load_model(include_optional=True), "uber_hybrid")
    row = coverage_table(added).iloc[-1]
    assert row["placement"] == "Hybrid: Operations line with a product seat"
    assert row["evidence gap"] == "no documented benefit, no documented risk"
    assert (row["documented benefits"], row["documented risks"], row["documented cells"]) == (0, 0, 0)


def test_statements_in_reading_order(model):
    kinds = {p: [s.evidence.kind for s in statements(model, p)] for p in model.placement_ids}
    assert kinds == {
        "head_of_product": ["recommendation", "benefit"],
        "operations": ["works_when", "benefit", "risk"],
        "biz_ops": ["works_when", "benefit", "risk"],
        "product_areas": ["works_when", "benefit", "risk"],
    }
    order = list(KIND_LABELS)
    for p in model.placement_ids:
        ranks = [order.index(k) for k in kinds[p]]
        assert ranks == sorted(ranks)
    assert [s.label for s in statements(model, "head_of_product")] == ["Author's recommendation", "Benefit"]
    assert statements(model, "nowhere") == []


def test_statements_are_sorted_whatever_the_file_order(model):
    shuffled = replace(model, evidence=dict(reversed(model.evidence.items())))
    assert [s.evidence.kind for s in statements(shuffled, "operations")] == ["works_when", "benefit", "risk"]
    assert [s.evidence.kind for s in statements(shuffled, "head_of_product")] == ["recommendation", "benefit"]


def test_statements_name_the_cells_they_drive(model):
    drives = {s.evidence.id: s.drives for p in model.placement_ids for s in statements(model, p)}
    assert drives["ops_benefit"] == ["Ops empathy (+2, documented)"]
    assert drives["ops_risk"] == [
        "PM alignment (-2, documented)",
        "Visibility and global trade-offs (-1, inferred)",
        "Credibility on PM day-to-day (-1, inferred)",
    ]
    assert drives["hop_benefit"] == [
        "PM alignment (+1, inferred)",
        "Visibility and global trade-offs (+2, documented)",
        "Flexibility (+1, inferred)",
    ]
    assert drives["bizops_works_when"] == ["Best practices and PM coaching (+1, documented)"]
    assert drives["areas_risk"] == [
        "Visibility and global trade-offs (-1, inferred)",
        "Flexibility (-2, documented)",
        "Best practices and PM coaching (-1, inferred)",
    ]
    assert drives["hop_recommendation"] == [] and drives["ops_works_when"] == []
    statement = next(s for s in statements(model, "operations") if s.evidence.id == "ops_benefit")
    assert statement.label == "Benefit"
    assert statement.evidence.statement.startswith("Product Ops understands the operations teams")


@pytest.mark.parametrize("placement_id", ["head_of_product", "operations", "biz_ops", "product_areas"])
def test_inferred_cells_lists_only_inferred_cells_with_their_reasoning(model, placement_id):
    table = inferred_cells(model, placement_id)
    assert list(table.columns) == ["factor", "score", "reasoning"]
    expected = [
        model.cells[placement_id, f] for f in model.factor_ids if model.cells[placement_id, f].provenance == "inferred"
    ]
    assert table["factor"].tolist() == [model.factor(c.factor).name for c in expected]
    assert table["score"].tolist() == [c.score for c in expected]
    assert table["reasoning"].tolist() == [c.rationale for c in expected]
    assert len(table) >= 2


def test_inferred_cells_values(model):
    table = inferred_cells(model, "head_of_product")
    assert table["factor"].tolist() == ["PM alignment", "Credibility on PM day-to-day", "Flexibility"]
    assert table["score"].tolist() == [1, 1, 1]
    edited = set_score(model, "head_of_product", "flexibility", -1)  # no longer our reasoning: the user's
    assert inferred_cells(edited, "head_of_product")["factor"].tolist() == [
        "PM alignment",
        "Credibility on PM day-to-day",
    ]
    assert inferred_cells(model, "nowhere").empty


def test_context_items_for_scope(model):
    items = context_items(model, "scope")
    statements_, citations = zip(*items, strict=True)
    assert len(items) == 4
    assert [s.split(":")[0] for s in statements_[:3]] == [
        "Business data and insights",
        "Customer and market insights",
        "Process and practices",
    ]
    assert "not program management" in statements_[3]
    assert citations[:3] == (model.sources["perri_tilles"],) * 3
    assert citations[3] == model.sources["plc_2022"]
    assert citations[0].startswith("Melissa Perri and Denise Tilles")


def test_context_items_for_an_optional_placement(model):
    assert context_items(model, "placement") == []
    added = add_optional(model, load_model(include_optional=True), "uber_hybrid")
    [(statement, citation)] = context_items(added, "placement")
    assert statement.startswith("At Uber, Product Ops reported into Operations")
    assert citation == model.sources["uber_hybrid"]
    assert context_items(model, "nothing") == []


# --- one statement, several cells ------------------------------------------------------------------


def test_reach_table_counts_the_cells_each_statement_drives(model):
    table = reach_table(model)
    rows = table[["placement", "statement", "cells it drives", "documented", "inferred from it"]]
    assert rows.values.tolist() == [
        ["Head of Product", "Benefit", 3, 1, 2],
        ["Operations", "Benefit", 1, 1, 0],
        ["Operations", "Risk", 3, 1, 2],
        ["Central Biz Ops", "Condition (the source: it 'can work and be effective if ...')", 1, 1, 0],
        ["Central Biz Ops", "Benefit", 1, 1, 0],
        ["Central Biz Ops", "Risk", 2, 1, 1],
        ["Product Areas", "Benefit", 1, 1, 0],
        ["Product Areas", "Risk", 3, 1, 2],
    ]
    assert table["factors"].iloc[2] == "PM alignment, Visibility and global trade-offs, Credibility on PM day-to-day"


def test_a_team_score_leaves_the_statement_it_came_from(model):
    edited = set_score(model, "operations", "pm_credibility", 0)
    row = reach_table(edited).set_index(["placement", "statement"]).loc[("Operations", "Risk")]
    assert (row["cells it drives"], row["inferred from it"]) == (2, 1)


def provenance_of(model, groups):
    return sorted(
        model.cells[p, f].provenance
        for i, p in enumerate(model.placement_ids)
        for j, f in enumerate(model.factor_ids)
        if groups[i, j] >= 0
    )


def test_doubting_the_undocumented_scores_varies_each_inferred_and_no_evidence_cell_alone(model):
    groups = doubt_groups(model, undocumented=True, statements_together=False)
    assert set(provenance_of(model, groups)) == {"inferred", "neutral"}
    assert (groups >= 0).sum() == 24 == len(set(groups[groups >= 0]))  # 32 cells, 8 documented


def test_doubting_statements_moves_each_statements_cells_together(model):
    groups = doubt_groups(model, undocumented=False, statements_together=True)
    assert (groups >= 0).sum() == 15  # 3 + 1 + 3 + 1 + 1 + 2 + 1 + 3 cells, from reach_table's hand count
    i, j = model.placement_ids.index, model.factor_ids.index
    ops_risk = {groups[i("operations"), j(f)] for f in ("pm_alignment", "global_tradeoffs", "pm_credibility")}
    assert len(ops_risk) == 1 and ops_risk != {-1}
    assert len(set(groups[groups >= 0])) == 8  # one group per statement that drives a cell
    both = doubt_groups(model, undocumented=True, statements_together=True)
    assert (both >= 0).all() and len(set(both.ravel())) == 8 + 17  # 24 undocumented cells, 7 of them linked


def test_the_teams_own_scores_are_never_doubted(model):
    edited = set_score(set_score(model, "operations", "ops_empathy", 1), "biz_ops", "ops_empathy", 2)
    groups = doubt_groups(edited, undocumented=True, statements_together=True)
    i, j = edited.placement_ids.index, edited.factor_ids.index
    assert groups[i("operations"), j("ops_empathy")] == -1 == groups[i("biz_ops"), j("ops_empathy")]
    assert np.count_nonzero(groups < 0) == 2
