"""Workshop glue for the pages: the room store through Streamlit's SQL connection, the join link and QR
code, and the drawing of a revealed round on the board."""

from __future__ import annotations

import io
import os

import segno
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from placement.analysis.explain import explain
from placement.present import charts, tables
from placement.workshop.group import RoomSummary
from placement.workshop.store import Room, RoomError, RoomStore, database_url, join_url
from ui import registry
from ui.common import plain, show_chart
from ui.guard import show_problems


@st.cache_resource
def _store_for(url: str | None) -> RoomStore:
    """One store (and schema check) per database, shared by every session of this server."""
    connection = st.connection("rooms", type="sql", url=url) if url else st.connection("rooms", type="sql")
    return RoomStore(connection.engine)


def room_store() -> RoomStore:
    """PLACEMENT_DATABASE_URL, else [connections.rooms] in secrets.toml, else the embedded SQLite file.

    A database that cannot be reached stops the page with a message saying what to check.
    """
    url = database_url() if os.environ.get("PLACEMENT_DATABASE_URL") or not _secrets_configured() else None
    try:
        return _store_for(url)
    except (SQLAlchemyError, RoomError, OSError) as error:
        show_problems(
            "The workshop database cannot be reached, so rooms are unavailable right now.",
            [f"{type(error).__name__}: check PLACEMENT_DATABASE_URL or [connections.rooms] in .streamlit/secrets.toml"],
        )
        st.stop()


def _secrets_configured() -> bool:
    try:
        return "rooms" in st.secrets.get("connections", {})
    except FileNotFoundError:
        return False


@st.cache_data(max_entries=64)
def qr_png(link: str) -> bytes:
    """A large, high-contrast QR code for the projector."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def join_link(code: str) -> str:
    """The participants' link to the Join page, built from the address the facilitator's browser uses."""
    here = st.context.url or f"http://localhost:8501/{registry.page('run').url_path}"
    return join_url(here, registry.page("join").url_path, code)


def show_join_code(room: Room) -> None:
    """The room's title, its join address, the code in type readable across a room, and a QR code."""
    link = join_link(room.code)
    head, qr = st.columns([3, 1])
    with head:
        st.header(plain(room.title))
        st.markdown(f"Join at **{link.split('?')[0]}** with the code")
        st.markdown(
            f"<div style='font-size:4rem;font-weight:700;letter-spacing:0.2em'>{room.code}</div>",
            unsafe_allow_html=True,
        )
        st.caption(link)
    qr.image(qr_png(link), caption="Scan to join", width="stretch")


def show_round(summary: RoomSummary) -> None:
    """A revealed round on the board: consensus, spread, the group's ranking, who prefers what, comments."""
    st.subheader(f"Consensus: {summary.consensus}")
    st.caption(summary.agreement_note)
    left, right = st.columns(2, gap="large")
    with left:
        st.markdown("**The group's weights and the spread across the room**")
        show_chart(charts.spread_chart(summary.individual), "Each factor's weights across participants")
        st.dataframe(summary.spread, hide_index=True, width="stretch")
    with right:
        st.markdown("**Ranking under the group's weights**")
        ranking = tables.ranking_table(summary.model, summary.ranking)
        show_chart(charts.ranking_chart(summary.model, ranking), "Ranking under the group's weights")
        sentences = explain(summary.model, summary.ranking).sentences(summary.model)
        st.markdown("\n".join(f"- {plain(s)}" for s in sentences))
        st.markdown("**Whose weights make which placement win**")
        st.dataframe(summary.winners, hide_index=True, width="stretch")
    st.markdown(f"**Factors that divide the room most:** {plain(', '.join(summary.divisive()))}")
    if summary.comments:
        st.markdown("**Comments**")
        for name, comment in summary.comments:
            st.text(f"{name}: {comment}")
