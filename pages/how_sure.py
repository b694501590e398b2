"""How sure are we? Stability intervals, one-way sweeps and SMAA-2 for the current weights."""

import streamlit as st

from placement.analysis import robustness
from placement.present import charts, tables
from placement.settings import CERTAINTY_LEVELS, DEFAULT_CERTAINTY
from ui import handoff
from ui.common import arrow_table, numbers_table, page_setup, plain, show_chart
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
    "Also doubt the scores that the source does not document (±1)",
    key=handoff.DOUBT_KEY,
    persist_state="session",
    help="Inferred and no-evidence cells vary uniformly by up to one point; documented cells stay fixed.",
)
settings = handoff.robustness_settings()  # read back from the widgets' keys, as the decision record does
analysis = robustness.analyse(model, weights, settings)  # sampled once per weights and settings, then reused

with st.container(border=True, key="verdict"):
    st.markdown(f"### {plain(robustness.verdict(model, analysis))}")
    st.caption(
        f"SMAA-2 with {settings.samples:,} sampled weightings (seed {settings.seed}); every share is within "
        f"±{analysis.smaa.standard_error:.1%} (one standard error). Method: Lahdelma and Salminen's SMAA-2; sweeps are exact."
    )

stability = tables.stability_table(model, analysis)
st.subheader("Stability of the leader, factor by factor")
st.caption(
    "The blue band is how far each weight can move (others rescaled in proportion) before the leader changes; the black tick is today's weight. Most fragile first."
)
show_chart(charts.tornado_chart(stability), "Stability interval of each factor's weight")
numbers_table(stability, "stability")

st.subheader("What would it take?")
takeovers = tables.takeover_table(model, analysis)
st.dataframe(arrow_table(takeovers, {"placement", "what it takes"}), hide_index=True, width="stretch")

st.subheader("One-way sweeps")
factor_id = st.selectbox(
    "Factor to sweep",
    model.factor_ids,
    index=model.factor_ids.index(model.factors[analysis.hinge.factor].id),
    format_func=lambda f: model.factor(f).name,
    key="sweep_factor",
)
sweep = tables.sweep_table(model, weights, factor_id)
crossings = tables.crossing_table(model, weights, factor_id)
show_chart(
    charts.sweep_chart(model, sweep, crossings, weights[factor_id]),
    "Scores of every placement as one factor's weight varies",
)
numbers_table(crossings, "crossings", "Show the crossing points")

st.subheader("Rank acceptability")
st.caption("Share of sampled weightings that put each placement at each rank.")
acceptability = tables.acceptability_table(model, analysis)
show_chart(charts.acceptability_chart(model, acceptability), "Rank acceptability of each placement")
numbers_table(
    lambda: acceptability.pivot(index="placement", columns="rank", values="share").add_prefix("rank ").reset_index(),
    "acceptability",
)

left, right = st.columns(2, gap="large")
with left:
    st.markdown("**Central weights**: the typical weighting that makes each placement win.")
    st.caption(tables.central_weights_caption(analysis))
    st.dataframe(arrow_table(tables.central_weights_table(model, analysis)), hide_index=True)
with right:
    st.markdown(
        "**Pairwise winning index**: share of weightings in which the row placement beats the column placement."
    )
    st.dataframe(arrow_table(tables.pairwise_table(model, analysis)), hide_index=True)
