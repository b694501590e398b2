"""Scenarios: save the current weights and edits under a name, and compare two or three side by side."""

import streamlit as st

from placement.data.text import plain
from placement.present import charts, scenarios
from placement.present.scenarios import MAX_COMPARED
from placement.present.urlstate import View
from placement.settings import MAX_SCENARIO_NAME
from ui.common import chart_look, page_setup, show_chart, show_table
from ui.guard import reported
from ui.handoff import request_view, set_active_model
from ui.weights import current_view, sidebar_weights

model = page_setup("Scenarios")
weights = sidebar_weights(model)

st.title("Scenarios")
st.caption(
    "A scenario keeps the weights and the model edits of this moment. Saved scenarios last for this browser session; download the model on Make it yours to keep one for good."
)
saved: dict[str, scenarios.Scenario] = st.session_state.setdefault("scenarios", {})

with st.form("save_scenario", clear_on_submit=True):
    name = st.text_input("Name this scenario", max_chars=MAX_SCENARIO_NAME, placeholder="e.g. Ops-heavy view")
    if st.form_submit_button("Save the current weights and edits"):
        with reported("The scenario was not saved."):
            saved, replaced = scenarios.save(saved, name, model, weights, current_view(model).sliders)
            st.session_state.scenarios = saved
            st.session_state.compare = scenarios.latest(saved)  # show the new one at once
            st.success(f"{'Replaced' if replaced else 'Saved'} '{plain(name.strip())}'.")

if not saved:
    st.info("No scenarios yet: set weights (and edits), then save them above.")
    st.stop()

chosen = st.multiselect(
    f"Compare (up to {MAX_COMPARED})",
    list(saved),
    default=scenarios.latest(saved),
    max_selections=MAX_COMPARED,
    key="compare",
)
compared = [saved[n] for n in chosen]
if compared:
    st.header("Ranking")
    show_chart(charts.scenario_chart(scenarios.ranking_frame(compared), scenarios.short_names(compared), chart_look()))
    show_table(scenarios.ranking_wide(compared))
    st.header("Weights")
    show_table(scenarios.weights_frame(compared), percent=tuple(s.name for s in compared))
    st.header("Cells that differ")
    differing = scenarios.differing_cells(compared)
    if len(differing):
        show_table(differing)
    else:
        st.write("The scenarios use the same score matrix.")

st.header("Manage")
left, right = st.columns(2)
pick = left.selectbox("Scenario", list(saved), key="manage_choice")
if right.button("Load it (weights and edits)"):
    set_active_model(saved[pick].model)
    request_view(View("sliders", saved[pick].sliders, {}))
    st.rerun()
if right.button("Delete it"):
    st.session_state.scenarios = {n: s for n, s in saved.items() if n != pick}
    st.rerun()
