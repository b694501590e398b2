"""The shipped presets: each reproduces one 'works best when' condition from the source."""

from __future__ import annotations

import pytest

from placement.analysis.scoring import rank
from placement.analysis.weights import normalise

EXPECTED_SOURCES = {
    "author": "head_of_product",
    "ops_enablement": "operations",
    "best_practices": "biz_ops",
    "domain_needs": "product_areas",
    "balanced": None,
}
MIN_MARGIN = 5.0  # points on the 0-100 scale


def test_the_expected_presets_exist(model):
    assert {p: preset.source_placement for p, preset in model.presets.items()} == EXPECTED_SOURCES


@pytest.mark.parametrize("preset_id", [p for p, s in EXPECTED_SOURCES.items() if s])
def test_preset_ranks_its_source_placement_first_by_a_clear_margin(model, preset_id):
    preset = model.presets[preset_id]
    results = rank(model, normalise(preset.weights, model.factor_ids))
    assert results[0].placement == preset.source_placement
    assert results[0].rank == 1 and results[1].rank == 2
    assert results[0].score - results[1].score >= MIN_MARGIN


def test_balanced_has_equal_weights_and_no_source(model):
    balanced = model.presets["balanced"]
    assert list(balanced.weights) == model.factor_ids
    assert len(set(balanced.weights.values())) == 1
    assert next(iter(balanced.weights.values())) > 0
    assert balanced.source_placement is None
    assert balanced.evidence is None


@pytest.mark.parametrize("preset_id", [p for p, s in EXPECTED_SOURCES.items() if s])
def test_preset_names_a_real_placement_and_evidence_about_it(model, preset_id):
    preset = model.presets[preset_id]
    assert preset.source_placement in model.placement_ids
    assert preset.evidence in model.evidence
    evidence = model.evidence[preset.evidence]
    assert evidence.placement == preset.source_placement
    assert evidence.kind in ("recommendation", "works_when")
    assert preset.name.strip() and preset.description.strip()


@pytest.mark.parametrize("preset_id", list(EXPECTED_SOURCES))
def test_preset_weights_cover_every_factor_within_slider_range(model, preset_id):
    weights = model.presets[preset_id].weights
    assert list(weights) == model.factor_ids
    assert all(0 <= w <= 10 for w in weights.values())
    assert sum(weights.values()) > 0


@pytest.mark.parametrize("preset_id", [p for p, s in EXPECTED_SOURCES.items() if s and p != "author"])
def test_condition_presets_put_their_heaviest_weight_on_a_documented_strength(model, preset_id):
    preset = model.presets[preset_id]
    heaviest = max(preset.weights, key=preset.weights.get)
    cell = model.cells[preset.source_placement, heaviest]
    assert cell.provenance == "documented"
    assert cell.score == 2


def test_author_preset_weighs_global_tradeoffs_most(model):
    weights = model.presets["author"].weights
    assert max(weights, key=weights.get) == "global_tradeoffs"
    assert weights["global_tradeoffs"] == 10
