"""Scenarios side by side (placement/scenarios.py)."""

from __future__ import annotations

import math

import pytest

from placement.analysis.weights import normalise
from placement.data.editing import add_factor, add_placement, remove_placement, set_score
from placement.data.model import Model
from placement.data.problems import InputError
from placement.present.scenarios import (
    MAX_COMPARED,
    Scenario,
    differing_cells,
    latest,
    placement_names,
    ranking_frame,
    ranking_wide,
    save,
    weights_frame,
)
from placement.settings import MAX_SCENARIO_NAME


def scenario(name: str, model: Model, raw: dict[str, float] | None = None) -> Scenario:
    raw = raw or dict.fromkeys(model.factor_ids, 1.0)
    return Scenario(name, model, normalise(raw, model.factor_ids), {f: int(v) for f, v in raw.items()})


@pytest.fixture(scope="module")
def custom(model) -> Model:
    """An edited cell, a custom factor and a custom placement."""
    edited = set_score(model, "operations", "ops_empathy", -1)
    edited = add_factor(edited, "Speed", "How fast.", dict.fromkeys(model.placement_ids, 1))
    return add_placement(edited, "Reports to the COO", "A line.", dict.fromkeys(edited.factor_ids, 0), "COO")


def test_weights_frame(model, custom):
    frame = weights_frame([scenario("Base", model), scenario("Mine", custom)])
    assert list(frame.columns) == ["factor", "Base", "Mine"]
    assert frame["factor"].tolist() == [f.name for f in custom.factors]
    assert frame["Base"].iloc[:8].tolist() == pytest.approx([1 / 8] * 8)
    assert math.isnan(frame["Base"].iloc[8])  # the custom factor is not in the base scenario
    assert frame["Mine"].tolist() == pytest.approx([1 / 9] * 9)


def test_weights_frame_keeps_first_seen_factor_order(model, custom):
    frame = weights_frame([scenario("Mine", custom), scenario("Author", model, model.presets["author"].weights)])
    assert frame["factor"].tolist()[-1] == "Speed"
    assert frame.set_index("factor").loc["Visibility and global trade-offs", "Author"] == pytest.approx(10 / 38)


def test_ranking_frame(model, custom):
    frame = ranking_frame([scenario("Base", model), scenario("Mine", custom)])
    assert list(frame.columns) == ["scenario", "placement", "score", "rank"]
    base = frame[frame["scenario"] == "Base"]
    assert base["placement"].tolist() == [
        "Reports to the Head of Product",
        "Rolls up into central Biz Ops",
        "Within Product Areas / Verticals",
        "Rolls up into Operations",
    ]
    assert base["score"].tolist() == [65.6, 53.1, 50.0, 46.9]  # 50 + 25 * (5, 1, 0, -1) / 8, to one decimal
    assert base["rank"].tolist() == [1, 2, 3, 4]
    assert (frame["scenario"] == "Mine").sum() == 5


def test_ranking_wide(model, custom):
    wide = ranking_wide([scenario("Base", model), scenario("Mine", custom)])
    assert list(wide.columns) == ["placement", "Base", "Mine"]
    assert wide["placement"].tolist() == [p.name for p in custom.placements]  # model order, not rank order
    assert wide["Base"].iloc[:4].tolist() == ["65.6 (#1)", "46.9 (#4)", "53.1 (#2)", "50.0 (#3)"]
    assert isinstance(wide["Base"].iloc[4], float) and math.isnan(wide["Base"].iloc[4])
    assert all(isinstance(v, str) and v.endswith(")") and " (#" in v for v in wide["Mine"])


def test_ranking_wide_shows_ties(model):
    wide = ranking_wide([scenario("Ops", model, model.presets["ops_enablement"].weights)])
    assert sorted(v.split("#")[1] for v in wide["Ops"]) == ["1)", "2)", "2)", "4)"]


def test_differing_cells_identical_models(model):
    frame = differing_cells([scenario("A", model), scenario("B", model, model.presets["author"].weights)])
    assert frame.empty
    assert list(frame.columns) == ["cell", "A", "B"]


def test_differing_cells_lists_edits(model):
    edited = set_score(set_score(model, "operations", "ops_empathy", -1), "biz_ops", "flexibility", 1)  # unchanged
    frame = differing_cells([scenario("Base", model), scenario("Edited", edited)])
    assert frame.to_dict("records") == [
        {"cell": "Operations × Ops empathy", "Base": "+2 documented", "Edited": "-1 user"},
    ]


def test_differing_cells_shows_absent_cells(model, custom):
    frame = differing_cells([scenario("Base", model), scenario("Mine", custom)]).set_index("cell")
    assert frame.loc["Operations × Ops empathy"].tolist() == ["+2 documented", "-1 user"]
    assert frame.loc["Head of Product × Speed"].tolist() == ["absent", "+1 user"]
    assert frame.loc["COO × PM alignment"].tolist() == ["absent", "+0 user"]
    assert len(frame) == 1 + 4 + 9  # the edit, the custom factor's cells, the custom placement's cells
    reverse = differing_cells([scenario("Mine", custom), scenario("Base", model)]).set_index("cell")
    assert reverse.loc["Head of Product × Speed"].tolist() == ["+1 user", "absent"]


def test_differing_cells_across_three_scenarios(model, custom):
    fewer = remove_placement(model, "biz_ops")
    frame = differing_cells([scenario("Base", model), scenario("Fewer", fewer), scenario("Mine", custom)])
    assert list(frame.columns) == ["cell", "Base", "Fewer", "Mine"]
    row = frame.set_index("cell").loc["Central Biz Ops × Flexibility"]
    assert row.tolist() == ["+1 inferred", "absent", "+1 inferred"]


def test_placement_names_dedupes_in_first_seen_order(model, custom):
    fewer = remove_placement(model, "operations")
    names = placement_names([scenario("Fewer", fewer), scenario("Base", model), scenario("Mine", custom)])
    assert names == [
        "Reports to the Head of Product",
        "Rolls up into central Biz Ops",
        "Within Product Areas / Verticals",
        "Rolls up into Operations",
        "Reports to the COO",
    ]
    assert placement_names([]) == []


# --- saving ------------------------------------------------------------------------------------


def test_save_adds_a_scenario_without_changing_the_saved_ones(model):
    weights, sliders = {"pm_alignment": 1.0}, {"pm_alignment": 10}
    saved, replaced = save({}, "  Ops first ", model, weights, sliders)
    assert replaced is False
    assert list(saved) == ["Ops first"]  # trimmed
    assert saved["Ops first"] == Scenario("Ops first", model, weights, sliders)
    again, replaced = save(saved, "Balanced", model, {}, {})
    assert (list(again), replaced) == (["Ops first", "Balanced"], False)
    assert list(saved) == ["Ops first"]  # the original mapping is untouched


def test_saving_under_a_used_name_replaces_it_in_place(model, custom):
    saved, _ = save({}, "A", model, {}, {})
    saved, _ = save(saved, "B", model, {}, {})
    saved, replaced = save(saved, "A", custom, {"speed": 1.0}, {"speed": 3})
    assert replaced is True
    assert list(saved) == ["A", "B"]
    assert saved["A"].model is custom and saved["A"].sliders == {"speed": 3}


@pytest.mark.parametrize("name", ["", "   ", "\t\n", None])
def test_a_blank_name_is_refused(model, name):
    with pytest.raises(InputError) as caught:
        save({}, name, model, {}, {})
    [problem] = caught.value.problems
    assert (problem.where, problem.message, problem.fix) == ("scenario name", "it is blank", "type a name")


def test_a_name_longer_than_the_limit_is_refused(model):
    assert MAX_SCENARIO_NAME == 40
    saved, _ = save({}, "x" * 40, model, {}, {})
    assert list(saved) == ["x" * 40]
    with pytest.raises(InputError, match="41 characters long"):
        save({}, "x" * 41, model, {}, {})


def test_at_most_three_latest_are_compared(model):
    assert MAX_COMPARED == 3
    saved = {}
    assert latest(saved) == []
    for name in ["one", "two"]:
        saved, _ = save(saved, name, model, {}, {})
    assert latest(saved) == ["one", "two"]
    for name in ["three", "four"]:
        saved, _ = save(saved, name, model, {}, {})
    assert latest(saved) == ["two", "three", "four"]
    saved, _ = save(saved, "one", model, {}, {})  # replaced: keeps its first place
    assert latest(saved) == ["two", "three", "four"]
