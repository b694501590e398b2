"""Decision record: the session's decision, numbers and reasons, exported as Markdown, HTML, PDF and CSV."""

import re

import streamlit as st

from placement.analysis import profile
from placement.present import record
from placement.settings import DEFAULT_TITLE, MAX_DECISION, MAX_NOTES, MAX_RECORD_TITLE
from ui import handoff
from ui.common import catalog, page_setup
from ui.guard import reported
from ui.profile import in_effect as company_profile
from ui.weights import current_view, sidebar_weights

model = page_setup("Decision record")
weights = sidebar_weights(model)

st.title("Decision record")
st.caption(
    "Everything on this record comes from the same calculations as the other pages, with today's weights and model, "
    "and the certainty chosen on 'How sure are we?'."
)

title = st.text_input(
    "Title", value=DEFAULT_TITLE, max_chars=MAX_RECORD_TITLE, key="record_title", persist_state="session"
)
decision = st.text_area(
    "The decision",
    max_chars=MAX_DECISION,
    key="record_decision",
    persist_state="session",
    placeholder="e.g. Product Ops will report to the CPO from Q1.",
)
notes = st.text_area(
    "Notes, owners and open questions", max_chars=MAX_NOTES, key="record_notes", persist_state="session"
)

room, changed = record.room_in_effect(handoff.group_weights(), weights)
if changed:
    st.caption(changed)
estimate, pms = handoff.staffing() or (None, None)  # set by the Staffing planner
with reported("The record cannot be made from this text.", stop=True):  # e.g. a NUL character pasted in
    details = record.Details(
        title=title.strip() or DEFAULT_TITLE,
        decision=decision.strip(),
        notes=notes.strip(),
        method=current_view(model).method,
        room=room,
        staffing=estimate,
        staffing_pms=pms,
        profile=tuple(company_profile().summary) if company_profile() else (),
        profile_effects=(
            tuple(profile.effect_rows(company_profile(), {f.id: f.name for f in model.factors}))
            if company_profile()
            else ()
        ),
    )
built = record.build(model, weights, details, handoff.robustness_settings(), baseline=catalog().model)
markdown = record.to_markdown(built)

# Markdown and CSV are quick: made on every run and offered as they are. The HTML's charts and the PDF take
# seconds: made when asked for, for this very record, and offered as files kept while the page shows them.
# (A file made on the click was served once and unreferenced: any session's next runs removed it, often
# before the browser fetched it.) A click downloads without rerunning the page.
pdf_missing = record.pdf_available()
cols = st.columns(4)
cols[0].download_button(
    "Download Markdown", markdown, "decision-record.md", "text/markdown", type="primary", on_click="ignore"
)
this_record = (markdown, tuple(weights.items()))  # the text, and the exact weights the charts draw
slow_files = handoff.record_files(this_record)
if slow_files is None:
    if cols[1].button("Make the HTML (with charts) and PDF", help="Takes a few seconds: the charts are drawn."):
        with st.spinner("Drawing the charts..."):
            page = record.to_html(built)
            handoff.set_record_files(this_record, page, None if pdf_missing else record.html_to_pdf(page))
        st.rerun()
else:
    page, pdf = slow_files
    cols[1].download_button("Download HTML (with charts)", page, "decision-record.html", "text/html", on_click="ignore")
    if pdf is not None:
        cols[2].download_button("Download PDF", pdf, "decision-record.pdf", "application/pdf", on_click="ignore")
cols[3].download_button(
    "Download the numbers (CSV)", record.to_csv(built), "decision-record.csv", "text/csv", on_click="ignore"
)
if pdf_missing:
    st.caption(f"{pdf_missing} Download the HTML and print it to PDF from a browser instead.")
if estimate is None:
    st.caption("Tip: visit the Staffing planner first to include a headcount estimate.")

with st.container(border=True, key="record_preview"):
    # One level down, under the page's title: the record's h1 becomes h2, its sections h3 (typed text cannot
    # start a line with '#', see placement.data.text.plain).
    st.markdown(re.sub(r"^(#+) ", r"#\1 ", markdown, flags=re.MULTILINE))
