"""Run a workshop: create a room, show the join code, watch votes arrive, reveal and discuss."""

import streamlit as st

from placement.analysis.explain import explain
from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.data.problems import InputError
from placement.present import charts, tables
from placement.present.urlstate import View, sliders_from_weights
from placement.workshop.group import summarise
from placement.workshop.store import RoomError
from ui.common import page_setup, plain, show_chart
from ui.guard import show_problems
from ui.rooms import join_link, qr_png, room_store
from ui.weights import request_view

REFRESH = "3s"

model = page_setup("Run a workshop")
store = room_store()
st.title("Run a workshop")

if "facilitated" not in st.session_state:
    left, right = st.columns(2, gap="large")
    with left, st.form("create_room"):
        st.subheader("Create a room")
        title = st.text_input("Title", max_chars=80, placeholder="Where should Product Ops report?")
        chosen = st.multiselect(
            "Factors the room weighs",
            model.factor_ids,
            default=model.factor_ids,
            format_func=lambda f: model.factor(f).name,
        )
        method = st.radio(
            "How participants weigh",
            ["sliders", "rank"],
            format_func={"sliders": "Sliders (0-10)", "rank": "Rank the factors"}.get,
            horizontal=True,
        )
        if st.form_submit_button("Create the room", type="primary"):
            factors = [
                {"id": f, "name": model.factor(f).name, "definition": model.factor(f).definition} for f in chosen
            ]
            try:
                code, key = store.create_room(title, factors, method)
            except InputError as error:
                show_problems("The room was not created.", error.problems)
            else:
                st.session_state.facilitated = (code, key)
                st.session_state.new_key = key
                st.rerun()
    with right, st.form("reopen_room"):
        st.subheader("Open a room you run")
        code = st.text_input("Room code")
        key = st.text_input("Facilitator key", type="password")
        if st.form_submit_button("Open"):
            if store.check_key(code, key):
                st.session_state.facilitated = ("".join(code.split()).upper(), key)
                st.rerun()
            st.error("That code and key do not match a room. Check both; the key was shown when the room was created.")
    st.stop()

code, key = st.session_state.facilitated
try:
    room = store.room(code)
except RoomError as error:
    st.error(str(error))
    st.stop()
if "new_key" in st.session_state:
    st.container(key="facilitator_key").warning(
        f"Facilitator key: **{plain(st.session_state.pop('new_key'))}**. It is shown once: note it to control this room "
        "from another device. Participants never need it.",
        icon=":material/key:",
    )

link = join_link(room.code)
head, qr = st.columns([3, 1])
with head:
    st.header(plain(room.title))
    st.markdown(f"Join at **{link.split('?')[0]}** with the code")  # built by join_url: host and a fixed path
    st.markdown(
        f"<div style='font-size:4rem;font-weight:700;letter-spacing:0.2em'>{room.code}</div>", unsafe_allow_html=True
    )
    st.caption(link)
qr.image(qr_png(link), caption="Scan to join", width="stretch")


def act(action, *args) -> None:
    try:
        action(room.code, key, *args)
    except RoomError as error:
        st.session_state.room_error = str(error)


controls = st.container(key="facilitator_controls").columns(5)  # hidden in presentation mode
controls[0].button(
    "Reveal votes", on_click=act, args=(store.reveal,), disabled=room.revealed or room.closed, type="primary"
)
if room.locked:
    controls[1].button("Unlock voting", on_click=act, args=(store.unlock,), disabled=room.closed)
else:
    controls[1].button("Lock voting", on_click=act, args=(store.lock,), disabled=room.closed)
controls[2].button("Start a new round", on_click=act, args=(store.new_round,), disabled=room.closed)
controls[3].button("Close the room", on_click=act, args=(store.close,), disabled=room.closed)
if controls[4].button("Leave (forget this room here)"):
    del st.session_state.facilitated
    st.rerun()
if "room_error" in st.session_state:
    st.error(st.session_state.pop("room_error"))


@st.fragment(run_every=REFRESH)
def board() -> None:
    """Counts refresh by themselves; results appear once revealed."""
    current = store.room(room.code)
    joined, submitted = store.counts(room.code)
    status = "closed" if current.closed else "locked" if current.locked else "open"
    a, b, c, d = st.columns(4)
    a.metric("Joined", joined)
    b.metric("Votes in", submitted)
    c.metric("Round", current.round)
    d.metric("Voting", status)
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
    st.subheader(f"Consensus: {summary.consensus}")
    st.caption(
        f"Kendall's W = {summary.kendall_w:.2f} over {len(votes)} participants' factor rankings (0 = no agreement, 1 = identical)."
        if summary.kendall_w is not None
        else "Kendall's W needs at least two votes."
    )
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**The group's weights and the spread across the room**")
        show_chart(charts.spread_chart(summary.individual), "Each factor's weights across participants")
        st.dataframe(summary.spread, hide_index=True, width="stretch")
    with right:
        scoring_model = model.only(factor_ids=current.factor_ids)
        results = rank(scoring_model, summary.weights)
        st.markdown("**Ranking under the group's weights**")
        ranking = tables.ranking_table(scoring_model, results)
        show_chart(charts.ranking_chart(scoring_model, ranking), "Ranking under the group's weights")
        st.markdown("\n".join(f"- {plain(s)}" for s in explain(scoring_model, results).sentences(scoring_model)))
        st.markdown("**Whose weights make which placement win**")
        st.dataframe(summary.winners, hide_index=True, width="stretch")
    divisive = ", ".join(summary.spread["factor"].head(3))
    st.markdown(f"**Factors that divide the room most:** {plain(divisive)}")
    if summary.comments:
        st.markdown("**Comments**")
        for name, comment in summary.comments:
            st.text(f"{name}: {comment}")
    if st.button("Use the group's weights in Explore and sensitivity", key=f"use_group_{number}"):
        sliders = sliders_from_weights(summary.weights, model.factor_ids)
        request_view(View("sliders", sliders, {}))
        st.session_state.group_source = {
            "room": current.code,
            "round": number,
            "participants": len(votes),
            "weights": normalise(sliders, model.factor_ids),
        }
        st.switch_page("app.py")


board()

earlier = [n for n in store.round_numbers(room.code) if n < room.round]
if earlier:
    with st.expander("Earlier rounds"):
        number = st.selectbox("Round", earlier, index=len(earlier) - 1)
        show_results(room, number)
