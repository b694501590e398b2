"""Charts sized and coloured for a projector, authored in Altair.

Every chart's size is planned, not left to the container: rows, bar thickness and type come
from a `Look` (screen, projector, and the compact board), and the plot's height from the
number of rows. The legend and axes are added around that plot (autosize "fit-x"), so they
never squeeze the rows together. Placement colours mean placements only; every chart also
names what it shows in text (axis labels, labels on segments, names at line ends).

Building an Altair chart costs tens of milliseconds, far more than the analysis, so
each chart is compiled once per model shape and look into a Vega-Lite template that reads
named datasets; a rerun only fills in the data (`render`), as Arrow tables built from plain columns
where the chart is redrawn on every weight change (a data frame there cost more than the analysis).
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import lru_cache

import altair as alt
import numpy as np
import pandas as pd
import pyarrow as pa

from placement.analysis.scoring import points_per_unit
from placement.data.model import Model
from placement.data.schema import SCORE_MAX, SCORE_MIN
from placement.present.colours import WHITE, interpolated, readable_on, repeated
from placement.present.tables import Columns
from placement.settings import (
    FACTOR_COLOURS,
    GRID_GREY,
    INK,
    NEUTRAL_FILL,
    PLACEMENT_COLOURS,
    RANK_COLOURS,
    REFERENCE_GREY,
    SCORE_COLOURS,
)

MAX_POINTS = SCORE_MAX * points_per_unit()  # all weight on a +2 cell: 50 points from neutral
DASHES = [[1, 0], [12, 6], [4, 4], [12, 4, 2, 4], [2, 6]]  # line styles, so lines differ beyond colour


@dataclass(frozen=True)
class Look:
    """Type and spacing for one viewing distance: the pixels every chart's size is planned from."""

    font: int  # axis labels, legends and labels on marks
    row: int  # one bar row: the bar plus the gap below it
    bar: int
    line: int  # line width
    plot: int  # height of a plot with a continuous y axis (sweep, staffing)
    label_limit: int  # longest label before it is cut with an ellipsis

    @property
    def small(self) -> int:
        """Secondary labels (provenance in the matrix, crossing weights): still >= 14 px, >= 24 when projected."""
        return self.font - 2


SCREEN = Look(font=16, row=54, bar=34, line=4, plot=380, label_limit=280)
PROJECTOR = Look(font=26, row=80, bar=50, line=6, plot=540, label_limit=400)  # text >= 24 px
BOARD = Look(font=16, row=42, bar=28, line=4, plot=300, label_limit=220)  # the board shares one screen
BOARD_PROJECTOR = Look(font=26, row=48, bar=32, line=5, plot=320, label_limit=340)


def render(template: dict, **datasets: pd.DataFrame | pa.Table) -> dict:
    """The compiled template with its named datasets filled in (data frames or Arrow tables).

    Streamlit sends either as Arrow; `to_json` makes a plain Vega-Lite document for static export.
    """
    return {**copy.deepcopy(template), "datasets": datasets}  # a copy: callers may edit nested parts


def to_json(spec: dict) -> str:
    """A self-contained Vega-Lite JSON document of a rendered chart."""
    return json.dumps({**spec, "datasets": {name: _records(data) for name, data in spec["datasets"].items()}})


def _records(data: pd.DataFrame | pa.Table) -> list[dict]:
    if isinstance(data, pa.Table):  # NaN as null, as a data frame's JSON has it
        return [{k: None if isinstance(v, float) and v != v else v for k, v in row.items()} for row in data.to_pylist()]
    return json.loads(data.to_json(orient="records"))


def _style(chart: alt.TopLevelMixin, look: Look, description: str) -> dict:
    """Planned type sizes, AA-contrast text, no rotated labels; the plot keeps its height (fit-x)."""
    text = {"labelColor": INK, "titleColor": INK, "labelFontSize": look.font, "titleFontSize": look.font}
    styled = (
        chart.configure_axis(
            **text,
            labelAngle=0,
            labelLimit=look.label_limit,
            domainColor=REFERENCE_GREY,
            tickColor=REFERENCE_GREY,
            gridColor=GRID_GREY,
        )
        .configure_axisY(titleAngle=0, titleAnchor="end", titleAlign="left", titleBaseline="bottom", titleY=-12)
        .configure_legend(**text, labelLimit=look.label_limit, orient="bottom", columns=2, symbolSize=look.font * 12)
        .configure_text(fontSize=look.font, color=INK)
        .configure_view(strokeWidth=0)
        .properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"), description=description)
    )
    return styled.to_dict()


def _reference_rule(at: float, **mark) -> alt.Chart:
    """A vertical reference line (neutral 50, zero) with its own one-row data, so it always draws."""
    return (
        alt.Chart(alt.Data(values=[{"at": at}]))
        .mark_rule(**{"color": REFERENCE_GREY, "aria": False, **mark})
        .encode(x=alt.X("at:Q"))
    )


ROW_ORDER = "order"  # each row's position top to bottom, sent with the data


def _rows_in_order(field: str) -> alt.Y:
    """A y axis of rows in the order of the data's `order` column, read afresh from every update.

    Not `sort=None` (the order rows arrive in): Vega updates a chart's data in place, and an unsorted band
    scale keeps the order its rows first had, so the bars kept their old order after a change of weights."""
    return alt.Y(f"{field}:N", sort=alt.EncodingSortField(ROW_ORDER, op="min"), title=None)


def _first_seen_order(names) -> list[int]:
    """Each name's row: the position of its first appearance among `names`."""
    first: dict = {}
    return [first.setdefault(name, len(first)) for name in names]


def _placement_colour(domain: tuple[str, ...], **options) -> alt.Color:
    scale = alt.Scale(domain=list(domain), range=repeated(PLACEMENT_COLOURS, len(domain)))
    return alt.Color("short_name:N", scale=scale, **options)


SEGMENT_WIDTH = "abs(scale('x', datum.end) - scale('x', datum.start))"
FITTED_LABEL = {  # text inside a bar segment: cut to the segment, hidden where less than `fit_px` would show
    "limit": alt.ExprRef(expr=f"{SEGMENT_WIDTH} - 8"),
    "opacity": alt.ExprRef(expr=f"{SEGMENT_WIDTH} >= datum.fit_px ? 1 : 0"),
}


def _text_px(text: str, size: int) -> float:
    """Width of `text` in pixels at `size`, estimated generously (0.6 em per character) for sans-serif type."""
    return len(text) * size * 0.6 + 8


def ranking_chart(model: Model, ranking: Columns | pd.DataFrame, look: Look = SCREEN) -> dict:
    """Horizontal bars on the fixed 0-100 scale in ranking order, neutral line at 50.

    `ranking`: tables.ranking_columns (or the table made from them)."""
    template = _ranking_template(tuple(p.short_name for p in model.placements), len(ranking["rank"]), look)
    columns = ["rank", "placement", "short_name", "score", "benefit_points", "risk_points"]
    data = {name: list(ranking[name]) for name in columns}
    data["description"] = [f"{p}: {s:.1f} points" for p, s in zip(data["placement"], data["score"], strict=True)]
    data[ROW_ORDER] = list(range(len(data["rank"])))
    return render(template, ranking=pa.table(data))


@lru_cache(maxsize=32)
def _ranking_template(names: tuple[str, ...], rows: int, look: Look) -> dict:
    tooltip = ["rank:Q", "placement:N", alt.Tooltip("score:Q", format=".1f"), "benefit_points:Q", "risk_points:Q"]
    bars = (
        alt.Chart(alt.NamedData("ranking"))
        .mark_bar(height=look.bar)
        .encode(
            x=alt.X(
                "score:Q",
                scale=alt.Scale(domain=[0, 100]),
                axis=alt.Axis(values=[0, 25, 50, 75, 100]),
                title="Score (0-100, 50 = neutral)",
            ),
            y=_rows_in_order("short_name"),
            color=_placement_colour(names, legend=None),
            tooltip=tooltip,
            description="description:N",
        )
    )
    label = {"align": "left", "dx": 6, "fontWeight": "bold", "aria": False}
    text = alt.Text("score:Q", format=".1f")
    # A white outline of each score under it breaks the neutral line where they cross (a score near 50).
    halo = bars.mark_text(**label, stroke=WHITE, strokeWidth=5, strokeJoin="round").encode(
        text=text, color=alt.value(WHITE)
    )
    labels = bars.mark_text(**label).encode(text=text, color=alt.value(INK))
    chart = alt.layer(bars, _reference_rule(50, strokeDash=[6, 4], strokeWidth=2), halo, labels)  # labels on top
    return _style(chart.properties(height=look.row * rows), look, "Placements ranked by score from 0 to 100")


def contributions_chart(model: Model, contributions: Columns | pd.DataFrame, look: Look = SCREEN) -> dict:
    """Diverging bars: benefits stack right of zero, risks left, one colour and a name per factor.

    The scale is fixed at +-50 points (the most one factor can add), so bars never
    jump when the weights change. Rows follow the ranking order of `contributions` (tables.contributions_columns,
    or the table made from them).
    """
    factors = tuple(f.name for f in model.factors)
    template = _contributions_template(factors, len(model.placements), look)
    segments = _stacked_contributions(contributions, factors)
    # A factor's name cut after 6 letters still reads, so a segment that wide shows it.
    segments["fit_px"] = [_text_px(name[:6], look.small) for name in segments["factor"]]
    return render(template, contributions=pa.table(segments))


def _stacked_contributions(contributions: Columns | pd.DataFrame, factors: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Each non-zero segment's columns, with its start and end: benefits stacked right from zero, risks left,
    in factor order.

    NumPy on the columns: a pandas group-by here cost 5 ms on every rerun."""
    columns = ["placement", "short_name", "factor", "score_cell", "weight", "points", "provenance", "rationale"]
    kept = np.flatnonzero(np.asarray(contributions["points"]) != 0)
    segments = {name: np.asarray(contributions[name])[kept] for name in columns}
    segments[ROW_ORDER] = np.asarray(_first_seen_order(contributions["short_name"]))[kept]
    points, short_names = segments["points"].astype(float), segments["short_name"]
    rank_of = {name: i for i, name in enumerate(factors)}
    end = np.empty_like(points)
    benefits: dict[str, float] = {}  # each placement's stack so far, right and left of zero
    risks: dict[str, float] = {}
    for i in np.argsort([rank_of[name] for name in segments["factor"]], kind="stable"):
        stack = benefits if points[i] > 0 else risks
        stack[short_names[i]] = end[i] = stack.get(short_names[i], 0.0) + points[i]
    segments["end"], segments["start"] = end, end - points
    segments["description"] = [
        f"{s}, {f}: {p:+.1f}" for s, f, p in zip(short_names, segments["factor"], points, strict=True)
    ]
    return segments


@lru_cache(maxsize=32)
def _contributions_template(factors: tuple[str, ...], placements: int, look: Look) -> dict:
    fills = repeated(FACTOR_COLOURS, len(factors))
    y = _rows_in_order("short_name")
    base = alt.Chart(alt.NamedData("contributions")).encode(y=y)
    bars = base.mark_bar(height=look.bar).encode(
        x=alt.X(
            "start:Q",
            title="Points below (risks) and above (benefits) neutral",
            scale=alt.Scale(domain=[-MAX_POINTS, MAX_POINTS]),
            axis=alt.Axis(values=list(range(-50, 51, 10))),
        ),
        x2="end:Q",
        color=alt.Color("factor:N", scale=alt.Scale(domain=list(factors), range=fills), title="Factor"),
        tooltip=[
            "placement:N",
            "factor:N",
            "score_cell:Q",
            alt.Tooltip("weight:Q", format=".0%"),
            alt.Tooltip("points:Q", format="+.1f"),
            "provenance:N",
            "rationale:N",
        ],
        description="description:N",
    )
    names = base.mark_text(fontSize=look.small, aria=False, **FITTED_LABEL).encode(
        x=alt.X("middle:Q"),
        text="factor:N",
        color=alt.Color(
            "factor:N", scale=alt.Scale(domain=list(factors), range=[readable_on(f) for f in fills]), legend=None
        ),
    )
    names = names.transform_calculate(middle="(datum.start + datum.end) / 2")
    chart = alt.layer(bars, names, _reference_rule(0, strokeWidth=2, color=INK)).resolve_scale(color="independent")
    description = "Benefit and risk contributions per placement, by factor"
    return _style(chart.properties(height=look.row * placements), look, description)


def matrix_chart(model: Model, contributions: pd.DataFrame, look: Look = SCREEN) -> dict:
    """Heatmap of score cells; each label shows the score and its provenance in a colour that reads on it."""
    template = _matrix_template(
        tuple(p.short_name for p in model.placements), tuple(f.name for f in model.factors), look
    )
    columns = ["placement", "short_name", "factor", "score_cell", "score_label", "provenance", "rationale", "evidence"]
    cells = contributions.drop_duplicates(["placement", "factor"])[columns]
    return render(template, cells=cells.assign(description=_cell_description(cells)))


def _cell_description(cells: pd.DataFrame) -> pd.Series:
    return cells["short_name"] + ", " + cells["factor"] + ": " + cells["score_label"] + " (" + cells["provenance"] + ")"


@lru_cache(maxsize=32)
def _matrix_template(placements: tuple[str, ...], factors: tuple[str, ...], look: Look) -> dict:
    levels = list(range(SCORE_MIN, SCORE_MAX + 1))
    base = alt.Chart(alt.NamedData("cells")).encode(
        x=alt.X("short_name:N", sort=list(placements), title=None, axis=alt.Axis(orient="top")),
        y=alt.Y("factor:N", sort=list(factors), title=None),
        tooltip=["placement:N", "factor:N", "score_cell:Q", "provenance:N", "rationale:N", "evidence:N"],
    )
    cells = base.mark_rect(stroke=INK, strokeWidth=1.5).encode(
        color=alt.Color("score_cell:O", scale=alt.Scale(domain=levels, range=SCORE_COLOURS), legend=None),
        description="description:N",
    )
    ink = alt.Color("score_cell:O", scale=alt.Scale(domain=levels, range=[readable_on(c) for c in SCORE_COLOURS]))
    scores = base.mark_text(dy=-look.font * 0.6, fontWeight="bold", aria=False).encode(
        text="score_label:N", color=ink.legend(None)
    )
    provenance = base.mark_text(dy=look.small * 0.7, fontSize=look.small, aria=False).encode(
        text="provenance:N", color=ink.legend(None)
    )
    chart = alt.layer(cells, scores, provenance).resolve_scale(color="independent")
    description = "Score matrix of placements by factors with provenance"
    return _style(chart.properties(height=round(look.row * 1.1) * len(factors)), look, description)


def sweep_chart(
    model: Model, sweep: pd.DataFrame, crossings: pd.DataFrame, current: float, look: Look = SCREEN
) -> dict:
    """Every placement's score as one factor's weight goes from 0 to 100%, each line named at its end."""
    short = {p.name: p.short_name for p in model.placements}
    lines = {name: sweep[name].to_numpy() for name in ("weight", "placement", "score")}
    lines["short_name"] = [short[name] for name in lines["placement"]]
    now = pa.table({"weight": [current], "label": [f"now {current:.0%}"]})
    template = _sweep_template(tuple(short.values()), look)
    return render(template, sweep=pa.table(lines), crossings=crossings, now=now, ends=_line_end_labels(lines, look))


def _line_end_labels(lines: dict, look: Look) -> pa.Table:
    """Each line's name at its right end, nudged apart so that no two names overlap (in score units)."""
    weights, scores = lines["weight"].astype(float), lines["score"].astype(float)
    at_end = np.flatnonzero(weights == weights.max())
    at_end = at_end[np.argsort(scores[at_end], kind="stable")]  # lowest end first
    gap = look.font * 1.4 * 100 / look.plot  # one line of text (its box is ~1.35 em tall), in points on the axis
    placed: list[float] = []
    for score in scores[at_end]:
        placed.append(max(score, placed[-1] + gap) if placed else score)
    overflow = max(0.0, placed[-1] - 100) if placed else 0.0
    names = [lines["short_name"][i] for i in at_end]
    labels = [y - overflow for y in placed]  # pushed past the top: shift the whole stack down
    return pa.table({"short_name": names, "score": scores[at_end], "label_at": labels})


@lru_cache(maxsize=32)
def _sweep_template(names: tuple[str, ...], look: Look) -> dict:
    x = alt.X("weight:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"), title="Weight of the swept factor")
    y = alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)")
    dashes = alt.StrokeDash("short_name:N", scale=alt.Scale(domain=list(names), range=repeated(DASHES, len(names))))
    lines = (
        alt.Chart(alt.NamedData("sweep"))
        .mark_line(strokeWidth=look.line)
        .encode(
            x=x,
            y=y,
            color=_placement_colour(names, legend=None),
            strokeDash=dashes.legend(None),
            tooltip=["placement:N", alt.Tooltip("weight:Q", format=".0%"), alt.Tooltip("score:Q", format=".1f")],
        )
    )
    ends = (
        alt.Chart(alt.NamedData("ends"))
        .mark_text(align="left", dx=10, fontWeight="bold", aria=False)
        .encode(x=alt.datum(1), y=alt.Y("label_at:Q"), text="short_name:N")  # ink: placement colours are < 4.5:1
    )
    now = alt.Chart(alt.NamedData("now"))
    rule = now.mark_rule(strokeDash=[6, 4], color=REFERENCE_GREY, strokeWidth=2, aria=False).encode(x=x)
    rule_label = now.mark_text(align="left", dx=6, y=look.font, fontWeight="bold", aria=False).encode(
        x=x, text="label:N"
    )
    crossing_tooltip = ["crossing:N", alt.Tooltip("weight:Q", format=".1%"), alt.Tooltip("score:Q", format=".1f")]
    points = (
        alt.Chart(alt.NamedData("crossings"))
        .mark_point(filled=True, size=look.font * 9, color=INK, shape="diamond", opacity=1)
        .encode(x=x, y="score:Q", tooltip=crossing_tooltip, description="crossing:N")
    )
    near_the_end = "datum.weight > 0.85"  # label to the left there, clear of the names at the lines' ends
    labels = points.mark_text(
        align=alt.ExprRef(expr=f"{near_the_end} ? 'right' : 'left'"),
        dx=alt.ExprRef(expr=f"{near_the_end} ? -8 : 8"),
        dy=-look.small * 0.8,
        fontSize=look.small,
        aria=False,
    ).encode(text=alt.Text("weight:Q", format=".0%"))
    chart = alt.layer(lines, ends, rule, rule_label, points, labels).properties(height=look.plot)
    return _style(chart, look, "Each placement's score as one factor's weight goes from 0 to 100%")


def tornado_chart(stability: pd.DataFrame, look: Look = SCREEN) -> dict:
    """Each factor's stability interval around its current weight, in table order (most fragile first)."""
    return render(
        _tornado_template(len(stability), look), stability=stability.assign(**{ROW_ORDER: range(len(stability))})
    )


@lru_cache(maxsize=32)
def _tornado_template(rows: int, look: Look) -> dict:
    y = _rows_in_order("factor")
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
    band = alt.Chart(data).mark_bar(height=look.bar, color=NEUTRAL_FILL).encode(x=x, x2="high:Q", y=y, tooltip=tooltip)
    tick = (
        alt.Chart(data)
        .mark_tick(thickness=look.line, size=look.row - 8, color=INK)
        .encode(x="current:Q", y=y, tooltip=tooltip)
    )
    description = "Stability interval of each factor's weight, with its current weight marked"
    return _style(alt.layer(band, tick).properties(height=look.row * rows), look, description)


def acceptability_chart(model: Model, acceptability: pd.DataFrame, look: Look = SCREEN) -> dict:
    """Share of sampled weightings that put each placement at each rank, each segment labelled."""
    short = {p.name: p.short_name for p in model.placements}
    names, ranks = acceptability["placement"].to_numpy(), acceptability["rank"].to_numpy()
    shares = acceptability["share"].to_numpy(dtype=float)
    end = np.empty_like(shares)
    so_far: dict[str, float] = {}  # each placement's bar so far: its ranks stack from the left, 1st first
    for i in np.argsort(ranks, kind="stable"):
        so_far[names[i]] = end[i] = so_far.get(names[i], 0.0) + shares[i]
    kept = np.flatnonzero(shares > 0)
    texts = [f"{_ordinal(ranks[i])} {shares[i]:.0%}" for i in kept]
    segments = {
        "placement": names[kept],
        "rank": ranks[kept],
        "share": shares[kept],
        "short_name": [short[names[i]] for i in kept],
        "rank_label": [_ordinal(ranks[i]) for i in kept],
        "start": end[kept] - shares[kept],
        "end": end[kept],
        "text": texts,
        "description": [f"{short[names[i]]} ranked {text}" for i, text in zip(kept, texts, strict=True)],
        "fit_px": [_text_px(text, look.small) for text in texts],  # a share is shown whole or not at all
    }
    return render(_acceptability_template(tuple(short.values()), look), acceptability=pa.table(segments))


def _ordinal(rank: int) -> str:
    suffix = "th" if 10 <= rank % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


@lru_cache(maxsize=32)
def _acceptability_template(names: tuple[str, ...], look: Look) -> dict:
    labels = [_ordinal(r) for r in range(1, len(names) + 1)]
    fills = interpolated(RANK_COLOURS, len(labels))
    y = alt.Y("short_name:N", sort=list(names), title=None)
    base = alt.Chart(alt.NamedData("acceptability")).encode(y=y)
    bars = base.mark_bar(height=look.bar, stroke=WHITE, strokeWidth=1).encode(
        x=alt.X(
            "start:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"), title="Share of sampled weightings"
        ),
        x2="end:Q",
        color=alt.Color("rank_label:N", scale=alt.Scale(domain=labels, range=fills), title="Rank"),
        tooltip=["placement:N", "rank:Q", alt.Tooltip("share:Q", format=".1%")],
        description="description:N",
    )
    text = base.mark_text(fontSize=look.small, aria=False, **FITTED_LABEL).encode(
        x=alt.X("middle:Q"),
        text="text:N",
        color=alt.Color(
            "rank_label:N", scale=alt.Scale(domain=labels, range=[readable_on(f) for f in fills]), legend=None
        ),
    )
    text = text.transform_calculate(middle="(datum.start + datum.end) / 2")
    chart = alt.layer(bars, text).resolve_scale(color="independent").properties(height=look.row * len(names))
    return _style(chart, look, "Rank acceptability of each placement")


def scenario_chart(ranking: pd.DataFrame, short: dict[str, str], look: Look = SCREEN) -> dict:
    """For each scenario, one bar per placement in its colour, named with its score at the bar's end.

    `short` gives each placement's short name by its name, in the order the bars are drawn."""
    data = ranking[["scenario", "placement", "score", "rank"]].assign(short_name=ranking["placement"].map(short))
    data["text"] = data["score"].map("{:.1f}".format) + "  " + data["short_name"]
    data[ROW_ORDER] = _first_seen_order(data["scenario"])
    template = _scenario_template(tuple(short.values()), ranking["scenario"].nunique(), look)
    return render(template, ranking=data)


@lru_cache(maxsize=32)
def _scenario_template(names: tuple[str, ...], scenarios: int, look: Look) -> dict:
    row = round(look.row * 0.7)
    base = alt.Chart(alt.NamedData("ranking")).encode(
        x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
        y=_rows_in_order("scenario"),
        yOffset=alt.YOffset("short_name:N", sort=list(names)),
        tooltip=["scenario:N", "placement:N", alt.Tooltip("score:Q", format=".1f"), "rank:Q"],
    )
    bars = base.mark_bar(height=round(row * 0.7)).encode(
        color=_placement_colour(names, legend=None), description="text:N"
    )
    labels = base.mark_text(align="left", dx=6, fontSize=look.small, aria=False).encode(text="text:N")
    chart = alt.layer(bars, labels).properties(height=row * len(names) * scenarios)
    return _style(chart, look, "Each scenario's score for every placement")


def spread_chart(spread: pd.DataFrame, group: pd.DataFrame, look: Look = BOARD) -> dict:
    """Each factor's weights across participants as a box plot drawn from its quartiles (`spread`: factor,
    min, q1, median, q3, max), the group's weight (`group`: factor, group weight, in the room's order)
    marked. One row per factor is sent, however many people voted."""
    columns = ["min", "q1", "median", "q3", "max"]
    quartiles = {row[0]: row[1:] for row in spread[["factor", *columns]].itertuples(index=False, name=None)}
    factors, means = group["factor"].tolist(), group["group weight"].tolist()
    data = {"factor": factors, "mean": means} | {q: [quartiles[f][i] for f in factors] for i, q in enumerate(columns)}
    data["about_spread"] = [
        f"{f}: from {low:.0%} to {high:.0%}, the middle half from {q1:.0%} to {q3:.0%}"
        for f, low, q1, q3, high in zip(factors, data["min"], data["q1"], data["q3"], data["max"], strict=True)
    ]
    data["about_mean"] = [f"{f}: group weight {mean:.1%}" for f, mean in zip(factors, means, strict=True)]
    return render(_spread_template(tuple(factors), look), spread=pa.table(data))


@lru_cache(maxsize=32)
def _spread_template(factors: tuple[str, ...], look: Look) -> dict:
    y = alt.Y("factor:N", sort=list(factors), title=None)
    x = alt.X("min:Q", axis=alt.Axis(format="%"), title="Weight given by each participant")
    tooltip = ["factor:N", *(alt.Tooltip(f"{q}:Q", format=".0%") for q in ("min", "q1", "median", "q3", "max"))]
    base = alt.Chart(alt.NamedData("spread")).encode(y=y, tooltip=tooltip)
    whiskers = base.mark_rule(color=REFERENCE_GREY, strokeWidth=2).encode(x=x, x2="max:Q", description="about_spread:N")
    boxes = base.mark_bar(height=look.bar, color=NEUTRAL_FILL, aria=False).encode(x="q1:Q", x2="q3:Q")
    medians = base.mark_tick(color=INK, thickness=3, size=look.bar, aria=False).encode(x="median:Q")
    mean = base.mark_point(shape="diamond", filled=True, size=look.font * 10, color=WHITE, stroke=INK, strokeWidth=2)
    mean = mean.encode(
        x="mean:Q",
        tooltip=["factor:N", alt.Tooltip("mean:Q", format=".1%", title="group weight (mean)")],
        description="about_mean:N",
    )
    chart = alt.layer(whiskers, boxes, medians, mean).properties(height=look.row * len(factors))
    return _style(chart, look, "Each factor's weights across participants (quartiles), the group's weight a diamond")


def staffing_chart(
    curve: pd.DataFrame, pms: int, low: int | None, high: int | None, published: pd.DataFrame, look: Look = SCREEN
) -> dict:
    """The headcount range as the PM count grows (only where a rule gives guidance), each bound named at its
    line's end, today's team marked, and the published teams (company, PMs, Product Ops people) beside them."""
    point = pd.DataFrame(
        [{"PMs": pms, "headcount": n, "bound": b} for n, b in ((low, "low"), (high, "high")) if n is not None],
        columns=["PMs", "headcount", "bound"],
    )
    ends = curve.loc[curve.groupby("bound")["PMs"].idxmax()] if len(curve) else curve
    return render(_staffing_template(look), curve=curve, point=point, ends=ends, published=published)


@lru_cache(maxsize=4)
def _staffing_template(look: Look) -> dict:
    x = alt.X("PMs:Q", title="Product Managers")
    y = alt.Y("headcount:Q", title="Product Ops headcount")
    dash = alt.StrokeDash("bound:N", scale=alt.Scale(domain=["low", "high"], range=[[1, 0], [10, 6]]), legend=None)
    lines = (
        alt.Chart(alt.NamedData("curve"))
        .mark_line(strokeWidth=look.line, interpolate="step-after", color=INK)
        .encode(x=x, y=y, strokeDash=dash, tooltip=["PMs:Q", "bound:N", "headcount:Q", "reading:N"])
    )
    names = (
        alt.Chart(alt.NamedData("ends"))
        .mark_text(align="left", dx=8, fontWeight="bold", aria=False)
        .encode(x=x, y=y, text="bound:N")
    )
    now = (
        alt.Chart(alt.NamedData("point"))
        .mark_point(size=look.font * 14, filled=True, color=INK, opacity=1)
        .encode(x=x, y=y, tooltip=["PMs:Q", "bound:N", "headcount:Q"], description="bound:N")
    )
    evidence = alt.Chart(alt.NamedData("published")).encode(
        x=x,
        y=y,
        tooltip=[
            alt.Tooltip("company:N", title="published team"),
            "PMs:Q",
            alt.Tooltip("people:N", title="Product Ops people"),
            alt.Tooltip("statement:N", title="source says"),
        ],
    )
    teams = evidence.mark_point(shape="diamond", size=look.font * 14, filled=True, color=NEUTRAL_FILL, opacity=1)
    teams = teams.encode(description="company:N")
    companies = evidence.mark_text(align="left", dx=10, dy=-look.small * 0.7, fontSize=look.small, aria=False)
    chart = alt.layer(lines, names, now, teams, companies.encode(text="company:N")).properties(height=look.plot)
    description = "Product Ops headcount range as the number of PMs grows, today's team and published teams"
    return _style(chart, look, description)
