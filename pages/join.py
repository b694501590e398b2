"""Join a workshop: weigh the factors from a laptop or phone; the page follows the room as it moves on."""

import streamlit as st

from placement import settings
from placement.data.problems import InputError
from placement.data.text import plain
from placement.workshop.ballot import current_vote_note, own_consistency, stage, vote_form, vote_recorded
from placement.workshop.domain import RoomError, RoomUnavailable, Vote, clean_code
from placement.workshop.group import round_summary
from ui import ballot, device, gaps
from ui.common import catalog, focus_after, focus_next_run, move_focus, page_setup
from ui.guard import problems_of, reported, show_unavailable
from ui.rooms import room_store

page_setup("Join a workshop")  # results are scored with the room's model, never this session's
store = room_store()
st.title("Join a workshop", anchor=False)  # no heading links: fewer Tab stops before the form

code = st.query_params.get("room", "")
if not code:
    with st.form("enter_code"):
        typed = st.text_input("Room code (on the shared screen)")
        if st.form_submit_button("Go", type="primary"):
            st.query_params["room"] = clean_code(typed)
            focus_next_run("go")
            st.rerun()
    st.stop()

browser = device.device_id()  # one participant per browser: a link opened elsewhere is not an identity
down = None  # the database did not answer: the page is drawn as last seen, the typed vote kept
with reported("The room cannot be opened.", stop=True):
    try:
        room = store.room(code)
        token = store.device_token(room.code, browser) or st.query_params.get("p", "")
        name = store.participant_name(room.code, token, browser) if token else None
        own = store.own_vote(room.code, token) if name is not None else None
        st.session_state["join_seen"] = (room, token, name, own)
    except RoomUnavailable as error:
        seen = st.session_state.get("join_seen")
        if seen is None or seen[0].code != clean_code(code):
            raise
        room, token, name, own = seen
        down = error

st.header(plain(room.title), anchor=False)

if name is None:
    if room.closed:
        st.info("This room is closed.")
        st.stop()
    if token:
        st.warning("This link belongs to another participant or browser, so it does not sign you in: join as yourself.")
    with st.form("join"):
        optional = "" if room.require_names else " (optional; leave blank to stay anonymous)"
        display = st.text_input(f"Your name{optional}", max_chars=settings.MAX_PARTICIPANT_NAME, key="join_name")
        passcode = st.text_input("Room passcode", type="password") if room.has_passcode else ""
        if st.form_submit_button("Join", type="primary"):
            with reported("You could not join.", stop=True):
                token = store.join(room.code, display, browser, passcode, device.address())
            st.query_params["p"] = token  # the link now brings this person back, on any reload
            focus_next_run("join")
            st.rerun()
    focus_after("go", ".st-key-join_name input")
    st.stop()

if st.query_params.get("p") != token:
    st.query_params["p"] = token  # this browser's own link (it signs in nobody elsewhere)
st.caption(f"You are in as {plain(name)}; this browser keeps your place.")
refusal = None  # why the vote just sent was refused: shown by the Submit button, where the participant is
if sent := ballot.sent():  # a form sent for an ended round is refused here, and the new round's form follows
    try:
        values = vote_form(room, None).to_send(sent)
        revision = store.submit(room.code, token, values, sent.comment, sent.round, browser, device.address())
        with st.container(key="vote_status"):  # a status (read out when focused): the next Tab is the form
            st.success(vote_recorded(revision), icon=":material/check_circle:")
        move_focus(".st-key-vote_status [role=status]")
        own = Vote(name, values, (sent.comment or "").strip(), revision)  # as stored: no read that could fail now
        st.session_state["join_seen"] = (room, token, name, own)
    except (InputError, RoomError) as error:  # a database that does not answer included: submitting again retries
        refusal = problems_of(error)
if down is not None and (refusal or not sent):
    show_unavailable("The page shows the room as it was.", down)
if proposal := gaps.sent():  # refused by the store, with its reason, if the facilitator stopped taking them
    with reported("Your proposal was not recorded."):
        store.propose(room.code, token, proposal.proposal, proposal.round, browser, device.address())
        st.success("Your proposal is in: the facilitator accepts, edits or rejects it.", icon=":material/check_circle:")

now = stage(room, own)
getattr(st, now.kind)(now.message)
if checked := own_consistency(room, own, now.can_vote):  # pairwise rooms: the participant's own CR
    with st.container(key="own_consistency"):
        getattr(st, checked.kind)(checked.message)
        st.caption(checked.method)
if now.can_vote:
    ballot.vote_form(vote_form(room, own), key=f"vote_{room.code}", refusal=refusal)
    focus_after("join", ".st-key-ballot :is([role=radio], [data-testid=stSelectbox] input)")  # the first factor
    if note := current_vote_note(own):
        st.caption(note)
elif refusal:  # voting was locked or the room closed meanwhile
    ballot.refused(refusal)
if not down and not room.closed and room.gaps_open:  # "name what is missing" (ui/gaps.py)
    with reported("Proposals cannot be shown."):
        room_model = store.round_model(room.code, room.round, catalog().model)
        gaps.proposal_form(room, room_model)
        gaps.own_proposals(store, room.code, token, room_model)
try:  # read before the results: a change while they are drawn redraws them at the next refresh
    drawn = None if down else ballot.page_moment(store, room.code)
except RoomUnavailable:
    drawn = None  # redraw once the database answers
if room.revealed and not down:
    with reported("The room's results cannot be shown."):
        if summary := round_summary(store, room, room.round, catalog().model):  # shared with the board
            ballot.results(summary)
ballot.follow(store, room.code, drawn)
