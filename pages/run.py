"""Run a workshop: create a room, show the join code, watch votes arrive, reveal and discuss."""

import streamlit as st

from placement.present.urlstate import View, sliders_from_weights
from placement.settings import DEFAULT_TITLE, MAX_ROOM_TITLE, WEIGHT_METHODS
from placement.workshop.board import board_state, compact_join
from placement.workshop.group import GroupWeights, board_metrics, room_factors, summarise
from ui import handoff, registry
from ui.common import catalog, page_setup
from ui.guard import reported
from ui.handoff import request_view
from ui.rooms import control_bar, join_link, room_store, show_counts, show_join_code, show_round

REFRESH = "3s"

model = page_setup("Run a workshop")
store = room_store()
st.container(key="backstage_title").title("Run a workshop")

if "facilitated" not in st.session_state:
    left, right = st.columns(2, gap="large")
    with left, st.form("create_room"):
        st.subheader("Create a room")
        title = st.text_input("Title", max_chars=MAX_ROOM_TITLE, placeholder=DEFAULT_TITLE)
        names = {f.id: f.name for f in model.factors}
        chosen = st.multiselect("Factors the room weighs", list(names), default=list(names), format_func=names.get)
        method = st.radio(
            "How participants weigh", list(WEIGHT_METHODS), format_func=WEIGHT_METHODS.get, horizontal=True
        )
        if st.form_submit_button("Create the room", type="primary"):
            with reported("The room was not created."):
                st.session_state.facilitated = store.create_room(title, room_factors(model, chosen), method, model)
                st.session_state["key_saved"] = False  # the key stays one click away until saved
                st.rerun()
    with right, st.form("reopen_room"):
        st.subheader("Open a room you run")
        code = st.text_input("Room code")
        key = st.text_input("Facilitator key", type="password")
        if st.form_submit_button("Open"):
            with reported("The room was not opened."):
                st.session_state.facilitated = (store.facilitated_code(code, key), key)
                st.session_state["key_saved"] = True  # typed in: the facilitator has it
                st.rerun()
    st.stop()

code, key = st.session_state.facilitated
with reported("The room cannot be shown.", stop=True):
    room = store.room(code)
link, warning = join_link(room.code)


@st.fragment(run_every=REFRESH)
def live_counts(drawn: tuple) -> None:
    """The counts refresh by themselves; a change the controls or results depend on redraws the board."""
    current = store.room(room.code)
    joined, submitted = store.counts(room.code)
    if board_state(current, submitted) != drawn:
        st.rerun(scope="app")
    show_counts(board_metrics(current, joined, submitted), compact=compact_join(current.revealed))


def show_results(current, number: int) -> None:
    votes = store.votes(current.code, key, number)
    if not votes:
        st.info("No votes in this round.")
        return
    baseline = catalog().model
    summary = summarise(current, votes, store.round_model(current.code, number, baseline))
    note = store.model_note(current.code, number, baseline)
    show_round(summary, note)
    if st.container(key=f"backstage_use_{number}").button(
        "Use the group's weights in Explore and sensitivity", key=f"use_group_{number}"
    ):
        group = GroupWeights.of_round(current.code, number, summary, model.factor_ids, note)
        handoff.set_group_weights(group)  # exact weights; the sliders show the nearest positions
        request_view(View("sliders", sliders_from_weights(group.weights, model.factor_ids), {}))
        st.switch_page(registry.page("explore").file)


joined, submitted = store.counts(room.code)
control_bar(store, room, key, submitted, model)
show_join_code(room, link, warning, compact=compact_join(room.revealed))
live_counts(board_state(room, submitted))
if room.revealed:
    show_results(room, room.round)
else:
    st.info("Votes stay hidden, even from you, until you reveal them.", icon=":material/visibility_off:")

with st.container(key="backstage_rounds"):
    earlier = [n for n in store.round_numbers(room.code) if n < room.round]
    if earlier:
        with st.expander("Earlier rounds"):
            show_results(room, st.selectbox("Round", earlier, index=len(earlier) - 1))
    if st.button("Leave (forget this room here)"):
        del st.session_state.facilitated
        st.rerun()
