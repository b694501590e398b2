"""The questionnaire's tables (placement/data/profile.py): every problem named by file, row and column."""

from __future__ import annotations

import pytest

from placement.data.catalog import load_catalog
from placement.data.problems import InputError
from placement.data.profile import load_questionnaire


def problems_of(data_copy, model) -> set[tuple[str, int | None, str | None, str]]:
    with pytest.raises(InputError) as caught:
        load_questionnaire(model.factor_ids, data_copy)
    return {(p.where, p.row, p.column, p.message) for p in caught.value.problems}


def test_the_shipped_questionnaire_has_six_questions_and_a_reason_for_every_effect(model):
    questionnaire = load_questionnaire(model.factor_ids)
    assert [q.id for q in questionnaire.questions] == ["pms", "areas", "focus", "autonomy", "ops_size", "pain"]
    assert all(e.reason for e in questionnaire.effects)


def test_an_effect_on_an_unknown_factor_or_answer_is_named(data_copy, csv_files, model):
    factor_row = csv_files.set("profile_effects.csv", {"answer": "domain_gaps"}, factor="happiness")
    answer_row = csv_files.set("profile_effects.csv", {"answer": "stuck_work"}, answer="lost_work")
    found = problems_of(data_copy, model)
    assert ("profile_effects.csv", factor_row, "factor", "unknown factor 'happiness'") in found
    assert ("profile_effects.csv", answer_row, "answer", "unknown answer 'pain/lost_work'") in found


def test_a_blank_reason_and_an_effect_out_of_range_are_refused(data_copy, csv_files, model):
    row = csv_files.set("profile_effects.csv", {"answer": "domain_gaps"}, reason="", effect="12")
    found = {(where, r, column) for where, r, column, _ in problems_of(data_copy, model)}
    assert {("profile_effects.csv", row, "reason"), ("profile_effects.csv", row, "effect")} <= found


def test_count_bands_with_a_gap_are_refused(data_copy, csv_files, model):
    csv_files.set("profile_answers.csv", {"answer": "some_pms"}, low="8")
    found = problems_of(data_copy, model)
    row = csv_files.find("profile_questions.csv", id="pms")
    assert ("profile_questions.csv", row, "id", "the answers to 'pms' do not cover 1 to 1000 once each") in found


def test_a_choice_answer_with_a_band_is_refused(data_copy, csv_files, model):
    row = csv_files.set("profile_answers.csv", {"answer": "coaching"}, low="1", high="2")
    assert ("profile_answers.csv", row, "low", "'focus' is a choice question") in problems_of(data_copy, model)


def test_the_catalog_reports_questionnaire_problems_with_the_others(data_copy, csv_files):
    csv_files.set("profile_effects.csv", {"answer": "domain_gaps"}, factor="happiness")
    with pytest.raises(InputError) as caught:
        load_catalog(data_copy)
    assert any(p.where == "profile_effects.csv" for p in caught.value.problems)


# --- every effect states what it rests on ------------------------------------------------------------------------


def test_every_shipped_effect_states_its_basis_and_the_sources_cite_it(model):
    effects = load_questionnaire(model.factor_ids).effects
    assert {e.basis for e in effects} <= {"source", "published", "judgement"}
    # The five focus answers that follow the source's own statements (its conditions and the benefit the author
    # gives for her placement); everything else is our judgement, labelled so.
    assert {(e.answer, e.factor) for e in effects if e.basis == "source"} == {
        ("portfolio", "global_tradeoffs"),
        ("ops_enablement", "ops_empathy"),
        ("efficiency", "cross_functional_efficiency"),
        ("coaching", "best_practices"),
        ("domain", "domain_expertise"),
    }
    assert all(e.citation == model.sources["source"] for e in effects if e.basis == "source")
    assert all(e.citation == "" and e.basis_label == "our judgement" for e in effects if e.basis == "judgement")


def test_the_reason_that_over_claimed_the_authors_priorities_is_withdrawn(model):
    """The source speaks of alignment with Product's priorities, not of staying in step with the PMs."""
    [alignment] = [
        e
        for e in load_questionnaire(model.factor_ids).effects
        if e.factor == "pm_alignment" and e.answer == "portfolio"
    ]
    assert "stays in step" not in alignment.reason and alignment.basis == "judgement"


def test_the_coaching_credibility_effect_is_our_judgement_and_does_not_outweigh_the_source(model):
    [credibility] = [
        e
        for e in load_questionnaire(model.factor_ids).effects
        if e.factor == "pm_credibility" and e.answer == "coaching"
    ]
    assert (credibility.effect, credibility.basis) == (1, "judgement")


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"basis": ""}, "basis", None),  # blank: the schema names the missing value
        ({"basis": "hunch"}, "basis", None),
        (
            {"basis": "judgement", "citation": "source"},
            "citation",
            "the basis is our judgement but the row cites 'source'",
        ),
        ({"basis": "source", "citation": ""}, "citation", "the basis is the source but the row has no citation"),
        (
            {"basis": "published", "citation": ""},
            "citation",
            "the basis is a published fact but the row has no citation",
        ),
        (
            {"basis": "published", "citation": "nowhere"},
            "citation",
            "the basis is a published fact but the row cites 'nowhere'",
        ),
        (
            {"basis": "published", "citation": "source"},
            "citation",
            "the basis is a published fact but the row cites 'source'",
        ),
    ],
)
def test_an_effect_without_a_proper_basis_is_refused_at_its_place(
    data_copy, csv_files, model, changes, column, message
):
    row = csv_files.set("profile_effects.csv", {"answer": "domain_gaps"}, **changes)
    at_row = {(c, m) for where, r, c, m in problems_of(data_copy, model) if (where, r) == ("profile_effects.csv", row)}
    assert {c for c, _ in at_row} == {column}  # one problem, where it is: a bad basis is not also a bad citation
    if message:
        assert at_row == {(column, message)}


def test_a_published_fact_with_a_known_citation_is_accepted_and_labelled(data_copy, csv_files, model):
    csv_files.set("profile_effects.csv", {"answer": "domain_gaps"}, basis="published", citation="perri_tilles")
    [effect] = [e for e in load_questionnaire(model.factor_ids, data_copy).effects if e.answer == "domain_gaps"]
    assert effect.basis_label == f"published: {model.sources['perri_tilles']}"
