"""Presentation mode, switched on with the page open: type readable from the back, nothing off-screen.

Measured in real Chromium from computed styles and bounding boxes, at a projector's 1920x1080 and a
laptop's 1280x800. Chart text drawn in SVG is measured in test_charts.py (24 px or more in this mode).
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import create_room, wait_for_app
from tests.browser.test_accessibility import PROJECTOR, present
from ui import registry

pytestmark = pytest.mark.browser

SCREENS = {"1920x1080": PROJECTOR, "1280x800": {"width": 1280, "height": 800}}
# Each kind of text the room reads, by where Streamlit draws it.
TEXT_KINDS = {
    "body": "[data-testid=stMain] [data-testid=stMarkdownContainer] p",
    "caption": "[data-testid=stMain] [data-testid=stCaptionContainer] p",
    "widget label": "[data-testid=stMain] [data-testid=stWidgetLabel] p",
    "button": "[data-testid=stMain] button p",
    "input": "[data-testid=stMain] input",
    "metric label": "[data-testid=stMain] [data-testid=stMetricLabel] p",
    "metric value": "[data-testid=stMain] [data-testid=stMetricValue] div",
    "table cell": "[data-testid=stMain] [data-testid=stTable] td",
    "chart tooltip": "#vg-tooltip-element td",
}
# The smallest computed font size of each kind shown on the page (kinds not shown are left out).
SMALLEST_BY_KIND = """kinds => Object.fromEntries(Object.entries(kinds).map(([kind, selector]) => {
  const shown = [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length);
  return [kind, shown.length ? Math.min(...shown.map(e => parseFloat(getComputedStyle(e).fontSize))) : null];
}).filter(([, px]) => px !== null))"""
# Every visible text in the main area under 24 px (SVG chart text aside), as '<px>px: <text>'.
SMALL_TEXT = """() => [...document.querySelectorAll('[data-testid=stMain] *')].filter(e =>
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length
    && !e.closest('svg') && getComputedStyle(e).visibility === 'visible' && parseFloat(getComputedStyle(e).fontSize) < 24)
  .map(e => `${getComputedStyle(e).fontSize}: ${e.textContent.trim().slice(0, 40)}`)"""
# Visible elements of the main area that reach past the window's left or right edge.
OFF_SCREEN = """() => [...document.querySelectorAll('[data-testid=stMain] *')].filter(e => {
    const r = e.getBoundingClientRect();
    return r.width > 0 && (r.right > innerWidth + 1 || r.left < -1) && getComputedStyle(e).visibility === 'visible';
  }).map(e => `${e.tagName} ${e.getAttribute('data-testid') || ''} ${(e.innerText || '').slice(0, 40)}`)"""
# Tables whose columns do not all fit (a horizontal scroll hides some).
CLIPPED_TABLES = """() => [...document.querySelectorAll('[data-testid=stMain] [data-testid=stTable] table')]
  .filter(t => t.parentElement.scrollWidth > t.parentElement.clientWidth + 1)
  .map(t => t.querySelector('th')?.innerText)"""

# Canvas grids, whose type no CSS reaches: tables must be HTML instead. Make it yours' score editor stays a
# grid (editing needs it; it is for the facilitator's hands, not the room's eyes).
READ_ONLY_GRIDS = "[data-testid=stDataFrame]:not([class*=st-key-matrix_] *)"


def open_presenting(browser, url: str, screen: dict):
    """A new browser page at `url`, sized `screen`, with presentation mode switched on once it is open."""
    page = browser.new_context(viewport=screen).new_page()
    page.goto(url)
    wait_for_app(page)
    present(page)
    return page


@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
@pytest.mark.parametrize("page_id", registry.PAGE_IDS)
def test_every_page_reads_from_the_back_and_fits(shared_server, browser, page_id, screen):
    page = open_presenting(browser, f"{shared_server}/{registry.page(page_id).url_path}", SCREENS[screen])
    found = {
        "small text": page.evaluate(SMALL_TEXT),
        "off screen": page.evaluate(OFF_SCREEN),
        "clipped tables": page.evaluate(CLIPPED_TABLES),
        "canvas grids": page.locator(READ_ONLY_GRIDS).count(),
    }
    page.context.close()
    assert found == {"small text": [], "off screen": [], "clipped tables": [], "canvas grids": 0}


def test_each_kind_of_text_is_at_least_24px(shared_server, browser):
    """How sure shows captions, labels, inputs and tables; Explore's chart shows a tooltip on hover."""
    page = open_presenting(browser, f"{shared_server}/{registry.page('how_sure').url_path}", PROJECTOR)
    smallest = page.evaluate(SMALLEST_BY_KIND, TEXT_KINDS)
    page.goto(shared_server)  # a new session: presentation mode is off again
    wait_for_app(page)
    present(page)
    page.locator("[data-testid=stVegaLiteChart] path[role=graphics-symbol]").first.hover()
    page.locator("#vg-tooltip-element td").first.wait_for()
    smallest.update(page.evaluate(SMALLEST_BY_KIND, {"chart tooltip": TEXT_KINDS["chart tooltip"]}))
    page.context.close()
    assert set(smallest) == {"body", "caption", "widget label", "input", "table cell", "chart tooltip"}
    assert min(smallest.values()) >= 24, smallest


def test_the_board_reads_from_the_back(fresh_server, browser):
    """The facilitator's board on the projector: buttons and the joined / votes counts."""
    page = browser.new_context(viewport=PROJECTOR).new_page()
    page.goto(f"{fresh_server}/{registry.page('run').url_path}")
    wait_for_app(page)
    create_room(page, "Where should Product Ops report?")
    present(page)
    smallest = page.evaluate(SMALLEST_BY_KIND, TEXT_KINDS)
    page.context.close()
    assert {"button", "metric label", "metric value"} <= set(smallest)
    assert min(smallest.values()) >= 24, smallest
