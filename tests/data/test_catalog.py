"""One way in for data/: every file validated together, every problem reported at once."""

import pytest

from placement.data.catalog import load_catalog
from placement.data.problems import InputError
from ui import registry


def test_the_shipped_files_load(model):
    catalog = load_catalog(page_ids=registry.PAGE_IDS)
    assert catalog.model == model
    assert len(catalog.full_model.placements) == len(model.placements) + 1  # the optional hybrid
    assert {"central", "embedded", "hybrid"} <= {r.coverage for r in catalog.staffing.rules}
    assert [s.id for s in catalog.steps][:2] == ["context", "weighting"]


def test_problems_in_three_files_are_reported_together(data_copy, csv_files):
    score_row = csv_files.set("scores.csv", {"placement": "operations", "factor": "ops_empathy"}, score="7")
    rule_row = csv_files.set("staffing_rules.csv", {"id": csv_files.read("staffing_rules.csv")[1][0]["id"]}, per="lots")
    step_row = csv_files.set("guide_steps.csv", {"id": "reveal"}, page="nowhere")
    with pytest.raises(InputError) as caught:
        load_catalog(data_copy, page_ids=registry.PAGE_IDS)
    found = {(p.where, p.row, p.column) for p in caught.value.problems}
    assert ("scores.csv", score_row, "score") in found
    assert ("staffing_rules.csv", rule_row, "per") in found
    assert ("guide_steps.csv", step_row, "page") in found


def test_page_ids_are_checked_only_when_given(data_copy, csv_files):
    csv_files.set("guide_steps.csv", {"id": "reveal"}, page="nowhere")
    assert [s.page for s in load_catalog(data_copy).steps][2] == "nowhere"
