"""What a person sees of the charts in Chromium: rows that never overlap, every placement named in full,
reference lines that draw, nothing off the edge, and projector-sized type in presentation mode.

Measured at the two screen widths a room meets (a 1280 px laptop, a 1920 px projector), in both modes.
"""

import re

import pytest

from tests.browser.conftest import wait_for_app
from ui import registry

pytestmark = pytest.mark.browser

SHORT_NAMES = ["Head of Product", "Operations", "Central Biz Ops", "Product Areas"]
FACTORS = 8
SCORE = re.compile(r"\d+\.\d")  # a bar's score label, e.g. 47.4
# Page id -> the charts on it, in page order: (kind, rows, reference lines it must draw).
PAGES = {
    "explore": [("ranking", 4, 1), ("contributions", 4, 1), ("matrix", FACTORS, 0)],
    "how_sure": [("tornado", FACTORS, 0), ("sweep", 0, 1), ("acceptability", 4, 0)],
    "staffing": [("staffing", 0, 0)],
}
# Charts drawn only once their tab is chosen: page id -> the tabs to choose, in turn, after the first charts.
TABS = {"explore": ["The evidence matrix"]}
CASES = [(p, w, m) for p in PAGES for w in (1280, 1920) for m in ("normal", "presentation")]

MEASURE = """
el => {
  const host = el.getBoundingClientRect();
  const svg = el.querySelector('svg');
  const visible = t => t.getAttribute('opacity') !== '0' && getComputedStyle(t).opacity !== '0';
  const box = e => { const b = e.getBoundingClientRect(); return {left: b.left, right: b.right, top: b.top, bottom: b.bottom}; };
  return {
    host: box(el),
    bars: [...svg.querySelectorAll('g.layer_0_marks path')].map(box),
    axisLabels: [...svg.querySelectorAll('g.role-axis-label text')].map(t => ({text: t.textContent, ...box(t)})),
    texts: [...svg.querySelectorAll('text')].filter(visible).map(t => ({
      text: t.textContent, size: parseFloat(getComputedStyle(t).fontSize), ...box(t)})),
    rules: [...svg.querySelectorAll('g.mark-rule.role-mark')].map(g => g.children.length),
    ruleLines: [...svg.querySelectorAll('g.mark-rule.role-mark > *')].map(box),
    halos: [...svg.querySelectorAll('text')].filter(t => getComputedStyle(t).stroke === 'rgb(255, 255, 255)')
      .map(t => ({text: t.textContent, ...box(t)})),
    axisText: [...svg.querySelectorAll('g.role-axis-label text, g.role-axis-title text, g.role-legend-label text, g.role-legend-title text')]
      .map(t => ({text: t.textContent, fill: getComputedStyle(t).fill})),
  };
}
"""


def rows_of(bars: list[dict]) -> list[tuple[float, float]]:
    """Distinct bar rows (top, bottom), top to bottom: bars in one row share their vertical extent."""
    return sorted({(round(b["top"], 1), round(b["bottom"], 1)) for b in bars if b["bottom"] > b["top"]})


def open_page(browser, server: str, page_id: str, width: int, mode: str):
    context = browser.new_context(viewport={"width": width, "height": 1080})
    page = context.new_page()
    page.goto(f"{server}/{registry.page(page_id).url_path}?preset=author")
    wait_for_app(page)
    if mode == "presentation":
        page.get_by_text("Presentation mode", exact=True).click()
        wait_for_app(page)
    return context, page


def measure_charts(page, charts) -> list[dict]:
    charts.first.wait_for()
    page.wait_for_timeout(800)  # Vega draws after the element appears
    return [charts.nth(i).evaluate(MEASURE) for i in range(charts.count())]


@pytest.fixture(scope="module")
def measured(shared_server, browser) -> dict:
    """(page, width, mode) -> every chart's measurements, taken once for the module's tests."""
    out = {}
    for page_id, width, mode in CASES:
        context, page = open_page(browser, shared_server, page_id, width, mode)
        out[page_id, width, mode] = measure_charts(page, page.locator("[data-testid=stVegaLiteChart]"))
        for tab in TABS.get(page_id, []):
            page.get_by_role("tab", name=tab).click()
            wait_for_app(page)
            out[page_id, width, mode] += measure_charts(
                page, page.locator("[role=tabpanel] [data-testid=stVegaLiteChart]")
            )
        context.close()
    return out


@pytest.mark.parametrize(("page_id", "width", "mode"), CASES)
def test_bar_rows_never_overlap_and_leave_a_gap(measured, page_id, width, mode):
    for (kind, rows, _), chart in zip(PAGES[page_id], measured[page_id, width, mode], strict=True):
        if not rows:
            continue
        found = rows_of(chart["bars"])
        assert len(found) == rows, kind
        gap = 0 if kind == "matrix" else 4  # heatmap cells touch by design; bars need air between them
        for (_, bottom), (top, _) in zip(found, found[1:], strict=False):
            assert top - bottom >= gap - 0.5, f"{kind}: rows at {bottom:.0f} and {top:.0f} px overlap"


@pytest.mark.parametrize(("page_id", "width", "mode"), CASES)
def test_every_label_is_shown_whole_and_inside_the_chart(measured, page_id, width, mode):
    for (kind, _, _), chart in zip(PAGES[page_id], measured[page_id, width, mode], strict=True):
        labels = [label["text"] for label in chart["axisLabels"]]
        assert not [text for text in labels if text.endswith("…")], f"{kind}: labels cut short"
        if kind in ("ranking", "contributions", "acceptability"):
            assert set(SHORT_NAMES) <= set(labels), kind
        host = chart["host"]
        outside = [t["text"] for t in chart["texts"] if t["left"] < host["left"] - 1 or t["right"] > host["right"] + 1]
        assert outside == [], f"{kind}: text runs off the chart"


@pytest.mark.parametrize(("page_id", "width", "mode"), CASES)
def test_reference_lines_draw(measured, page_id, width, mode):
    for (kind, _, references), chart in zip(PAGES[page_id], measured[page_id, width, mode], strict=True):
        drawn = [count for count in chart["rules"] if count]
        assert len(drawn) >= references, f"{kind}: an empty reference line"


@pytest.mark.parametrize("page_id", PAGES)
@pytest.mark.parametrize("width", [1280, 1920])
def test_presentation_chart_text_is_at_least_24px(measured, page_id, width):
    for (kind, _, _), chart in zip(PAGES[page_id], measured[page_id, width, "presentation"], strict=True):
        small = sorted({(t["text"], t["size"]) for t in chart["texts"] if t["size"] < 24})
        assert small == [], kind


@pytest.mark.parametrize(("width", "mode"), [(1280, "normal"), (1920, "presentation")])
def test_the_neutral_line_breaks_around_the_scores_it_crosses(measured, width, mode):
    ranking = measured["explore", width, mode][0]
    [neutral] = ranking["ruleLines"]

    def placed(texts: list[dict]) -> set[tuple]:
        return {
            (t["top"] // 1, t["text"], t["left"] // 1, t["right"] // 1) for t in texts if SCORE.fullmatch(t["text"])
        }

    crossed = sorted(s for s in placed(ranking["texts"]) if s[2] < neutral["left"] < s[3])
    assert [text for _, text, _, _ in crossed] == ["47.4", "46.1"]  # the author's weighting: two just under 50
    assert set(crossed) <= placed(ranking["halos"]), "the dashed line runs through a score"


def test_the_placement_names_on_the_sweep_do_not_overlap(measured):
    for width, mode in ((1280, "presentation"), (1920, "normal")):
        sweep = measured["how_sure", width, mode][1]
        names = sorted((t for t in sweep["texts"] if t["text"] in SHORT_NAMES), key=lambda t: t["top"])
        assert [t["text"] for t in names] and len(names) == len(SHORT_NAMES)
        for upper, lower in zip(names, names[1:], strict=False):
            assert lower["top"] >= upper["bottom"] - 1, (upper["text"], lower["text"])


def contrast_on_white(css_rgb: str) -> float:
    """WCAG 2.1 contrast of an opaque CSS 'rgb(r, g, b)' colour against the white chart background."""
    channels = [int(v) / 255 for v in css_rgb[css_rgb.index("(") + 1 : -1].split(",")[:3]]
    r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


@pytest.mark.parametrize("page_id", PAGES)
def test_axis_and_legend_text_meets_aa_contrast(measured, page_id):
    """Axis and legend text on the white chart background: 4.5:1 (the old grey axis labels were 3.72:1)."""
    for (kind, _, _), chart in zip(PAGES[page_id], measured[page_id, 1920, "normal"], strict=True):
        low = sorted({(t["text"], t["fill"]) for t in chart["axisText"] if contrast_on_white(t["fill"]) < 4.5})
        assert chart["axisText"] and low == [], kind
