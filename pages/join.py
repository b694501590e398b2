"""Join a workshop: weigh the factors from a laptop or phone; the page follows the room as it moves on."""

import streamlit as st

from placement import settings
from placement.workshop.ballot import current_vote_note, moment, stage, vote_form, vote_recorded
from placement.workshop.group import summarise
from placement.workshop.store import clean_code
from ui import ballot
from ui.common import catalog, page_setup, plain
from ui.guard import reported
from ui.rooms import room_store

page_setup("Join a workshop")  # results are scored with the room's model, never this session's
store = room_store()
st.title("Join a workshop")

code = st.query_params.get("room", "")
if not code:
    with st.form("enter_code"):
        typed = st.text_input("Room code (on the shared screen)")
        if st.form_submit_button("Go", type="primary"):
            st.query_params["room"] = clean_code(typed)
            st.rerun()
    st.stop()

with reported("The room cannot be opened.", stop=True):
    room = store.room(code)

st.header(plain(room.title))
tokens = st.session_state.setdefault("room_tokens", {})
token = tokens.get(room.code) or st.query_params.get("p", "")
name = store.participant_name(room.code, token) if token else None

if name is None:
    if room.closed:
        st.info("This room is closed.")
        st.stop()
    if token:
        st.warning("This link does not belong to a participant of the room; join again below.")
    with st.form("join"):
        display = st.text_input(
            "Your name (optional; leave blank to stay anonymous)", max_chars=settings.MAX_PARTICIPANT_NAME
        )
        if st.form_submit_button("Join", type="primary"):
            with reported("You could not join.", stop=True):
                token = store.join(room.code, display)
            tokens[room.code] = token
            st.query_params["p"] = token  # the link now brings this person back, on any reload
            st.rerun()
    st.stop()

tokens[room.code] = token
st.caption(f"You are in as {plain(name)}. Keep this page's link to come back to your vote.")
if sent := ballot.sent():  # a form sent for an ended round is refused here, and the new round's form follows
    with reported("Your vote was not recorded."):
        values = vote_form(room, None).to_send(sent)
        revision = store.submit(room.code, token, values, sent.comment, round_number=sent.round)
        st.success(vote_recorded(revision), icon=":material/check_circle:")

own = store.own_vote(room.code, token)
now = stage(room, own)
getattr(st, now.kind)(now.message)
if now.can_vote:
    ballot.vote_form(vote_form(room, own), key=f"vote_{room.code}")
    if note := current_vote_note(own):
        st.caption(note)
if room.revealed and (votes := store.votes(room.code, number=room.round)):
    ballot.results(summarise(room, votes, store.round_model(room.code, room.round, catalog().model)))
ballot.follow(store, room.code, moment(room))
