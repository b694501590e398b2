"""Real Chromium against a freshly started server: deep links and a weight change."""

import re

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

# Page path -> (heading, element key, text that only the author's preset produces there).
PAGES = {
    "": ("Where should Product Ops report?", "why_it_leads", "leads by 30.9 points"),
    "Sensitivity": ("How sure are we?", "verdict", "from 8% to 43%"),
    "Evidence": ("The evidence behind the scores", "evidence_head_of_product", "Author's recommendation"),
    "Make_it_yours": ("Make it yours", "weights_in_effect", "Ops empathy"),
    "Scenarios": ("Scenarios", "weights_in_effect", "Ops empathy"),
    "Workshop": ("Run a workshop", None, None),
    "Join": ("Join a workshop", None, None),
}


def assert_no_error(page):
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stAlertContainer]:has-text('Traceback')").count() == 0


@pytest.mark.parametrize("path", list(PAGES))
def test_deep_link_opens_the_page_on_a_fresh_server(fresh_server, page, path):
    page.goto(f"{fresh_server}/{path}?preset=author")
    wait_for_app(page)
    heading, key, expected = PAGES[path]
    assert page.get_by_role("heading", name=heading).is_visible()
    if key:
        assert expected in page.locator(f".st-key-{key}").inner_text()
    assert_no_error(page)


def move_slider(page, end: str, key: str) -> None:
    """Drive a slider from the keyboard, as a person without a mouse would."""
    page.locator(f".st-key-{key} input[type=range]").focus()
    page.keyboard.press(end)


def test_moving_weights_changes_the_ranking(fresh_server, page):
    page.goto(fresh_server)
    wait_for_app(page)
    why = page.locator(".st-key-why_it_leads")
    assert why.inner_text().startswith("Reports to the Head of Product leads")
    move_slider(page, "End", "slider_ops_empathy")
    wait_for_app(page)
    move_slider(page, "Home", "slider_pm_alignment")
    wait_for_app(page)
    move_slider(page, "Home", "slider_global_tradeoffs")
    wait_for_app(page)
    assert why.inner_text().startswith("Rolls up into Operations leads")
    assert re.search(r"ops_empathy(%3A|:)10", page.url)
    assert_no_error(page)


def test_navigation_keeps_the_weights(fresh_server, page):
    page.goto(f"{fresh_server}/?preset=domain_needs")
    wait_for_app(page)
    page.get_by_role("link", name="How sure are we?").click()
    wait_for_app(page)
    assert page.get_by_role("heading", name="How sure are we?").is_visible()
    assert page.locator(".st-key-verdict").inner_text().startswith("Within Product Areas / Verticals leads")


def test_editing_a_cell_moves_the_ranking(fresh_server, page):
    page.goto(f"{fresh_server}/Make_it_yours")
    wait_for_app(page)
    grid = page.locator("[data-testid=stDataFrame]").first.bounding_box()
    # Select the first row's 'Head of Product' cell, step right to 'Operations' and type a new score.
    page.mouse.click(grid["x"] + 300, grid["y"] + 35 + 17)
    page.wait_for_timeout(300)  # the canvas grid takes focus after the click
    page.keyboard.press("ArrowRight")
    page.keyboard.type("2")
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.get_by_text("1 edited cell(s)").wait_for()
    page.get_by_role("link", name="Explore").click()
    wait_for_app(page)
    why = page.locator(".st-key-why_it_leads").inner_text()
    assert "over Rolls up into Operations" in why  # was the last placement; now the runner-up
    assert_no_error(page)
