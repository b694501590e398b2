"""Staffing planner (placement/staffing.py): headcount bounds from cited rules of thumb.

Expected headcounts below are worked out by hand from GUIDE section 2:
central 1 per 50 PMs .. a team of 2 for about 7 PMs or more (applied, by our reading, from 7 to 50 PMs and
nowhere else: no published guidance outside); embedded 1 per 3 pods .. 1 per pod;
hybrid (our reading) 1 central + 1 per 3 pods .. 2 central + 1 per 2 pods.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from placement.analysis import staffing
from placement.data.problems import InputError
from placement.data.staffing import COVERAGES, StaffingData, load_staffing

ALL_PILLARS = list(staffing.PILLARS)


@pytest.fixture(scope="module")
def data(model) -> StaffingData:
    return load_staffing(model.sources)


def est(data, pms, pods=0, areas=0, coverage="central", pillars=None, placement_id=""):
    return staffing.estimate(
        data, pms, pods, areas, coverage, ALL_PILLARS if pillars is None else pillars, placement_id
    )


# --- arithmetic per coverage model -------------------------------------------------------------


@pytest.mark.parametrize(
    ("pms", "low", "high"),
    [
        (1, 1, None),  # ceil(1/50); below 7 PMs the team-of-two rule says nothing
        (6, 1, None),
        (7, 1, 2),  # a team of one or two from about seven PMs
        (8, 1, 2),
        (20, 1, 2),
        (50, 1, 2),  # the end of the range we apply it to
        (51, 2, None),  # ceil(51/50); beyond 50 PMs no published upper bound (not 2 per 7: 15)
        (100, 2, None),  # not 29, the old straight line
        (5000, 100, None),
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
    assert est(data, 20, pods=0).high.headcount == est(data, 20, pods=15).high.headcount == 2
    assert est(data, 20, pods=6, coverage="embedded").low.headcount == 2
    assert est(data, 200, pods=6, coverage="embedded").low.headcount == 2


def test_product_areas_floor_raises_the_low_bound(data):
    e = est(data, 40, pods=4, areas=5, coverage="embedded", placement_id="product_areas")
    assert e.low.headcount == 5  # ceil(4/3) = 2 < 5 areas
    assert e.low.rule is None
    assert "5 areas" in e.low.reason and "at least one person" in e.low.reason
    assert e.low.reason.startswith("Our reading:") and e.low.label == "our reading"
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
    assert (e.low.headcount, e.high.headcount) == (1, 2)


@pytest.mark.parametrize("coverage", list(COVERAGES))
def test_high_is_never_below_low(data, coverage):
    for pms in (0, 1, 3, 7, 12, 40, 333):
        for pods in (0, 1, 2, 5, 13, 60):
            for areas in (0, 4, 30):
                for placement_id in ("", "product_areas"):
                    e = est(data, pms, pods, areas, coverage, placement_id=placement_id)
                    low, high = e.low.headcount, e.high.headcount
                    assert None in (low, high) or 0 <= low <= high, (pms, pods, areas, placement_id)


def test_bounds_follow_the_rule_formulas(data):
    """Cross-check against the published formulas over a grid (the table tests pin single values)."""
    for pms in range(1, 120, 7):
        for pods in range(1, 40, 3):
            c = est(data, pms, pods, coverage="central")
            assert (c.low.headcount, c.high.headcount) == (math.ceil(pms / 50), 2 if 7 <= pms <= 50 else None)
            e = est(data, pms, pods, coverage="embedded")
            assert (e.low.headcount, e.high.headcount) == (math.ceil(pods / 3), pods)
            h = est(data, pms, pods, coverage="hybrid")
            assert (h.low.headcount, h.high.headcount) == (math.ceil(pods / 3) + 1, math.ceil(pods / 2) + 2)


@pytest.mark.parametrize("coverage", list(COVERAGES))
def test_every_rule_bound_cites_a_known_source(model, data, coverage):
    e = est(data, 30, pods=6, areas=2, coverage=coverage)
    for bound in (e.low, e.high):
        assert bound.rule is not None
        assert bound.rule.citation in model.sources
        assert bound.rule.coverage == coverage
        assert bound.reason == bound.rule.statement


# --- edge cases and notes ----------------------------------------------------------------------


@pytest.mark.parametrize("coverage", list(COVERAGES))
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
        assert staffing.coverage_for(p.id) in COVERAGES


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
    assert list(frame.columns) == ["PMs", "bound", "headcount", "reading"]
    assert set(frame["bound"]) == {"low", "high"}
    wide = frame.pivot(index="PMs", columns="bound", values="headcount")
    # One low per PM count; a high only where a rule gives one (the central one from 7 to 50 PMs).
    assert wide["low"].notna().all()
    if coverage == "central":
        assert set(wide.index[wide["high"].notna()]) == {n for n in wide.index if 7 <= n <= 50} | {0}
    else:
        assert wide["high"].notna().all()
    assert wide.index[0] == 0 and wide.index.max() <= max(20, 2 * pms)
    assert wide.index.max() >= max(20, 2 * pms) - max(1, max(20, 2 * pms) // 50)
    assert wide.index.is_monotonic_increasing
    both = wide.dropna()
    assert (both["low"] <= both["high"]).all()
    assert (wide.loc[0] == 0).all()


@pytest.mark.parametrize("pms", [1, 7, 30, 120, 900])
def test_central_curve_never_falls_and_stops_where_guidance_stops(data, pms):
    wide = staffing.curve(data, "central", pms, 0, 0).pivot(index="PMs", columns="bound", values="headcount")
    assert wide["low"].is_monotonic_increasing
    assert wide["high"].dropna().is_monotonic_increasing
    assert wide["high"].dropna().index.max() <= 50  # never drawn beyond the range its source states


def test_rules_that_are_ours_are_labelled(data):
    ours = {r.id for r in data.rules if r.reading == "ours"}
    assert ours == {"central_high", "hybrid_low", "hybrid_high"}
    assert {s.id for s in data.signals if s.reading == "ours"} == {"adair"}  # a threshold from one anecdote
    e = est(data, 20, pods=6, coverage="hybrid")
    assert (e.low.label, e.high.label) == ("our reading", "our reading")
    assert est(data, 20, pods=6, coverage="embedded").low.label == "published"


def test_outside_its_range_a_rule_says_there_is_no_published_guidance(data):
    e = est(data, 80)
    assert e.high.headcount is None and e.high.rule.id == "central_high"
    assert "applies to 7 to 50 PMs; outside that range there is no published guidance" in e.high.reason


def test_published_points_plot_only_teams_that_state_both_counts(model, data):
    points = staffing.published_points(data)
    # By hand from data/staffing_points.csv: 50 PMs with 1 person; 7 PMs with 1 to 2 people.
    assert sorted(zip(points["PMs"], points["headcount"], strict=True)) == [(7, 1), (7, 2), (50, 1)]
    listed = staffing.points_table(data, model.sources)
    assert listed["company"].tolist()[2] == "Uber" and listed["PMs"].tolist()[2] == "not stated"
    assert listed["Product Ops people"].tolist()[:2] == ["1", "1 to 2"]


@pytest.mark.parametrize(
    ("n", "low", "high"),
    [
        # 9 pods for 30 PMs: pods grow as 0.3 per PM. Hybrid: ceil(pods/3) + 1 .. ceil(pods/2) + 2.
        (0, 0, 0),  # no PMs, no headcount
        (3, 2, 3),  # 0.9 -> 1 pod: 1 + 1 .. 1 + 2
        (10, 2, 4),  # 3 pods: 1 + 1 .. 2 + 2
        (30, 4, 7),  # 9 pods: 3 + 1 .. 5 + 2
        (60, 7, 11),  # 18 pods: 6 + 1 .. 9 + 2 (the curve runs to 2 x 30 PMs)
    ],
)
def test_curve_values_worked_by_hand(data, n, low, high):
    wide = staffing.curve(data, "hybrid", 30, 9, 0).pivot(index="PMs", columns="bound", values="headcount")
    assert (wide.loc[n, "low"], wide.loc[n, "high"]) == (low, high)
    assert wide.index.max() == 60


# --- the headline both the Staffing page and the decision record show -------------------------


@pytest.mark.parametrize(
    ("pms", "pods", "coverage", "expected"),
    [
        (20, 4, "central", "1 to 2 Product Ops people for 20 PMs"),  # ceil(20/50) .. a team of two
        (120, 0, "central", "At least 3 Product Ops people for 120 PMs (no published upper bound at this size)"),
        (3, 1, "embedded", "1 Product Ops person for 3 PMs"),  # ceil(1/3) .. 1/1
        (0, 0, "central", "0 Product Ops people for 0 PMs"),
        (7, 0, "central", "1 to 2 Product Ops people for 7 PMs"),
        (40, 6, "embedded", "2 to 6 Product Ops people for 40 PMs"),
    ],
)
def test_headline(data, pms, pods, coverage, expected):
    assert est(data, pms, pods, coverage=coverage).headline(pms) == expected


def test_curve_accepts_many_pms(data):
    staffing.estimate(data, 3000, 10, 1, "central", ALL_PILLARS)  # valid inputs
    staffing.curve(data, "central", 3000, 10, 1)


def test_curve_accepts_many_pods(data):
    staffing.estimate(data, 10, 600, 1, "embedded", ALL_PILLARS)  # valid inputs
    staffing.curve(data, "embedded", 10, 600, 1)


def test_curve_by_size_sets_low_and_high_side_by_side_and_leaves_gaps_blank():
    curve = pd.DataFrame(
        {
            "PMs": [10, 20, 10],
            "bound": ["low", "low", "high"],
            "headcount": [1, 2, 3],
            "reading": ["published", "our extrapolation", "our reading"],
        },
    )
    wide = staffing.curve_by_size(curve)
    assert list(wide.columns) == ["PMs", "low", "high", "reading"]
    assert wide["reading"].tolist() == ["our reading, published", "our extrapolation"]
    assert wide["PMs"].tolist() == [10, 20] and wide["low"].tolist() == [1, 2]
    assert wide["high"].iloc[0] == 3 and math.isnan(wide["high"].iloc[1])  # past the high rule's range: blank


# --- published only at the team sizes the rule's source states (7 to 50 PMs), our extrapolation beyond ----------

PUBLISHED, EXTRAPOLATED, OURS = "published", "our extrapolation", "our reading"


@pytest.mark.parametrize(
    ("pms", "low", "low_label"),
    [
        (1, 1, EXTRAPOLATED),  # ceil(1/50) = 1, but no source describes a team for one PM
        (6, 1, EXTRAPOLATED),  # one below the smallest team the source describes
        (7, 1, PUBLISHED),  # its lower edge
        (50, 1, PUBLISHED),  # its upper edge: one person for about 50 PMs
        (51, 2, EXTRAPOLATED),  # ceil(51/50) = 2, one past the edge
        (2000, 40, EXTRAPOLATED),  # ceil(2000/50)
    ],
)
def test_the_central_lower_bound_is_published_only_where_its_source_states_it(data, pms, low, low_label):
    e = est(data, pms)
    assert (e.low.headcount, e.low.label) == (low, low_label)
    assert ("Our extrapolation" in e.low.reason) == (low_label == EXTRAPOLATED)
    stated = "Our extrapolation: the rule's source states it for 7 to 50 PMs."
    assert e.extrapolation == (stated if low_label == EXTRAPOLATED else "")


@pytest.mark.parametrize(
    ("pms", "pods", "low", "high", "label"),
    [
        (7, 2, 1, 2, PUBLISHED),  # ceil(2/3) .. 2
        (50, 12, 4, 12, PUBLISHED),  # ceil(12/3) .. 12, at the upper edge
        (51, 12, 4, 12, EXTRAPOLATED),
        (2000, 500, 167, 500, EXTRAPOLATED),  # ceil(500/3) .. 500: the 167-500, now labelled ours
        (1, 1, 1, 1, EXTRAPOLATED),
    ],
)
def test_the_embedded_bounds_are_published_only_where_their_source_states_them(data, pms, pods, low, high, label):
    e = est(data, pms, pods, coverage="embedded")
    assert (e.low.headcount, e.high.headcount) == (low, high)
    assert (e.low.label, e.high.label) == (label, label)


def test_the_curve_table_says_where_the_figures_are_extrapolated(data):
    wide = staffing.curve_by_size(staffing.curve(data, "central", 60, 0, 0)).set_index("PMs")
    assert wide.loc[6, "reading"] == EXTRAPOLATED  # low 1 only (the team of two starts at 7)
    assert wide.loc[50, "reading"] == f"{OURS}, {PUBLISHED}"  # low published, high (the team of two) ours
    assert wide.loc[120, "reading"] == EXTRAPOLATED


def test_rules_of_ours_are_never_relabelled_by_size(data):
    for pms in (1, 20, 2000):
        e = est(data, pms, pods=6, coverage="hybrid")
        assert (e.low.label, e.high.label) == (OURS, OURS)
