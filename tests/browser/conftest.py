"""A real app server and a real Chromium (Debian's), started by the tests themselves.

Locally the browser tests skip with a visible reason when Chromium is missing;
with REQUIRE_BROWSER=1 (as in CI) a missing browser is a failure instead. The server and the
browser steps live in `harness/`, which the bench and the screenshot script share.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from harness.browser import (  # noqa: F401 - the browser tests import these helpers from here
    CHROMIUM,
    CHROMIUM_ARGS,
    create_room,
    wait_for_app,
    wait_for_votes,
)
from harness.server import ROOT, app_server  # noqa: F401

pytestmark = pytest.mark.browser


@pytest.fixture
def fresh_server(tmp_path):
    """A newly started server per test, for tests that change server state (rooms)."""
    with app_server(tmp_path) as url:
        yield url


@pytest.fixture(scope="module")
def shared_server(tmp_path_factory):
    """One server for a module's tests that only read: each test opens its own browser session."""
    with app_server(tmp_path_factory.mktemp("server")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        if os.environ.get("REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium is required (REQUIRE_BROWSER=1) but {CHROMIUM} does not exist")
        pytest.skip(f"Chromium not installed at {CHROMIUM}: apt-get install chromium (set REQUIRE_BROWSER=1 to fail)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    yield context.new_page()
    context.close()


@pytest.fixture
def phone(browser):
    """A second, separate browser (own cookies and session) with a phone-sized screen."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


@pytest.fixture
def laptop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    yield context.new_page()
    context.close()


def join_and_vote(page, server: str, code: str, name: str, top_factor: int | None = None, comment: str = "") -> None:
    """Join a room by its link and vote: every factor at level 2, or one (by position) at 4 (twice the weight);
    with `comment`, if any."""
    join(page, server, code, name)
    choose_levels(page, dict.fromkeys(range(len(levels_of(page))), 2) | {top_factor: 4})
    if comment:
        page.get_by_label("One-line comment (optional)").fill(comment)
    submit_vote(page, revision=1)


def join(page, server: str, code: str, name: str) -> None:
    """Join a room by its link, up to its vote form with every factor's levels drawn."""
    page.goto(f"{server}/join?room={code}")
    wait_for_app(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("button", name="Submit my vote").wait_for()
    wait_for_app(page)  # every factor's levels drawn


def levels_of(page) -> list:
    """Each factor's row of level buttons on the vote form, in the form's order."""
    return page.locator("[data-testid=stButtonGroup]").all()


def choose_levels(page, levels: dict[int | None, int]) -> None:
    """Tap these levels, by factor position (a None position is skipped); a tapped chosen level unchooses it."""
    rows = levels_of(page)
    for position, level in levels.items():
        if position is not None:
            rows[position].locator("button").filter(has_text=re.compile(rf"^{level}$")).click()


def submit_vote(page, revision: int) -> None:
    """Send the vote form (a first vote, or a revision of one) and wait for the page to confirm this revision."""
    page.get_by_role("button", name="Submit my vote" if revision == 1 else "Update my vote").click()
    page.get_by_text(f"Your vote is in (revision {revision})").wait_for()
