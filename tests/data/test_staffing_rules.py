"""Staffing rules of thumb and start signals (placement/data/staffing.py): loading, checking and what they say.

The expected values are GUIDE section 2's published ratios, written out by hand.
"""

from __future__ import annotations

import pytest

from placement.data.problems import InputError
from placement.data.staffing import COVERAGES, Rule, StaffingData, load_staffing


@pytest.fixture(scope="module")
def data(model) -> StaffingData:
    return load_staffing(model.sources)


# --- load_staffing -----------------------------------------------------------------------------


def test_shipped_data_loads(model, data):
    assert {r.id for r in data.rules} >= {f"{c}_{b}" for c in COVERAGES for b in ("low", "high")}
    assert all(r.citation in model.sources for r in data.rules)
    assert all(s.citation in model.sources for s in data.signals)


def test_unknown_rule_citation_is_refused_with_its_place(model, data_copy, csv_files):
    row = csv_files.set("staffing_rules.csv", {"id": "embedded_high"}, citation="made_up_source")
    with pytest.raises(InputError) as caught:
        load_staffing(model.sources, data_copy)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("staffing_rules.csv", row, "citation")
    assert row == 5
    assert "made_up_source" in problem.message
    assert "sources.csv" in problem.fix


def test_unknown_signal_citation_is_refused_with_its_place(model, data_copy, csv_files):
    row = csv_files.set("start_signals.csv", {"id": "adair"}, citation="nobody")
    with pytest.raises(InputError) as caught:
        load_staffing(model.sources, data_copy)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("start_signals.csv", row, "citation")


def test_missing_rule_is_refused(model, data_copy, csv_files):
    assert csv_files.delete("staffing_rules.csv", lambda r: r["id"] != "hybrid_low") == 1
    with pytest.raises(InputError) as caught:
        load_staffing(model.sources, data_copy)
    [problem] = caught.value.problems
    assert problem.where == "staffing_rules.csv"
    assert "no low rule for the hybrid model" in problem.message


def test_every_problem_is_reported_at_once(model, data_copy, csv_files):
    csv_files.delete("staffing_rules.csv", lambda r: r["id"] != "central_high")
    per_row = csv_files.set("staffing_rules.csv", {"id": "embedded_low"}, per="0")
    cite_row = csv_files.set("start_signals.csv", {"id": "perri"}, citation="nowhere")
    with pytest.raises(InputError) as caught:
        load_staffing(model.sources, data_copy)
    places = {(p.where, p.row, p.column) for p in caught.value.problems}
    assert ("staffing_rules.csv", per_row, "per") in places
    assert ("start_signals.csv", cite_row, "citation") in places
    assert any("no high rule for the central model" in p.message for p in caught.value.problems)


def test_missing_file_is_refused(model, data_copy):
    (data_copy / "start_signals.csv").unlink()
    with pytest.raises(InputError) as caught:
        load_staffing(model.sources, data_copy)
    assert [p.where for p in caught.value.problems] == ["start_signals.csv"]


# --- the data says what GUIDE section 2 says ---------------------------------------------------


def rule(data, rule_id) -> Rule:
    [found] = [r for r in data.rules if r.id == rule_id]
    return found


def test_central_rules_match_the_published_ratios(data):
    sparse = rule(data, "central_low")
    assert (sparse.basis, sparse.per, sparse.plus, sparse.citation) == ("pms", 50, 0, "sharebird_ratio")
    assert "50 PMs" in sparse.statement
    dense = rule(data, "central_high")  # a team of 1-2 serving about 7 PMs or more: two people, not 2 per 7
    assert (dense.basis, dense.per, dense.plus, dense.citation) == ("pms", None, 2, "sharebird_ratio")
    assert (dense.applies_from, dense.applies_to, dense.reading) == (7, 50, "ours")  # the upper end is ours


def test_embedded_rules_match_the_published_pod_ratios(data):
    low, high = rule(data, "embedded_low"), rule(data, "embedded_high")
    assert (low.basis, low.per, low.plus) == ("pods", 3, 0)  # 2-3 pods per person: the sparse end
    assert "two to three pods" in low.statement
    assert (high.basis, high.per, high.plus) == ("pods", 1, 0)  # 1:1 for large or complex pods
    assert "1:1" in high.statement and "large" in high.statement.lower()
    assert low.citation == high.citation == "sharebird_ratio"


def test_uber_one_to_one_reference_rule_exists(model, data):
    uber = rule(data, "one_to_one")
    assert (uber.coverage, uber.basis, uber.per, uber.plus) == ("reference", "pms", 1, 0)
    assert "Uber" in uber.statement and "1:1" in uber.statement
    assert uber.citation == "productschool_uber"
    assert "Product School" in model.sources[uber.citation]
    assert uber.headcount(40, 0) == 40


def test_reference_rule_is_never_used_for_an_estimate(data):
    for coverage in COVERAGES:
        for bound in ("low", "high"):
            assert data.rule(coverage, bound).coverage == coverage


@pytest.mark.parametrize(
    ("signal_id", "min_pms", "citation", "words"),
    [
        ("perri", 7, "perri_start", "seven"),
        ("talhive", 5, "talhive", "above about four"),
        ("learnanything", 15, "learnanything", "fifteen"),
        ("adair", 11, "adair_2025", "eleven pms"),
    ],
)
def test_start_signals_match_the_guide(model, data, signal_id, min_pms, citation, words):
    [signal] = [s for s in data.signals if s.id == signal_id]
    assert (signal.min_pms, signal.citation) == (min_pms, citation)
    assert words in signal.statement.lower()
    assert citation in model.sources


def test_only_the_published_signals(data):
    assert sorted(s.id for s in data.signals) == ["adair", "learnanything", "perri", "talhive"]


def test_context_says_there_is_no_survey_benchmark(model):
    items = [c for c in model.context if c.topic == "staffing"]
    assert any("no survey-based benchmark" in c.statement.lower() for c in items)
    assert all(c.citation in model.sources for c in items)
    [benchmark] = [c for c in items if "benchmark" in c.statement]
    assert "50 PMs" in benchmark.statement and "one per PM" in benchmark.statement


# --- the team sizes a published rule's source states ---------------------------------------------------------


def test_published_rules_state_the_sizes_their_source_describes(data):
    # The Sharebird answers describe teams from about seven PMs (one or two people) to about fifty (one person).
    for rule_id in ("central_low", "embedded_low", "embedded_high"):
        assert (rule(data, rule_id).stated_from, rule(data, rule_id).stated_to) == (7, 50)
    for rule_id in ("central_high", "hybrid_low", "hybrid_high"):  # ours: no source states them
        assert (rule(data, rule_id).stated_from, rule(data, rule_id).stated_to) == (None, None)


def the_one_problem(model, data_copy):
    with pytest.raises(InputError) as caught:
        load_staffing(model.sources, data_copy)
    [problem] = caught.value.problems
    return problem


def test_a_published_rule_without_its_stated_sizes_is_refused(model, data_copy, csv_files):
    row = csv_files.set("staffing_rules.csv", {"id": "embedded_low"}, stated_to="")
    problem = the_one_problem(model, data_copy)
    assert (problem.where, problem.row, problem.column) == ("staffing_rules.csv", row, "stated_to")
    assert "'embedded_low' does not say for which team sizes" in problem.message
    assert "stated_from and stated_to" in problem.fix


def test_a_rule_of_ours_with_stated_sizes_is_refused(model, data_copy, csv_files):
    row = csv_files.set("staffing_rules.csv", {"id": "hybrid_low"}, stated_from="7", stated_to="50")
    problem = the_one_problem(model, data_copy)
    assert (problem.row, problem.column) == (row, "stated_from")
    assert "is our reading" in problem.message and "leave stated_from and stated_to blank" in problem.fix


def test_stated_sizes_that_run_backwards_are_refused(model, data_copy, csv_files):
    row = csv_files.set("staffing_rules.csv", {"id": "central_low"}, stated_from="60", stated_to="7")
    problem = the_one_problem(model, data_copy)
    assert (problem.row, problem.column, problem.fix) == (row, "stated_to", "swap them")
