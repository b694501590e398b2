"""This browser's device id and network address, for "one person, one vote" and the rate limits.

Streamlit cannot set an HTTP-only cookie from Python. The id lives in an ordinary cookie: read from
the page's request (`st.context.cookies`) when the browser has one, else made here and written into
the browser by a one-line script, so that a reload (or the same room link reopened) comes back as the
same participant. A second browser, a private window or cleared cookies get a new id: see docs/workshop.md.
"""

from __future__ import annotations

import re
import secrets

import streamlit as st

COOKIE = "placement_device"
VALID = re.compile(r"[A-Za-z0-9_-]{16,64}")
SESSION_KEY = "device_id"
YEAR = 365 * 24 * 3600


def device_id() -> str:
    """The id of the browser this session runs in (stored in it if it had none)."""
    cookie = st.context.cookies.get(COOKIE)
    if isinstance(cookie, str) and VALID.fullmatch(cookie):
        st.session_state[SESSION_KEY] = cookie
        return cookie
    device = st.session_state.setdefault(SESSION_KEY, secrets.token_urlsafe(18))
    st.html(  # the id is ours (token_urlsafe): nothing a user typed reaches the script
        "<script>if (!document.cookie.split('; ').some(c => c.startsWith('"
        + COOKIE
        + "='))) { document.cookie = '"
        + f"{COOKIE}={device}; max-age={YEAR}; path=/; SameSite=Lax"
        + "'; }</script>",
        unsafe_allow_javascript=True,
    )
    return device


def address() -> str | None:
    """The participant's network address as the server sees it. Behind a proxy on this computer, the
    address the proxy added last to X-Forwarded-For (the hops before it are whatever the client sent)."""
    ip = st.context.ip_address
    ip = ip if isinstance(ip, str) else None  # None outside a browser session (tests)
    forwarded = st.context.headers.get("X-Forwarded-For")
    if isinstance(forwarded, str) and forwarded and ip in {None, "127.0.0.1", "::1"}:
        return forwarded.split(",")[-1].strip()[:64] or ip
    return ip
