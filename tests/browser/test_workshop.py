"""A live workshop in real browsers: a facilitator on the shared screen and two participants."""

import re

import pytest

from tests.browser.conftest import join_and_vote, wait_for_app

pytestmark = pytest.mark.browser


def votes_in(page) -> str:
    return (
        page.locator("[data-testid=stMetric]", has_text="Votes in").locator("[data-testid=stMetricValue]").inner_text()
    )


def test_board_follows_votes_without_a_refresh_and_reveals(fresh_server, page, phone, laptop):
    page.goto(f"{fresh_server}/run")
    wait_for_app(page)
    page.get_by_label("Title").fill("Where should Product Ops report?")
    page.get_by_role("button", name="Create the room").click()
    page.get_by_role("button", name="Facilitator key").wait_for()  # the board (the reopen form has a field so named)
    code = re.search(r"join\?room=([A-Z0-9]{8})", page.get_by_text("join?room=").inner_text()).group(1)
    assert votes_in(page) == "0"

    join_and_vote(phone, fresh_server, code, "Ana on a phone", top_factor=0)  # PM alignment
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

    # The group's weights (PM alignment 10/45 and 5/40 on average, the rest 5/45 and 5/40) reach Explore.
    page.get_by_role("button", name="Use the group's weights in Explore and sensitivity").click()
    page.get_by_role("heading", name="Where should Product Ops report?").wait_for()
    wait_for_app(page)
    slider = lambda key: page.locator(f".st-key-slider_{key} input[type=range]").get_attribute("value")  # noqa: E731
    assert (slider("pm_alignment"), slider("ops_empathy")) == ("10", "7")
