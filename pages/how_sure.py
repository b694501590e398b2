"""How sure are we? Stability intervals, one-way sweeps and SMAA-2 for the current weights."""

import streamlit as st

from placement.analysis import robustness
from placement.analysis.smaa import DEFAULT_SAMPLES, DEFAULT_SEED
from placement.present import charts
from ui.common import numbers_table, page_setup, plain, show_chart
from ui.weights import sidebar_weights

model = page_setup("How sure are we?")
weights = sidebar_weights(model)

st.title("How sure are we?")

certainty = st.select_slider(
    "How sure is the room of these weights?",
    list(robustness.CERTAINTY_LEVELS),
    value=robustness.DEFAULT_CERTAINTY,
    key="certainty",
    persist_state="session",
    help="Sets how far the sampled weights stray from the current ones (SMAA-2, Dirichlet(κ·w)); 'no idea' samples every weighting equally.",
)
doubt = st.toggle(
    "Also doubt the scores that the source does not document (±1)",
    key="doubt_cells",
    persist_state="session",
    help="Inferred and no-evidence cells vary uniformly by up to one point; documented cells stay fixed.",
)
analysis = robustness.analyse(model, weights, kappa=robustness.CERTAINTY_LEVELS[certainty], doubt_cells=doubt)

with st.container(border=True, key="verdict"):
    st.markdown(f"### {plain(robustness.verdict(model, analysis))}")
    st.caption(
        f"SMAA-2 with {DEFAULT_SAMPLES:,} sampled weightings (seed {DEFAULT_SEED}); every share is within "
        f"±{analysis.smaa.standard_error:.1%} (one standard error). Method: Lahdelma and Salminen's SMAA-2; sweeps are exact."
    )

stability = robustness.stability_table(model, analysis)
st.subheader("Stability of the leader, factor by factor")
st.caption(
    "The blue band is how far each weight can move (others rescaled in proportion) before the leader changes; the black tick is today's weight. Most fragile first."
)
show_chart(charts.tornado_chart(stability), "Stability interval of each factor's weight")
numbers_table(stability, "stability")

st.subheader("What would it take?")
st.dataframe(robustness.takeover_table(model, analysis).drop(columns="change"), hide_index=True, width="stretch")

st.subheader("One-way sweeps")
factor_id = st.selectbox(
    "Factor to sweep",
    model.factor_ids,
    index=model.factor_ids.index(model.factors[analysis.hinge.factor].id),
    format_func=lambda f: model.factor(f).name,
    key="sweep_factor",
)
sweep = robustness.sweep_table(model, weights, factor_id)
crossings = robustness.crossing_table(model, weights, factor_id)
show_chart(
    charts.sweep_chart(model, sweep, crossings, weights[factor_id]),
    "Scores of every placement as one factor's weight varies",
)
numbers_table(crossings, "crossings", "Show the crossing points")

st.subheader("Rank acceptability")
st.caption("Share of sampled weightings that put each placement at each rank.")
acceptability = robustness.acceptability_table(model, analysis)
show_chart(charts.acceptability_chart(model, acceptability), "Rank acceptability of each placement")
numbers_table(
    acceptability.pivot(index="placement", columns="rank", values="share").add_prefix("rank ").reset_index(),
    "acceptability",
)

left, right = st.columns(2, gap="large")
with left:
    st.markdown("**Central weights**: the typical weighting that makes each placement win.")
    central = robustness.central_weights_table(model, analysis)
    if doubt:
        st.caption(
            "Confidence: how often a placement still wins with its central weights when the doubted scores vary."
        )
    else:  # with exact scores every central weighting wins by construction: the column would only say 100%
        central = central.drop(columns="confidence")
        st.caption("Switch on 'doubt the scores' above to see confidence factors.")
    st.dataframe(central, hide_index=True)
with right:
    st.markdown(
        "**Pairwise winning index**: share of weightings in which the row placement beats the column placement."
    )
    st.dataframe(robustness.pairwise_table(model, analysis), hide_index=True)
