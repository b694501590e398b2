"""A participant's vote form, the watch that redraws their page when the room moves on, and the results."""

from __future__ import annotations

import streamlit as st

from placement import settings
from placement.analysis.ahp import judgement_words
from placement.data.text import plain
from placement.present import tables
from placement.workshop.ballot import Ballot, Moment, VoteForm, level_label
from placement.workshop.domain import RoomError
from placement.workshop.group import RoomSummary
from placement.workshop.live import phone_view
from placement.workshop.store import RoomStore
from ui.common import literal, move_focus
from ui.guard import show_problems
from ui.rooms import pulses

SENT = "ballot_sent"
JUST_DRAWN = "ballot_just_drawn"  # the page ran in full: its watch has nothing to compare yet
REFUSED = "vote_refused"
# A phone votes on one screen or little more: six levels share the row, every target is at least 44 px
# (WCAG 2.5.5), the factors sit closer together, and on a narrow screen the page's headings and top margin shrink.
PHONE_CSS = """<style>
.st-key-ballot [data-testid="stButtonGroup"] button { min-width: 0; min-height: 44px; padding: 0; flex: 1 1 0; }
.st-key-ballot :is(summary, input, [data-baseweb="select"] > div) { min-height: 44px; }
.st-key-ballot [data-baseweb="select"] button { min-width: 44px; min-height: 44px; }
.st-key-ballot [data-testid="stVerticalBlock"] { gap: 0.6rem; }
.st-key-ballot [data-testid="stWidgetLabel"] { margin-bottom: 0; }
@media (max-width: 640px) {
  [data-testid="stMainBlockContainer"] { padding-top: 3.5rem; }
  [data-testid="stMain"] h1 { font-size: 1.75rem; padding-bottom: 0; }
  [data-testid="stMain"] h2 { font-size: 1.35rem; padding: 0.25rem 0 0 0; }
}
</style>"""


def vote_form(form: VoteForm, key: str, refusal: list | None = None) -> None:
    """Draw the form; what it sends is picked up with `sent()`, even once its round has ended. A `refusal` of the
    vote just sent is shown by the Submit button, where the participant is (see `refused`).

    Levels are tapped (a segmented control): a swipe that starts on one scrolls the page and never moves it.
    """
    st.html(PHONE_CSS)
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
                st.segmented_control(
                    plain(field.name),
                    default=field.default,
                    format_func=level_label,
                    width="stretch",
                    wrap=False,
                    **options,
                )
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
        if refusal:
            refused(refusal)
        # A stable key: the label changes after the first vote, the button's identity must not.
        st.form_submit_button(
            form.submit_label, type="primary", key=f"{prefix}submit", on_click=_keep, args=(form, prefix)
        )


def refused(problems: list) -> None:
    """Why the vote was not recorded, with the keyboard focus on it: the focus brings it into view (a rerun
    leaves the page where it was) and a screen reader reads it out."""
    with st.container(key=REFUSED):
        show_problems("Your vote was not recorded.", problems)
    move_focus(f".st-key-{REFUSED}")


def _keep(form: VoteForm, prefix: str) -> None:
    """Runs before the page: the form's values, kept even if the page then draws another round's form."""
    values = {f.factor_id: st.session_state.get(f"{prefix}{f.factor_id}") for f in form.fields}
    st.session_state[SENT] = Ballot(form.round, values, st.session_state.get(f"{prefix}comment", ""))


def sent() -> Ballot | None:
    """The form submitted in this run, if any (once)."""
    return st.session_state.pop(SENT, None)


def follow(store: RoomStore, code: str, drawn: Moment | None) -> None:
    """Every second: when the round, reveal, lock, closing or the revealed results changed, draw the whole page
    again (`drawn` None: the page was drawn without the database, and is drawn again once it answers).

    The question is answered from the room's pulse, shared by every session of the server, and nothing is drawn
    meanwhile, so an idle refresh costs a look-up and what the participant is choosing stays as it is.
    """
    st.session_state[JUST_DRAWN] = True
    _follow(store, code, drawn)


@st.fragment(run_every=settings.LIVE_REFRESH_SECONDS)
def _follow(store: RoomStore, code: str, drawn: Moment | None) -> None:
    if st.session_state.pop(JUST_DRAWN, False):
        return  # the page's own run: it has just read the room
    try:
        now = phone_view(pulses(store).get(code))
    except RoomError:
        return
    if now != drawn:
        st.rerun()


def page_moment(store: RoomStore, code: str) -> Moment:
    """What the participant's page shows of the room, read now and shared with the server's other sessions: the
    same view (`phone_view` of the room's pulse) that the watch compares at every tick."""
    return phone_view(pulses(store).fresh(code))


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
