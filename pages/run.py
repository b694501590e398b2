"""Run a workshop: create a room, show the join code, watch votes arrive, reveal and discuss."""

import streamlit as st

from placement.present.urlstate import View, sliders_from_weights
from placement.settings import LIVE_REFRESH_SECONDS
from placement.workshop.board import compact_join
from placement.workshop.domain import RoomUnavailable
from placement.workshop.group import GroupWeights, board_metrics, hidden_inconsistent_votes, round_summary
from placement.workshop.live import board_view
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
    own_model_round,
    participants_panel,
    pulses,
    room_store,
    round_note,
    show_counts,
    show_join_code,
    show_round,
)

JUST_READ = "board_just_read"  # the room's pulse as this run read it, for the live counts' first show

model = page_setup("Run a workshop")
store = room_store()
st.container(key="backstage_title").title("Run a workshop")

if "facilitated" not in st.session_state:
    create_or_open_room(store, model)
    st.stop()

code, key = st.session_state.facilitated
with reported("The room cannot be shown.", stop=True):
    pulse, down = board_as_seen(store, code)  # down: the database did not answer
room = pulse.room
link, warning = join_link(room.code)


@st.fragment(run_every=LIVE_REFRESH_SECONDS)
def live_counts(drawn: tuple | None) -> None:
    """The counts refresh by themselves, from the room's pulse every session of the server shares; a change the
    controls, results or proposals depend on redraws the board (as does the database answering again after a
    board drawn without it, `drawn` None). In the page's own run they show what the page has just read."""
    try:
        current = st.session_state.pop(JUST_READ, None) or pulses(store).get(room.code)
    except RoomUnavailable:
        return  # the board already says so; the next refresh tries again
    if board_view(current) != drawn:
        st.rerun(scope="app")
    shown = current.room
    try:  # pairwise rooms, before the reveal: how many votes contradict themselves, naming nobody
        inconsistent = None if shown.revealed else hidden_inconsistent_votes(store, shown, key)
    except RoomUnavailable:
        inconsistent = None
    show_counts(
        board_metrics(shown, current.joined, current.submitted, inconsistent), compact=compact_join(shown.revealed)
    )


def show_results(current, number: int) -> None:
    baseline = catalog().model
    summary = round_summary(store, current, number, baseline)  # summarised once per revision of the round
    if summary is None:
        st.info("No votes in this round.")
        return
    note = round_note(store, current.code, number, baseline, summary)
    show_round(summary, note, number)
    if st.container(key=f"backstage_use_{number}").button(
        "Use the group's weights in Explore and sensitivity",
        key=f"use_group_{number}",
        help="Carries the round's weights and the model the board scores it with to every page and the record.",
    ):
        group = GroupWeights.of_round(current, number, summary, note)  # the weights and the round's model
        handoff.set_group_weights(group)  # exact weights; the sliders show the nearest positions
        request_view(View("sliders", sliders_from_weights(group.weights, summary.model.factor_ids), {}))
        st.switch_page(registry.page("explore").file)


if down is not None:
    show_unavailable("The board shows the room as it was.", down)
control_bar(store, room, key, pulse.submitted)
show_join_code(room, link, warning, compact=compact_join(room.revealed))
if down is None:
    st.session_state[JUST_READ] = pulse
live_counts(None if down else board_view(pulse))
if down is not None:
    st.stop()
with reported("The results cannot be shown."):
    if room.revealed:
        show_results(room, room.round)
    else:
        st.info("Votes stay hidden, even from you, until you reveal them.", icon=":material/visibility_off:")

with reported("The proposals cannot be shown."):
    gap_board(store, room, key)  # "name what is missing": ui/gaps.py

with reported("This device's model cannot be compared with the round's."):
    own_model_round(store, room, key, handoff.own_model(catalog().model), catalog().model)

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
