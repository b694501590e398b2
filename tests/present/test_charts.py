"""Charts (placement/charts.py): Vega-Lite specs and rendering with vl-convert.

The chart functions return Vega-Lite dicts whose `datasets` hold data frames;
`charts.to_json` turns one into a self-contained Vega-Lite document.
"""

from __future__ import annotations

import json
import re

import jsonschema
import pandas as pd
import pytest
import vl_convert
from altair.vegalite.v6.schema import load_schema

from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.data.model import Model, Placement
from placement.present import charts, tables

CHARTS = ["ranking", "contributions", "matrix"]


def view_tables(model, preset_id):
    weights = normalise(model.presets[preset_id].weights, model.factor_ids)
    results = rank(model, weights)
    return tables.ranking_table(model, results), tables.contributions_table(model, results, weights)


def build(model, preset_id="author") -> dict[str, dict]:
    ranking, contributions = view_tables(model, preset_id)
    return {
        "ranking": charts.ranking_chart(model, ranking),
        "contributions": charts.contributions_chart(model, contributions),
        "matrix": charts.matrix_chart(model, contributions),
    }


def document(spec: dict) -> dict:
    """The plain Vega-Lite document of a rendered chart, as a browser would receive it."""
    return json.loads(charts.to_json(spec))


@pytest.fixture(scope="module")
def author_charts(model) -> dict[str, dict]:
    return {name: document(spec) for name, spec in build(model).items()}


def colour_map(spec: dict) -> dict[str, str]:
    """Category -> colour from the first layer's colour scale."""
    scale = spec["layer"][0]["encoding"]["color"]["scale"]
    assert len(scale["domain"]) == len(scale["range"])
    return dict(zip(scale["domain"], scale["range"], strict=True))


def only_dataset(spec: dict) -> list[dict]:
    [rows] = spec["datasets"].values()
    return rows


@pytest.mark.parametrize("name", CHARTS)
def test_axis_labels_are_horizontal_and_projector_sized(author_charts, name):
    config = author_charts[name]["config"]
    assert config["axis"]["labelAngle"] == 0
    assert config["axis"]["labelFontSize"] == charts.FONT_SIZE == 16
    assert config["legend"]["orient"] == "bottom"


def test_placement_colours_do_not_depend_on_the_result_order(model):
    author_ranking, _ = view_tables(model, "author")
    ops_ranking, _ = view_tables(model, "ops_enablement")
    assert author_ranking["placement"].tolist() != ops_ranking["placement"].tolist()  # premise
    specs = [
        document(charts.ranking_chart(model, author_ranking)),
        document(charts.ranking_chart(model, ops_ranking)),
        document(charts.ranking_chart(model, author_ranking.iloc[::-1].reset_index(drop=True))),
    ]
    expected = {p.name: charts.PLACEMENT_COLOURS[i] for i, p in enumerate(model.placements)}
    assert [colour_map(s) for s in specs] == [expected] * 3
    assert len(set(expected.values())) == len(model.placements)


def test_ranking_bars_follow_the_ranking_order(model):
    ranking, _ = view_tables(model, "ops_enablement")
    spec = document(charts.ranking_chart(model, ranking))
    assert [row["placement"] for row in only_dataset(spec)] == ranking["placement"].tolist()
    assert spec["layer"][0]["encoding"]["y"].get("sort", "absent") is None  # keep the data order


def test_encodings_do_not_depend_on_the_data(model):
    author, domain = build(model, "author"), build(model, "domain_needs")
    for name in CHARTS:
        assert {**author[name], "datasets": None} == {**domain[name], "datasets": None}, name


def test_factor_colours_follow_the_model(model, author_charts):
    expected = {f.name: charts.FACTOR_COLOURS[i] for i, f in enumerate(model.factors)}
    assert colour_map(author_charts["contributions"]) == expected


def test_ranking_chart_uses_the_fixed_0_100_scale(author_charts):
    assert author_charts["ranking"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 100]


def test_contributions_chart_scale_is_fixed_and_fits_every_bar(model, author_charts):
    assert charts.MAX_POINTS == 50
    assert author_charts["contributions"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == [-50, 50]
    for preset_id in model.presets:
        _, contributions = view_tables(model, preset_id)
        sides = contributions.groupby(["placement", contributions["points"] > 0])["points"].sum().abs()
        assert sides.max() <= 50


def test_contributions_chart_drops_zero_points(model, author_charts):
    rows = only_dataset(author_charts["contributions"])
    _, contributions = view_tables(model, "author")
    assert len(rows) == int((contributions["points"] != 0).sum())
    assert 0 < len(rows) < len(contributions)
    assert all(row["points"] != 0 for row in rows)


def test_matrix_chart_has_one_cell_per_placement_and_factor(model, author_charts):
    rows = only_dataset(author_charts["matrix"])
    assert len(rows) == len(model.placements) * len(model.factors)
    x = author_charts["matrix"]["layer"][0]["encoding"]["x"]
    assert x["sort"] == [p.short_name for p in model.placements]


@pytest.mark.parametrize(
    ("name", "fields"),
    [
        ("ranking", {"rank", "placement", "score", "benefit_points", "risk_points"}),
        ("contributions", {"placement", "factor", "score_cell", "weight", "points", "provenance", "rationale"}),
        ("matrix", {"placement", "factor", "score_cell", "provenance", "rationale", "evidence"}),
    ],
)
def test_data_layers_have_tooltips(author_charts, name, fields):
    tooltip = author_charts[name]["layer"][0]["encoding"]["tooltip"]
    assert {t["field"] for t in tooltip} == fields


def test_to_json_is_plain_json_with_records(model):
    ranking, _ = view_tables(model, "author")
    spec = charts.ranking_chart(model, ranking)
    text = charts.to_json(spec)
    data = json.loads(text)
    assert data["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    first = only_dataset(data)[0]
    assert first["placement"] == "Reports to the Head of Product"
    assert first["rank"] == 1 and first["score"] == 80.3


@pytest.mark.parametrize("name", CHARTS)
def test_charts_render_to_svg(model, name):
    spec = build(model)[name]
    svg = vl_convert.vegalite_to_svg(charts.to_json(spec))
    assert svg.lstrip().startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    if name == "matrix":
        assert "Head of Product" in svg and "PM alignment" in svg
    else:
        assert "Reports to the Head of Product" in svg


# --- enlarged (presentation mode) and the staffing chart -------------------------------------


def without_data(spec: dict) -> dict:
    """A deep copy of everything but the data frames, for before/after comparisons."""
    import copy

    return copy.deepcopy({k: v for k, v in spec.items() if k != "datasets"})


@pytest.mark.parametrize(
    ("factor", "size", "height_of"), [(1.5, 24, lambda h: round(h * 1.5)), (2, 32, lambda h: h * 2)]
)
def test_enlarged_scales_fonts_and_height(model, factor, size, height_of):
    spec = build(model)["ranking"]
    big = charts.enlarged(spec, factor)
    assert spec["height"] == charts.ROW_HEIGHT * len(model.placements) == 280
    assert big["height"] == height_of(280)
    config = big["config"]
    assert config["axis"]["labelFontSize"] == config["axis"]["titleFontSize"] == size
    assert config["legend"]["labelFontSize"] == config["legend"]["titleFontSize"] == size
    assert config["text"]["fontSize"] == size
    # Everything else is untouched: limits, angles, layers and data.
    assert config["axis"]["labelLimit"] == charts.LABEL_LIMIT and config["axis"]["labelAngle"] == 0
    assert config["view"] == spec["config"]["view"]
    assert big["layer"] == spec["layer"]
    assert big["datasets"] is spec["datasets"]


def test_enlarged_default_factor_is_one_and_a_half(model):
    spec = build(model)["matrix"]
    big = charts.enlarged(spec)
    assert big["config"]["axis"]["labelFontSize"] == 24
    assert big["height"] == round(spec["height"] * 1.5) == 52 * len(model.factors) * 3 // 2


def test_enlarged_does_not_change_its_input_or_the_cached_template(model):
    first = build(model)["contributions"]
    before = without_data(first)
    big = charts.enlarged(first, 2)
    assert big["config"]["axis"]["labelFontSize"] == 32
    assert without_data(first) == before  # the input spec is unchanged
    second = build(model)["contributions"]  # rendered again from the lru_cache'd template
    assert without_data(second) == before
    assert second["config"]["axis"]["labelFontSize"] == charts.FONT_SIZE
    assert charts.enlarged(second, 2) == {**big, "datasets": second["datasets"]}  # enlarging twice is repeatable


def test_enlarged_chart_still_renders(model):
    svg = vl_convert.vegalite_to_svg(charts.to_json(charts.enlarged(build(model)["ranking"])))
    assert svg.lstrip().startswith("<svg")
    assert 'font-size="24px"' in svg
    assert 'font-size="16px"' not in svg


def test_enlarged_scales_the_faceted_scenario_chart():
    import pandas as pd

    ranking = pd.DataFrame({"scenario": ["A", "A"], "placement": ["x", "y"], "score": [60.0, 40.0], "rank": [1, 2]})
    spec = charts.scenario_chart(ranking, ["x", "y"])
    big = charts.enlarged(spec, 1.5)
    assert big["spec"]["height"] == round(spec["spec"]["height"] * 1.5)
    assert big["config"]["header"]["labelFontSize"] == 24  # facet headers are configured, so they scale too


@pytest.fixture(scope="module")
def staffing_spec(model) -> dict:
    from placement.analysis import staffing
    from placement.data.staffing import load_staffing

    data = load_staffing(model.sources)
    curve = staffing.curve(data, "central", 30, 6, 2)
    return charts.staffing_chart(curve, 30, 1, 9)


def test_staffing_chart_data_and_encoding(staffing_spec):
    doc = document(staffing_spec)
    assert set(doc["datasets"]) == {"curve", "point"}
    assert doc["datasets"]["point"] == [
        {"PMs": 30, "headcount": 1, "bound": "low"},
        {"PMs": 30, "headcount": 9, "bound": "high"},
    ]
    assert len(doc["datasets"]["curve"]) == 2 * 61  # 0..60 PMs, low and high
    line = doc["layer"][0]
    assert line["mark"]["interpolate"] == "step-after"
    assert line["encoding"]["color"]["scale"] == {"domain": ["low", "high"], "range": ["#0072B2", "#E69F00"]}
    assert doc["config"]["axis"]["labelFontSize"] == charts.FONT_SIZE
    assert doc["height"] == 360


def test_staffing_chart_renders_to_svg(staffing_spec):
    svg = vl_convert.vegalite_to_svg(charts.to_json(staffing_spec))
    assert svg.lstrip().startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    assert "Product Managers" in svg and "Product Ops headcount" in svg
    assert "Bound" in svg  # the legend


def test_enlarged_scales_text_marks_that_set_their_own_size(model):
    from placement.analysis.scoring import rank
    from placement.analysis.weights import normalise

    weights = normalise(model.presets["author"].weights, model.factor_ids)
    contributions = tables.contributions_table(model, rank(model, weights), weights)
    spec = charts.matrix_chart(model, contributions)
    sizes = [layer["mark"].get("fontSize") for layer in charts.enlarged(spec, 2)["layer"]]
    assert 26 in sizes  # the 13 px provenance labels
    assert [layer["mark"].get("fontSize") for layer in spec["layer"]] != sizes  # the original is untouched


# --- the robustness charts (tornado, sweep, rank acceptability) and the workshop spread ------------
# Inputs are built by hand with the columns the chart functions read; positions are checked in the
# SVG that vl-convert renders, so the oracle is where the marks land, not how they are encoded.

WIDTH = 300  # Vega-Lite's default continuous width; none of these charts sets its own


@pytest.fixture(scope="module")
def vega_lite_validator():
    schema = load_schema()
    return jsonschema.validators.validator_for(schema)(schema)


def bare_model(*names: str) -> Model:
    """A model with only placements: the sweep and acceptability charts read nothing else."""
    placements = tuple(Placement(f"p{i}", name, f"P{i}", "") for i, name in enumerate(names))
    return Model({}, placements, (), {}, {}, {})


def svg_marks(svg: str, group: str) -> list[dict[str, str]]:
    """Attributes of every mark in the SVG groups of class `group` (e.g. layer_1_marks), in drawing order."""
    groups = re.findall(rf'<g class="mark-\w+ role-mark {group}"[^>]*>(.*?)</g>', svg, re.S)
    assert groups, f"no mark group {group}"
    marks = re.findall(r"<(?:path|line|text) ([^>]*)>", "".join(groups))
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', attrs)) for attrs in marks]


def translate(mark: dict[str, str]) -> tuple[float, float]:
    x, y = re.fullmatch(r"translate\(([-\d.e]+),([-\d.e]+)\)", mark["transform"]).groups()
    return float(x), float(y)


def rect_span(mark: dict[str, str]) -> tuple[float, float]:
    """Left and right edge of a rect drawn as a path `M x,y h w v h h -w Z`."""
    x, w = re.match(r"M([-\d.e]+),[-\d.e]+h([-\d.e]+)", mark["d"]).groups()
    return float(x), float(x) + float(w)


def axis_labels_are_upright(svg: str) -> bool:
    groups = re.findall(r'<g class="mark-text role-axis-label"[^>]*>(.*?)</g>', svg, re.S)
    assert groups
    return all("rotate(" not in g for g in groups)


def tooltip_fields(layer: dict) -> dict[str, dict]:
    return {t["field"]: t for t in layer["encoding"]["tooltip"]}


def layer_with_mark(doc: dict, mark: str) -> list[dict]:
    return [layer for layer in doc["layer"] if layer["mark"]["type"] == mark]


STABILITY = pd.DataFrame(
    {
        "factor": ["Flexibility", "PM alignment", "Ops empathy"],  # table order: most fragile first
        "current": [0.2, 0.5, 0.1],
        "low": [0.1, 0.25, 0.0],
        "high": [0.4, 0.9, 1.0],
        "below low, leader": ["Ops", "Biz Ops", "nobody"],
        "above high, leader": ["Areas", "Ops", "nobody"],
        "smallest flip": [0.1, 0.25, None],
    }
)

# Two placements swept on one factor: A runs from 40 to 90, B from 60 to 20. They cross where
# 40 + 50 t = 60 - 40 t, i.e. t = 2/9 (22%), at score 40 + 50 * 2/9 = 51.1.
SWEEP_MODEL = bare_model("Placement A", "Placement B")
SWEEP = pd.DataFrame(
    {
        "weight": [0.0, 1.0, 0.0, 1.0],
        "placement": ["Placement A", "Placement A", "Placement B", "Placement B"],
        "score": [40.0, 90.0, 60.0, 20.0],
    }
)
CROSSINGS = pd.DataFrame({"weight": [2 / 9], "score": [40 + 50 * 2 / 9], "crossing": ["A = B"]})

ACCEPTABILITY_MODEL = bare_model("Placement A", "Placement B", "Placement C")
ACCEPTABILITY = pd.DataFrame(
    {
        "placement": ["Placement A"] * 3 + ["Placement B"] * 3 + ["Placement C"] * 3,
        "rank": [1, 2, 3] * 3,
        "share": [0.6, 0.3, 0.1, 0.3, 0.5, 0.2, 0.1, 0.2, 0.7],  # rows and columns each sum to 1
    }
)

# Four participants' normalised weights on two factors: PM alignment 0.1, 0.2, 0.3, 0.6 (Flexibility the rest).
# Quartiles (linear): 0.1, 0.175, 0.25, 0.375, 0.6 and 0.4, 0.625, 0.75, 0.825, 0.9; means 0.3 and 0.7.
# The spread table lists the most divisive factor first; the chart keeps the room's order (the group table's).
SPREAD = pd.DataFrame(
    {
        "factor": ["Flexibility", "PM alignment"],
        "min": [0.4, 0.1],
        "q1": [0.625, 0.175],
        "median": [0.75, 0.25],
        "q3": [0.825, 0.375],
        "max": [0.9, 0.6],
        "iqr": [0.2, 0.2],
    }
)
GROUP = pd.DataFrame({"factor": ["PM alignment", "Flexibility"], "group weight": [0.3, 0.7]})

ROBUSTNESS_CHARTS = {
    "tornado": lambda: charts.tornado_chart(STABILITY),
    "sweep": lambda: charts.sweep_chart(SWEEP_MODEL, SWEEP, CROSSINGS, 0.5),
    "acceptability": lambda: charts.acceptability_chart(ACCEPTABILITY_MODEL, ACCEPTABILITY),
    "spread": lambda: charts.spread_chart(SPREAD, GROUP),
}


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[dict, str]]:
    """name -> (plain Vega-Lite document, SVG)."""
    out = {}
    for name, build_spec in ROBUSTNESS_CHARTS.items():
        spec = build_spec()
        out[name] = (document(spec), vl_convert.vegalite_to_svg(charts.to_json(spec)))
    return out


@pytest.mark.parametrize("name", ROBUSTNESS_CHARTS)
def test_robustness_charts_are_valid_vega_lite(rendered, vega_lite_validator, name):
    doc, svg = rendered[name]
    errors = [e.message for e in vega_lite_validator.iter_errors(doc)]
    assert errors == []
    assert doc["$schema"].startswith("https://vega.github.io/schema/vega-lite/")
    assert svg.lstrip().startswith("<svg") and svg.rstrip().endswith("</svg>")


def test_the_schema_check_can_fail(rendered, vega_lite_validator):
    broken = {**rendered["tornado"][0], "layer": [{"mark": "bars"}]}
    assert list(vega_lite_validator.iter_errors(broken))


@pytest.mark.parametrize("name", ROBUSTNESS_CHARTS)
def test_robustness_charts_keep_labels_horizontal_and_projector_sized(rendered, name):
    doc, svg = rendered[name]
    assert doc["config"]["axis"]["labelAngle"] == 0
    assert doc["config"]["axis"]["labelFontSize"] == charts.FONT_SIZE
    nominal_axes = [
        channel.get("axis") or {}
        for layer in doc.get("layer", [doc])
        for channel in layer.get("encoding", {}).values()
        if isinstance(channel, dict) and channel.get("type") == "nominal"
    ]
    assert all(axis.get("labelAngle", 0) == 0 for axis in nominal_axes)
    assert axis_labels_are_upright(svg)
    assert f'font-size="{charts.FONT_SIZE}px"' in svg


# --- tornado (stability) ----------------------------------------------------------------------------


def test_tornado_chart_has_one_band_per_factor_in_table_order(rendered):
    doc, svg = rendered["tornado"]
    rows = only_dataset(doc)
    assert [row["factor"] for row in rows] == STABILITY["factor"].tolist()
    assert [(row["low"], row["current"], row["high"]) for row in rows] == [
        (0.1, 0.2, 0.4),
        (0.25, 0.5, 0.9),
        (0.0, 0.1, 1.0),
    ]
    [band] = layer_with_mark(doc, "bar")
    assert band["encoding"]["y"]["sort"] is None  # most fragile first, as the table is sorted
    assert band["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert doc["height"] == 48 * len(STABILITY)
    bands = svg_marks(svg, "layer_0_marks")
    assert len(bands) == len(STABILITY)
    for mark, (low, high) in zip(bands, [(0.1, 0.4), (0.25, 0.9), (0.0, 1.0)], strict=True):
        assert rect_span(mark) == pytest.approx((low * WIDTH, high * WIDTH))


def test_tornado_tick_marks_the_current_weight(rendered):
    _, svg = rendered["tornado"]
    ticks = svg_marks(svg, "layer_1_marks")
    assert [t["aria-roledescription"] for t in ticks] == ["tick"] * len(STABILITY)
    centres = [sum(rect_span(t)) / 2 for t in ticks]
    assert centres == pytest.approx([0.2 * WIDTH, 0.5 * WIDTH, 0.1 * WIDTH])


def test_tornado_tooltips_carry_the_numbers_and_the_takers(rendered):
    doc, svg = rendered["tornado"]
    for layer in doc["layer"]:
        fields = tooltip_fields(layer)
        assert set(fields) == {"factor", "current", "low", "high", "below low, leader", "above high, leader"}
        assert all(
            fields[f]["type"] == "quantitative" and fields[f]["format"] == ".1%" for f in ("current", "low", "high")
        )
    first_band = svg_marks(svg, "layer_0_marks")[0]["aria-label"]
    assert "current: 20.0%" in first_band and "below low, leader: Ops" in first_band
    assert "above high, leader: Areas" in first_band


# --- one-way sweep ----------------------------------------------------------------------------------


def test_sweep_chart_data(rendered):
    doc, _ = rendered["sweep"]
    assert set(doc["datasets"]) == {"sweep", "crossings", "now"}
    assert doc["datasets"]["now"] == [{"weight": 0.5, "label": "now 50%"}]
    assert len(doc["datasets"]["sweep"]) == 2 * len(SWEEP_MODEL.placements)  # straight lines: both ends
    assert doc["datasets"]["crossings"] == [
        {"weight": pytest.approx(2 / 9), "score": pytest.approx(51.111111), "crossing": "A = B"}
    ]
    [lines] = layer_with_mark(doc, "line")
    colour = lines["encoding"]["color"]["scale"]
    assert colour["domain"] == ["Placement A", "Placement B"]
    assert colour["range"] == charts.PLACEMENT_COLOURS[:2]
    assert lines["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert lines["encoding"]["y"]["scale"]["domain"] == [0, 100]


def test_sweep_chart_draws_lines_marker_and_crossing_where_they_belong(rendered):
    doc, svg = rendered["sweep"]
    height = doc["height"]
    y = lambda score: height * (1 - score / 100)  # noqa: E731
    paths = [m["d"] for m in svg_marks(svg, "layer_0_marks")]
    assert paths == [f"M0,{y(40):g}L{WIDTH},{y(90):g}", f"M0,{y(60):g}L{WIDTH},{y(20):g}"]  # A, then B
    [rule] = svg_marks(svg, "layer_1_marks")
    assert translate(rule)[0] == pytest.approx(0.5 * WIDTH)  # the current-weight marker at 50%
    [label] = svg_marks(svg, "layer_2_marks")
    assert translate(label)[0] == pytest.approx(0.5 * WIDTH + 6)
    assert "now 50%" in svg
    [point] = svg_marks(svg, "layer_3_marks")
    assert translate(point) == pytest.approx((2 / 9 * WIDTH, y(40 + 50 * 2 / 9)))
    [point_label] = svg_marks(svg, "layer_4_marks")
    assert ">22%</text>" in svg and point_label["font-size"] == "13px"


def test_sweep_tooltips_carry_the_numbers(rendered):
    doc, svg = rendered["sweep"]
    [lines] = layer_with_mark(doc, "line")
    assert set(tooltip_fields(lines)) == {"placement", "weight", "score"}
    [points] = layer_with_mark(doc, "point")
    fields = tooltip_fields(points)
    assert set(fields) == {"crossing", "weight", "score"}
    assert fields["weight"]["format"] == ".1%" and fields["score"]["format"] == ".1f"
    assert "crossing: A = B; weight: 22.2%" in svg_marks(svg, "layer_3_marks")[0]["aria-label"]


def test_sweep_chart_with_no_crossings_still_renders():
    empty = pd.DataFrame(columns=["weight", "score", "crossing"])
    spec = charts.sweep_chart(SWEEP_MODEL, SWEEP, empty, 0.25)
    svg = vl_convert.vegalite_to_svg(charts.to_json(spec))
    assert translate(svg_marks(svg, "layer_1_marks")[0])[0] == pytest.approx(0.25 * WIDTH)
    assert "now 25%" in svg


# --- rank acceptability -----------------------------------------------------------------------------


def test_acceptability_chart_shares_per_placement_sum_to_one(rendered):
    doc, _ = rendered["acceptability"]
    rows = only_dataset(doc)
    assert len(rows) == 3 * 3  # one bar segment per placement and rank
    assert {(row["rank"], row["rank_label"]) for row in rows} == {(1, "rank 1"), (2, "rank 2"), (3, "rank 3")}
    for placement in ACCEPTABILITY_MODEL.placements:
        shares = [row["share"] for row in rows if row["placement"] == placement.name]
        assert sum(shares) == pytest.approx(1.0)
    encoding = doc["encoding"] if "encoding" in doc else doc["layer"][0]["encoding"]
    assert encoding["y"]["sort"] == ["Placement A", "Placement B", "Placement C"]
    assert encoding["color"]["scale"]["domain"] == ["rank 1", "rank 2", "rank 3"]
    fields = tooltip_fields(doc)
    assert set(fields) == {"placement", "rank", "share"} and fields["share"]["format"] == ".1%"


def test_acceptability_bars_are_as_wide_as_the_shares_rank_1_first(rendered):
    _, svg = rendered["acceptability"]
    segments = svg_marks(svg, "marks")
    assert len(segments) == 9
    for i, placement in enumerate(("Placement A", "Placement B", "Placement C")):
        mine = [m for m in segments if f"placement: {placement};" in m["aria-label"]]
        spans = sorted(rect_span(m) for m in mine)
        expected = ACCEPTABILITY["share"].iloc[3 * i : 3 * i + 3].tolist()
        assert [right - left for left, right in spans] == pytest.approx([s * WIDTH for s in expected])
        assert "rank: 1;" in next(m for m in mine if rect_span(m)[0] == pytest.approx(0))["aria-label"]
        assert spans[-1][1] == pytest.approx(WIDTH)  # the three segments fill the row


# --- workshop spread --------------------------------------------------------------------------------


def test_spread_chart_sends_quartiles_not_every_vote(rendered):
    doc, _ = rendered["spread"]
    [rows] = doc["datasets"].values()
    # One row per factor in the room's order, whatever the number of votes.
    assert rows == [
        {"factor": "PM alignment", "mean": 0.3, "min": 0.1, "q1": 0.175, "median": 0.25, "q3": 0.375, "max": 0.6},
        {"factor": "Flexibility", "mean": 0.7, "min": 0.4, "q1": 0.625, "median": 0.75, "q3": 0.825, "max": 0.9},
    ]
    assert all(layer["encoding"]["y"]["sort"] == ["PM alignment", "Flexibility"] for layer in doc["layer"])
    assert doc["height"] == 48 * 2


def test_spread_chart_draws_range_box_median_and_mean_on_one_scale(rendered):
    _, svg = rendered["spread"]
    boxes = svg_marks(svg, "layer_1_marks")
    (pm_left, pm_right), (flex_left, _) = (rect_span(b) for b in boxes)
    unit = (pm_right - pm_left) / (0.375 - 0.175)  # pixels per unit of weight, from the first box
    x = lambda weight: pm_left + (weight - 0.175) * unit  # noqa: E731
    assert flex_left == pytest.approx(x(0.625))
    whiskers = svg_marks(svg, "layer_0_marks")
    assert [(translate(w)[0], translate(w)[0] + float(w["x2"])) for w in whiskers] == [
        (pytest.approx(x(0.1)), pytest.approx(x(0.6))),
        (pytest.approx(x(0.4)), pytest.approx(x(0.9))),
    ]
    medians, means = svg_marks(svg, "layer_2_marks"), svg_marks(svg, "layer_3_marks")
    assert [sum(rect_span(m)) / 2 for m in medians] == [pytest.approx(x(0.25)), pytest.approx(x(0.75))]
    assert [sum(rect_span(m)) / 2 for m in means] == [pytest.approx(x(0.3)), pytest.approx(x(0.7))]
    assert "group weight (mean): 30.0%" in means[0]["aria-label"]
    assert "q1: 18%" in whiskers[0]["aria-label"] and "q3: 83%" in whiskers[1]["aria-label"]


# --- enlarged (presentation mode) for these charts -------------------------------------------------


@pytest.mark.parametrize("name", ROBUSTNESS_CHARTS)
def test_enlarged_scales_fonts_and_height_of_the_robustness_charts(name):
    spec = ROBUSTNESS_CHARTS[name]()
    big = charts.enlarged(spec, 1.5)
    for section in ("axis", "legend"):
        assert big["config"][section]["labelFontSize"] == big["config"][section]["titleFontSize"] == 24
    assert big["config"]["text"]["fontSize"] == 24
    assert big["height"] == round(spec["height"] * 1.5)
    assert spec["config"]["axis"]["labelFontSize"] == charts.FONT_SIZE  # the input is unchanged
    svg = vl_convert.vegalite_to_svg(charts.to_json(big))
    assert 'font-size="24px"' in svg and 'font-size="16px"' not in svg
    assert axis_labels_are_upright(svg)


def test_enlarged_sweep_chart_scales_the_crossing_labels():
    spec = ROBUSTNESS_CHARTS["sweep"]()
    big = charts.enlarged(spec, 2)
    sizes = [layer["mark"].get("fontSize") for layer in big["layer"] if layer["mark"]["type"] == "text"]
    assert 26 in sizes  # the 13 px crossing labels
    svg = vl_convert.vegalite_to_svg(charts.to_json(big))
    assert svg_marks(svg, "layer_4_marks")[0]["font-size"] == "26px"
