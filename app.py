"""Explore: weight the factors and see how each Product Ops placement scores, and why."""

import streamlit as st

from placement.analysis.explain import explain
from placement.analysis.scoring import rank
from placement.data.text import plain
from placement.present import charts, tables
from placement.settings import DEFAULT_TITLE
from ui.common import chart_look, evidence_matrix_chart, numbers_table, page_setup, show_chart
from ui.profile import answers_panel, questionnaire_form
from ui.weights import apply_view, preset_in_effect, sidebar_weights, view_from_url

model = page_setup("Explore")
view_from_url(model)  # before the questionnaire, which shows the answers a link carries

st.title(DEFAULT_TITLE)
st.caption(
    f"Scores rest on the benefits and risks documented by {plain(model.sources['source'])}, plus inferences stated "
    "cell by cell."
)

questionnaire_form(model, apply_view)


# A weight change reruns only this fragment: the weight controls (written into the sidebar, under the navigation)
# and everything they rank. The navigation, the title and the questionnaire are neither rebuilt nor sent again, so
# a key press reaches the chart with a third fewer messages (issue 16).
@st.fragment
def weighed(model) -> None:
    weights = sidebar_weights(model)
    answers_panel(model, preset_in_effect(model))  # here, as a preset chosen in the sidebar changes what it says
    results = rank(model, weights)
    ranking_and_reasons(model, results)
    gaps = [p.name for p in model.placements_without("risk")]
    if gaps:
        st.info(
            f"Evidence gap: the source documents no risk for {plain(', '.join(gaps))}. Its score has no documented risk side, which flatters it.",
            icon=":material/search:",
        )
    behind_the_scores(model, results, weights)


def ranking_and_reasons(model, results) -> None:
    explanation = explain(model, results)
    ranking = tables.ranking_columns(model, results)  # plain columns: the tables are built only when opened
    left, right = st.columns([3, 2], gap="large")
    with left:
        st.header("Ranking")
        show_chart(charts.ranking_chart(model, ranking, chart_look()))
        numbers_table(lambda: tables.ranking_table(model, results), "ranking")
    with right:
        st.header("Why it leads")
        reasons = [f"- {plain(s)}" for s in explanation.sentences(model)]
        if explanation.documented:  # one block of text: one element to send on every rerun, not one per line
            reasons += ["", "**Documented evidence behind it**", ""]
            reasons += [
                f"- **{plain(', '.join(factors))}**: {plain(statement)}"  # bold, not italic: no italic font to load
                for statement, factors in explanation.evidence_statements()
            ]
        st.container(border=True, key="why_it_leads").markdown("\n".join(reasons))


def behind_the_scores(model, results, weights) -> None:
    """Two views behind the scores, one drawn at a time: only the open tab's chart is built and sent, so a first
    visit draws one chart fewer (issue 16)."""
    st.header("Behind the scores")
    benefits_tab, matrix_tab = st.tabs(
        ["Benefits and risks", "The evidence matrix"], key="explore_detail", on_change="rerun"
    )
    if benefits_tab.open:
        with benefits_tab:
            st.caption(
                "Each bar segment is one factor's weight times its score, in points above or below the neutral 50."
            )
            contributions = tables.contributions_columns(model, results, weights)
            show_chart(charts.contributions_chart(model, contributions, chart_look()))
            numbers_table(lambda: tables.contributions_numbers(model, results, weights), "contributions")
    if matrix_tab.open:
        with matrix_tab:
            st.caption(
                "Every cell: score from -2 (strong risk) to +2 (strong benefit) and where it comes from. Documented cells cite the source; inferred cells explain their reasoning (hover); 'no evidence' cells are gaps scored 0; 'raised by the room' cells were proposed and accepted in a workshop."
            )
            show_chart(evidence_matrix_chart(model, chart_look()))
            numbers_table(
                lambda: tables.matrix_table(model).reset_index(),
                "matrix",
                f"Show the matrix as a table ({tables.MATRIX_LEGEND})",
            )


weighed(model)
