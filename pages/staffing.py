"""Staffing planner: how many Product Ops people, by coverage model, with every bound cited."""

import streamlit as st

from placement.analysis import staffing
from placement.analysis.evidence import context_items
from placement.analysis.scoring import rank
from placement.data.staffing import COVERAGES, READING_LABELS
from placement.data.text import plain
from placement.present import charts
from ui.common import catalog, chart_look, page_setup, show_chart, show_table
from ui.guard import reported
from ui.handoff import set_staffing
from ui.weights import sidebar_weights

model = page_setup("Staffing planner")
weights = sidebar_weights(model)

st.title("How big should Product Ops be?")
for statement, citation in context_items(model, "staffing"):
    st.info(
        f"{plain(statement)} The figures below are practitioners' rules of thumb. *Source: {plain(citation)}.*",
        icon=":material/info:",
    )

data = catalog().staffing
leader = rank(model, weights)[0].placement
left, right = st.columns(2, gap="large")


def count_input(label: str, high: int, default: int, key: str) -> int:
    return int(
        st.number_input(label, min_value=0, max_value=high, value=default, step=1, key=key, persist_state="session")
    )


with left:
    pms = count_input("Product Managers", staffing.MAX_PMS, 12, "staff_pms")
    pods = count_input("Pods or squads", staffing.MAX_PODS, 6, "staff_pods")
    areas = count_input("Product areas or verticals", staffing.MAX_PODS, 3, "staff_areas")
with right:
    placement_id = st.selectbox(
        "Placement",
        model.placement_ids,
        index=model.placement_ids.index(leader),
        format_func=lambda p: model.placement(p).name,
        key="staff_placement",
        help="Defaults to the current leader on Explore (each time you open this page).",
    )
    coverage = st.radio(
        "Coverage model",
        list(COVERAGES),
        index=list(COVERAGES).index(staffing.coverage_for(placement_id)),
        format_func=COVERAGES.get,
        key=f"staff_coverage_{placement_id}",
    )
    pillars = st.multiselect(
        "Pillars in scope",
        list(staffing.PILLARS),
        default=list(staffing.PILLARS),
        format_func=staffing.PILLARS.get,
        key="staff_pillars",
        persist_state="session",
    )

with reported("These inputs cannot be estimated.", stop=True):
    result = staffing.estimate(data, pms, pods, areas, coverage, pillars, placement_id)
set_staffing(result, pms)

with st.container(border=True, key="staffing_estimate"):
    st.markdown(f"## {result.headline(pms)}")
    if result.extrapolation:
        st.warning(plain(result.extrapolation), icon=":material/trending_up:")
    for name, bound in (("Low", result.low), ("High", result.high)):
        source = f" *Source: {plain(model.sources[bound.rule.citation])}.*" if bound.rule else ""
        count = "no guidance" if bound.headcount is None else bound.headcount
        st.markdown(f"- **{name} ({count}, {bound.label})**: {plain(bound.reason)}{source}")
        if bound.rule and bound.rule.range_text and bound.headcount is not None:
            st.caption(f"This rule {plain(bound.rule.range_text)}.")
    for note in result.notes:
        st.warning(plain(note), icon=":material/warning:")

st.header("Headcount as the team grows")
st.caption(
    "Lines stop where no published rule gives guidance. Beyond the team sizes a published rule's source states, the"
    " line is our extrapolation: the table's reading column says which. Grey diamonds are the published teams that state both counts;"
    " the dark dot is your team."
)
curve = staffing.curve(data, coverage, pms, pods, areas, placement_id)
published = staffing.published_points(data)
show_chart(charts.staffing_chart(curve, pms, result.low.headcount, result.high.headcount, published, chart_look()))
show_table(staffing.curve_by_size(curve), height=240)
st.markdown("**Published teams** (the evidence behind the lines)")
show_table(staffing.points_table(data, model.sources))

st.header("Is it time to start?")
for signal, met in result.signals:
    mark = ":material/check_circle:" if met else ":material/radio_button_unchecked:"
    st.markdown(
        f"{mark} **{signal.min_pms}+ PMs** ({'met' if met else 'not yet'}; {READING_LABELS[signal.reading]}): "
        f"{plain(signal.statement)} *Source: {plain(model.sources[signal.citation])}.*"
    )
for statement, citation in context_items(model, "when_to_start"):
    st.markdown(f"- {plain(statement)} *Source: {plain(citation)}.*")
