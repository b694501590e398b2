"""Weights from the company profile (placement/analysis/profile.py) against the shipped mapping table.

The oracle reads data/profile_effects.csv with the csv module: every row must be applied as it states,
and an answer must change exactly the factors its rows name.
"""

from __future__ import annotations

import csv

import pytest

from placement.analysis import profile
from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.data.problems import InputError
from placement.data.profile import load_questionnaire
from tests.conftest import SHIPPED_DATA

# Answers that move no factor: the background against which one answer's effects are seen.
QUIET = {"pms": 10, "areas": 3}


def effect_rows() -> list[dict[str, str]]:
    with open(SHIPPED_DATA / "profile_effects.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def answer_rows() -> list[dict[str, str]]:
    with open(SHIPPED_DATA / "profile_answers.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def questionnaire(model):
    return load_questionnaire(model.factor_ids)


def as_given(row: dict[str, str]) -> str | int:
    """An answer as the questionnaire takes it: a count inside the band, or the choice's id."""
    return int(row["low"]) if row["low"] else row["answer"]


def test_the_quiet_answers_leave_every_factor_at_the_base(questionnaire, model):
    derived = profile.derive(questionnaire, QUIET, model.factor_ids)
    assert set(derived.points.values()) == {profile.BASE_POINTS}
    assert all(not reasons for reasons in derived.reasons.values())


@pytest.mark.parametrize("answer", answer_rows(), ids=lambda a: f"{a['question']}={a['answer']}")
def test_each_answer_changes_exactly_the_weights_its_rows_say(questionnaire, model, answer):
    stated = {
        r["factor"]: int(r["effect"])
        for r in effect_rows()
        if (r["question"], r["answer"]) == (answer["question"], answer["answer"])
    }
    derived = profile.derive(questionnaire, {**QUIET, answer["question"]: as_given(answer)}, model.factor_ids)
    assert derived.points == {f: profile.BASE_POINTS + stated.get(f, 0) for f in model.factor_ids}
    for factor, effect in stated.items():
        (because,) = derived.reasons[factor]
        reason = next(
            r["reason"]
            for r in effect_rows()
            if (r["question"], r["answer"], r["factor"]) == (answer["question"], answer["answer"], factor)
        )
        assert (because.answer, because.effect, because.reason) == (answer["label"], effect, reason)


def test_every_answer_moves_some_weight_except_the_middle_ones(questionnaire):
    moving = {(r["question"], r["answer"]) for r in effect_rows()}
    still = {(a["question"], a["answer"]) for a in answer_rows()} - moving
    assert still == {("pms", "some_pms"), ("areas", "some_areas"), ("autonomy", "mixed"), ("ops_size", "medium_ops")}


def test_effects_add_up_and_points_above_ten_are_scaled_to_the_sliders(questionnaire, model):
    answers = {"pms": 40, "areas": 5, "focus": "portfolio", "autonomy": "coordinated", "pain": "conflicting_priorities"}
    derived = profile.derive(questionnaire, answers, model.factor_ids)
    # global trade-offs: 1 + 2 (many PMs) + 1 (many areas) + 7 (portfolio) + 2 (coordinated) + 3 (conflicts) = 16
    assert derived.points["global_tradeoffs"] == 16
    assert derived.points["pm_alignment"] == 1 + 3
    assert derived.sliders["global_tradeoffs"] == 10
    assert derived.sliders["pm_alignment"] == round(4 * 10 / 16)
    assert [b.effect for b in derived.reasons["global_tradeoffs"]] == [2, 1, 7, 2, 3]


def test_the_sources_conditions_put_their_own_placement_first_and_coaching_ties(questionnaire, model):
    """Each condition's focus, answered alone, ranks the placement the source names for it first, but
    coaching, where our judgement (+1 PM credibility) balances the source's condition. By hand, coaching's
    points are 1 for six factors, 8 for best practices and 2 for PM credibility (16 in all): Head of Product
    (1 x 1 + 2 x 1 + 1 x 2 + 1 x 1) / 16 = 6/16, Biz Ops (-1 + 2 - 2 x 2 + 1 + 1 x 8) / 16 = 6/16: a tie
    (59.375 each). The judgement alone no longer decides the leader (at +2 it gave 7/17 to 4/17)."""
    expected = {
        "ops_enablement": {"operations"},
        "coaching": {"head_of_product", "biz_ops"},
        "domain": {"product_areas"},
        "portfolio": {"head_of_product"},
        "efficiency": {"biz_ops"},
    }
    for focus, placements in expected.items():
        derived = profile.derive(questionnaire, {**QUIET, "focus": focus}, model.factor_ids)
        ranking = rank(model, normalise(derived.sliders, model.factor_ids))
        assert {r.placement for r in ranking if r.rank == 1} == placements, focus
    coaching = profile.derive(questionnaire, {**QUIET, "focus": "coaching"}, model.factor_ids)
    assert rank(model, normalise(coaching.sliders, model.factor_ids))[0].score == pytest.approx(59.375)


def test_the_summary_says_each_answer_in_words(questionnaire, model):
    derived = profile.derive(questionnaire, {"pms": 40, "focus": "coaching"}, model.factor_ids)
    assert ("How many Product Managers do you have?", "40") in derived.summary
    assert (
        "What does Product Ops mainly do today (or will do first)?",
        "Best practices and coaching PMs",
    ) in derived.summary
    assert derived.answers["areas"] == 3  # a count left out takes its default


def test_bad_answers_are_named_together(questionnaire, model):
    with pytest.raises(InputError) as caught:
        profile.derive(questionnaire, {"pms": 0, "focus": "everything", "mood": "good"}, model.factor_ids)
    message = str(caught.value)
    assert "'0' is not an answer to 'How many Product Managers do you have?'" in message
    assert "give a whole number from 1 to 1000" in message
    assert "choose one of portfolio, ops_enablement" in message
    assert "unknown question 'mood'" in message


def test_derived_weights_are_the_exact_points_and_the_sliders_only_the_nearest_positions(questionnaire, model):
    answers = {"pms": 40, "areas": 5, "focus": "portfolio", "autonomy": "coordinated", "pain": "conflicting_priorities"}
    derived = profile.derive(questionnaire, answers, model.factor_ids)
    # By hand: pm alignment 1 + 3 = 4, ops empathy 1, efficiency 1, domain 1 + 2 = 3, trade-offs 16, credibility 1,
    # flexibility 1 + 1 = 2, practices 1 + 1 = 2: 30 points in all.
    by_hand = {
        "pm_alignment": 4 / 30,
        "ops_empathy": 1 / 30,
        "cross_functional_efficiency": 1 / 30,
        "domain_expertise": 3 / 30,
        "global_tradeoffs": 16 / 30,
        "pm_credibility": 1 / 30,
        "flexibility": 2 / 30,
        "best_practices": 2 / 30,
    }
    assert derived.weights == pytest.approx(by_hand, abs=1e-15)
    assert derived.weights_shown(derived.sliders) == pytest.approx(by_hand, abs=1e-15)
    # The sliders round 4 x 10/16 = 2.5 to 2: their own weights would give PM alignment 2/19, not 4/30.
    assert derived.sliders["pm_alignment"] == 2
    assert normalise(derived.sliders, model.factor_ids)["pm_alignment"] == pytest.approx(2 / 19)
    moved = {**derived.sliders, "pm_alignment": 3}
    assert derived.weights_shown(moved) is None  # someone moved a slider: the sliders' weights apply


def test_a_factor_the_answers_set_to_zero_is_listed_as_dropping_out(questionnaire, model):
    derived = profile.derive(questionnaire, {"areas": 1}, model.factor_ids)  # one area: domain 1 - 1 = 0
    assert derived.dropped == ["domain_expertise"]
    assert derived.weights["domain_expertise"] == 0
    assert profile.derive(questionnaire, QUIET, model.factor_ids).dropped == []


def test_each_effect_carries_its_basis_into_the_record_rows(questionnaire, model):
    derived = profile.derive(questionnaire, {**QUIET, "focus": "coaching"}, model.factor_ids)
    names = {f.id: f.name for f in model.factors}
    rows = profile.effect_rows(derived, names)
    assert [(r[0], r[2], r[3]) for r in rows] == [
        ("Credibility on PM day-to-day", "+1", "our judgement"),
        ("Best practices and PM coaching", "+7", "the source"),
    ]
