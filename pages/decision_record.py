"""Decision record: the session's decision, numbers and reasons, exported as Markdown, HTML and CSV."""

import streamlit as st

from placement.analysis.weights import same_weights
from placement.present import record
from ui.common import page_setup
from ui.weights import current_view, sidebar_weights

model = page_setup("Decision record")
weights = sidebar_weights(model)

st.title("Decision record")
st.caption(
    "Everything on this record comes from the same calculations as the other pages, with today's weights and model."
)

title = st.text_input(
    "Title", value="Where should Product Ops report?", max_chars=120, key="record_title", persist_state="session"
)
decision = st.text_area(
    "The decision",
    max_chars=2000,
    key="record_decision",
    persist_state="session",
    placeholder="e.g. Product Ops will report to the CPO from Q1.",
)
notes = st.text_area("Notes, owners and open questions", max_chars=4000, key="record_notes", persist_state="session")

room = st.session_state.get("group_source")
if room and not same_weights(room["weights"], weights):
    st.caption(
        f"The weights were changed after room {room['room']}'s vote, so the record does not present them as the group's."
    )
    room = None
estimate, pms = st.session_state.get("staffing_estimate", (None, None))  # set by the Staffing planner
session = record.Session(
    title=title.strip() or "Where should Product Ops report?",
    decision=decision.strip(),
    notes=notes.strip(),
    method=current_view(model).method,
    participants=room["participants"] if room else None,
    staffing=estimate,
    staffing_pms=int(pms) if pms is not None else None,
)
built = record.build(model, weights, session)
markdown = record.to_markdown(built)

cols = st.columns(3)
cols[0].download_button(
    "Download Markdown", markdown, file_name="decision-record.md", mime="text/markdown", type="primary"
)
cols[1].download_button(
    "Download HTML (with charts)", record.to_html(built), file_name="decision-record.html", mime="text/html"
)
cols[2].download_button(
    "Download the numbers (CSV)", record.to_csv(built), file_name="decision-record.csv", mime="text/csv"
)
if estimate is None:
    st.caption("Tip: visit the Staffing planner first to include a headcount estimate.")

with st.container(border=True, key="record_preview"):
    st.markdown(markdown.replace("\n# ", "\n### ").replace("# Decision record", "### Decision record", 1))
