"""Regenerate the screenshots in docs/screenshots: every page as a 1920x1080 screen shows it, in normal and
presentation mode, with a revealed room on the workshop board, and the Join form on a 390x844 phone.

Run with `make screenshots` (a real app server and Debian's Chromium, as in the browser tests).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import sqlalchemy as sa
from playwright.sync_api import sync_playwright

from harness.browser import CHROMIUM, CHROMIUM_ARGS, create_room, wait_for_app, wait_for_votes
from harness.server import app_server
from placement.workshop.store import RoomStore
from ui import registry

ROOT = Path(__file__).resolve().parents[1]
FOLDER = ROOT / "docs" / "screenshots"
MODES = ("normal", "presentation")
VOTERS = ["Ana", "Ben", "Chloé", "Dev", "Eli"]


def file_name(page_id: str, mode: str) -> str:
    return f"{page_id}-{mode}.png"


PHONE_JOIN = "join-phone.png"


def cast_votes(database: Path, code: str) -> None:
    """Five people's slider weights, different enough for the board to show a spread."""
    store = RoomStore(sa.create_engine(f"sqlite:///{database}"))
    factors = store.room(code).factor_ids
    for person, name in enumerate(VOTERS):
        token = store.join(code, name)
        store.submit(code, token, {f: (3 * person + 2 * i) % 11 or 1 for i, f in enumerate(factors)})
    store.engine.dispose()


def shoot(page, path: Path, presenting: bool) -> None:
    wait_for_app(page)
    if presenting:
        page.get_by_text("Presentation mode", exact=True).click()
        wait_for_app(page)
    page.wait_for_timeout(1000)  # charts draw after the app is idle
    page.screenshot(path=str(path))


def board(browser, server: str, database: Path, presenting: bool) -> str:
    """The facilitator's board after the reveal of five votes; returns the room code."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    page.goto(f"{server}/{registry.page('run').url_path}")
    wait_for_app(page)
    code = create_room(page, "Where should Product Ops report?")
    cast_votes(database, code)
    wait_for_votes(page, len(VOTERS))
    page.get_by_role("button", name="Reveal votes").click()
    page.get_by_text("Consensus:").first.wait_for()
    shoot(page, FOLDER / file_name("run", MODES[presenting]), presenting)
    context.close()
    return code


def main() -> None:
    FOLDER.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, app_server(Path(folder)) as server, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for presenting in (False, True):
            code = board(browser, server, Path(folder) / "rooms.db", presenting)
            for item in registry.PAGES:
                if item.id == "run":
                    continue
                context = browser.new_context(viewport={"width": 1920, "height": 1080})
                page = context.new_page()
                query = f"room={code}" if item.id == "join" else "preset=author"
                page.goto(f"{server}/{item.url_path}?{query}")
                shoot(page, FOLDER / file_name(item.id, MODES[presenting]), presenting)
                context.close()
        phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
        page = phone.new_page()
        page.goto(f"{server}/{registry.page('join').url_path}?room={code}")
        shoot(page, FOLDER / PHONE_JOIN, presenting=False)
        browser.close()
    print(f"wrote {len(list(FOLDER.glob('*.png')))} screenshots to {FOLDER.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
