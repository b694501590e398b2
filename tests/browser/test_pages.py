"""Real Chromium against a freshly started server: deep links and a weight change."""

import re

import pytest

from tests.browser.conftest import wait_for_app
from ui import registry

pytestmark = pytest.mark.browser

# Page id -> (heading, element key, text that only 'Our reading of the author's priorities' produces there).
EXPECTED = {
    "explore": ("Where should Product Ops report?", "why_it_leads", "leads by 27.6 points"),  # 25 * (38 + 4) / 38
    "how_sure": ("How sure are we?", "verdict", "from 8% to 41%"),  # (1 - t) 48/35 = 2t at t = 48/118
    "evidence": ("The evidence behind the scores", "evidence_head_of_product", "Author's recommendation"),
    "make_it_yours": ("Make it yours", "weights_in_effect", "Ops empathy"),
    "scenarios": ("Scenarios", "weights_in_effect", "Ops empathy"),
    "run": ("Run a workshop", None, None),
    "join": ("Join a workshop", None, None),
    "guide": ("Workshop guide", "guide_current", "Step 1 of 9"),
    "staffing": ("How big should Product Ops be?", "weights_in_effect", "Ops empathy"),
    "decision_record": ("Decision record", "record_preview", "Weighting method"),
}
OLD_ADDRESSES = [(old, p) for p in registry.PAGES for old in p.old_paths]


def assert_no_error(page):
    assert page.locator("[data-testid=stException]").count() == 0
    assert page.locator("[data-testid=stAlertContainer]:has-text('Traceback')").count() == 0


def test_every_registered_page_is_checked():
    assert set(EXPECTED) == set(registry.PAGE_IDS)


def test_the_first_deep_link_on_a_fresh_server_opens_its_page(fresh_server, page):
    page.goto(f"{fresh_server}/join?room=NOSUCHRM")
    wait_for_app(page)
    assert page.get_by_role("heading", name="Join a workshop").is_visible()
    assert_no_error(page)


@pytest.mark.parametrize("page_id", registry.PAGE_IDS)
def test_deep_link_opens_the_page(shared_server, page, page_id):
    page.goto(f"{shared_server}/{registry.page(page_id).url_path}?preset=author")
    wait_for_app(page)
    heading, key, expected = EXPECTED[page_id]
    assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    if key:
        assert expected in page.locator(f".st-key-{key}").inner_text()
    assert_no_error(page)


@pytest.mark.parametrize(("old", "target"), OLD_ADDRESSES, ids=[old for old, _ in OLD_ADDRESSES])
def test_an_old_address_redirects_with_its_query(shared_server, page, old, target):
    """Shared links of every kind keep working: the join link's room and the analysis pages' view."""
    query = "room=ABCDEFGH" if target.id in ("join", "run") else "preset=author"
    page.goto(f"{shared_server}/{old}?{query}")
    wait_for_app(page)
    page.wait_for_url(re.compile(rf"/{target.url_path}\?{query}"))
    wait_for_app(page)
    heading, key, expected = EXPECTED[target.id]
    assert page.get_by_role("heading", name=heading, exact=True).is_visible()
    if key:
        assert expected in page.locator(f".st-key-{key}").inner_text()
    assert not page.locator("[data-testid=stDialog]").is_visible()  # no "page not found" notice left behind
    assert_no_error(page)


@pytest.mark.parametrize("opened", ["explore", "evidence"])
def test_sidebar_lists_every_page_by_section(shared_server, page, opened):
    """The same menu on the start page and on a page opened by its address (Streamlit's own menu, tried once,
    listed file names there)."""
    page.goto(f"{shared_server}/{registry.page(opened).url_path}")
    wait_for_app(page)
    sidebar = page.locator("[data-testid=stSidebar]")
    for section in registry.SECTIONS:
        assert sidebar.get_by_text(section, exact=True).is_visible()
    for item in registry.PAGES:
        link = sidebar.get_by_role("link", name=item.title, exact=True)
        if item.url_path or opened == "explore":  # Streamlit gives the start page's link an empty href elsewhere
            assert link.evaluate("a => a.href").rstrip("/") == f"{shared_server}/{item.url_path}".rstrip("/")
    assert sidebar.get_by_role("link").count() == len(registry.PAGES)


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


def test_a_weight_change_resends_only_what_the_weights_rank(shared_server, page):
    """A slider reruns Explore's weighed part alone: the navigation, the title and the questionnaire are not sent
    again (a key press took 56 websocket messages when the whole page ran, 38 now); the ranking and the URL follow."""
    received = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda data: received.append(len(data))))
    page.goto(shared_server)
    wait_for_app(page)
    why = page.locator(".st-key-why_it_leads").inner_text()
    before = len(received)
    move_slider(page, "End", "slider_ops_empathy")
    wait_for_app(page)
    assert len(received) - before <= 45, len(received) - before
    assert page.locator(".st-key-why_it_leads").inner_text() != why
    assert re.search(r"ops_empathy(%3A|:)10", page.url)
    assert page.get_by_role("link", name="How sure are we?").is_visible()
    assert page.get_by_role("heading", name="Where should Product Ops report?").is_visible()
    assert_no_error(page)


def test_navigation_keeps_the_weights(fresh_server, page):
    page.goto(f"{fresh_server}/?preset=domain_needs")
    wait_for_app(page)
    page.get_by_role("link", name="How sure are we?").click()
    wait_for_app(page)
    assert page.get_by_role("heading", name="How sure are we?").is_visible()
    assert page.locator(".st-key-verdict").inner_text().startswith("Within Product Areas / Verticals leads")


def test_editing_a_cell_moves_the_ranking(fresh_server, page):
    page.goto(f"{fresh_server}/make_it_yours")
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


# Pairs of shown texts in the sidebar drawn over each other by more than 4 px (their text's boxes, whose line
# heights may touch); a text inside another is not an overlap. Shown: visible, neither it nor a container
# around it transparent.
OVERLAPPING_SIDEBAR_TEXTS = """() => {
  const opacity = e => { let o = 1; for (; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity); return o; };
  const shown = [...document.querySelectorAll('[data-testid=stSidebarContent] *')].filter(e =>
    [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()) && e.getClientRects().length
    && getComputedStyle(e).visibility === 'visible' && opacity(e) > 0.05);
  const box = e => { const text = document.createRange(); text.selectNodeContents(e); return text.getBoundingClientRect(); };
  const apart = (a, b) => a.right <= b.left + 4 || b.right <= a.left + 4 || a.bottom <= b.top + 4 || b.bottom <= a.top + 4;
  const found = [];
  shown.forEach((a, i) => shown.slice(i + 1).forEach(b => {
    if (!a.contains(b) && !b.contains(a) && !apart(box(a), box(b))) found.push([a.textContent.trim(), b.textContent.trim()]);
  }));
  return found;
}"""


def test_a_pairs_ends_keep_clear_of_the_next_question(shared_server, page):
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.goto(f"{shared_server}/?method=pairwise")
    wait_for_app(page)
    sliders = page.locator("[data-testid=stSidebarContent] input[type=range]")
    sliders.nth(0).focus()
    sliders.nth(0).press("End")  # the strongest judgement: the longest words
    wait_for_app(page)
    page.locator("[data-testid=stSidebarContent] [data-testid=stSlider]").nth(0).hover()  # shows a slider's ends
    assert page.evaluate(OVERLAPPING_SIDEBAR_TEXTS) == []
