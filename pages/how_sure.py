"""How sure are we? Stability intervals, one-way sweeps and SMAA-2 for the current weights."""

import streamlit as st

from placement.analysis import robustness
from placement.data.text import plain
from placement.present import charts, tables
from placement.settings import CERTAINTY_LEVELS, DEFAULT_CERTAINTY
from ui import handoff
from ui.common import chart_look, numbers_table, page_setup, show_chart, show_table, side_by_side
from ui.weights import sidebar_weights

model = page_setup("How sure are we?")
weights = sidebar_weights(model)

st.title("How sure are we?")

st.select_slider(
    "How sure is the room of these weights?",
    list(CERTAINTY_LEVELS),
    value=DEFAULT_CERTAINTY,
    key=handoff.CERTAINTY_KEY,
    persist_state="session",
    help="Sets how far the sampled weights stray from the current ones (SMAA-2, Dirichlet(κ·w)); 'no idea' samples every weighting equally.",
)
st.toggle(
    "Also doubt the inferred and no-evidence scores (±1 each)",
    key=handoff.DOUBT_KEY,
    persist_state="session",
    help="Each inferred or no-evidence cell varies uniformly by up to one point, on its own. Documented cells and "
    "the scores your team set stay as they are.",
)
st.toggle(
    "Doubt each statement of the source: the cells it drives move together (±1)",
    key=handoff.DOUBT_STATEMENTS_KEY,
    persist_state="session",
    help="One statement often drives two or three cells (see Evidence). Each statement draws one shift of up to one "
    "point that all its documented and inferred cells share, so it is doubted once, not once per cell.",
)
settings = handoff.robustness_settings()  # read back from the widgets' keys, as the decision record does
analysis = robustness.analyse(model, weights, settings)  # sampled once per weights and settings, then reused

with st.container(border=True, key="verdict"):
    st.markdown(f"## {plain(robustness.verdict(model, analysis))}")
    st.caption(f"{plain(tables.sampling_note(analysis))} Method: Lahdelma and Salminen's SMAA-2; sweeps are exact.")

stability = tables.stability_table(model, analysis)
st.header("Stability of the leader, factor by factor")
st.caption(
    "The grey band is how far each weight can move (others rescaled in proportion) before the leader changes; the black tick is today's weight. Most fragile first."
)
show_chart(charts.tornado_chart(stability, chart_look()))
numbers_table(stability, "stability")

st.header("What would it take?")
show_table(tables.takeover_table(model, analysis))

st.header("One-way sweeps")
factor_id = st.selectbox(
    "Factor to sweep",
    model.factor_ids,
    index=model.factor_ids.index(model.factors[analysis.hinge.factor].id),
    format_func=lambda f: model.factor(f).name,
    key="sweep_factor",
)
sweep = tables.sweep_table(model, weights, factor_id)
crossings = tables.crossing_table(model, weights, factor_id)
show_chart(charts.sweep_chart(model, sweep, crossings, weights[factor_id], chart_look()))
numbers_table(crossings, "crossings", "Show the crossing points")

st.header("Rank acceptability")
st.caption("Share of sampled weightings that put each placement at each rank.")
acceptability = tables.acceptability_table(model, analysis)
show_chart(charts.acceptability_chart(model, acceptability, chart_look()))
numbers_table(lambda: tables.acceptability_by_rank(acceptability), "acceptability")

# Two tables for readers of the method, built and sent only while their expander is open (issue 16).
details = st.expander("Central weights and the pairwise winning index", key="smaa_details", on_change="rerun")
if details.open:
    with details:
        left, right = side_by_side(2, gap="large")
        with left:
            st.markdown("**Central weights**: the typical weighting that makes each placement win.")
            st.caption(tables.central_weights_caption(analysis))
            central = tables.central_weights_table(model, analysis)
            show_table(central, percent=tables.shares_in(central))
        with right:
            st.markdown(
                "**Pairwise winning index**: share of weightings in which the row placement beats the column placement."
            )
            pairwise = tables.pairwise_table(model, analysis)
            show_table(pairwise, percent=tables.shares_in(pairwise))
