"""Charts sized and coloured for a projector, authored in Altair.

One colour per placement in every chart (Okabe-Ito), a separate colour-blind-safe
palette for factors (Paul Tol's muted), horizontal labels throughout.

Building an Altair chart costs tens of milliseconds, far more than the analysis, so
each chart is compiled once per model shape into a Vega-Lite template that reads
named datasets; a rerun only fills in the data (`render`).
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache

import altair as alt
import pandas as pd

from placement.analysis.scoring import points_per_unit
from placement.data.model import Model
from placement.data.schema import SCORE_MAX
from placement.settings import FACTOR_COLOURS, PALETTE, PLACEMENT_COLOURS, RANK_COLOURS

FONT_SIZE = 16
LABEL_LIMIT = 320
ROW_HEIGHT = 70
MAX_POINTS = SCORE_MAX * points_per_unit()  # all weight on a +2 cell: 50 points from neutral


def render(template: dict, **datasets: pd.DataFrame) -> dict:
    """The compiled template with its named datasets filled in as data frames.

    Streamlit turns the frames straight into Arrow; `to_json` makes a plain
    Vega-Lite document for static export.
    """
    return {**copy.deepcopy(template), "datasets": datasets}  # a copy: callers may edit nested parts


def to_json(spec: dict) -> str:
    """A self-contained Vega-Lite JSON document of a rendered chart."""
    datasets = {name: json.loads(frame.to_json(orient="records")) for name, frame in spec["datasets"].items()}
    return json.dumps({**spec, "datasets": datasets})


def _colours(palette: list[str], count: int) -> list[str]:
    return [palette[i % len(palette)] for i in range(count)]


def _style(chart: alt.TopLevelMixin) -> dict:
    """Projector type sizes and no rotated labels, compiled to a Vega-Lite dict."""
    styled = (
        chart.configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelAngle=0, labelLimit=LABEL_LIMIT)
        .configure_legend(
            labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=LABEL_LIMIT, orient="bottom", columns=2
        )
        .configure_text(fontSize=FONT_SIZE)
        .configure_view(strokeWidth=0)
    )
    return styled.to_dict()


def ranking_chart(model: Model, ranking: pd.DataFrame) -> dict:
    """Horizontal bars on the fixed 0-100 scale in ranking order, neutral line at 50."""
    return render(_ranking_template(tuple(p.name for p in model.placements)), ranking=ranking)


@lru_cache(maxsize=32)
def _ranking_template(names: tuple[str, ...]) -> dict:
    colour = alt.Color(
        "placement:N", scale=alt.Scale(domain=list(names), range=_colours(PLACEMENT_COLOURS, len(names))), legend=None
    )
    tooltip = ["rank:Q", "placement:N", alt.Tooltip("score:Q", format=".1f"), "benefit_points:Q", "risk_points:Q"]
    bars = (
        alt.Chart(alt.NamedData("ranking"))
        .mark_bar(height=34)
        .encode(
            x=alt.X(
                "score:Q",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100]),
                title="Score (0-100, 50 = neutral)",
            ),
            y=alt.Y("placement:N", sort=None, title=None),
            color=colour,
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="left", dx=6, fontWeight="bold").encode(
        text=alt.Text("score:Q", format=".1f"), color=alt.value("#222")
    )
    neutral = alt.Chart().mark_rule(strokeDash=[4, 4], color="#555").encode(x=alt.datum(50))
    return _style(alt.layer(bars, labels, neutral).properties(height=ROW_HEIGHT * len(names)))


def contributions_chart(model: Model, contributions: pd.DataFrame) -> dict:
    """Diverging bars: benefits stack right of zero, risks left, one colour per factor.

    The scale is fixed at +-50 points (the most one factor can add), so bars never
    jump when the weights change. Rows follow the ranking order of `contributions`.
    """
    template = _contributions_template(tuple(f.name for f in model.factors), len(model.placements))
    return render(template, contributions=contributions[contributions["points"] != 0])


@lru_cache(maxsize=32)
def _contributions_template(factors: tuple[str, ...], placements: int) -> dict:
    bars = (
        alt.Chart(alt.NamedData("contributions"))
        .mark_bar(height=34)
        .encode(
            x=alt.X(
                "points:Q",
                title="Points below (risks) and above (benefits) neutral",
                scale=alt.Scale(domain=[-MAX_POINTS, MAX_POINTS]),
            ),
            y=alt.Y("placement:N", sort=None, title=None),
            color=alt.Color(
                "factor:N",
                scale=alt.Scale(domain=list(factors), range=_colours(FACTOR_COLOURS, len(factors))),
                title="Factor",
            ),
            order=alt.Order("factor:N"),
            tooltip=[
                "placement:N",
                "factor:N",
                "score_cell:Q",
                alt.Tooltip("weight:Q", format=".0%"),
                alt.Tooltip("points:Q", format="+.1f"),
                "provenance:N",
                "rationale:N",
            ],
        )
    )
    zero = alt.Chart().mark_rule(color="#222", strokeWidth=2).encode(x=alt.datum(0))
    return _style(alt.layer(bars, zero).properties(height=ROW_HEIGHT * placements))


def matrix_chart(model: Model, contributions: pd.DataFrame) -> dict:
    """Heatmap of score cells; each label shows the score and its provenance."""
    template = _matrix_template(tuple(p.short_name for p in model.placements), tuple(f.name for f in model.factors))
    return render(template, cells=contributions.drop_duplicates(["placement", "factor"]))


@lru_cache(maxsize=32)
def _matrix_template(placements: tuple[str, ...], factors: tuple[str, ...]) -> dict:
    base = alt.Chart(alt.NamedData("cells")).encode(
        x=alt.X("short_name:N", sort=list(placements), title=None, axis=alt.Axis(orient="top")),
        y=alt.Y("factor:N", sort=list(factors), title=None),
        tooltip=["placement:N", "factor:N", "score_cell:Q", "provenance:N", "rationale:N", "evidence:N"],
    )
    cells = base.mark_rect(stroke="#222", strokeWidth=1.5).encode(
        color=alt.Color(
            "score_cell:Q", scale=alt.Scale(scheme="blueorange", domain=[-2, 2], reverse=True), title="Score"
        ),
    )
    scores = base.mark_text(dy=-9, fontWeight="bold").encode(text="score_label:N")
    provenance = base.mark_text(dy=11, fontSize=13).encode(text="provenance:N")
    return _style(alt.layer(cells, scores, provenance).properties(height=52 * len(factors)))


def sweep_chart(model: Model, sweep: pd.DataFrame, crossings: pd.DataFrame, current: float) -> dict:
    """Every placement's score as one factor's weight goes from 0 to 100%."""
    now = pd.DataFrame({"weight": [current], "label": [f"now {current:.0%}"]})
    return render(_sweep_template(tuple(p.name for p in model.placements)), sweep=sweep, crossings=crossings, now=now)


@lru_cache(maxsize=32)
def _sweep_template(names: tuple[str, ...]) -> dict:
    x = alt.X("weight:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"), title="Weight of the swept factor")
    colour = alt.Color(
        "placement:N",
        scale=alt.Scale(domain=list(names), range=_colours(PLACEMENT_COLOURS, len(names))),
        title="Placement",
    )
    lines = (
        alt.Chart(alt.NamedData("sweep"))
        .mark_line(strokeWidth=4)
        .encode(
            x=x,
            y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
            color=colour,
            tooltip=["placement:N", alt.Tooltip("weight:Q", format=".0%"), alt.Tooltip("score:Q", format=".1f")],
        )
    )
    now = alt.Chart(alt.NamedData("now"))
    rule = now.mark_rule(strokeDash=[6, 4], color="#222", strokeWidth=2).encode(x=x)
    rule_label = now.mark_text(align="left", dx=6, y=8, fontWeight="bold").encode(x=x, text="label:N")
    crossing_tooltip = ["crossing:N", alt.Tooltip("weight:Q", format=".1%"), alt.Tooltip("score:Q", format=".1f")]
    points = (
        alt.Chart(alt.NamedData("crossings"))
        .mark_point(filled=True, size=140, color="#222")
        .encode(x=x, y="score:Q", tooltip=crossing_tooltip)
    )
    labels = points.mark_text(align="left", dx=8, dy=-10, fontSize=13).encode(text=alt.Text("weight:Q", format=".0%"))
    return _style(alt.layer(lines, rule, rule_label, points, labels).properties(height=380))


def tornado_chart(stability: pd.DataFrame) -> dict:
    """Each factor's stability interval around its current weight, in table order (most fragile first)."""
    return render(_tornado_template(len(stability)), stability=stability)


@lru_cache(maxsize=32)
def _tornado_template(rows: int) -> dict:
    y = alt.Y("factor:N", sort=None, title=None)
    x = alt.X(
        "low:Q",
        scale=alt.Scale(domain=[0, 1]),
        axis=alt.Axis(format="%"),
        title="Weight range over which the leader stays first",
    )
    tooltip = [
        "factor:N",
        alt.Tooltip("current:Q", format=".1%"),
        alt.Tooltip("low:Q", format=".1%"),
        alt.Tooltip("high:Q", format=".1%"),
        "below low, leader:N",
        "above high, leader:N",
    ]
    data = alt.NamedData("stability")
    band = alt.Chart(data).mark_bar(height=26, color=PALETTE["sky"]).encode(x=x, x2="high:Q", y=y, tooltip=tooltip)
    tick = alt.Chart(data).mark_tick(thickness=4, size=34, color="#222").encode(x="current:Q", y=y, tooltip=tooltip)
    return _style(alt.layer(band, tick).properties(height=48 * rows))


def acceptability_chart(model: Model, acceptability: pd.DataFrame) -> dict:
    """Share of sampled weightings that put each placement at each rank."""
    data = acceptability.assign(rank_label=acceptability["rank"].map(lambda r: f"rank {r}"))
    return render(_acceptability_template(tuple(p.name for p in model.placements)), acceptability=data)


@lru_cache(maxsize=32)
def _acceptability_template(names: tuple[str, ...]) -> dict:
    labels = [f"rank {r}" for r in range(1, len(names) + 1)]
    bars = (
        alt.Chart(alt.NamedData("acceptability"))
        .mark_bar(height=34)
        .encode(
            x=alt.X("share:Q", stack="normalize", axis=alt.Axis(format="%"), title="Share of sampled weightings"),
            y=alt.Y("placement:N", sort=list(names), title=None),
            color=alt.Color(
                "rank_label:N", scale=alt.Scale(domain=labels, range=_colours(RANK_COLOURS, len(labels))), title="Rank"
            ),
            order=alt.Order("rank:Q"),
            tooltip=["placement:N", "rank:Q", alt.Tooltip("share:Q", format=".1%")],
        )
    )
    return _style(bars.properties(height=ROW_HEIGHT * len(names)))


def scenario_chart(ranking: pd.DataFrame, placements: list[str]) -> dict:
    """One panel per scenario: each placement's score, in the placement's own colour."""
    return render(_scenario_template(tuple(placements)), ranking=ranking)


@lru_cache(maxsize=32)
def _scenario_template(names: tuple[str, ...]) -> dict:
    colour = alt.Color(
        "placement:N", scale=alt.Scale(domain=list(names), range=_colours(PLACEMENT_COLOURS, len(names))), legend=None
    )
    base = alt.Chart(alt.NamedData("ranking")).encode(
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
        y=alt.Y("placement:N", sort=list(names), title=None),
        tooltip=["scenario:N", "placement:N", alt.Tooltip("score:Q", format=".1f"), "rank:Q"],
    )
    bars = base.mark_bar(height=26).encode(color=colour)
    labels = base.mark_text(align="left", dx=4, fontWeight="bold").encode(text=alt.Text("score:Q", format=".1f"))
    layered = alt.layer(bars, labels).properties(width=260, height=48 * len(names))
    return _style(layered.facet(column=alt.Column("scenario:N", title=None)).configure_header(labelFontSize=FONT_SIZE))


def spread_chart(spread: pd.DataFrame, group: pd.DataFrame) -> dict:
    """Each factor's weights across participants as a box plot drawn from its quartiles (`spread`: factor,
    min, q1, median, q3, max), the group's weight (`group`: factor, group weight, in the room's order)
    marked. One row per factor is sent, however many people voted."""
    columns = ["min", "q1", "median", "q3", "max"]
    quartiles = {row[0]: row[1:] for row in spread[["factor", *columns]].itertuples(index=False, name=None)}
    factors = group["factor"].tolist()
    data = {"factor": factors, "mean": group["group weight"].tolist()}
    data |= {q: [quartiles[f][i] for f in factors] for i, q in enumerate(columns)}
    return render(_spread_template(tuple(factors)), spread=pd.DataFrame(data))


@lru_cache(maxsize=32)
def _spread_template(factors: tuple[str, ...]) -> dict:
    y = alt.Y("factor:N", sort=list(factors), title=None)
    x = alt.X("min:Q", axis=alt.Axis(format="%"), title="Weight given by each participant")
    tooltip = ["factor:N", *(alt.Tooltip(f"{q}:Q", format=".0%") for q in ("min", "q1", "median", "q3", "max"))]
    base = alt.Chart(alt.NamedData("spread")).encode(y=y, tooltip=tooltip)
    whiskers = base.mark_rule(color="#222", strokeWidth=2).encode(x=x, x2="max:Q")
    boxes = base.mark_bar(height=26, color=PALETTE["sky"]).encode(x="q1:Q", x2="q3:Q")
    medians = base.mark_tick(color="#222", thickness=3, size=26).encode(x="median:Q")
    mean = base.mark_tick(color=PALETTE["vermillion"], thickness=4, size=34).encode(
        x="mean:Q", tooltip=["factor:N", alt.Tooltip("mean:Q", format=".1%", title="group weight (mean)")]
    )
    return _style(alt.layer(whiskers, boxes, medians, mean).properties(height=48 * len(factors)))


def staffing_chart(curve: pd.DataFrame, pms: int, low: int, high: int) -> dict:
    """The headcount range as the PM count grows, with today's team marked."""
    point = pd.DataFrame({"PMs": [pms, pms], "headcount": [low, high], "bound": ["low", "high"]})
    return render(_staffing_template(), curve=curve, point=point)


@lru_cache(maxsize=1)
def _staffing_template() -> dict:
    x = alt.X("PMs:Q", title="Product Managers")
    y = alt.Y("headcount:Q", title="Product Ops headcount")
    colour = alt.Color(
        "bound:N", scale=alt.Scale(domain=["low", "high"], range=[PALETTE["blue"], PALETTE["orange"]]), title="Bound"
    )
    lines = (
        alt.Chart(alt.NamedData("curve"))
        .mark_line(strokeWidth=4, interpolate="step-after")
        .encode(x=x, y=y, color=colour, tooltip=["PMs:Q", "bound:N", "headcount:Q"])
    )
    now = (
        alt.Chart(alt.NamedData("point"))
        .mark_point(size=220, filled=True, color="#222")
        .encode(x=x, y=y, tooltip=["PMs:Q", "bound:N", "headcount:Q"])
    )
    return _style(alt.layer(lines, now).properties(height=360))


def enlarged(spec: dict, factor: float = 1.5) -> dict:
    """The same chart for a projector: every font and the height scaled by `factor`."""
    bigger = {**spec, "config": copy.deepcopy(spec.get("config", {}))}
    for section in bigger["config"].values():
        if isinstance(section, dict):
            for key in ("labelFontSize", "titleFontSize", "fontSize"):
                if key in section:
                    section[key] = round(section[key] * factor)
    if isinstance(spec.get("height"), int | float):
        bigger["height"] = round(spec["height"] * factor)
    if "layer" in spec:  # text marks that set their own size
        bigger["layer"] = [_enlarged_mark(layer, factor) for layer in spec["layer"]]
    inner = spec.get("spec")  # a faceted chart sizes its panels inside
    if isinstance(inner, dict) and isinstance(inner.get("height"), int | float):
        bigger["spec"] = {**inner, "height": round(inner["height"] * factor)}
    return bigger


def _enlarged_mark(layer: dict, factor: float) -> dict:
    mark = layer.get("mark")
    if isinstance(mark, dict) and isinstance(mark.get("fontSize"), int | float):
        return {**layer, "mark": {**mark, "fontSize": round(mark["fontSize"] * factor)}}
    return layer
