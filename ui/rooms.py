"""The room store for the pages, through Streamlit's SQL connection."""

from __future__ import annotations

import io
import os

import segno
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from placement.workshop.store import RoomError, RoomStore, database_url, join_url


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
        st.error(
            "The workshop database cannot be reached, so rooms are unavailable right now. "
            f"Check PLACEMENT_DATABASE_URL or [connections.rooms] in secrets.toml ({type(error).__name__})."
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
    """The participants' link, built from the address the facilitator's browser uses."""
    return join_url(st.context.url or "http://localhost:8501/Workshop", code)
