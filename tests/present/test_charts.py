"""Charts (placement/charts.py): Vega-Lite specs and rendering with vl-convert.

The chart functions return Vega-Lite dicts whose `datasets` hold data frames;
`charts.to_json` turns one into a self-contained Vega-Lite document.
"""

from __future__ import annotations

import json

import pytest
import vl_convert

from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
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

    data = staffing.load_staffing(model.sources)
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
