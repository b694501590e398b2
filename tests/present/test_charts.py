"""Charts (placement/charts.py): Vega-Lite specs and rendering with vl-convert.

The chart functions return Vega-Lite dicts whose `datasets` hold data frames;
`charts.to_json` turns one into a self-contained Vega-Lite document.
"""

from __future__ import annotations

import json
import re

import jsonschema
import pandas as pd
import pyarrow as pa
import pytest
import vl_convert
from altair.vegalite.v6.schema import load_schema
from hypothesis import given
from hypothesis import strategies as st

from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.data.model import Model, Placement
from placement.present import charts, colours, tables

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
    assert config["axis"]["labelFontSize"] == charts.SCREEN.font == 16
    assert config["legend"]["orient"] == "bottom"
    assert author_charts[name]["autosize"] == {"type": "fit-x", "contains": "padding"}  # legends add, never squeeze


def test_placement_colours_do_not_depend_on_the_result_order(model):
    author_ranking, _ = view_tables(model, "author")
    ops_ranking, _ = view_tables(model, "ops_enablement")
    assert author_ranking["placement"].tolist() != ops_ranking["placement"].tolist()  # premise
    specs = [
        document(charts.ranking_chart(model, author_ranking)),
        document(charts.ranking_chart(model, ops_ranking)),
        document(charts.ranking_chart(model, author_ranking.iloc[::-1].reset_index(drop=True))),
    ]
    expected = {p.short_name: charts.PLACEMENT_COLOURS[i] for i, p in enumerate(model.placements)}
    assert [colour_map(s) for s in specs] == [expected] * 3
    assert len(set(expected.values())) == len(model.placements)


def test_ranking_bars_follow_the_ranking_order(model):
    ranking, _ = view_tables(model, "ops_enablement")
    spec = document(charts.ranking_chart(model, ranking))
    assert [row["placement"] for row in only_dataset(spec)] == ranking["placement"].tolist()
    rows = only_dataset(spec)
    assert [row["order"] for row in rows] == list(range(len(rows)))  # top to bottom, the ranking's order
    assert spec["layer"][0]["encoding"]["y"]["sort"] == {"field": "order", "op": "min"}  # not the order rows arrive in


def test_encodings_do_not_depend_on_the_data(model):
    author, domain = build(model, "author"), build(model, "domain_needs")
    for name in CHARTS:
        assert {**author[name], "datasets": None} == {**domain[name], "datasets": None}, name


def test_factor_colours_follow_the_model(model, author_charts):
    expected = {f.name: charts.FACTOR_COLOURS[i] for i, f in enumerate(model.factors)}
    assert colour_map(author_charts["contributions"]) == expected


def test_ranking_chart_uses_the_fixed_0_100_scale(author_charts):
    assert author_charts["ranking"]["layer"][0]["encoding"]["x"]["scale"]["domain"] == [0, 100]


def test_ranking_scores_sit_on_a_white_outline_drawn_over_the_neutral_line(author_charts):
    marks = [layer["mark"] for layer in author_charts["ranking"]["layer"]]
    assert [m["type"] for m in marks] == ["bar", "rule", "text", "text"]  # later layers draw on top
    halo, label = marks[2], marks[3]
    assert halo["stroke"] == "#FFFFFF" and halo["strokeWidth"] >= 4 and "stroke" not in label
    assert (
        author_charts["ranking"]["layer"][2]["encoding"]["text"]
        == author_charts["ranking"]["layer"][3]["encoding"]["text"]
    )


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
    assert first["rank"] == 1 and first["score"] == 75.0  # 25 * (2 + 38/38)


@pytest.mark.parametrize("name", CHARTS)
def test_charts_render_to_svg(model, name):
    spec = build(model)[name]
    svg = vl_convert.vegalite_to_svg(charts.to_json(spec))
    assert svg.lstrip().startswith("<svg")
    assert svg.rstrip().endswith("</svg>")
    if name == "matrix":
        assert "Head of Product" in svg and "PM alignment" in svg
    else:
        assert "Head of Product" in svg


# --- planned sizes: the looks (screen, projector, board) ---------------------------------------------


def text_sizes(doc: dict) -> list[int]:
    """Every font size a chart sets: its configured axis, legend and text sizes and each text mark's own."""
    config = doc["config"]
    sizes = [config[s][k] for s in ("axis", "legend") for k in ("labelFontSize", "titleFontSize")]
    sizes.append(config["text"]["fontSize"])
    layers = doc.get("layer", [doc])
    return sizes + [layer["mark"]["fontSize"] for layer in layers if "fontSize" in layer.get("mark", {})]


@pytest.mark.parametrize("look", [charts.SCREEN, charts.PROJECTOR, charts.BOARD, charts.BOARD_PROJECTOR])
def test_row_charts_plan_their_height_from_rows_and_look(model, look):
    ranking, contributions = view_tables(model, "author")
    rows = len(model.placements)
    assert charts.ranking_chart(model, ranking, look)["height"] == look.row * rows
    assert charts.contributions_chart(model, contributions, look)["height"] == look.row * rows
    assert look.row - look.bar >= 12  # a visible gap between bars


def test_projector_text_is_at_least_24px_everywhere(model):
    ranking, contributions = view_tables(model, "author")
    specs = [
        charts.ranking_chart(model, ranking, charts.PROJECTOR),
        charts.ranking_chart(model, ranking, charts.BOARD_PROJECTOR),
        charts.contributions_chart(model, contributions, charts.PROJECTOR),
        charts.matrix_chart(model, contributions, charts.PROJECTOR),
        *(build(charts.PROJECTOR) for build in ROBUSTNESS_CHARTS.values()),
        charts.spread_chart(SPREAD, GROUP, charts.BOARD_PROJECTOR),
    ]
    for spec in specs:
        assert min(text_sizes(spec)) >= 24, spec["description"]


def test_screen_text_is_at_least_14px_everywhere(model):
    _, contributions = view_tables(model, "author")
    for spec in [charts.matrix_chart(model, contributions), *(b(charts.SCREEN) for b in ROBUSTNESS_CHARTS.values())]:
        assert min(text_sizes(spec)) >= 14, spec["description"]


def test_every_chart_describes_itself_for_screen_readers(model):
    for spec in build(model).values():
        assert len(spec["description"]) > 20
        data_layer = spec["layer"][0]
        assert data_layer["encoding"]["description"]["field"] == "description"  # each mark names itself
    rows = only_dataset(document(build(model)["ranking"]))
    assert rows[0]["description"] == "Reports to the Head of Product: 75.0 points"


def test_reference_lines_have_their_own_data_so_they_draw(model):
    """The neutral 50 on the ranking and the zero on the contributions: one line each in the SVG."""
    for name, at, layer in (("ranking", 50, 1), ("contributions", 0, 2)):
        svg = svg_of(build(model)[name])
        [rule] = svg_marks(svg, f"layer_{layer}_marks")
        assert translate(rule)[0] == pytest.approx((at - (-50 if name == "contributions" else 0)) / 100 * WIDTH)


def test_readable_on_meets_aa_contrast_on_every_fill():
    fills = charts.SCORE_COLOURS + charts.FACTOR_COLOURS + charts.RANK_COLOURS
    for fill in fills:
        assert wcag_contrast(colours.readable_on(fill), fill) >= 4.5, fill


def wcag_contrast(a: str, b: str) -> float:
    """WCAG 2.1 contrast ratio, written out here independently of the chart module."""

    def luminance(colour: str) -> float:
        rgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted([luminance(a), luminance(b)], reverse=True)
    return (high + 0.05) / (low + 0.05)


def test_matrix_labels_use_the_readable_ink_of_their_cell(model):
    _, contributions = view_tables(model, "author")
    doc = document(charts.matrix_chart(model, contributions))
    fills = doc["layer"][0]["encoding"]["color"]["scale"]
    inks = doc["layer"][1]["encoding"]["color"]["scale"]
    assert fills["domain"] == inks["domain"] == [-2, -1, 0, 1, 2]
    for fill, ink in zip(fills["range"], inks["range"], strict=True):
        assert wcag_contrast(fill, ink) >= 4.5


def colours_outside_placement_scales(node) -> set[str]:
    """Every colour a spec names, except inside a scale keyed on placements (the short_name field)."""
    if isinstance(node, dict):
        if node.get("field") == "short_name":
            return set()
        return set().union(*(colours_outside_placement_scales(v) for k, v in node.items() if k != "datasets"))
    if isinstance(node, list):
        return set().union(set(), *(colours_outside_placement_scales(v) for v in node))
    return {node.upper()} if isinstance(node, str) and re.fullmatch(r"#[0-9A-Fa-f]{6}", node) else set()


def test_placement_colours_mean_placements_only(model, staffing_spec):
    specs = [*build(model).values(), *(b(charts.SCREEN) for b in ROBUSTNESS_CHARTS.values()), staffing_spec]
    specs.append(charts.scenario_chart(SCENARIOS, {"Placement A": "A", "Placement B": "B"}))
    named = set().union(*(colours_outside_placement_scales(spec) for spec in specs))
    assert named and not named & {c.upper() for c in charts.PLACEMENT_COLOURS}


# --- contributions: stacked segments, each named where it fits -------------------------------------

# One placement, three factors in model order: f1 +10, f2 -5, f3 +4. Benefits stack right from zero
# in factor order (f1 0..10, f3 10..14); the risk stacks left (f2 -5..0).
STACK = pd.DataFrame(
    {
        "placement": ["Placement A"] * 3,
        "short_name": ["A"] * 3,
        "factor": ["Alpha factor", "Beta factor", "Gamma factor"],
        "score_cell": [2, -1, 1],
        "weight": [0.2, 0.2, 0.16],
        "points": [10.0, -5.0, 4.0],
        "provenance": ["documented"] * 3,
        "rationale": [""] * 3,
    }
)


def stack_model() -> Model:
    from placement.data.model import Factor

    factors = tuple(Factor(f"f{i}", f"{name} factor", "", "") for i, name in enumerate(("Alpha", "Beta", "Gamma")))
    return Model({}, (Placement("a", "Placement A", "A", ""),), factors, {}, {}, {})


def test_contributions_segments_stack_from_zero_in_factor_order():
    spec = charts.contributions_chart(stack_model(), STACK)
    rows = {row["factor"]: (row["start"], row["end"]) for row in only_dataset(document(spec))}
    assert rows == {"Alpha factor": (0, 10), "Beta factor": (0, -5), "Gamma factor": (10, 14)}
    spans = sorted(rect_span(m) for m in svg_marks(svg_of(spec), "layer_0_marks"))
    x = lambda points: (points + 50) / 100 * WIDTH  # noqa: E731
    assert [edge for span in spans for edge in span] == pytest.approx([x(-5), x(0), x(0), x(10), x(10), x(14)])


@st.composite
def contribution_rows(draw):
    """Rows of a contributions table for up to 4 placements and 5 factors, zeros included, in any order."""
    placements = [f"P{i}" for i in range(draw(st.integers(1, 4)))]
    factors = [f"F{i}" for i in range(draw(st.integers(1, 5)))]
    points = st.sampled_from([0.0, 2.5, -2.5, 5.0, -10.0, 12.5])
    rows = [{"placement": p, "short_name": p, "factor": f, "points": draw(points)} for p in placements for f in factors]
    rows = draw(st.permutations(rows))
    frame = pd.DataFrame(rows).assign(score_cell=1, weight=0.1, provenance="documented", rationale="")
    return frame, tuple(factors)


def stacked_by_hand(frame: pd.DataFrame, factors: tuple[str, ...]) -> dict:
    """The oracle: for each placement, walk its factors in order, benefits piling right of zero, risks left."""
    found = {}
    for placement in frame["short_name"].unique():
        right = left = 0.0
        for factor in factors:
            points = frame[(frame["short_name"] == placement) & (frame["factor"] == factor)]["points"].item()
            if points > 0:
                found[placement, factor] = (right, right + points)
                right += points
            elif points < 0:
                found[placement, factor] = (left, left + points)
                left += points
    return found


@given(contribution_rows())
def test_contributions_segments_match_a_hand_stacked_oracle(case):
    frame, factors = case
    segments = charts._stacked_contributions(frame, factors)
    found = {
        (s, f): (float(a), float(b))  # sums of multiples of 2.5: exact in floating point
        for s, f, a, b in zip(
            segments["short_name"], segments["factor"], segments["start"], segments["end"], strict=True
        )
    }
    assert found == stacked_by_hand(frame, factors)


def test_contributions_names_a_segment_only_where_the_name_fits():
    svg = svg_of(charts.contributions_chart(stack_model(), STACK), width=600)
    # At 600 px, 10 points are 60 px: room for the first 6 letters at 14 px (6 x 14 x 0.6 + 8 = 58.4 px);
    # 5 and 4 points (30, 24 px) are not, so those names are hidden (the tooltip and legend still give them).
    shown = {m["text"] for m in svg_marks(svg, "layer_1_marks") if m.get("opacity", "1") != "0"}
    assert [text[:5] for text in shown] == ["Alpha"]  # cut to its 60 px with an ellipsis


@pytest.fixture(scope="module")
def staffing_spec(model) -> dict:
    from placement.analysis import staffing
    from placement.data.staffing import load_staffing

    data = load_staffing(model.sources)
    curve = staffing.curve(data, "central", 30, 6, 2)
    return charts.staffing_chart(curve, 30, 1, 2, staffing.published_points(data))


def test_staffing_chart_data_and_encoding(staffing_spec):
    doc = document(staffing_spec)
    assert set(doc["datasets"]) == {"curve", "point", "ends", "published"}
    assert doc["datasets"]["point"] == [
        {"PMs": 30, "headcount": 1, "bound": "low"},
        {"PMs": 30, "headcount": 2, "bound": "high"},
    ]
    # 0..60 PMs: a low at each of the 61 counts, a high only at 0 and from 7 to 50 PMs (45 counts).
    assert len(doc["datasets"]["curve"]) == 61 + 45
    ends = {row["bound"]: row["PMs"] for row in doc["datasets"]["ends"]}
    assert ends == {"low": 60, "high": 50}  # each bound named where its line stops
    published = {(p["PMs"], p["headcount"], p["company"]) for p in doc["datasets"]["published"]}
    assert published == {
        (50, 1, "Not named (a practitioner's answer)"),
        (7, 1, "Not named (a practitioner's answer)"),
        (7, 2, "Not named (a practitioner's answer)"),
    }
    assert doc["layer"][3]["mark"]["shape"] == "diamond"
    line = doc["layer"][0]
    assert line["mark"]["interpolate"] == "step-after"
    assert line["mark"]["color"] == charts.INK  # bounds differ by line style and name, not by a placement colour
    assert line["encoding"]["strokeDash"]["scale"]["domain"] == ["low", "high"]
    assert doc["height"] == charts.SCREEN.plot


def test_staffing_chart_renders_to_svg(staffing_spec):
    svg = svg_of(staffing_spec)
    assert "Product Managers" in svg and "Product Ops headcount" in svg
    assert sorted(m["text"] for m in svg_marks(svg, "layer_1_marks")) == ["high", "low"]
    assert {m["text"] for m in svg_marks(svg, "layer_4_marks")} == {"Not named (a practitioner's answer)"}


def test_staffing_chart_leaves_out_a_bound_without_guidance(model):
    from placement.analysis import staffing
    from placement.data.staffing import load_staffing

    data = load_staffing(model.sources)
    spec = charts.staffing_chart(
        staffing.curve(data, "central", 80, 0, 0), 80, 2, None, staffing.published_points(data)
    )
    assert document(spec)["datasets"]["point"] == [{"PMs": 80, "headcount": 2, "bound": "low"}]


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


def svg_of(spec: dict, width: int = WIDTH) -> str:
    """The chart drawn by vl-convert with a plot exactly `width` px wide, so positions can be worked out by hand
    (in the app the plot fits its column instead; the browser tests measure that)."""
    return vl_convert.vegalite_to_svg(charts.to_json({**spec, "autosize": {"type": "pad"}, "width": width}))


def svg_marks(svg: str, group: str) -> list[dict[str, str]]:
    """Attributes of every mark in the SVG groups of class `group` (e.g. layer_1_marks), in drawing order;
    a text mark's text is under "text"."""
    groups = re.findall(rf'<g class="mark-\w+ role-mark {group}"[^>]*>(.*?)</g>', svg, re.S)
    assert groups, f"no mark group {group}"
    marks = re.findall(r"<(?:path|line|text) ([^>]*)>([^<]*)", "".join(groups))
    return [{**dict(re.findall(r'([\w-]+)="([^"]*)"', attrs)), "text": text} for attrs, text in marks]


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
    "tornado": lambda look=charts.SCREEN: charts.tornado_chart(STABILITY, look),
    "sweep": lambda look=charts.SCREEN: charts.sweep_chart(SWEEP_MODEL, SWEEP, CROSSINGS, 0.5, look),
    "acceptability": lambda look=charts.SCREEN: charts.acceptability_chart(ACCEPTABILITY_MODEL, ACCEPTABILITY, look),
    "spread": lambda look=charts.BOARD: charts.spread_chart(SPREAD, GROUP, look),
}
SCENARIOS = pd.DataFrame(
    {
        "scenario": ["Base", "Base", "Ops first", "Ops first"],
        "placement": ["Placement A", "Placement B"] * 2,
        "score": [60.0, 40.0, 35.0, 70.0],
        "rank": [1, 2, 2, 1],
    }
)


@pytest.fixture(scope="module")
def rendered() -> dict[str, tuple[dict, str]]:
    """name -> (plain Vega-Lite document, SVG with a plot WIDTH px wide)."""
    out = {}
    for name, build_spec in ROBUSTNESS_CHARTS.items():
        spec = build_spec()
        out[name] = (document(spec), svg_of(spec))
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
def test_robustness_charts_keep_labels_horizontal_and_sized_for_their_look(rendered, name):
    doc, svg = rendered[name]
    look = charts.BOARD if name == "spread" else charts.SCREEN
    assert doc["config"]["axis"]["labelAngle"] == 0
    assert doc["config"]["axis"]["labelFontSize"] == look.font
    nominal_axes = [
        channel.get("axis") or {}
        for layer in doc.get("layer", [doc])
        for channel in layer.get("encoding", {}).values()
        if isinstance(channel, dict) and channel.get("type") == "nominal"
    ]
    assert all(axis.get("labelAngle", 0) == 0 for axis in nominal_axes)
    assert axis_labels_are_upright(svg)
    assert f'font-size="{look.font}px"' in svg


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
    assert band["encoding"]["y"]["sort"] == {"field": "order", "op": "min"}  # most fragile first, as the table is
    assert [row["order"] for row in rows] == [0, 1, 2]
    assert band["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert doc["height"] == charts.SCREEN.row * len(STABILITY)
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
    assert set(doc["datasets"]) == {"sweep", "crossings", "now", "ends"}
    assert doc["datasets"]["now"] == [{"weight": 0.5, "label": "now 50%"}]
    assert len(doc["datasets"]["sweep"]) == 2 * len(SWEEP_MODEL.placements)  # straight lines: both ends
    assert doc["datasets"]["crossings"] == [
        {"weight": pytest.approx(2 / 9), "score": pytest.approx(51.111111), "crossing": "A = B"}
    ]
    [lines] = layer_with_mark(doc, "line")
    colour = lines["encoding"]["color"]["scale"]
    assert colour["domain"] == ["P0", "P1"]
    assert colour["range"] == charts.PLACEMENT_COLOURS[:2]
    assert lines["encoding"]["strokeDash"]["scale"]["range"][:2] == [[1, 0], [12, 6]]  # not colour alone
    assert lines["encoding"]["x"]["scale"]["domain"] == [0, 1]
    assert lines["encoding"]["y"]["scale"]["domain"] == [0, 100]


def test_sweep_chart_draws_lines_names_marker_and_crossing_where_they_belong(rendered):
    doc, svg = rendered["sweep"]
    height = doc["height"]
    y = lambda score: height * (1 - score / 100)  # noqa: E731
    paths = [m["d"] for m in svg_marks(svg, "layer_0_marks")]
    assert paths == [f"M0,{y(40):g}L{WIDTH},{y(90):g}", f"M0,{y(60):g}L{WIDTH},{y(20):g}"]  # A, then B
    names = {m["text"]: translate(m) for m in svg_marks(svg, "layer_1_marks")}
    centred = charts.SCREEN.font / 2  # text is centred on its line's end: a baseline offset under half its size
    assert names == {
        "P0": pytest.approx((WIDTH + 10, y(90)), abs=centred),
        "P1": pytest.approx((WIDTH + 10, y(20)), abs=centred),
    }
    [rule] = svg_marks(svg, "layer_2_marks")
    assert translate(rule)[0] == pytest.approx(0.5 * WIDTH)  # the current-weight marker at 50%
    [label] = svg_marks(svg, "layer_3_marks")
    assert translate(label)[0] == pytest.approx(0.5 * WIDTH + 6) and label["text"] == "now 50%"
    [point] = svg_marks(svg, "layer_4_marks")
    assert translate(point) == pytest.approx((2 / 9 * WIDTH, y(40 + 50 * 2 / 9)))
    [point_label] = svg_marks(svg, "layer_5_marks")
    assert point_label["text"] == "22%" and point_label["font-size"] == f"{charts.SCREEN.small}px"


# One line of 16 px type on a 380 px plot is 16 x 1.4 x 100 / 380 = 560 / 95 = 5.89 points.
@pytest.mark.parametrize(
    ("ends_at", "expected"),
    [
        ((90, 89), {"P1": 89, "P0": pytest.approx(89 + 560 / 95)}),  # close: the higher name moves up
        ((99, 100), {"P0": pytest.approx(100 - 560 / 95), "P1": 100}),  # past the top: both move down
        ((90, 20), {"P0": 90, "P1": 20}),  # far apart: each at its line's end
    ],
)
def test_line_end_names_are_nudged_apart(ends_at, expected):
    sweep = pd.DataFrame(
        {
            "weight": [0.0, 1.0] * 2,
            "placement": ["Placement A"] * 2 + ["Placement B"] * 2,
            "score": [0, ends_at[0], 0, ends_at[1]],
        }
    )
    ends = document(charts.sweep_chart(SWEEP_MODEL, sweep, CROSSINGS, 0.5))["datasets"]["ends"]
    assert {row["short_name"]: row["label_at"] for row in ends} == expected


def test_sweep_tooltips_carry_the_numbers(rendered):
    doc, svg = rendered["sweep"]
    [lines] = layer_with_mark(doc, "line")
    assert set(tooltip_fields(lines)) == {"placement", "weight", "score"}
    [points] = layer_with_mark(doc, "point")
    fields = tooltip_fields(points)
    assert set(fields) == {"crossing", "weight", "score"}
    assert fields["weight"]["format"] == ".1%" and fields["score"]["format"] == ".1f"
    assert svg_marks(svg, "layer_4_marks")[0]["aria-label"] == "A = B"


def test_sweep_chart_with_no_crossings_still_renders():
    empty = pd.DataFrame(columns=["weight", "score", "crossing"])
    svg = svg_of(charts.sweep_chart(SWEEP_MODEL, SWEEP, empty, 0.25))
    assert translate(svg_marks(svg, "layer_2_marks")[0])[0] == pytest.approx(0.25 * WIDTH)
    assert "now 25%" in svg


# --- rank acceptability -----------------------------------------------------------------------------


def test_acceptability_chart_shares_per_placement_sum_to_one(rendered):
    doc, _ = rendered["acceptability"]
    rows = only_dataset(doc)
    assert len(rows) == 3 * 3  # one bar segment per placement and rank
    assert {(row["rank"], row["rank_label"]) for row in rows} == {(1, "1st"), (2, "2nd"), (3, "3rd")}
    for placement in ACCEPTABILITY_MODEL.placements:
        shares = [row["share"] for row in rows if row["placement"] == placement.name]
        assert sum(shares) == pytest.approx(1.0)
    encoding = doc["layer"][0]["encoding"]
    assert encoding["y"]["sort"] == ["P0", "P1", "P2"]
    assert encoding["color"]["scale"]["domain"] == ["1st", "2nd", "3rd"]
    fields = tooltip_fields(doc["layer"][0])
    assert set(fields) == {"placement", "rank", "share"} and fields["share"]["format"] == ".1%"


def test_acceptability_bars_are_as_wide_as_the_shares_rank_1_first(rendered):
    _, svg = rendered["acceptability"]
    segments = svg_marks(svg, "layer_0_marks")
    assert len(segments) == 9
    for i, short in enumerate(("P0", "P1", "P2")):
        mine = [m for m in segments if m["aria-label"].startswith(f"{short} ranked")]
        spans = sorted(rect_span(m) for m in mine)
        expected = ACCEPTABILITY["share"].iloc[3 * i : 3 * i + 3].tolist()
        assert [right - left for left, right in spans] == pytest.approx([s * WIDTH for s in expected])
        assert "ranked 1st" in next(m for m in mine if rect_span(m)[0] == pytest.approx(0))["aria-label"]
        assert spans[-1][1] == pytest.approx(WIDTH)  # the three segments fill the row


def test_acceptability_segments_are_labelled_with_rank_and_share(rendered):
    _, svg = rendered["acceptability"]
    shown = {m["text"] for m in svg_marks(svg, "layer_1_marks") if m.get("opacity", "1") != "0"}
    # 300 px wide: a label like "2nd 20%" needs 7 x 14 x 0.6 + 8 = 66.8 px; shares of 0.3 (90 px) and up have it,
    # 0.2 (60 px) and 0.1 (30 px) do not, so those labels are hidden rather than cut.
    assert shown == {"1st 60%", "2nd 30%", "1st 30%", "2nd 50%", "3rd 70%"}


# --- scenarios --------------------------------------------------------------------------------------


def test_scenario_chart_groups_bars_by_scenario_and_names_each_bar():
    spec = charts.scenario_chart(SCENARIOS, {"Placement A": "A", "Placement B": "B"})
    rows = only_dataset(document(spec))
    assert [row["text"] for row in rows] == ["60.0  A", "40.0  B", "35.0  A", "70.0  B"]
    svg = svg_of(spec)
    bars = svg_marks(svg, "layer_0_marks")
    assert [rect_span(b)[1] for b in bars] == pytest.approx([s / 100 * WIDTH for s in SCENARIOS["score"]])
    assert [m["text"] for m in svg_marks(svg, "layer_1_marks")] == [row["text"] for row in rows]


# --- workshop spread --------------------------------------------------------------------------------


def test_spread_chart_sends_quartiles_not_every_vote(rendered):
    doc, _ = rendered["spread"]
    [rows] = doc["datasets"].values()
    # One row per factor in the room's order, whatever the number of votes.
    numbers = [{k: v for k, v in row.items() if not k.startswith("about_")} for row in rows]
    assert numbers == [
        {"factor": "PM alignment", "mean": 0.3, "min": 0.1, "q1": 0.175, "median": 0.25, "q3": 0.375, "max": 0.6},
        {"factor": "Flexibility", "mean": 0.7, "min": 0.4, "q1": 0.625, "median": 0.75, "q3": 0.825, "max": 0.9},
    ]
    assert all(layer["encoding"]["y"]["sort"] == ["PM alignment", "Flexibility"] for layer in doc["layer"])
    assert doc["height"] == charts.BOARD.row * 2


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
    assert [translate(m)[0] for m in means] == [pytest.approx(x(0.3)), pytest.approx(x(0.7))]
    assert means[0]["aria-label"] == "PM alignment: group weight 30.0%"
    assert whiskers[1]["aria-label"] == "Flexibility: from 40% to 90%, the middle half from 62% to 82%"


def test_a_chart_filled_from_arrow_exports_as_one_filled_from_a_data_frame():
    """Charts redrawn on every rerun are filled with Arrow tables; their exported JSON (the record's SVGs) is the
    same as from a data frame, a missing number included."""
    columns = {"placement": ["A", "B"], "score": [61.5, float("nan")], "rank": [1, 2]}
    template = {"mark": "bar", "data": {"name": "d"}}
    from_arrow = json.loads(charts.to_json(charts.render(template, d=pa.table(columns))))
    from_frame = json.loads(charts.to_json(charts.render(template, d=pd.DataFrame(columns))))
    assert from_arrow == from_frame
    assert from_arrow["datasets"]["d"][1] == {"placement": "B", "score": None, "rank": 2}
