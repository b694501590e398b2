"""Making the model your own (placement/editing.py): edits keep their baseline, additions, removals."""

from __future__ import annotations

import math
from dataclasses import replace

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.data.editing import (
    add_factor,
    add_optional,
    add_placement,
    added_items,
    apply_grid,
    apply_table_edits,
    cell_label,
    differences,
    edited_cells,
    edited_frame,
    edited_labels,
    remove_factor,
    remove_item,
    remove_placement,
    restore_all,
    restore_cell,
    restore_cells,
    score_grid,
    set_score,
)
from placement.data.model import Model, load_model
from placement.data.problems import InputError
from placement.data.schema import ID_PATTERN
from placement.settings import MAX_ITEM_NAME as MAX_NAME
from placement.settings import MAX_SHORT_NAME

OPS, EMPATHY = "operations", "ops_empathy"  # documented +2, citing ops_benefit
HOP_FLEX = ("head_of_product", "flexibility")  # inferred +1
BIZ_DOMAIN = ("biz_ops", "domain_expertise")  # neutral 0


@pytest.fixture(scope="module")
def full() -> Model:
    return load_model(include_optional=True)


def scores_for(ids: list[str], value: int = 1) -> dict[str, int]:
    return dict.fromkeys(ids, value)


def edit_several(model: Model) -> Model:
    edited = set_score(model, OPS, EMPATHY, -1)
    edited = set_score(edited, *HOP_FLEX, -2)
    return set_score(edited, *BIZ_DOMAIN, 2)


# --- set_score and restoring ---------------------------------------------------------------------


def test_set_score_marks_the_cell_user_and_keeps_its_baseline(model):
    before = model.cells[OPS, EMPATHY]
    edited = set_score(model, OPS, EMPATHY, -1)
    cell = edited.cells[OPS, EMPATHY]
    assert (cell.score, cell.provenance) == (-1, "user")
    assert (cell.original_score, cell.original_provenance) == (2, "documented")
    assert cell.edited
    assert cell.rationale == before.rationale
    assert cell.evidence == "ops_benefit"
    assert edited.matrix[model.placement_ids.index(OPS), model.factor_ids.index(EMPATHY)] == -1
    assert edited_cells(edited) == [cell]
    # The input model is left as it was.
    assert model.cells[OPS, EMPATHY] == before
    assert edited_cells(model) == []


@pytest.mark.parametrize(("key", "new", "baseline"), [((OPS, EMPATHY), 0, 2), (HOP_FLEX, -1, 1), (BIZ_DOMAIN, 1, 0)])
def test_setting_the_baseline_value_again_restores_the_baseline_cell(model, key, new, baseline):
    edited = set_score(model, *key, new)
    assert edited.cells[key].edited
    back = set_score(edited, *key, baseline)
    assert back.cells[key] == model.cells[key]
    assert not back.cells[key].edited
    assert back == model


def test_editing_an_edited_cell_keeps_the_first_baseline(model):
    twice = set_score(set_score(model, *HOP_FLEX, -2), *HOP_FLEX, 2)
    cell = twice.cells[HOP_FLEX]
    assert (cell.score, cell.provenance) == (2, "user")
    assert (cell.original_score, cell.original_provenance) == (1, "inferred")
    assert cell.rationale == model.cells[HOP_FLEX].rationale


def test_setting_the_current_value_changes_nothing(model):
    assert set_score(model, OPS, EMPATHY, 2) is model
    assert not set_score(model, OPS, EMPATHY, 2).cells[OPS, EMPATHY].edited


@pytest.mark.parametrize("bad", [3, -3, 1.0, "1", True, None])
def test_set_score_refuses_anything_but_a_whole_number_in_range(model, bad):
    with pytest.raises(InputError) as caught:
        set_score(model, OPS, EMPATHY, bad)
    [problem] = caught.value.problems
    assert OPS in problem.where and EMPATHY in problem.where
    assert "-2 to 2" in problem.fix


def test_restore_cell_with_and_without_baseline(model):
    edited = edit_several(model)
    for baseline in (None, model):
        restored = restore_cell(edited, OPS, EMPATHY, baseline)
        assert restored.cells[OPS, EMPATHY] == model.cells[OPS, EMPATHY]
        assert restored.cells[HOP_FLEX].edited  # the other edits stay
        assert len(edited_cells(restored)) == 2


def test_restoring_with_a_baseline_takes_the_baseline_cell(model):
    """A cell that drifted from the source (say, from an older model file) gets the baseline's cell back."""
    edited = set_score(model, OPS, EMPATHY, -1)
    drifted_cell = replace(edited.cells[OPS, EMPATHY], rationale="Our own note.", evidence=None)
    drifted = replace(edited, cells={**edited.cells, (OPS, EMPATHY): drifted_cell})
    assert restore_cell(drifted, OPS, EMPATHY, model).cells[OPS, EMPATHY] == model.cells[OPS, EMPATHY]
    assert restore_all(drifted, model) == model
    without = restore_cell(drifted, OPS, EMPATHY).cells[OPS, EMPATHY]
    assert (without.score, without.provenance, without.rationale, without.edited) == (
        2,
        "documented",
        "Our own note.",
        False,
    )


def test_restore_cell_of_an_unedited_cell_changes_nothing(model):
    assert restore_cell(model, OPS, EMPATHY, model) is model


def test_restore_cells_restores_only_the_listed_cells(model):
    edited = edit_several(model)
    restored = restore_cells(edited, [(OPS, EMPATHY), HOP_FLEX], model)
    assert restored.cells[OPS, EMPATHY] == model.cells[OPS, EMPATHY]
    assert restored.cells[HOP_FLEX] == model.cells[HOP_FLEX]
    assert restored.cells[BIZ_DOMAIN] == edited.cells[BIZ_DOMAIN]
    assert [(c.placement, c.factor) for c in edited_cells(restored)] == [BIZ_DOMAIN]


def test_restore_all_gives_back_the_baseline(model):
    restored = restore_all(edit_several(model), model)
    assert restored.cells == model.cells
    assert restored == model
    assert edited_cells(restored) == []


def test_restore_all_keeps_custom_factors_and_placements(model):
    custom = add_factor(model, "Speed", "How fast the team ships.", scores_for(model.placement_ids, 2))
    custom = add_placement(custom, "Reports to the COO", "A line to the COO.", scores_for(custom.factor_ids, -1))
    placement_id, factor_id = custom.placement_ids[-1], custom.factor_ids[-1]
    edited = set_score(edit_several(custom), placement_id, "pm_alignment", 1)  # custom cells are user cells
    restored = restore_all(edited, model)
    assert restored.factor_ids == custom.factor_ids
    assert restored.placement_ids == custom.placement_ids
    for key, cell in model.cells.items():
        assert restored.cells[key] == cell
    assert restored.cells[OPS, factor_id] == custom.cells[OPS, factor_id]
    assert restored.cells[placement_id, "pm_alignment"].score == 1  # no baseline to go back to
    assert edited_cells(restored) == []


def test_cell_reason_names_the_baseline_of_an_edited_cell(model):
    cell = model.cells[OPS, EMPATHY]
    assert cell.reason == cell.rationale
    edited = set_score(model, OPS, EMPATHY, -1).cells[OPS, EMPATHY]
    assert edited.reason.startswith("Set by the user; the baseline was +2 (documented): ")
    assert edited.reason.endswith(cell.rationale)
    neutral = set_score(model, *BIZ_DOMAIN, -1).cells[BIZ_DOMAIN]
    assert "the baseline was +0 (neutral)" in neutral.reason


edits = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 7), st.integers(-2, 2)), max_size=25)


@settings(max_examples=60, deadline=None)
@given(edits)
def test_any_edits_then_restore_all_give_back_the_baseline(model, changes):
    edited = model
    last = {}
    for p, f, score in changes:
        key = (model.placement_ids[p], model.factor_ids[f])
        edited = set_score(edited, *key, score)
        last[key] = score
    for key, score in last.items():  # the model holds the last value set, and remembers the baseline
        cell = edited.cells[key]
        assert cell.score == score
        assert cell.edited == (score != model.cells[key].score)
        if cell.edited:
            assert (cell.original_score, cell.original_provenance) == (
                model.cells[key].score,
                model.cells[key].provenance,
            )
    restored = restore_all(edited, model)
    assert restored.cells == model.cells
    assert restored == model


# --- adding a factor -----------------------------------------------------------------------------


def test_add_factor(model):
    scores = {"head_of_product": 2, "operations": -2, "biz_ops": 0, "product_areas": 1}
    added = add_factor(model, "  Speed to market ", " How fast changes ship. ", scores)
    factor = added.factors[-1]
    assert factor.id == "custom_speed_to_market"
    assert (factor.name, factor.definition, factor.question) == (
        "Speed to market",
        "How fast changes ship.",
        "Added by the team.",
    )
    assert added.factor_ids == [*model.factor_ids, factor.id]
    assert added.matrix.shape == (4, 9)
    assert added.matrix[:, -1].tolist() == [2, -2, 0, 1]
    for p in model.placement_ids:
        cell = added.cells[p, factor.id]
        assert (cell.score, cell.provenance, cell.evidence, cell.edited) == (scores[p], "user", None, False)
    for preset_id, preset in added.presets.items():
        assert preset.weights[factor.id] == 0
        assert {k: v for k, v in preset.weights.items() if k != factor.id} == model.presets[preset_id].weights
    assert len(model.factors) == 8  # the input model is left as it was


def test_add_factor_with_a_question(model):
    added = add_factor(model, "Speed", "How fast.", scores_for(model.placement_ids), "  Do we ship weekly? ")
    assert added.factors[-1].question == "Do we ship weekly?"


def test_add_factor_ids_are_unique_and_valid_for_similar_names(model):
    current = model
    for name in ["Speed", "speed!", "SPEED?", "Speed & scale", "Équipe", "日本語"]:
        current = add_factor(current, name, "A definition.", scores_for(current.placement_ids))
    new_ids = current.factor_ids[len(model.factor_ids) :]
    assert new_ids[:4] == ["custom_speed", "custom_speed_2", "custom_speed_3", "custom_speed_scale"]
    assert len(set(current.factor_ids)) == len(current.factor_ids)
    assert all(ID_PATTERN.fullmatch(f) for f in new_ids)
    long = add_factor(model, "x" * MAX_NAME, "A definition.", scores_for(model.placement_ids))
    assert ID_PATTERN.fullmatch(long.factor_ids[-1])


@pytest.mark.parametrize(
    ("name", "name_message"),
    [
        ("", "it is blank"),
        ("   ", "it is blank"),
        ("pm ALIGNMENT", "'pm ALIGNMENT' is already used"),
        (" Ops empathy ", "'Ops empathy' is already used"),
        ("x" * (MAX_NAME + 1), f"it is {MAX_NAME + 1} characters long"),
    ],
)
def test_add_factor_reports_every_problem_at_once(model, name, name_message):
    scores = {"head_of_product": 5, "operations": "1", "biz_ops": 1.5}  # product_areas missing
    with pytest.raises(InputError) as caught:
        add_factor(model, name, "  ", scores)
    problems = caught.value.problems
    assert [(p.where, p.message) for p in problems] == [
        ("name", name_message),
        ("definition", "it is blank"),
        ("scores", "score 5 for placement 'head_of_product' is not allowed"),
        ("scores", "score '1' for placement 'operations' is not allowed"),
        ("scores", "score 1.5 for placement 'biz_ops' is not allowed"),
        ("scores", "no score for placement 'product_areas'"),
    ]
    assert all(p.fix for p in problems)


def test_add_factor_definition_too_long(model):
    with pytest.raises(InputError, match="definition: it is 401 characters long"):
        add_factor(model, "Speed", "d" * 401, scores_for(model.placement_ids))


@pytest.mark.parametrize("add", ["factor", "placement"])
def test_add_refuses_booleans_as_scores(model, add):
    with pytest.raises(InputError):
        if add == "factor":
            add_factor(model, "Speed", "How fast.", scores_for(model.placement_ids, True))
        else:
            add_placement(model, "Reports to the COO", "A line to the COO.", scores_for(model.factor_ids, True))


# --- adding a placement --------------------------------------------------------------------------


def test_add_placement(model):
    scores = {f: i % 5 - 2 for i, f in enumerate(model.factor_ids)}
    added = add_placement(model, " Reports to the COO ", " A line to the COO. ", scores, short_name=" COO ")
    placement = added.placements[-1]
    assert placement.id == "custom_reports_to_the_coo"
    assert (placement.name, placement.short_name, placement.description, placement.optional) == (
        "Reports to the COO",
        "COO",
        "A line to the COO.",
        False,
    )
    assert added.matrix.shape == (5, 8)
    assert added.matrix[-1].tolist() == [scores[f] for f in model.factor_ids]
    for f in model.factor_ids:
        cell = added.cells[placement.id, f]
        assert (cell.score, cell.provenance, cell.evidence, cell.edited) == (scores[f], "user", None, False)
    assert added.presets == model.presets


def test_add_placement_short_name_defaults_from_the_name(model):
    added = add_placement(model, "Reports to the COO", "A line.", scores_for(model.factor_ids))
    assert added.placements[-1].short_name == "Reports to the COO"
    long_name = "Reports to the Chief Operating Officer"
    added = add_placement(model, long_name, "A line.", scores_for(model.factor_ids))
    assert added.placements[-1].short_name == long_name[:MAX_SHORT_NAME]
    long_short = add_placement(model, "COO", "A line.", scores_for(model.factor_ids), short_name="s" * 40)
    assert long_short.placements[-1].short_name == "s" * MAX_SHORT_NAME


@pytest.mark.parametrize("short", ["operations", " Head of Product "])
def test_add_placement_refuses_a_short_name_in_use(model, short):
    with pytest.raises(InputError) as caught:
        add_placement(model, "Something new", "A line.", scores_for(model.factor_ids), short_name=short)
    [problem] = caught.value.problems
    assert problem.where == "short name" and "already used" in problem.message


def test_add_placement_reports_every_problem_at_once(model):
    scores = {"pm_alignment": 3, "ops_empathy": "x", **dict.fromkeys(model.factor_ids[2:], 0)}
    del scores["flexibility"]
    with pytest.raises(InputError) as caught:
        add_placement(model, "rolls UP into operations", "", scores)
    problems = caught.value.problems
    assert [(p.where, p.message) for p in problems] == [
        ("name", "'rolls UP into operations' is already used"),
        ("description", "it is blank"),
        ("scores", "score 3 for factor 'pm_alignment' is not allowed"),
        ("scores", "score 'x' for factor 'ops_empathy' is not allowed"),
        ("scores", "no score for factor 'flexibility'"),
    ]


def test_add_placement_blank_name_and_no_short_name(model):
    with pytest.raises(InputError) as caught:
        add_placement(model, " ", "A line.", scores_for(model.factor_ids))
    assert [p.where for p in caught.value.problems] == ["name", "short name"]


# --- removing --------------------------------------------------------------------------------------


def test_remove_factor(model):
    removed = remove_factor(model, "flexibility")
    assert "flexibility" not in removed.factor_ids
    assert removed.matrix.shape == (4, 7)
    assert not any(f == "flexibility" for _, f in removed.cells)
    assert all("flexibility" not in p.weights for p in removed.presets.values())


def test_add_then_remove_gives_back_the_model(model):
    added = add_factor(model, "Speed", "How fast.", scores_for(model.placement_ids))
    assert remove_factor(added, added.factor_ids[-1]) == model
    added = add_placement(model, "Reports to the COO", "A line.", scores_for(model.factor_ids))
    assert remove_placement(added, added.placement_ids[-1]) == model


def test_the_last_factor_cannot_be_removed(model):
    one = model.only(factor_ids=["pm_alignment"])
    with pytest.raises(InputError, match="the last factor cannot be removed"):
        remove_factor(one, "pm_alignment")


def test_remove_placement_and_presets_lose_their_source(model):
    removed = remove_placement(model, OPS)
    assert removed.placement_ids == ["head_of_product", "biz_ops", "product_areas"]
    assert removed.matrix.shape == (3, 8)
    assert removed.presets["ops_enablement"].source_placement is None
    assert removed.presets["author"].source_placement == "head_of_product"
    assert all(e.placement != OPS for e in removed.evidence.values())
    two = remove_placement(removed, "biz_ops")
    assert two.placement_ids == ["head_of_product", "product_areas"]
    with pytest.raises(InputError, match="at least two placements"):
        remove_placement(two, "product_areas")


# --- optional placements -----------------------------------------------------------------------------


def test_add_optional_brings_in_the_published_placement(model, full):
    added = add_optional(model, full, "uber_hybrid")
    assert added.placement_ids == [*model.placement_ids, "uber_hybrid"]
    assert added.placement("uber_hybrid") == full.placement("uber_hybrid")
    assert added.placement("uber_hybrid").optional
    for f in model.factor_ids:
        assert added.cells["uber_hybrid", f] == full.cells["uber_hybrid", f]
    assert added.matrix.shape == (5, 8)
    assert "uber_hybrid_line" in [c.id for c in added.context]
    assert "uber_hybrid_line" not in [c.id for c in model.context]
    assert len(added.context) == len(model.context) + 1
    assert add_optional(added, full, "uber_hybrid") is added


def test_add_optional_gives_neutral_cells_for_custom_factors(model, full):
    custom = add_factor(model, "Speed", "How fast.", scores_for(model.placement_ids, 2))
    added = add_optional(custom, full, "uber_hybrid")
    cell = added.cells["uber_hybrid", "custom_speed"]
    assert (cell.score, cell.provenance, cell.evidence, cell.edited) == (0, "neutral", None, False)
    assert added.cells["uber_hybrid", "pm_alignment"] == full.cells["uber_hybrid", "pm_alignment"]
    assert added.matrix.shape == (5, 9)


def test_add_optional_after_removing_a_factor(model, full):
    fewer = remove_factor(model, "flexibility")
    added = add_optional(fewer, full, "uber_hybrid")
    assert added.matrix.shape == (5, 7)
    assert ("uber_hybrid", "flexibility") not in added.cells


# --- the score grid ------------------------------------------------------------------------------------


def test_apply_grid_accepts_numbers_as_typed(model):
    grid = {(OPS, EMPATHY): "1", HOP_FLEX: 2.0, BIZ_DOMAIN: -2, ("product_areas", "ops_empathy"): " 0 "}
    applied = apply_grid(model, grid)
    assert applied.cells[OPS, EMPATHY].score == 1
    assert applied.cells[HOP_FLEX].score == 2
    assert applied.cells[BIZ_DOMAIN].score == -2
    assert all(type(applied.cells[k].score) is int for k in grid)
    assert {(c.placement, c.factor) for c in edited_cells(applied)} == {(OPS, EMPATHY), HOP_FLEX, BIZ_DOMAIN}


def test_apply_grid_reports_every_bad_value_and_applies_nothing(model):
    grid = {
        (OPS, EMPATHY): "",
        ("operations", "flexibility"): None,
        ("biz_ops", "flexibility"): math.nan,
        ("biz_ops", "pm_alignment"): "x",
        ("product_areas", "flexibility"): 3,
        ("head_of_product", "pm_alignment"): 1.5,
        ("head_of_product", "ops_empathy"): "  ",
        HOP_FLEX: 2,  # a good value among bad ones is not applied either
    }
    with pytest.raises(InputError) as caught:
        apply_grid(model, grid)
    assert [(p.where, p.message) for p in caught.value.problems] == [
        ("Operations × Ops empathy", "blank is not a score"),
        ("Operations × Flexibility", "blank is not a score"),
        ("Central Biz Ops × Flexibility", "blank is not a score"),
        ("Central Biz Ops × PM alignment", "'x' is not a score"),
        ("Product Areas × Flexibility", "3 is not a score"),
        ("Head of Product × PM alignment", "1.5 is not a score"),
        ("Head of Product × Ops empathy", "blank is not a score"),
    ]
    assert all(p.fix == "enter a whole number from -2 to 2" for p in caught.value.problems)
    assert edited_cells(model) == []


def test_apply_grid_reports_pandas_na_as_blank(model):
    with pytest.raises(InputError, match="blank is not a score"):
        apply_grid(model, {(OPS, EMPATHY): pd.NA})


def test_apply_table_edits_maps_rows_and_columns_to_cells(model):
    edited = apply_table_edits(model, {0: {"Operations": 1}, "4": {"Head of Product": -1}})
    assert edited.cells["operations", "pm_alignment"].score == 1  # row 0 = first factor
    assert edited.cells["head_of_product", "global_tradeoffs"].score == -1  # row "4" = fifth factor
    assert sum(c.edited for c in edited.cells.values()) == 2


# --- the score grid the page edits, and what it lists ---------------------------------------------


def test_score_grid_is_factors_by_placements(model):
    grid = score_grid(model)
    assert grid.index.name == "factor"
    assert list(grid.index) == [
        "PM alignment",
        "Ops empathy",
        "Cross-functional efficiency",
        "Domain expertise",
        "Visibility and global trade-offs",
        "Credibility on PM day-to-day",
        "Flexibility",
        "Best practices and PM coaching",
    ]
    assert list(grid.columns) == ["Head of Product", "Operations", "Central Biz Ops", "Product Areas"]
    assert grid.loc["PM alignment", "Operations"] == -2  # documented in the source
    assert grid.loc["Ops empathy", "Operations"] == 2
    assert grid.loc["Flexibility", "Head of Product"] == 1
    assert grid.loc["Domain expertise", "Central Biz Ops"] == 0
    assert grid.shape == (8, 4)


@pytest.mark.parametrize(("row", "column"), [(0, "Operations"), (4, "Head of Product"), (7, "Product Areas")])
def test_score_grid_round_trips_through_apply_table_edits(model, row, column):
    """An edit at (row, column) of the grid comes back at the same place of the grid of the edited model."""
    before = score_grid(model)
    value = 2 if before.iloc[row][column] != 2 else -2
    after = score_grid(apply_table_edits(model, {row: {column: value}}))
    assert after.iloc[row][column] == value
    expected = before.copy()
    expected.iloc[row, list(before.columns).index(column)] = value
    pd.testing.assert_frame_equal(after, expected)


def test_score_grid_shows_custom_factors_and_placements(model):
    bigger = add_factor(model, "Cost", "Overhead.", scores_for(model.placement_ids, -1))
    bigger = add_placement(bigger, "CPO office", "Reports to the CPO.", scores_for(bigger.factor_ids, 1), "CPO")
    grid = score_grid(bigger)
    assert list(grid.index)[-1] == "Cost" and list(grid.columns)[-1] == "CPO"
    assert grid.loc["Cost", "Operations"] == -1
    assert grid.loc["Cost", "CPO"] == 1  # the placement's score for the custom factor
    edited = apply_table_edits(bigger, {8: {"CPO": -2}})
    assert edited.cells[bigger.placement_ids[-1], bigger.factor_ids[-1]].score == -2


def test_edited_cells_are_labelled_and_listed_with_their_baseline(model):
    assert edited_labels(model) == {}
    assert edited_frame(model).empty and list(edited_frame(model).columns) == ["cell", "now", "source baseline"]
    edited = set_score(set_score(model, OPS, "pm_alignment", 1), *HOP_FLEX, -1)
    assert edited_labels(edited) == {
        "Operations × PM alignment": (OPS, "pm_alignment"),
        "Head of Product × Flexibility": HOP_FLEX,
    }
    assert edited_frame(edited).to_dict("records") == [
        {"cell": "Head of Product × Flexibility", "now": -1, "source baseline": "+1 (inferred)"},
        {"cell": "Operations × PM alignment", "now": 1, "source baseline": "-2 (documented)"},
    ]  # in the model's cell order, whatever order the edits were made in
    assert cell_label(model, "biz_ops", "domain_expertise") == "Central Biz Ops × Domain expertise"


def test_only_what_the_team_added_can_be_removed(model):
    assert added_items(model, model) == {}
    bigger = add_factor(model, "Cost", "Overhead.", scores_for(model.placement_ids))
    bigger = add_placement(bigger, "CPO office", "Reports to the CPO.", scores_for(bigger.factor_ids))
    items = added_items(bigger, model)
    assert items == {
        "Placement: CPO office": ("placement", "custom_cpo_office"),
        "Factor: Cost": ("factor", "custom_cost"),
    }
    for kind, item_id in items.values():
        bigger = remove_item(bigger, kind, item_id)
    assert bigger == model


def test_remove_item_refuses_an_unknown_kind_and_keeps_the_rules(model):
    with pytest.raises(InputError, match="'preset' is not something that can be removed"):
        remove_item(model, "preset", "author")
    two = model.only(placement_ids=[OPS, "biz_ops"])
    with pytest.raises(InputError, match="at least two placements"):
        remove_item(two, "placement", OPS)


def test_differences_list_added_and_dropped_items_and_changed_cells(model):
    ops_pm = model.cells["operations", "pm_alignment"]  # documented -2 in the source
    after = set_score(
        add_placement(model, "Hybrid", "Half and half.", dict.fromkeys(model.factor_ids, 1)),
        "operations",
        "pm_alignment",
        1,
    )
    after = remove_factor(after, "flexibility")
    assert (ops_pm.score, ops_pm.provenance) == (-2, "documented")
    assert differences(model, after) == [
        "Adds the placement Hybrid",
        "Drops the factor Flexibility",
        "Rolls up into Operations x PM alignment: -2 (documented) -> +1 (user)",
    ]
    assert differences(after, model)[:2] == ["Drops the placement Hybrid", "Adds the factor Flexibility"]
    assert differences(model, model) == []
