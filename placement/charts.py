"""Altair charts sized and coloured for a projector; every chart is built from a tidy table.

One colour per placement in every chart (Okabe-Ito), a separate colour-blind-safe
palette for factors (Paul Tol's muted), horizontal labels throughout.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from placement.model import Model

PLACEMENT_COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
FACTOR_COLOURS = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#DDDDDD",
]
FONT_SIZE = 16
LABEL_LIMIT = 320


def placement_scale(model: Model) -> alt.Scale:
    names = [p.name for p in model.placements]
    return alt.Scale(domain=names, range=[PLACEMENT_COLOURS[i % len(PLACEMENT_COLOURS)] for i in range(len(names))])


def factor_scale(model: Model) -> alt.Scale:
    names = [f.name for f in model.factors]
    return alt.Scale(domain=names, range=[FACTOR_COLOURS[i % len(FACTOR_COLOURS)] for i in range(len(names))])


def style(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """Projector type sizes and no rotated labels."""
    return (
        chart.configure_axis(labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelAngle=0, labelLimit=LABEL_LIMIT)
        .configure_legend(
            labelFontSize=FONT_SIZE, titleFontSize=FONT_SIZE, labelLimit=LABEL_LIMIT, orient="bottom", columns=2
        )
        .configure_text(fontSize=FONT_SIZE)
        .configure_view(strokeWidth=0)
    )


def ranking_chart(model: Model, ranking: pd.DataFrame) -> alt.Chart:
    """Horizontal bars on the fixed 0-100 scale, best first, with a neutral line at 50."""
    order = ranking["placement"].tolist()
    y = alt.Y("placement:N", sort=order, title=None)
    tooltip = ["rank:Q", "placement:N", alt.Tooltip("score:Q", format=".1f"), "benefit_points:Q", "risk_points:Q"]
    bars = (
        alt.Chart(ranking)
        .mark_bar(height=34)
        .encode(
            x=alt.X("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100, 50 = neutral)"),
            y=y,
            color=alt.Color("placement:N", scale=placement_scale(model), legend=None),
            tooltip=tooltip,
        )
    )
    labels = bars.mark_text(align="left", dx=6, fontWeight="bold").encode(
        text=alt.Text("score:Q", format=".1f"), color=alt.value("#222")
    )
    neutral = alt.Chart(pd.DataFrame({"score": [50]})).mark_rule(strokeDash=[4, 4], color="#555").encode(x="score:Q")
    return style((bars + labels + neutral).properties(height=70 * len(order)))


def contributions_chart(model: Model, contributions: pd.DataFrame, order: list[str]) -> alt.Chart:
    """Diverging bars: benefits stack right of zero, risks left, one colour per factor."""
    data = contributions[contributions["points"] != 0]
    limit = max(
        10.0, float(data.groupby(["placement", data["points"] > 0])["points"].sum().abs().max() if len(data) else 0)
    )
    bars = (
        alt.Chart(data)
        .mark_bar(height=34)
        .encode(
            x=alt.X(
                "points:Q",
                title="Points below (risks) and above (benefits) neutral",
                scale=alt.Scale(domain=[-limit, limit]),
            ),
            y=alt.Y("placement:N", sort=order, title=None),
            color=alt.Color("factor:N", scale=factor_scale(model), title="Factor"),
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
    zero = alt.Chart(pd.DataFrame({"points": [0]})).mark_rule(color="#222", strokeWidth=2).encode(x="points:Q")
    return style((bars + zero).properties(height=70 * len(order)))


def matrix_chart(model: Model, contributions: pd.DataFrame) -> alt.Chart:
    """Heatmap of score cells; the label shows the score and its provenance, dashed = inferred."""
    data = contributions.drop_duplicates(["placement", "factor"])
    base = alt.Chart(data).encode(
        x=alt.X("short_name:N", sort=[p.short_name for p in model.placements], title=None, axis=alt.Axis(orient="top")),
        y=alt.Y("factor:N", sort=[f.name for f in model.factors], title=None),
        tooltip=["placement:N", "factor:N", "score_cell:Q", "provenance:N", "rationale:N", "evidence:N"],
    )
    cells = base.mark_rect(stroke="#222", strokeWidth=1.5).encode(
        color=alt.Color(
            "score_cell:Q", scale=alt.Scale(scheme="blueorange", domain=[-2, 2], reverse=True), title="Score"
        ),
        strokeDash=alt.StrokeDash(
            "provenance:N",
            scale=alt.Scale(domain=["documented", "inferred", "no evidence"], range=[[1, 0], [6, 4], [1, 6]]),
            title="Provenance",
        ),
    )
    scores = base.mark_text(dy=-9, fontWeight="bold").encode(text="score_label:N")
    provenance = base.mark_text(dy=11, fontSize=13).encode(text="provenance:N")
    return style((cells + scores + provenance).properties(height=52 * len(model.factors)))


def sweep_chart(
    model: Model, sweep: pd.DataFrame, crossings: pd.DataFrame, current: float, factor_name: str
) -> alt.Chart:
    """Every placement's score as one factor's weight goes from 0 to 100%."""
    x = alt.X("weight:Q", scale=alt.Scale(domain=[0, 1]), axis=alt.Axis(format="%"), title=f"Weight of {factor_name}")
    lines = (
        alt.Chart(sweep)
        .mark_line(strokeWidth=4)
        .encode(
            x=x,
            y=alt.Y("score:Q", scale=alt.Scale(domain=[0, 100]), title="Score (0-100)"),
            color=alt.Color("placement:N", scale=placement_scale(model), title="Placement"),
            tooltip=["placement:N", alt.Tooltip("weight:Q", format=".0%"), alt.Tooltip("score:Q", format=".1f")],
        )
    )
    now = alt.Chart(pd.DataFrame({"weight": [current], "label": [f"now {current:.0%}"]}))
    rule = now.mark_rule(strokeDash=[6, 4], color="#222", strokeWidth=2).encode(x=x)
    rule_label = now.mark_text(align="left", dx=6, y=8, fontWeight="bold").encode(x=x, text="label:N")
    points = (
        alt.Chart(crossings)
        .mark_point(filled=True, size=140, color="#222")
        .encode(
            x=x,
            y="score:Q",
            tooltip=["crossing:N", alt.Tooltip("weight:Q", format=".1%"), alt.Tooltip("score:Q", format=".1f")],
        )
    )
    labels = points.mark_text(align="left", dx=8, dy=-10, fontSize=13).encode(text=alt.Text("weight:Q", format=".0%"))
    return style((lines + rule + rule_label + points + labels).properties(height=380))


def tornado_chart(stability: pd.DataFrame) -> alt.Chart:
    """Each factor's stability interval around its current weight, most fragile on top."""
    order = stability["factor"].tolist()
    y = alt.Y("factor:N", sort=order, title=None)
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
    band = alt.Chart(stability).mark_bar(height=26, color="#56B4E9").encode(x=x, x2="high:Q", y=y, tooltip=tooltip)
    tick = (
        alt.Chart(stability).mark_tick(thickness=4, size=34, color="#222").encode(x="current:Q", y=y, tooltip=tooltip)
    )
    return style((band + tick).properties(height=48 * len(order)))


def acceptability_chart(model: Model, acceptability: pd.DataFrame) -> alt.Chart:
    """Share of sampled weightings that put each placement at each rank."""
    ranks = sorted(acceptability["rank"].unique())
    palette = ["#0072B2", "#56B4E9", "#E69F00", "#D55E00", "#999999", "#CC79A7", "#009E73", "#000000"]
    data = acceptability.assign(rank_label=acceptability["rank"].map(lambda r: f"rank {r}"))
    bars = (
        alt.Chart(data)
        .mark_bar(height=34)
        .encode(
            x=alt.X("share:Q", stack="normalize", axis=alt.Axis(format="%"), title="Share of sampled weightings"),
            y=alt.Y("placement:N", sort=[p.name for p in model.placements], title=None),
            color=alt.Color(
                "rank_label:N",
                scale=alt.Scale(domain=[f"rank {r}" for r in ranks], range=palette[: len(ranks)]),
                title="Rank",
            ),
            order=alt.Order("rank:Q"),
            tooltip=["placement:N", "rank:Q", alt.Tooltip("share:Q", format=".1%")],
        )
    )
    return style(bars.properties(height=70 * len(model.placements)))
