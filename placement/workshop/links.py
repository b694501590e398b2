"""The address participants open to join a room: one phones in the room can reach.

The base is, in order: the PLACEMENT_PUBLIC_URL environment variable, the `public_url` setting
(`[server] public_url` in .streamlit/secrets.toml), else the address of the facilitator's own
browser. A base on this computer only (localhost, 127.0.0.0/8, ::1) comes with a warning that
names the network address to use instead.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit, urlunsplit

from placement.workshop.domain import clean_code

PUBLIC_URL_ENV = "PLACEMENT_PUBLIC_URL"
PROBE_ADDRESS = ("192.0.2.1", 9)  # TEST-NET-1: a UDP "connect" only picks the outgoing interface, sends nothing


def app_base(url: str) -> str:
    """The app's root (scheme, host and any prefix) from a page's address or a configured public URL.

    "https://h/prefix/run?x=1" -> "https://h/prefix"; "https://h/prefix/" -> "https://h/prefix".
    A configured URL names the root itself, so only a page's address drops its last path segment.
    """
    parts = urlsplit(url)
    folder = parts.path.rstrip("/").rsplit("/", 1)[0] if parts.path.count("/") > 1 else ""
    return urlunsplit((parts.scheme, parts.netloc, folder, "", ""))


def _configured_base(url: str) -> str:
    url = url.strip()
    if "://" not in url:
        url = f"http://{url}"
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", ""))


def join_url(base: str, join_path: str, code: str) -> str:
    """The link to the join page (at `join_path`, named by the caller's page registry) for a room."""
    return f"{base.rstrip('/')}/{join_path.strip('/')}?room={clean_code(code)}"


def is_loopback(host: str | None) -> bool:
    """Whether a host name or address means "this computer only" (no phone can reach it)."""
    host = (host or "").strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified


def lan_address() -> str | None:
    """This computer's address on the local network, or None when it has none but loopback."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(PROBE_ADDRESS)
            address = probe.getsockname()[0]
    except OSError:
        try:
            address = socket.gethostbyname(socket.gethostname())
        except OSError:
            return None
    return None if is_loopback(address) else address


def public_base(
    environ: Mapping[str, str],
    secrets_value: str | None,
    browser_url: str,
    join_path: str = "join",
    lan: Callable[[], str | None] = lan_address,
) -> tuple[str, str | None]:
    """(the base of the join link, a warning for the facilitator or None)."""
    configured = environ.get(PUBLIC_URL_ENV) or secrets_value
    base = _configured_base(configured) if configured else app_base(browser_url)
    parts = urlsplit(base)
    if not is_loopback(parts.hostname):
        return base, None
    how = (
        f"set {PUBLIC_URL_ENV} (or `public_url` under `[server]` in .streamlit/secrets.toml) to the address "
        "participants can reach, e.g. http://192.168.1.20:8501, and restart the app"
    )
    source = f"{PUBLIC_URL_ENV} or public_url points" if configured else "You opened this page"
    address = lan()
    if address is None:
        return base, (
            f"{source} at {parts.hostname}, which only this computer can reach: phones cannot join. "
            f"This computer has no network address right now; connect it to the room's network, or {how}."
        )
    host = f"[{address}]" if ":" in address else address
    netloc = f"{host}:{parts.port}" if parts.port else host
    lan_base = urlunsplit((parts.scheme, netloc, parts.path, "", ""))
    return base, (
        f"{source} at {parts.hostname}, which only this computer can reach: phones cannot join. "
        f"Participants on your network can use {lan_base}/{join_path.strip('/')}: reopen this board with "
        f"{host} in place of {parts.hostname}, so that the link and QR code use it, or {how}."
    )
