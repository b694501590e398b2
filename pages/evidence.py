"""Evidence: what the source documents for each placement, what we inferred, and the gaps."""

import streamlit as st

from placement.analysis import evidence
from placement.data import editing
from placement.data.text import plain
from ui.common import catalog, page_setup, show_table
from ui.handoff import set_active_model

model = page_setup("Evidence")
source = model.sources["source"]

st.title("The evidence behind the scores")
st.caption(f"Statements are our paraphrases of {plain(source)}. Each one names the score cells it drives.")

st.header("Coverage")
show_table(evidence.coverage_table(model))
for placement in model.placements_without("risk"):
    st.warning(
        f"**Evidence gap: no documented risk for {plain(placement.name)}.** "
        f"{plain(evidence.risk_gap_origin(model, placement.id))}, so its score has no risk side. That is missing "
        "evidence, not proof that there is no risk: add the risks your team sees on *Make it yours* (set a negative score on the factor it "
        "hurts, or add a factor), or let a workshop room name them (*Name what is missing* on the board)."
        + (
            f" The room named {n} for it, listed below."
            if (n := len(evidence.room_cells(model, placement.id, "risk")))
            else ""
        ),
        icon=":material/search:",
    )

st.header("How many cells each statement drives")
st.caption(
    "A statement that drives several cells counts several times in a score. 'How sure are we?' can doubt "
    "each statement once: the cells it drives then move together."
)
show_table(evidence.reach_table(model))

for placement in model.placements:
    with st.container(border=True, key=f"evidence_{placement.id}"):
        st.markdown(f"### {plain(placement.name)}")
        st.caption(plain(placement.description))
        statements = evidence.statements(model, placement.id)
        if not statements:
            st.markdown(
                "*The source says nothing about this placement; every score here is inferred or set by the team.*"
            )
        for item in statements:
            count = len(item.drives)
            drives = f" → drives {count} cell{'s' * (count != 1)}: {plain(', '.join(item.drives))}" if count else ""
            st.markdown(f"**{item.label}.** {plain(item.evidence.statement)}{drives}")
        for label, line in evidence.room_cells(model, placement.id):  # beside the source's statements
            st.markdown(f"**{label}.** {plain(line)}")
        inferred = evidence.inferred_cells(model, placement.id)
        if len(inferred):
            with st.expander(f"{len(inferred)} cells rest on our inference: see the reasoning"):
                show_table(inferred)

st.header("Published context beyond the source")
st.caption("Clearly not from the source: other practitioners' published accounts, shown with their citations.")
full = catalog().full_model
for optional in [p for p in full.placements if p.optional]:
    statements = evidence.context_items(full.only([optional.id]), "placement")
    with st.container(border=True, key=f"context_{optional.id}"):
        st.markdown(f"**{plain(optional.name)}** (optional extra placement)")
        for statement, citation in statements:
            st.markdown(f"{plain(statement)} *Source: {plain(citation)}.*")
        if optional.id in model.placement_ids:
            st.success("Included in your model. Remove it on *Make it yours*.")
        elif st.button(f"Add '{plain(optional.short_name)}' to the comparison", key=f"add_{optional.id}"):
            set_active_model(editing.add_optional(model, full, optional.id))
            st.rerun()

st.markdown("**The three pillars of Product Ops scope**")
for statement, citation in evidence.context_items(full, "scope"):
    st.markdown(f"- {plain(statement)} *Source: {plain(citation)}.*")
