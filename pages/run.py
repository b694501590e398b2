"""Run a workshop: create a room, show the join code, watch votes arrive, reveal and discuss."""

import streamlit as st

from placement.analysis.weights import normalise
from placement.present.urlstate import View, sliders_from_weights
from placement.settings import DEFAULT_TITLE, MAX_ROOM_TITLE, WEIGHT_METHODS
from placement.workshop.group import GroupWeights, board_metrics, facilitator_controls, room_factors, summarise
from placement.workshop.store import RoomError
from ui import handoff, registry
from ui.common import page_setup, plain
from ui.guard import problems_of, reported, show_problems
from ui.handoff import request_view
from ui.rooms import room_store, show_join_code, show_round

REFRESH = "3s"

model = page_setup("Run a workshop")
store = room_store()
st.title("Run a workshop")

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
                st.session_state.facilitated = store.create_room(title, room_factors(model, chosen), method)
                st.session_state.new_key = st.session_state.facilitated[1]
                st.rerun()
    with right, st.form("reopen_room"):
        st.subheader("Open a room you run")
        code = st.text_input("Room code")
        key = st.text_input("Facilitator key", type="password")
        if st.form_submit_button("Open"):
            with reported("The room was not opened."):
                st.session_state.facilitated = (store.facilitated_code(code, key), key)
                st.rerun()
    st.stop()

code, key = st.session_state.facilitated
with reported("The room cannot be shown.", stop=True):
    room = store.room(code)
if "new_key" in st.session_state:
    st.container(key="facilitator_key").warning(
        f"Facilitator key: **{plain(st.session_state.pop('new_key'))}**. It is shown once: note it to control this room "
        "from another device. Participants never need it.",
        icon=":material/key:",
    )

show_join_code(room)


def act(action: str) -> None:
    try:
        getattr(store, action)(room.code, key)
    except RoomError as error:
        st.session_state.room_problems = problems_of(error)  # shown below, in the page, on this rerun


columns = st.container(key="facilitator_controls").columns(5)  # hidden in presentation mode
for column, control in zip(columns, facilitator_controls(room), strict=False):
    kind = "primary" if control.primary else "secondary"
    column.button(control.label, on_click=act, args=(control.action,), disabled=not control.enabled, type=kind)
if columns[4].button("Leave (forget this room here)"):
    del st.session_state.facilitated
    st.rerun()
if "room_problems" in st.session_state:
    show_problems("That did not work.", st.session_state.pop("room_problems"))


@st.fragment(run_every=REFRESH)
def board() -> None:
    """Counts refresh by themselves; results appear once revealed."""
    current = store.room(room.code)
    joined, submitted = store.counts(room.code)
    for column, (label, value) in zip(st.columns(4), board_metrics(current, joined, submitted), strict=True):
        column.metric(label, value)
    if not current.revealed:
        st.info("Votes stay hidden, even from you, until you reveal them.", icon=":material/visibility_off:")
        return
    show_results(current, current.round)


def show_results(current, number: int) -> None:
    votes = store.votes(current.code, key, number)
    if not votes:
        st.info("No votes in this round.")
        return
    summary = summarise(current, votes, model)
    show_round(summary)
    if st.button("Use the group's weights in Explore and sensitivity", key=f"use_group_{number}"):
        sliders = sliders_from_weights(summary.weights, model.factor_ids)  # Explore shows these slider positions
        request_view(View("sliders", sliders, {}))
        weights = normalise(sliders, model.factor_ids)
        handoff.set_group_weights(GroupWeights(current.code, number, summary.participants, weights))
        st.switch_page(registry.page("explore").file)


board()

earlier = [n for n in store.round_numbers(room.code) if n < room.round]
if earlier:
    with st.expander("Earlier rounds"):
        show_results(room, st.selectbox("Round", earlier, index=len(earlier) - 1))
