"""A live workshop in real browsers: a facilitator on the shared screen and two participants."""

import re

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def votes_in(page) -> str:
    return (
        page.locator("[data-testid=stMetric]", has_text="Votes in").locator("[data-testid=stMetricValue]").inner_text()
    )


def join_and_vote(page, server: str, code: str, name: str) -> None:
    page.goto(f"{server}/Join?room={code}")
    wait_for_app(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("button", name="Submit my vote").wait_for()
    page.get_by_role("button", name="Submit my vote").click()
    page.get_by_text("Your vote is in (revision 1)").wait_for()


def test_board_follows_votes_without_a_refresh_and_reveals(fresh_server, page, phone, laptop):
    page.goto(f"{fresh_server}/Workshop")
    wait_for_app(page)
    page.get_by_label("Title").fill("Where should Product Ops report?")
    page.get_by_role("button", name="Create the room").click()
    page.get_by_text("Facilitator key").wait_for()
    code = re.search(r"Join\?room=([A-Z0-9]{8})", page.get_by_text("Join?room=").inner_text()).group(1)
    assert votes_in(page) == "0"

    join_and_vote(phone, fresh_server, code, "Ana on a phone")
    join_and_vote(laptop, fresh_server, code, "Ben")
    # The board refreshes itself (a fragment every few seconds): no reload here.
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes('Votes in') && m.innerText.includes('2'))",
        timeout=20_000,
    )
    assert phone.get_by_text("Results appear here after the facilitator reveals them").is_visible()

    page.get_by_role("button", name="Reveal votes").click()
    page.get_by_text("Consensus:").first.wait_for()
    phone.reload()
    wait_for_app(phone)
    phone.get_by_text("The room's results").wait_for()
    assert page.locator("[data-testid=stException]").count() == 0
    assert phone.locator("[data-testid=stException]").count() == 0
