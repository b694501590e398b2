"""Charts draw the current order after a change within a session, as a fresh load of the same view does.

Vega updates a chart's data in place; the bars once kept the order of the session's first weights (issue 28).
The oracle is twofold: the ranking's score labels read top to bottom must never rise, and every chart's rows
must come in the order a new browser session opened at the same address draws them.
"""

import contextlib
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.browser.conftest import wait_for_app
from ui import registry

pytestmark = pytest.mark.browser

# The drawn rows, top to bottom: the y axis's labels, and the ranking's score labels (not their white halos).
DRAWN = """el => {
  const top = t => t.getBoundingClientRect().top;
  const byTop = list => list.sort((a, b) => top(a) - top(b)).map(t => t.textContent);
  const texts = [...el.querySelectorAll('svg text')];
  return {
    rows: byTop([...el.querySelectorAll('g.role-axis-label text')].filter(t => {
      const axis = t.closest('g.role-axis'); return axis && axis.getAttribute('aria-label')?.includes('Y-axis');
    })),
    scores: byTop(texts.filter(t => /^\\d+\\.\\d$/.test(t.textContent)
      && getComputedStyle(t).stroke !== 'rgb(255, 255, 255)')),
  };
}"""
CHARTS = "[data-testid=stVegaLiteChart]"


def drawn(page) -> list[dict]:
    page.wait_for_timeout(300)  # let Vega finish drawing the data the rerun sent
    charts = page.locator(CHARTS)
    return [charts.nth(i).evaluate(DRAWN) for i in range(charts.count())]


def wait_until_drawn(page, expected: list[dict], timeout: float = 15_000) -> list[dict]:
    """The charts' drawn rows once they match `expected` or `timeout` ms have passed (then the last seen)."""
    with contextlib.suppress(PlaywrightTimeout):  # the caller's assertion shows what was drawn instead
        page.wait_for_function(
            f"expected => {{ const got = [...document.querySelectorAll('{CHARTS}')].map({DRAWN});"
            " return JSON.stringify(got) === JSON.stringify(expected); }",
            arg=expected,
            timeout=timeout,
        )
    return drawn(page)


def as_drawn_on_a_fresh_load(browser, url: str) -> list[dict]:
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    page = context.new_page()
    page.goto(url)
    wait_for_app(page)
    page.locator(CHARTS).first.wait_for()
    charts = drawn(page)
    context.close()
    return charts


def assert_scores_fall(charts: list[dict]) -> None:
    scores = [float(s) for s in charts[0]["scores"]]
    assert scores == sorted(scores, reverse=True), f"the ranking draws {scores} top to bottom"


def choose_preset(page, name: str) -> None:
    page.get_by_text(name, exact=True).click()
    wait_for_app(page)


def slider_to_the_top(page, factor: str) -> None:
    slider = page.locator("[data-testid=stSidebar] [data-testid=stSlider]").filter(has_text=factor)
    slider.locator("[role=slider], input[type=range]").first.focus()
    page.keyboard.press("End")
    wait_for_app(page)


@pytest.mark.parametrize("page_id", ["explore", "how_sure"])
def test_charts_redraw_in_the_new_order_after_a_preset_and_a_slider(shared_server, page, browser, page_id):
    page.goto(f"{shared_server}/{registry.page(page_id).url_path}?preset=author")
    wait_for_app(page)
    page.locator(CHARTS).first.wait_for()
    before = drawn(page)
    if page_id == "explore":
        assert before[0]["rows"][0] == "Head of Product"

    choose_preset(page, "Enabling operations teams")  # Operations leads, 75.0
    expected = as_drawn_on_a_fresh_load(browser, page.url)
    if page_id == "explore":
        assert expected[0]["rows"][0] == "Operations"
    assert expected != before  # the change moves rows, or the test would prove nothing
    after_preset = wait_until_drawn(page, expected)
    assert after_preset == expected
    if page_id == "explore":
        assert_scores_fall(after_preset)
        assert after_preset[1]["rows"] == after_preset[0]["rows"]  # benefits and risks: the ranking's order

    choose_preset(page, "Our reading of the author's priorities")
    slider_to_the_top(page, "Domain expertise")  # Product Areas passes central Biz Ops
    assert re.search(r"w=[^&]*", page.url)  # the view is in the address, for the fresh load
    expected = as_drawn_on_a_fresh_load(browser, page.url)
    after_slider = wait_until_drawn(page, expected)
    assert after_slider == expected
    if page_id == "explore":
        assert after_slider[0]["rows"][:3] == ["Head of Product", "Product Areas", "Central Biz Ops"]
        assert_scores_fall(after_slider)
