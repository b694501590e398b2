"""Join a workshop: weigh the factors from a laptop or phone; see the results once revealed."""

import streamlit as st

from placement import settings
from placement.present import tables
from placement.workshop.group import current_vote_note, summarise, vote_form, vote_recorded, voting_notice
from placement.workshop.store import clean_code
from ui.common import page_setup, plain
from ui.guard import reported
from ui.rooms import room_store

model = page_setup("Join a workshop")
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
own = store.own_vote(room.code, token)
notice = voting_notice(room, own)

if notice:
    kind, message = notice
    getattr(st, kind)(message)
else:
    form = vote_form(room, own)
    prefix = f"vote_{room.code}_{room.round}_"  # widgets keep their identity across reruns
    with st.form(f"vote_{room.round}"):
        st.markdown(form.instructions)
        values = {}
        for field in form.fields:
            key, hint = f"{prefix}{field.factor_id}", field.definition
            if form.method == "sliders":
                low, high = form.choices[0], form.choices[-1]
                values[field.factor_id] = st.slider(field.name, low, high, field.default, help=hint, key=key)
            else:
                index = form.choices.index(field.default)
                values[field.factor_id] = st.selectbox(field.name, form.choices, index=index, help=hint, key=key)
        comment = st.text_input(
            "One-line comment (optional)", value=form.comment, max_chars=settings.MAX_COMMENT, key=f"{prefix}comment"
        )
        # A stable key: the label changes after the first vote, the button's identity must not.
        submitted = st.form_submit_button(form.submit_label, type="primary", key=f"{prefix}submit")
    if submitted:
        with reported("Your vote was not recorded."):
            st.session_state.vote_message = vote_recorded(store.submit(room.code, token, values, comment))
            st.rerun()
    if "vote_message" in st.session_state:
        st.success(st.session_state.pop("vote_message"), icon=":material/check_circle:")
    elif note := current_vote_note(own):
        st.caption(note)

if room.revealed:
    votes = store.votes(room.code, number=room.round)
    if votes:
        summary = summarise(room, votes, model)
        st.subheader("The room's results")
        st.markdown(f"Consensus: **{plain(summary.consensus)}** ({summary.participants} votes).")
        st.dataframe(
            summary.group,
            hide_index=True,
            column_config={"group weight": st.column_config.NumberColumn(format="percent")},
        )
        ranking = tables.ranking_table(summary.model, summary.ranking)
        st.dataframe(ranking[["rank", "placement", "score"]], hide_index=True)
else:
    st.info("Results appear here after the facilitator reveals them.", icon=":material/visibility_off:")
