"""Real Chromium: the decision record's HTML, the guide's step links and presentation mode."""

import pytest

from placement.analysis.robustness import Settings
from placement.analysis.weights import normalise
from placement.data.model import load_model
from placement.present import record
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_decision_record_html_renders_with_its_charts(page, tmp_path):
    model = load_model()
    built = record.build(
        model,
        normalise(model.presets["author"].weights, model.factor_ids),
        record.Details(decision="CPO <b>line</b>"),
        Settings(samples=2000),
    )
    path = tmp_path / "record.html"
    path.write_text(record.to_html(built), encoding="utf-8")
    page.goto(path.as_uri())
    charts = page.locator("figure svg")
    assert charts.count() == 2
    for i in range(2):
        box = charts.nth(i).bounding_box()
        assert box["width"] > 300 and box["height"] > 150
    assert "Reports to the Head of Product" in charts.nth(0).inner_html()
    assert page.get_by_text("CPO <b>line</b>").is_visible()  # shown as text, not as markup
    assert page.locator("h1").inner_text().startswith("Decision record")


# Each text of a chart: its box, the SVG's box, and whether it is a legend label.
CHART_TEXTS = """svg => {
  const frame = svg.getBoundingClientRect();
  return [...svg.querySelectorAll('text')].filter(t => t.textContent.trim()).map(t => {
    const r = t.getBoundingClientRect();
    return {text: t.textContent, left: r.left - frame.left, right: r.right - frame.left,
            top: r.top - frame.top, bottom: r.bottom - frame.top, width: frame.width, height: frame.height,
            legend: !!t.closest('.role-legend')};
  });
}"""


def test_decision_record_charts_show_every_label_whole_at_1280_px(browser, tmp_path):
    """Opened at 1280 px: no axis or legend text cut at the chart's edges, no legend labels on top of each other."""
    model = load_model()
    weights = normalise(model.presets["author"].weights, model.factor_ids)
    built = record.build(model, weights, record.Details(), Settings(samples=500))
    path = tmp_path / "record.html"
    path.write_text(record.to_html(built), encoding="utf-8")
    context = browser.new_context(viewport={"width": 1280, "height": 900}, java_script_enabled=False)
    page = context.new_page()
    page.goto(path.as_uri())
    names = {p.short_name for p in model.placements}
    for i in range(page.locator("figure svg").count()):
        texts = page.locator("figure svg").nth(i).evaluate(CHART_TEXTS)
        for t in texts:
            assert t["left"] >= -0.5 and t["right"] <= t["width"] + 0.5, t
            assert t["top"] >= -0.5 and t["bottom"] <= t["height"] + 0.5, t
        legend = [t for t in texts if t["legend"]]
        for a in legend:
            for b in legend:
                if a is not b:
                    apart = a["right"] <= b["left"] or b["right"] <= a["left"]
                    assert apart or a["bottom"] <= b["top"] or b["bottom"] <= a["top"], (a, b)
        if i == 0:
            assert names <= {t["text"] for t in texts}  # every placement named, uncut, on the ranking
    context.close()


def test_guide_step_links_open_their_pages(shared_server, page):
    page.goto(f"{shared_server}/guide")
    wait_for_app(page)
    page.get_by_role("link", name="How sure are we?").last.click()
    wait_for_app(page)
    assert page.get_by_role("heading", name="How sure are we?").is_visible()
    page.goto(f"{shared_server}/guide")
    wait_for_app(page)
    page.get_by_role("link", name="Staffing planner").last.click()
    wait_for_app(page)
    assert page.get_by_role("heading", name="How big should Product Ops be?").is_visible()


def root_font_size(page) -> float:
    return float(page.evaluate("() => parseFloat(getComputedStyle(document.documentElement).fontSize)"))


def test_presentation_mode_survives_page_changes(shared_server, page):
    page.goto(shared_server)
    wait_for_app(page)
    normal = root_font_size(page)
    page.get_by_text("Presentation mode").click()
    wait_for_app(page)
    assert root_font_size(page) > normal
    assert not page.locator("[data-testid=stSidebar]").is_visible()  # collapsed for the projector
    page.locator("[data-testid=stExpandSidebarButton]").click()  # the arrow at the top left reopens it
    page.get_by_role("link", name="Run a workshop").click()
    wait_for_app(page)
    page.wait_for_url("**/run")
    assert page.get_by_role("heading", name="Create a room").is_visible()
    assert root_font_size(page) > normal
    if not page.locator("[data-testid=stSidebar]").is_visible():
        page.locator("[data-testid=stExpandSidebarButton]").click()
    assert page.get_by_role("switch", name="Presentation mode").is_checked()
