"""A participant's vote form, the watch that redraws their page when the room moves on, and the results."""

from __future__ import annotations

import streamlit as st

from placement import settings
from placement.analysis.ahp import judgement_words
from placement.present import tables
from placement.workshop.ballot import Ballot, Moment, VoteForm, moment
from placement.workshop.domain import RoomError
from placement.workshop.group import RoomSummary
from placement.workshop.store import RoomStore
from ui.common import literal, plain

REFRESH = "3s"  # how soon a participant's page follows the facilitator
SENT = "ballot_sent"
# Eleven levels side by side on a 390 px phone: segments share the row instead of keeping their minimum width.
LEVELS_CSS = """<style>
.st-key-ballot [data-testid="stButtonGroup"] button { min-width: 0; min-height: 2.5rem; padding: 0; flex: 1 1 0; }
</style>"""


def vote_form(form: VoteForm, key: str) -> None:
    """Draw the form; what it sends is picked up with `sent()`, even once its round has ended.

    Levels are tapped (a segmented control): a swipe that starts on one scrolls the page and never moves it.
    """
    st.html(LEVELS_CSS)
    prefix = f"{key}_{form.round}_"  # widgets keep their identity across reruns within a round
    with st.container(key="ballot"), st.form(f"vote_{form.round}", border=False):
        st.markdown(form.instructions)
        # The definitions, one Tab stop before the first factor: a help icon per factor would sit between
        # its label and its levels in the tab order (and a line each would make the form a screen longer).
        with st.expander("What each factor means"):
            st.markdown("\n".join(f"- **{plain(f.name)}**: {plain(f.definition)}" for f in form.fields))
        for field in form.fields:
            options = dict(options=form.choices, key=f"{prefix}{field.factor_id}")
            if form.method == "sliders":
                st.segmented_control(plain(field.name), default=field.default, width="stretch", wrap=False, **options)
            elif form.method == "pairwise":
                index = None if field.default is None else form.choices.index(field.default)
                first, second = field.pair  # options are shown as text, not Markdown
                words = lambda value, a=first, b=second: judgement_words(a, b, value)  # noqa: E731
                st.selectbox(plain(field.name), index=index, placeholder="Choose", format_func=words, **options)
            else:
                index = None if field.default is None else form.choices.index(field.default)
                st.selectbox(plain(field.name), index=index, placeholder="Choose a rank", **options)
        st.text_input(
            "One-line comment (optional)", value=form.comment, max_chars=settings.MAX_COMMENT, key=f"{prefix}comment"
        )
        # A stable key: the label changes after the first vote, the button's identity must not.
        st.form_submit_button(
            form.submit_label, type="primary", key=f"{prefix}submit", on_click=_keep, args=(form, prefix)
        )


def _keep(form: VoteForm, prefix: str) -> None:
    """Runs before the page: the form's values, kept even if the page then draws another round's form."""
    values = {f.factor_id: st.session_state.get(f"{prefix}{f.factor_id}") for f in form.fields}
    st.session_state[SENT] = Ballot(form.round, values, st.session_state.get(f"{prefix}comment", ""))


def sent() -> Ballot | None:
    """The form submitted in this run, if any (once)."""
    return st.session_state.pop(SENT, None)


@st.fragment(run_every=REFRESH)
def follow(store: RoomStore, code: str, drawn: Moment) -> None:
    """Every few seconds: when the round, reveal, lock or closing changed, draw the whole page again.

    Nothing else is redrawn meanwhile, so what the participant is choosing stays as it is.
    """
    try:
        now = moment(store.room(code))
    except RoomError:
        return
    if now != drawn:
        st.rerun()


def results(summary: RoomSummary) -> None:
    """A revealed round on a phone: consensus, the group's weights and the ranking they give."""
    st.subheader("The room's results")
    st.markdown(f"Consensus: **{plain(summary.consensus)}** ({summary.participants} votes).")
    # Plain tables: a phone shows every cell as text (readable, and read out by screen readers).
    ranking = tables.ranking_table(summary.model, summary.ranking)[["rank", "placement", "score"]]
    with st.container(key="room_ranking"):
        st.table(literal(ranking.set_index("rank")).style.format({"score": "{:.1f}"}))
    with st.container(key="room_weights"):
        st.table(literal(summary.group.set_index("factor")).style.format({"group weight": "{:.1%}"}))
