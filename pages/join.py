"""Join a workshop: weigh the factors from a laptop or phone; see the results once revealed."""

import streamlit as st

from placement.analysis.scoring import rank
from placement.data.problems import InputError
from placement.present import tables
from placement.workshop.group import summarise
from placement.workshop.store import MAX_COMMENT, MAX_NAME, RoomError
from ui.common import page_setup, plain
from ui.rooms import room_store

model = page_setup("Join a workshop")
store = room_store()
st.title("Join a workshop")

code = st.query_params.get("room", "")
if not code:
    with st.form("enter_code"):
        typed = st.text_input("Room code (on the shared screen)")
        if st.form_submit_button("Go", type="primary"):
            st.query_params["room"] = "".join(typed.split()).upper()
            st.rerun()
    st.stop()

try:
    room = store.room(code)
except RoomError as error:
    st.error(str(error))
    st.stop()

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
        display = st.text_input("Your name (optional; leave blank to stay anonymous)", max_chars=MAX_NAME)
        if st.form_submit_button("Join", type="primary"):
            token = store.join(room.code, display)
            tokens[room.code] = token
            st.query_params["p"] = token  # the link now brings this person back, on any reload
            st.rerun()
    st.stop()

tokens[room.code] = token
st.caption(f"You are in as {plain(name)}. Keep this page's link to come back to your vote.")
own = store.own_vote(room.code, token)

if room.closed:
    st.info("This room is closed; thank you for taking part.")
elif room.locked:
    st.warning("Voting is locked. " + ("Your vote stands." if own else "No vote was recorded for you in this round."))
else:
    prefix = f"vote_{room.code}_{room.round}_"  # widgets keep their identity across reruns
    with st.form(f"vote_{room.round}"):
        st.markdown(
            f"**Round {room.round}.** "
            + (
                "Weigh each factor from 0 (irrelevant) to 10 (crucial)."
                if room.method == "sliders"
                else "Rank the factors: 1 = most important; equal ranks are allowed."
            )
        )
        values = {}
        for factor in room.factors:
            previous = own.values.get(factor["id"]) if own else None
            key = f"{prefix}{factor['id']}"
            if room.method == "sliders":
                default = int(previous if previous is not None else 5)
                values[factor["id"]] = st.slider(factor["name"], 0, 10, default, help=factor["definition"], key=key)
            else:
                options = list(range(1, len(room.factors) + 1))
                index = int(previous or 1) - 1
                values[factor["id"]] = st.selectbox(
                    factor["name"], options, index=index, help=factor["definition"], key=key
                )
        comment = st.text_input(
            "One-line comment (optional)",
            value=own.comment if own else "",
            max_chars=MAX_COMMENT,
            key=f"{prefix}comment",
        )
        # A stable key: the label changes after the first vote, the button's identity must not.
        label = "Update my vote" if own else "Submit my vote"
        submitted = st.form_submit_button(label, type="primary", key=f"{prefix}submit")
    if submitted:
        try:
            revision = store.submit(room.code, token, values, comment)
        except (InputError, RoomError) as error:
            st.error(str(error))
        else:
            st.session_state.vote_message = (
                f"Your vote is in (revision {revision}). You can change it until voting is locked."
            )
            st.rerun()
    if "vote_message" in st.session_state:
        st.success(st.session_state.pop("vote_message"), icon=":material/check_circle:")
    elif own:
        st.caption(f"Your current vote is revision {own.revision}; the room sees it only after the reveal.")

if room.revealed:
    votes = store.votes(room.code, number=room.round)
    if votes:
        summary = summarise(room, votes, model)
        st.subheader("The room's results")
        st.markdown(f"Consensus: **{plain(summary.consensus)}** ({len(votes)} votes).")
        st.dataframe(
            summary.group,
            hide_index=True,
            column_config={"group weight": st.column_config.NumberColumn(format="percent")},
        )
        scoring_model = model.only(factor_ids=room.factor_ids)
        st.dataframe(
            tables.ranking_table(scoring_model, rank(scoring_model, summary.weights))[["rank", "placement", "score"]],
            hide_index=True,
        )
else:
    st.info("Results appear here after the facilitator reveals them.", icon=":material/visibility_off:")
