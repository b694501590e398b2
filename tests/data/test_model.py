"""The decision model (placement/model.py): the shipped data and cross-reference checks."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from placement.data.model import DATA_DIR, Cell, load_model
from placement.data.problems import InputError, Problem

SHIPPED_DATA = Path(__file__).resolve().parents[2] / "data"
PLACEMENTS = ["head_of_product", "operations", "biz_ops", "product_areas"]
REQUIRED_FACTORS = {"pm_alignment", "ops_empathy", "cross_functional_efficiency", "domain_expertise"}


def load_error(directory) -> InputError:
    with pytest.raises(InputError) as caught:
        load_model(directory)
    return caught.value


def problems_in(error: InputError, file: str) -> list[Problem]:
    return [p for p in error.problems if p.where == file]


def assert_located(problem: Problem, file: str, row: int, column: str, *words: str) -> None:
    assert (problem.where, problem.row, problem.column) == (file, row, column)
    assert problem.fix.strip()
    assert str(problem).startswith(f"{file}, row {row}, column '{column}': ")
    for word in words:
        assert word in problem.message


# --- the shipped data ------------------------------------------------------------------------


def test_default_directory_is_the_shipped_data():
    assert DATA_DIR.resolve() == SHIPPED_DATA.resolve()


def test_shipped_data_has_four_placements_in_file_order(model):
    assert model.placement_ids == PLACEMENTS
    assert model.placement("biz_ops").short_name == "Central Biz Ops"


def test_shipped_data_has_the_core_factors(model):
    assert len(model.factor_ids) >= 8
    assert set(model.factor_ids) >= REQUIRED_FACTORS
    assert len(set(model.factor_ids)) == len(model.factor_ids)
    assert model.factor("ops_empathy").name == "Ops empathy"


def test_every_placement_factor_pair_has_exactly_one_cell(model):
    assert set(model.cells) == {(p, f) for p in model.placement_ids for f in model.factor_ids}


def test_matrix_matches_cells_in_file_order(model):
    assert model.matrix.shape == (4, len(model.factor_ids))
    for i, p in enumerate(model.placement_ids):
        for j, f in enumerate(model.factor_ids):
            assert model.matrix[i, j] == model.cells[p, f].score
    # Spot checks against data/scores.csv.
    assert model.matrix[0].tolist()[:2] == [1.0, 0.0]  # head_of_product: pm_alignment, ops_empathy
    assert model.cells["product_areas", "flexibility"].score == -2


def test_every_cell_is_on_the_scale_with_a_known_provenance(model):
    for cell in model.cells.values():
        assert isinstance(cell, Cell)
        assert cell.provenance in {"documented", "inferred", "neutral"}
        assert -2 <= cell.score <= 2
        assert cell.rationale.strip()
        if cell.provenance == "neutral":
            assert cell.score == 0
        if cell.provenance == "documented":
            assert model.evidence[cell.evidence].placement == cell.placement


def test_every_documented_benefit_and_risk_is_cited_in_its_direction(model):
    documented = [c for c in model.cells.values() if c.provenance == "documented"]
    benefits_and_risks = [e for e in model.evidence.values() if e.kind in ("benefit", "risk")]
    assert len(benefits_and_risks) == 7
    for item in benefits_and_risks:
        citing = [c for c in documented if c.evidence == item.id]
        assert citing, f"{item.id} is not cited"
        for cell in citing:
            assert (cell.score > 0) if item.kind == "benefit" else (cell.score < 0), cell


def test_head_of_product_has_no_risk_evidence(model):
    assert model.evidence_for("head_of_product", "risk") == []
    assert [e.id for e in model.evidence_for("operations", "risk")] == ["ops_risk"]
    assert [e.id for e in model.evidence_for("head_of_product", "recommendation")] == ["hop_recommendation"]


def test_placements_without_risk_evidence(model):
    assert [p.id for p in model.placements_without("risk")] == ["head_of_product"]
    assert [p.id for p in model.placements_without("recommendation")] == ["operations", "biz_ops", "product_areas"]


def test_loading_from_a_copy_gives_the_same_model(data_copy, model):
    copy = load_model(str(data_copy))
    assert copy.cells == model.cells
    assert copy.presets == model.presets
    assert np.array_equal(copy.matrix, model.matrix)


# --- cross-reference problems ------------------------------------------------------------------


def test_unknown_factor_in_scores(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "biz_ops", "factor": "flexibility"}, factor="agility")
    error = load_error(data_copy)
    [problem] = problems_in(error, "scores.csv")  # the now-missing cell is not reported twice
    assert_located(problem, "scores.csv", row, "factor", "unknown factor 'agility'")
    assert "flexibility" in problem.fix


def test_unknown_placement_in_scores(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "biz_ops", "factor": "flexibility"}, placement="finance")
    [problem] = load_error(data_copy).problems
    assert_located(problem, "scores.csv", row, "placement", "unknown placement 'finance'")
    assert "biz_ops" in problem.fix


def test_factor_without_scores(csv_files, data_copy):
    deleted = csv_files.delete("scores.csv", lambda r: r["factor"] != "ops_empathy")
    assert deleted == 5  # four placements and the optional hybrid
    error = load_error(data_copy)
    missing = [p for p in error.problems if "has no score for factor 'ops_empathy'" in p.message]
    assert missing, error.problems
    assert missing[0] == Problem(
        "scores.csv",
        "placement 'head_of_product' has no score for factor 'ops_empathy'",
        "add a row with a score from -2 to 2, a provenance and a rationale",
    )
    # ops_benefit was only cited by operations/ops_empathy, so it is now unused.
    assert any("'ops_benefit' is not used by any documented score" in p.message for p in error.problems)


def test_placement_without_scores(csv_files, data_copy):
    csv_files.delete("scores.csv", lambda r: r["placement"] != "head_of_product")
    messages = [p.message for p in load_error(data_copy).problems]
    assert "placement 'head_of_product' has no score for factor 'pm_alignment'" in messages
    assert "the documented benefit 'hop_benefit' is not used by any documented score" in messages


def test_every_missing_cell_is_reported_at_once(csv_files, data_copy):
    csv_files.delete("scores.csv", lambda r: r["factor"] != "ops_empathy")
    error = load_error(data_copy)
    missing = [p for p in error.problems if "has no score for factor 'ops_empathy'" in p.message]
    assert {p.message.split("'")[1] for p in missing} == {*PLACEMENTS, "uber_hybrid"}


def test_documented_cell_without_evidence(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "operations", "factor": "ops_empathy"}, evidence="")
    error = load_error(data_copy)
    problem = error.problems[0]
    assert_located(problem, "scores.csv", row, "evidence", "must cite an evidence id")
    assert "mark the cell inferred" in problem.fix


def test_documented_cell_citing_unknown_evidence(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "operations", "factor": "ops_empathy"}, evidence="nowhere")
    problem = load_error(data_copy).problems[0]
    assert_located(problem, "scores.csv", row, "evidence", "unknown evidence 'nowhere'")


def test_documented_cell_citing_another_placements_evidence(csv_files, data_copy):
    row = csv_files.set(
        "scores.csv", {"placement": "biz_ops", "factor": "pm_alignment"}, provenance="documented", evidence="ops_risk"
    )
    [problem] = load_error(data_copy).problems
    assert_located(problem, "scores.csv", row, "evidence", "'ops_risk' is about placement 'operations'")


def test_documented_benefit_cited_by_a_negative_score(csv_files, data_copy):
    # hop_benefit stays covered by head_of_product/global_tradeoffs, so this is the only problem.
    row = csv_files.set("scores.csv", {"placement": "head_of_product", "factor": "pm_alignment"}, score="-1")
    [problem] = load_error(data_copy).problems
    assert_located(problem, "scores.csv", row, "score", "documented benefit", "scores -1")
    assert problem.fix == "make the score positive"


def test_documented_benefit_cited_by_a_zero_score(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "head_of_product", "factor": "pm_alignment"}, score="0")
    [problem] = load_error(data_copy).problems
    assert_located(problem, "scores.csv", row, "score", "scores 0")


def test_documented_risk_cited_by_a_positive_score(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "operations", "factor": "pm_alignment"}, score="1")
    [problem] = load_error(data_copy).problems
    assert_located(problem, "scores.csv", row, "score", "documented risk", "scores 1")
    assert problem.fix == "make the score negative"


def test_uncited_documented_risk(csv_files, data_copy):
    csv_files.set(
        "scores.csv", {"placement": "biz_ops", "factor": "pm_credibility"}, provenance="inferred", evidence=""
    )
    [problem] = load_error(data_copy).problems
    assert problem.where == "scores.csv"
    assert problem.message == "the documented risk 'bizops_risk' is not used by any documented score"
    assert problem.fix == "cite it from a negative documented cell of placement 'biz_ops'"


def test_neutral_cell_with_non_zero_score(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "head_of_product", "factor": "ops_empathy"}, score="1")
    [problem] = load_error(data_copy).problems
    assert_located(problem, "scores.csv", row, "score", "neutral cell", "must score 0")
    assert "mark it inferred" in problem.fix


def test_unknown_evidence_citation_and_placement(csv_files, data_copy):
    row = csv_files.set("evidence.csv", {"id": "ops_works_when"}, citation="blog", placement="marketing")
    problems = load_error(data_copy).problems
    located = {(p.row, p.column) for p in problems if p.where == "evidence.csv"}
    assert located == {(row, "placement"), (row, "citation")}


def test_preset_missing_a_factor_weight(csv_files, data_copy):
    csv_files.delete("preset_weights.csv", lambda r: (r["preset"], r["factor"]) != ("author", "ops_empathy"))
    [problem] = load_error(data_copy).problems
    assert problem.where == "preset_weights.csv"
    assert problem.message == "preset 'author' has no weight for ops_empathy"
    assert "one row per factor" in problem.fix


def test_all_zero_preset(csv_files, data_copy):
    header, rows = csv_files.read("preset_weights.csv")
    for r in rows:
        if r["preset"] == "domain_needs":
            r["weight"] = "0"
    csv_files.write("preset_weights.csv", header, rows)
    [problem] = load_error(data_copy).problems
    assert problem.where == "preset_weights.csv"
    assert problem.message == "every weight of preset 'domain_needs' is zero"
    assert "positive weight" in problem.fix


def test_a_zero_weight_in_a_preset_is_allowed(csv_files, data_copy):
    csv_files.set("preset_weights.csv", {"preset": "author", "factor": "ops_empathy"}, weight="0")
    assert load_model(data_copy).presets["author"].weights["ops_empathy"] == 0


def test_unknown_preset_and_factor_in_preset_weights(csv_files, data_copy):
    preset_row = csv_files.append("preset_weights.csv", preset="speed", factor="pm_alignment", weight="1")
    factor_row = csv_files.append("preset_weights.csv", preset="author", factor="speed", weight="1")
    problems = load_error(data_copy).problems
    assert_located(problems[0], "preset_weights.csv", preset_row, "preset", "unknown preset 'speed'")
    assert_located(problems[1], "preset_weights.csv", factor_row, "factor", "unknown factor 'speed'")
    assert len(problems) == 2


def test_unknown_source_placement(csv_files, data_copy):
    row = csv_files.set("presets.csv", {"id": "ops_enablement"}, source_placement="finance")
    [problem] = load_error(data_copy).problems
    assert_located(problem, "presets.csv", row, "source_placement", "unknown source_placement 'finance'")
    assert "operations" in problem.fix


def test_unknown_preset_evidence(csv_files, data_copy):
    row = csv_files.set("presets.csv", {"id": "ops_enablement"}, evidence="hearsay")
    [problem] = load_error(data_copy).problems
    assert_located(problem, "presets.csv", row, "evidence", "unknown evidence 'hearsay'")


def test_no_placements(csv_files, data_copy):
    csv_files.write("placements.csv", ["id", "name", "short_name", "description"], [])
    problems = load_error(data_copy).problems
    assert Problem("placements.csv", "there is no placement", "add at least one placement row") in problems


def test_several_problems_in_different_files_are_reported_at_once(csv_files, data_copy):
    score_row = csv_files.set("scores.csv", {"placement": "operations", "factor": "ops_empathy"}, score="3")
    weight_row = csv_files.set("preset_weights.csv", {"preset": "author", "factor": "flexibility"}, weight="-4")
    name_row = csv_files.set("factors.csv", {"id": "flexibility"}, name="")
    error = load_error(data_copy)
    assert len(error.problems) >= 2
    located = {(p.where, p.row, p.column) for p in error.problems}
    assert {
        ("scores.csv", score_row, "score"),
        ("preset_weights.csv", weight_row, "weight"),
        ("factors.csv", name_row, "name"),
    } <= located
    assert len(str(error).splitlines()) == len(error.problems)


def test_several_cross_reference_problems_in_different_files_are_reported_at_once(csv_files, data_copy):
    csv_files.set("scores.csv", {"placement": "head_of_product", "factor": "ops_empathy"}, score="2")
    csv_files.set("presets.csv", {"id": "author"}, source_placement="finance")
    csv_files.set("evidence.csv", {"id": "ops_works_when"}, citation="blog")
    files = {p.where for p in load_error(data_copy).problems}
    assert files == {"scores.csv", "presets.csv", "evidence.csv"}


def test_non_documented_cell_citing_unknown_evidence_is_an_input_error(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "head_of_product", "factor": "pm_credibility"}, evidence="bogus")
    try:
        load_model(data_copy)
    except InputError as error:
        assert any((p.where, p.row, p.column) == ("scores.csv", row, "evidence") for p in error.problems)
    else:
        raise AssertionError("a cell citing unknown evidence 'bogus' loaded without an InputError")


# --- the rule for each kind of statement (docs/data.md) --------------------------------------------------


def test_a_cell_scored_from_a_condition_scores_plus_one(csv_files, data_copy):
    row = csv_files.set("scores.csv", {"placement": "biz_ops", "factor": "best_practices"}, score="2")
    [problem] = load_error(data_copy).problems
    assert_located(problem, "scores.csv", row, "score", "scored from a condition", "scores 2")
    assert problem.fix.startswith("score it +1")


def test_a_recommendation_cannot_drive_a_cell(csv_files, data_copy):
    row = csv_files.set(
        "scores.csv", {"placement": "head_of_product", "factor": "global_tradeoffs"}, evidence="hop_recommendation"
    )
    problems = load_error(data_copy).problems
    located = [p for p in problems if p.row == row]
    assert len(located) == 1
    assert_located(located[0], "scores.csv", row, "evidence", "recommendation is about the whole placement")
    # hop_benefit now drives no documented cell: reported too.
    assert any("'hop_benefit' is not used by any documented score" in p.message for p in problems)


def test_an_inferred_cell_follows_the_statement_it_is_inferred_from(csv_files, data_copy):
    sign = csv_files.set("scores.csv", {"placement": "operations", "factor": "pm_credibility"}, score="1")
    other = csv_files.set("scores.csv", {"placement": "biz_ops", "factor": "flexibility"}, evidence="areas_risk")
    problems = {p.row: p for p in load_error(data_copy).problems}
    assert set(problems) == {sign, other}
    assert_located(problems[sign], "scores.csv", sign, "score", "documented risk", "scores 1")
    assert_located(problems[other], "scores.csv", other, "evidence", "about placement 'product_areas'")


def test_a_teams_own_score_may_depart_from_its_statement(csv_files, data_copy):
    csv_files.set("scores.csv", {"placement": "biz_ops", "factor": "best_practices"}, score="-2", provenance="user")
    assert load_model(data_copy).cells["biz_ops", "best_practices"].score == -2
