"""Debian's Chromium as the tests drive it, and the waits and steps a person's session goes through."""

from __future__ import annotations

import os
import re

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def wait_for_app(page, timeout: float = 30_000) -> None:
    """Wait until Streamlit is connected, idle, and has drawn its charts."""
    page.wait_for_selector("[data-testid=stApp][data-test-connection-state=CONNECTED]", timeout=timeout)
    page.wait_for_selector("[data-testid=stApp][data-test-script-state=notRunning]", timeout=timeout)
    page.wait_for_function("!document.querySelector('[data-testid=stSkeleton]')", timeout=timeout)
    page.wait_for_timeout(500)


def create_room(page, title: str) -> str:
    """Create a room from the facilitator's page (already on /run); returns its code, read off the board."""
    page.get_by_label("Title").fill(title)
    page.get_by_role("button", name="Create the room").click()
    wait_for_app(page)
    return re.search(r"join\?room=([A-Z0-9]{8})", page.get_by_text("join?room=").inner_text()).group(1)


def wait_for_votes(page, count: int, timeout: float = 20_000) -> None:
    """Until the board's own refresh shows `count` votes in (no reload)."""
    page.wait_for_function(
        "n => [...document.querySelectorAll('[data-testid=stMetric]')]"
        ".some(m => m.innerText.includes('Votes in') && m.innerText.trim().endsWith(String(n)))",
        arg=count,
        timeout=timeout,
    )
