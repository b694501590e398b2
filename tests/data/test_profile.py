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
