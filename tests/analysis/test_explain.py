"""Plain-language explanations of a ranking (placement/explain.py)."""

from __future__ import annotations

import dataclasses

import pytest

from placement.analysis.explain import TOP_BENEFITS, explain
from placement.analysis.scoring import rank
from placement.analysis.weights import normalise

EXPECTED_LEADER = {
    "author": "head_of_product",
    "ops_enablement": "operations",
    "best_practices": "biz_ops",
    "domain_needs": "product_areas",
    "balanced": "head_of_product",
}


def ranked(model, raw):
    return rank(model, normalise(raw, model.factor_ids))


def explained(model, raw):
    results = ranked(model, raw)
    return results, explain(model, results)


@pytest.mark.parametrize("preset_id", list(EXPECTED_LEADER))
def test_explanation_names_the_expected_leader_and_margin(model, preset_id):
    results, explanation = explained(model, model.presets[preset_id].weights)
    leader = EXPECTED_LEADER[preset_id]
    assert explanation.leaders == [leader]
    assert explanation.runner_up == results[1].placement
    assert explanation.margin == pytest.approx(results[0].score - results[1].score)
    assert explanation.margin > 0
    first = explanation.sentences(model)[0]
    assert first == (
        f"{model.placement(leader).name} leads by {explanation.margin:.1f} points over "
        f"{model.placement(results[1].placement).name}."
    )


def test_author_margin_value(model):
    _, explanation = explained(model, model.presets["author"].weights)
    # head_of_product 38/38 (8*1 + 10*2 + 5 + 5), biz_ops -4/38 (-8 + 6 - 10 + 5 + 3) on the -2..+2 scale:
    # 25 * 42/38 = 27.63 points apart.
    assert explanation.runner_up == "biz_ops"
    assert explanation.margin == pytest.approx(25 * 42 / 38)
    assert "leads by 27.6 points" in explanation.sentences(model)[0]


@pytest.mark.parametrize("preset_id", list(EXPECTED_LEADER))
def test_benefits_are_the_leaders_largest_positive_contributions(model, preset_id):
    results, explanation = explained(model, model.presets[preset_id].weights)
    points = [d.points for d in explanation.benefits]
    assert 1 <= len(points) <= TOP_BENEFITS
    assert all(p > 0 for p in points)
    assert points == sorted(points, reverse=True)
    top = results[0]
    expected = sorted(top.benefits.items(), key=lambda item: -item[1])[:TOP_BENEFITS]
    assert [d.factor for d in explanation.benefits] == [f for f, _ in expected]
    assert points == pytest.approx([25 * c for _, c in expected])
    for driver in explanation.benefits:
        cell = model.cells[top.placement, driver.factor]
        assert driver.provenance == cell.provenance
        assert driver.rationale == cell.rationale
        assert driver.factor_name == model.factor(driver.factor).name


def test_author_benefits_and_documented_evidence(model):
    _, explanation = explained(model, model.presets["author"].weights)
    assert [d.factor for d in explanation.benefits] == ["global_tradeoffs", "pm_alignment"]
    assert explanation.benefits[0].points == pytest.approx(25 * 20 / 38)
    assert explanation.benefits[0].evidence == model.evidence["hop_benefit"].statement
    assert {d.factor for d in explanation.documented} == {"global_tradeoffs"}  # PM alignment is inferred
    assert explanation.main_risk is None
    assert "It carries no weighted risk." in explanation.sentences(model)


def test_evidence_statements_group_factors_by_statement(model):
    _, explanation = explained(model, model.presets["author"].weights)
    assert explanation.evidence_statements() == [
        (model.evidence["hop_benefit"].statement, ["Visibility and global trade-offs"])
    ]
    _, explanation = explained(model, model.presets["best_practices"].weights)
    statements = dict(explanation.evidence_statements())
    assert statements == {
        model.evidence["bizops_benefit"].statement: ["Cross-functional efficiency"],
        model.evidence["bizops_risk"].statement: ["Credibility on PM day-to-day"],
        model.evidence["bizops_works_when"].statement: ["Best practices and PM coaching"],
    }


@pytest.mark.parametrize("preset_id", list(EXPECTED_LEADER))
def test_evidence_gap_flag_only_for_head_of_product(model, preset_id):
    _, explanation = explained(model, model.presets[preset_id].weights)
    gap = EXPECTED_LEADER[preset_id] == "head_of_product"
    assert explanation.risk_evidence_gap is gap
    gap_sentences = [s for s in explanation.sentences(model) if "evidence gap" in s]
    assert len(gap_sentences) == (1 if gap else 0)


def test_main_risk_is_the_most_negative_contribution(model):
    results, explanation = explained(model, model.presets["ops_enablement"].weights)
    assert results[0].placement == "operations"
    risks = results[0].risks
    worst = min(risks, key=risks.get)
    assert worst == "pm_alignment"
    assert explanation.main_risk.factor == worst
    assert explanation.main_risk.points == pytest.approx(25 * risks[worst])
    assert explanation.main_risk.provenance == "documented"
    assert explanation.main_risk.evidence == model.evidence["ops_risk"].statement
    assert f"Its main risk: PM alignment ({explanation.main_risk.points:.1f}, documented)." in explanation.sentences(
        model
    )


@pytest.mark.parametrize("preset_id", list(EXPECTED_LEADER))
def test_decisive_factor_is_the_largest_contribution_gap(model, preset_id):
    results, explanation = explained(model, model.presets[preset_id].weights)
    top, second = results[0], results[1]
    gaps = {f: top.contributions[f] - second.contributions[f] for f in model.factor_ids}
    factor = max(gaps, key=gaps.get)
    assert explanation.decisive_factor.factor == factor
    assert explanation.decisive_factor.points == pytest.approx(25 * gaps[factor])
    # The gaps add up to the margin, so the largest one is at least their average.
    assert explanation.decisive_factor.points >= explanation.margin / len(model.factor_ids)
    assert any(model.placement(second.placement).name in s and "separates" in s for s in explanation.sentences(model))


@pytest.mark.parametrize(
    ("factor", "tied"),
    [
        ("pm_credibility", ["head_of_product", "product_areas"]),  # both +1, the top of that column
        ("flexibility", ["head_of_product", "biz_ops"]),  # both +1, the top of that column
    ],
)
def test_a_tie_at_the_top_gives_the_tie_sentence(model, factor, tied):
    results, explanation = explained(model, {factor: 1})
    assert [r.placement for r in results if r.rank == 1] == tied
    assert explanation.leaders == tied
    assert explanation.margin == 0
    assert explanation.decisive_factor is None
    names = " and ".join(model.placement(p).name for p in tied)
    assert explanation.sentences(model) == [f"{names} tie for first place: the weights do not separate them."]


def test_a_tie_below_the_top_is_not_a_tie_for_first(model):
    results, explanation = explained(model, model.presets["ops_enablement"].weights)
    assert [r.rank for r in results] == [1, 2, 2, 4]
    assert explanation.leaders == ["operations"]
    assert explanation.runner_up == "head_of_product"  # file order among the tied runners-up
    assert "tie" not in explanation.sentences(model)[0]


def test_single_placement_model(model):
    alone = dataclasses.replace(model, placements=model.placements[:1])
    results = rank(alone, normalise(model.presets["balanced"].weights, model.factor_ids))
    explanation = explain(alone, results)
    assert explanation.runner_up is None and explanation.margin == 0.0
    assert explanation.decisive_factor is None
    assert explanation.sentences(alone)[0] == "Reports to the Head of Product is the only placement."
