"""Run a workshop: create a room, show the join code, watch votes arrive, reveal and discuss."""

import streamlit as st

from placement.present.urlstate import View, sliders_from_weights
from placement.workshop.board import board_state, compact_join
from placement.workshop.domain import RoomUnavailable
from placement.workshop.group import GroupWeights, board_metrics, round_summary
from ui import handoff, registry
from ui.common import catalog, page_setup
from ui.gaps import gap_board
from ui.guard import reported, show_unavailable
from ui.handoff import request_view
from ui.rooms import (
    board_as_seen,
    control_bar,
    create_or_open_room,
    join_link,
    participants_panel,
    room_store,
    round_note,
    show_counts,
    show_join_code,
    show_round,
)

REFRESH = "3s"
JUST_READ = "board_just_read"  # the room and its counts as this run read them, for the live counts' first show

model = page_setup("Run a workshop")
store = room_store()
st.container(key="backstage_title").title("Run a workshop")

if "facilitated" not in st.session_state:
    create_or_open_room(store, model)
    st.stop()

code, key = st.session_state.facilitated
with reported("The room cannot be shown.", stop=True):
    room, joined, submitted, down = board_as_seen(store, code)  # down: the database did not answer
link, warning = join_link(room.code)


@st.fragment(run_every=REFRESH)
def live_counts(drawn: tuple | None) -> None:
    """The counts refresh by themselves; a change the controls or results depend on redraws the board
    (as does the database answering again after a board drawn without it, `drawn` None). In the page's
    own run they show what the page has just read; every 3 seconds they read the room again."""
    try:
        current, joined, submitted = st.session_state.pop(JUST_READ, None) or (
            store.room(room.code),
            *store.counts(room.code),
        )
    except RoomUnavailable:
        return  # the board already says so; the next refresh tries again
    if board_state(current, submitted) != drawn:
        st.rerun(scope="app")
    show_counts(board_metrics(current, joined, submitted), compact=compact_join(current.revealed))


def show_results(current, number: int) -> None:
    baseline = catalog().model
    summary = round_summary(store, current, number, baseline)  # summarised once per revision of the round
    if summary is None:
        st.info("No votes in this round.")
        return
    note = round_note(store, current.code, number, baseline, summary)
    show_round(summary, note)
    if st.container(key=f"backstage_use_{number}").button(
        "Use the group's weights in Explore and sensitivity", key=f"use_group_{number}"
    ):
        group = GroupWeights.of_round(current.code, number, summary, model.factor_ids, note)
        handoff.set_group_weights(group)  # exact weights; the sliders show the nearest positions
        request_view(View("sliders", sliders_from_weights(group.weights, model.factor_ids), {}))
        st.switch_page(registry.page("explore").file)


if down is not None:
    show_unavailable("The board shows the room as it was.", down)
control_bar(store, room, key, submitted, model)
show_join_code(room, link, warning, compact=compact_join(room.revealed))
if down is None:
    st.session_state[JUST_READ] = (room, joined, submitted)
live_counts(None if down else board_state(room, submitted))
if down is not None:
    st.stop()
with reported("The results cannot be shown."):
    if room.revealed:
        show_results(room, room.round)
    else:
        st.info("Votes stay hidden, even from you, until you reveal them.", icon=":material/visibility_off:")

with reported("The proposals cannot be shown."):
    gap_board(store, room, key)  # "name what is missing": ui/gaps.py

with st.container(key="backstage_rounds"), reported("The rounds and participants cannot be shown."):
    if room.round > 1 and (rounds := st.expander("Earlier rounds", key="earlier_rounds", on_change="rerun")).open:
        with rounds:  # read and drawn only while open
            earlier = [n for n in store.round_numbers(room.code, revealed_only=True) if n < room.round]
            secret = room.round - 1 - len(earlier)
            st.caption(f"{secret} earlier round(s) never revealed: their votes stay secret." if secret else "")
            if earlier:
                show_results(room, st.selectbox("Round", earlier, index=len(earlier) - 1))
    participants_panel(store, room, key)
    if st.button("Leave (forget this room here)"):
        del st.session_state.facilitated
        st.rerun()
