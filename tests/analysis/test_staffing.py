"""Staffing planner (placement/staffing.py): headcount bounds from cited rules of thumb.

Expected headcounts below are worked out by hand from GUIDE section 2:
central 1 per 50 PMs .. 2 per 7 PMs; embedded 1 per 3 pods .. 1 per pod;
hybrid 1 central + 1 per 3 pods .. 2 central + 1 per 2 pods.
"""

from __future__ import annotations

import math

import pytest

from placement.analysis import staffing
from placement.data.problems import InputError

ALL_PILLARS = list(staffing.PILLARS)


@pytest.fixture(scope="module")
def data(model) -> staffing.StaffingData:
    return staffing.load_staffing(model.sources)


def est(data, pms, pods=0, areas=0, coverage="central", pillars=None, placement_id=""):
    return staffing.estimate(
        data, pms, pods, areas, coverage, ALL_PILLARS if pillars is None else pillars, placement_id
    )


# --- arithmetic per coverage model -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pms", "low", "high"),
    [
        (1, 1, 1),  # ceil(1/50), ceil(1/3.5)
        (7, 1, 2),  # 7/3.5 = 2 exactly
        (8, 1, 3),
        (20, 1, 6),  # 20/3.5 = 5.71
        (35, 1, 10),
        (50, 1, 15),  # 50/3.5 = 14.29
        (51, 2, 15),
        (100, 2, 29),  # 100/3.5 = 28.57
        (5000, 100, 1429),  # 5000/3.5 = 1428.57
    ],
)
def test_central_bounds(data, pms, low, high):
    e = est(data, pms, pods=0, coverage="central")
    assert (e.low.headcount, e.high.headcount) == (low, high)
    assert (e.low.rule.id, e.high.rule.id) == ("central_low", "central_high")
    assert e.coverage == "central"


@pytest.mark.parametrize(
    ("pods", "low", "high"),
    [(1, 1, 1), (2, 1, 2), (3, 1, 3), (4, 2, 4), (6, 2, 6), (7, 3, 7), (10, 4, 10), (30, 10, 30)],
)
def test_embedded_bounds(data, pods, low, high):
    e = est(data, 40, pods=pods, coverage="embedded")
    assert (e.low.headcount, e.high.headcount) == (low, high)
    assert (e.low.rule.id, e.high.rule.id) == ("embedded_low", "embedded_high")


@pytest.mark.parametrize(
    ("pods", "low", "high"),
    [(1, 2, 3), (2, 2, 3), (3, 2, 4), (4, 3, 4), (5, 3, 5), (6, 3, 5), (7, 4, 6), (12, 5, 8)],
)
def test_hybrid_bounds(data, pods, low, high):
    e = est(data, 40, pods=pods, coverage="hybrid")
    assert (e.low.headcount, e.high.headcount) == (low, high)
    assert (e.low.rule.id, e.high.rule.id) == ("hybrid_low", "hybrid_high")


def test_central_ignores_pods_and_embedded_ignores_pms(data):
    assert est(data, 20, pods=0).high.headcount == est(data, 20, pods=15).high.headcount == 6
    assert est(data, 20, pods=6, coverage="embedded").low.headcount == 2
    assert est(data, 200, pods=6, coverage="embedded").low.headcount == 2


def test_product_areas_floor_raises_the_low_bound(data):
    e = est(data, 40, pods=4, areas=5, coverage="embedded", placement_id="product_areas")
    assert e.low.headcount == 5  # ceil(4/3) = 2 < 5 areas
    assert e.low.rule is None
    assert "5 areas" in e.low.reason and "at least one person" in e.low.reason
    # The pod rule (4) is now below the floor: raised to it, again without a rule.
    assert e.high.headcount == 5
    assert e.high.rule is None
    assert "Raised" in e.high.reason


def test_product_areas_floor_only_when_it_binds(data):
    e = est(data, 40, pods=12, areas=3, coverage="embedded", placement_id="product_areas")
    assert (e.low.headcount, e.high.headcount) == (4, 12)
    assert e.low.rule.id == "embedded_low"


@pytest.mark.parametrize(("areas", "low", "floor"), [(1, 2, False), (2, 2, False), (3, 3, True), (4, 4, True)])
def test_product_areas_floor_at_its_boundary(data, areas, low, floor):
    e = est(data, 40, pods=6, areas=areas, coverage="embedded", placement_id="product_areas")  # pod rule: 2
    assert e.low.headcount == low
    assert (e.low.rule is None) == floor
    assert e.high.headcount == 6


def test_area_floor_needs_the_product_areas_placement(data):
    e = est(data, 40, pods=4, areas=5, coverage="embedded", placement_id="head_of_product")
    assert e.low.headcount == 2
    assert e.low.rule.id == "embedded_low"


def test_area_floor_applies_only_to_the_embedded_model(data):
    e = est(data, 40, pods=4, areas=9, coverage="central", placement_id="product_areas")
    assert (e.low.headcount, e.high.headcount) == (1, 12)


@pytest.mark.parametrize("coverage", list(staffing.COVERAGES))
def test_high_is_never_below_low(data, coverage):
    for pms in (0, 1, 3, 7, 12, 40, 333):
        for pods in (0, 1, 2, 5, 13, 60):
            for areas in (0, 4, 30):
                for placement_id in ("", "product_areas"):
                    e = est(data, pms, pods, areas, coverage, placement_id=placement_id)
                    assert 0 <= e.low.headcount <= e.high.headcount, (pms, pods, areas, placement_id)


def test_bounds_follow_the_rule_formulas(data):
    """Cross-check against the published formulas over a grid (the table tests pin single values)."""
    for pms in range(1, 120, 7):
        for pods in range(1, 40, 3):
            c = est(data, pms, pods, coverage="central")
            assert (c.low.headcount, c.high.headcount) == (math.ceil(pms / 50), math.ceil(pms * 2 / 7))
            e = est(data, pms, pods, coverage="embedded")
            assert (e.low.headcount, e.high.headcount) == (math.ceil(pods / 3), pods)
            h = est(data, pms, pods, coverage="hybrid")
            assert (h.low.headcount, h.high.headcount) == (math.ceil(pods / 3) + 1, math.ceil(pods / 2) + 2)


@pytest.mark.parametrize("coverage", list(staffing.COVERAGES))
def test_every_rule_bound_cites_a_known_source(model, data, coverage):
    e = est(data, 30, pods=6, areas=2, coverage=coverage)
    for bound in (e.low, e.high):
        assert bound.rule is not None
        assert bound.rule.citation in model.sources
        assert bound.rule.coverage == coverage
        assert bound.reason == bound.rule.statement


# --- edge cases and notes ----------------------------------------------------------------------


@pytest.mark.parametrize("coverage", list(staffing.COVERAGES))
def test_no_pms_means_no_headcount(data, coverage):
    e = est(data, 0, pods=4, areas=2, coverage=coverage, placement_id="product_areas")
    assert (e.low.headcount, e.high.headcount) == (0, 0)
    assert e.low.rule is None and e.high.rule is None
    assert any("no PMs" in n for n in e.notes)
    assert not any("more pods" in n for n in e.notes)


def test_more_pods_than_pms_is_flagged(data):
    e = est(data, 3, pods=5)
    assert any("more pods (5) than PMs (3)" in n for n in e.notes)
    assert not any("more pods" in n for n in est(data, 5, pods=5).notes)


@pytest.mark.parametrize("coverage", ["embedded", "hybrid"])
def test_pod_based_models_without_pods_ask_for_them(data, coverage):
    e = est(data, 10, pods=0, coverage=coverage)
    assert any("number of pods" in n for n in e.notes)


def test_central_model_without_pods_needs_no_pod_note(data):
    assert est(data, 10, pods=0, coverage="central").notes == []


def test_hybrid_without_pods_keeps_its_central_core(data):
    e = est(data, 10, pods=0, coverage="hybrid")
    assert (e.low.headcount, e.high.headcount) == (1, 2)


@pytest.mark.parametrize("pillars", [[], ["data"], ["customer", "process"]])
def test_fewer_pillars_adds_a_note_marked_as_our_reading(data, pillars):
    e = est(data, 20, pillars=pillars)
    [note] = [n for n in e.notes if "pillars" in n]
    assert f"Only {len(pillars)} of the 3 pillars" in note
    assert "our reading" in note


def test_all_pillars_add_no_note(data):
    assert not any("pillars" in n for n in est(data, 20).notes)


def test_pillar_scope_does_not_change_the_numbers(data):
    full, narrow = est(data, 20), est(data, 20, pillars=["data"])
    assert (full.low, full.high) == (narrow.low, narrow.high)


def test_out_of_range_inputs_are_all_reported_at_once(data):
    with pytest.raises(InputError) as caught:
        staffing.estimate(data, -1, 1001, 2.5, "matrix", ["data", "culture"])
    problems = caught.value.problems
    assert [p.where for p in problems] == [
        "number of PMs",
        "number of pods",
        "number of product areas",
        "coverage model",
        "pillars",
    ]
    assert "-1" in problems[0].message and "5,000" in problems[0].fix
    assert "1001" in problems[1].message and "1,000" in problems[1].fix
    assert "2.5" in problems[2].message
    assert "matrix" in problems[3].message
    assert "culture" in problems[4].message and "data" not in problems[4].message


@pytest.mark.parametrize(
    ("pms", "pods", "areas", "where"),
    [
        (5001, 0, 0, "number of PMs"),
        (True, 0, 0, "number of PMs"),
        (10.0, 0, 0, "number of PMs"),
        ("10", 0, 0, "number of PMs"),
        (10, -3, 0, "number of pods"),
        (10, False, 0, "number of pods"),
        (10, 0, 1001, "number of product areas"),
        (10, 0, 1.5, "number of product areas"),
    ],
)
def test_each_bad_number_is_refused(data, pms, pods, areas, where):
    with pytest.raises(InputError) as caught:
        staffing.estimate(data, pms, pods, areas, "central", ALL_PILLARS)
    assert [p.where for p in caught.value.problems] == [where]


def test_limits_themselves_are_accepted(data):
    e = staffing.estimate(data, staffing.MAX_PMS, staffing.MAX_PODS, staffing.MAX_PODS, "embedded", ALL_PILLARS)
    assert e.high.headcount == staffing.MAX_PODS


@pytest.mark.parametrize("coverage", ["reference", "Central", ""])
def test_unknown_coverage_is_refused(data, coverage):
    with pytest.raises(InputError) as caught:
        est(data, 10, coverage=coverage)
    [problem] = caught.value.problems
    assert problem.where == "coverage model"
    assert "central, embedded, hybrid" in problem.fix


# --- start signals -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pms", "met"),
    [
        (0, set()),
        (4, set()),
        (5, {"talhive"}),
        (6, {"talhive"}),
        (7, {"talhive", "perri"}),
        (10, {"talhive", "perri"}),
        (11, {"talhive", "perri", "adair"}),
        (14, {"talhive", "perri", "adair"}),
        (15, {"talhive", "perri", "adair", "learnanything"}),
        (400, {"talhive", "perri", "adair", "learnanything"}),
    ],
)
def test_signal_is_met_from_its_pm_count(data, pms, met):
    e = est(data, pms)
    assert [s.id for s, _ in e.signals] == [s.id for s in data.signals]
    assert {s.id for s, ok in e.signals if ok} == met


def test_signals_do_not_depend_on_coverage(data):
    central = est(data, 7, pods=2, coverage="central").signals
    assert central == est(data, 7, pods=2, coverage="hybrid").signals


# --- coverage_for ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("placement_id", "coverage"),
    [
        ("product_areas", "embedded"),
        ("uber_hybrid", "hybrid"),
        ("head_of_product", "central"),
        ("operations", "central"),
        ("biz_ops", "central"),
        ("", "central"),
        ("custom_something", "central"),
    ],
)
def test_coverage_for(placement_id, coverage):
    assert staffing.coverage_for(placement_id) == coverage


def test_coverage_for_always_names_a_model(model):
    for p in model.placements:
        assert staffing.coverage_for(p.id) in staffing.COVERAGES


# --- curve -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("coverage", "pms", "pods", "areas", "placement_id"),
    [
        ("central", 30, 6, 2, ""),
        ("central", 3, 0, 0, ""),
        ("embedded", 40, 10, 4, ""),
        ("embedded", 40, 10, 8, "product_areas"),
        ("hybrid", 25, 8, 3, "uber_hybrid"),
        ("hybrid", 0, 0, 0, ""),
    ],
)
def test_curve_shape_and_low_not_above_high(data, coverage, pms, pods, areas, placement_id):
    frame = staffing.curve(data, coverage, pms, pods, areas, placement_id)
    assert list(frame.columns) == ["PMs", "bound", "headcount"]
    assert set(frame["bound"]) == {"low", "high"}
    wide = frame.pivot(index="PMs", columns="bound", values="headcount")
    assert len(wide) * 2 == len(frame)  # one low and one high per PM count
    assert wide.index[0] == 0 and wide.index.max() <= max(20, 2 * pms)
    assert wide.index.max() >= max(20, 2 * pms) - max(1, max(20, 2 * pms) // 50)
    assert wide.index.is_monotonic_increasing
    assert (wide["low"] <= wide["high"]).all()
    assert (wide.loc[0] == 0).all()


@pytest.mark.parametrize("pms", [1, 7, 30, 120, 900])
def test_central_curve_never_falls_as_pms_grow(data, pms):
    wide = staffing.curve(data, "central", pms, 0, 0).pivot(index="PMs", columns="bound", values="headcount")
    assert wide["low"].is_monotonic_increasing
    assert wide["high"].is_monotonic_increasing
    assert wide["high"].iloc[-1] > wide["high"].iloc[1]


def test_curve_matches_estimate_at_each_point(data):
    frame = staffing.curve(data, "hybrid", 30, 9, 0)
    wide = frame.pivot(index="PMs", columns="bound", values="headcount")
    for n in (3, 10, 30, 60):
        e = est(data, n, round(n * (9 / 30)), 0, "hybrid")  # pods grow with PMs, as in curve()
        assert (wide.loc[n, "low"], wide.loc[n, "high"]) == (e.low.headcount, e.high.headcount)


def test_curve_accepts_many_pms(data):
    staffing.estimate(data, 3000, 10, 1, "central", ALL_PILLARS)  # valid inputs
    staffing.curve(data, "central", 3000, 10, 1)


def test_curve_accepts_many_pods(data):
    staffing.estimate(data, 10, 600, 1, "embedded", ALL_PILLARS)  # valid inputs
    staffing.curve(data, "embedded", 10, 600, 1)


# --- load_staffing -----------------------------------------------------------------------------


def test_shipped_data_loads(model, data):
    assert {r.id for r in data.rules} >= {f"{c}_{b}" for c in staffing.COVERAGES for b in ("low", "high")}
    assert all(r.citation in model.sources for r in data.rules)
    assert all(s.citation in model.sources for s in data.signals)


def test_unknown_rule_citation_is_refused_with_its_place(model, data_copy, csv_files):
    row = csv_files.set("staffing_rules.csv", {"id": "embedded_high"}, citation="made_up_source")
    with pytest.raises(InputError) as caught:
        staffing.load_staffing(model.sources, data_copy)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("staffing_rules.csv", row, "citation")
    assert row == 5
    assert "made_up_source" in problem.message
    assert "sources.csv" in problem.fix


def test_unknown_signal_citation_is_refused_with_its_place(model, data_copy, csv_files):
    row = csv_files.set("start_signals.csv", {"id": "adair"}, citation="nobody")
    with pytest.raises(InputError) as caught:
        staffing.load_staffing(model.sources, data_copy)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("start_signals.csv", row, "citation")


def test_missing_rule_is_refused(model, data_copy, csv_files):
    assert csv_files.delete("staffing_rules.csv", lambda r: r["id"] != "hybrid_low") == 1
    with pytest.raises(InputError) as caught:
        staffing.load_staffing(model.sources, data_copy)
    [problem] = caught.value.problems
    assert problem.where == "staffing_rules.csv"
    assert "no low rule for the hybrid model" in problem.message


def test_every_problem_is_reported_at_once(model, data_copy, csv_files):
    csv_files.delete("staffing_rules.csv", lambda r: r["id"] != "central_high")
    per_row = csv_files.set("staffing_rules.csv", {"id": "embedded_low"}, per="0")
    cite_row = csv_files.set("start_signals.csv", {"id": "perri"}, citation="nowhere")
    with pytest.raises(InputError) as caught:
        staffing.load_staffing(model.sources, data_copy)
    places = {(p.where, p.row, p.column) for p in caught.value.problems}
    assert ("staffing_rules.csv", per_row, "per") in places
    assert ("start_signals.csv", cite_row, "citation") in places
    assert any("no high rule for the central model" in p.message for p in caught.value.problems)


def test_missing_file_is_refused(model, data_copy):
    (data_copy / "start_signals.csv").unlink()
    with pytest.raises(InputError) as caught:
        staffing.load_staffing(model.sources, data_copy)
    assert [p.where for p in caught.value.problems] == ["start_signals.csv"]


# --- the data says what GUIDE section 2 says ---------------------------------------------------


def rule(data, rule_id) -> staffing.Rule:
    [found] = [r for r in data.rules if r.id == rule_id]
    return found


def test_central_rules_match_the_published_ratios(data):
    sparse = rule(data, "central_low")
    assert (sparse.basis, sparse.per, sparse.plus, sparse.citation) == ("pms", 50, 0, "sharebird_ratio")
    assert "50 PMs" in sparse.statement
    dense = rule(data, "central_high")  # a team of 1-2 serving about 7 PMs
    assert (dense.basis, dense.per * 2, dense.plus, dense.citation) == ("pms", 7, 0, "sharebird_ratio")


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
    for coverage in staffing.COVERAGES:
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
