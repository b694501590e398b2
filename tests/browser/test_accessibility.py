"""Accessibility audits in real Chromium: axe-core (WCAG 2.1 A and AA), heading order and text contrast.

Every registered page in normal and presentation mode at 1920x1080, a room's board, and the Join form on a
phone. Contrast is computed here from the browser's computed colours (WCAG 2.1 formula), independently of
axe and of the theme file.
"""

from __future__ import annotations

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.conftest import create_room, wait_for_app
from ui import registry

pytestmark = pytest.mark.browser

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "rules": {"heading-order": {"enabled": True}},  # best practice, not a WCAG rule: headings nest in order
    "resultTypes": ["violations"],
}
# Findings that are not ours: (rule id, pattern of the element's selector, why). Kept as short as honest.
# None today: every finding axe reported on these pages was ours and is fixed.
ALLOWED: list[tuple[str, re.Pattern, str]] = []
# WCAG 2.1 colour arithmetic on CSS colours: parse 'rgb(a)(...)', composite over a background, contrast ratio.
CONTRAST_FUNCTIONS = """
  const parse = c => { const p = c.match(/[\\d.]+/g).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; };
  const over = (top, under) => [0, 1, 2].map(i => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
  const linear = v => (v /= 255) <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  const luminance = c => 0.2126 * linear(c[0]) + 0.7152 * linear(c[1]) + 0.0722 * linear(c[2]);
  const ratio = (a, b) => { const [x, y] = [luminance(a), luminance(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
"""
# WCAG 2.1 contrast of every visible text in the document against what is behind it (colours composited
# with their alpha and the elements' opacity). Large text is 24 px, or 18.66 px bold. Text in disabled
# controls is exempt (WCAG 1.4.3); chart text drawn in SVG is left to the charts part of issue 14.
LOW_CONTRAST_TEXT = (
    """() => {"""
    + CONTRAST_FUNCTIONS
    + """
  const chain = el => { const all = []; for (let e = el; e; e = e.parentElement) all.unshift(e); return all; };
  const inside = (el, box) => { const r = el.getBoundingClientRect(), x = (r.left + r.right) / 2, y = (r.top + r.bottom) / 2;
    return x >= box.left && x <= box.right && y >= box.top && y <= box.bottom; };
  const background = el => chain(el).reduce((under, e) => {  // ancestors drawn behind it (not beside it)
    const c = parse(getComputedStyle(e).backgroundColor);
    return c[3] > 0 && inside(el, e.getBoundingClientRect()) ? over(c, under) : under;
  }, [255, 255, 255, 1]);
  const opacity = el => chain(el).reduce((o, e) => o * Number(getComputedStyle(e).opacity), 1);
  const low = [];
  for (const el of document.body.querySelectorAll('*')) {
    const text = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!text || !el.getClientRects().length || el.closest('svg, :disabled, [aria-disabled=true]')) continue;
    const style = getComputedStyle(el);
    const alpha = opacity(el);
    if (style.visibility !== 'visible' || alpha < 0.05) continue;  // not shown (e.g. a slider's hover value)
    const colour = parse(style.color); colour[3] *= alpha;
    const behind = background(el);
    const px = parseFloat(style.fontSize);
    const needed = px >= 24 || (px >= 18.66 && Number(style.fontWeight) >= 700) ? 3 : 4.5;
    const found = ratio(over(colour, behind), behind);
    if (found < needed) low.push(`${found.toFixed(2)}:1 < ${needed}:1 at ${px}px: "${el.textContent.trim().slice(0, 40)}"`);
  }
  return low;
}"""
)
# Accessible names a screen reader would read with a Markdown escape in them ("Cross\\-functional"): Streamlit
# names a widget after its label as the page wrote it, Markdown escapes included.
ESCAPED_NAMES = """() => [...document.querySelectorAll('[aria-label]')]
  .map(el => el.getAttribute('aria-label')).filter(name => /\\\\[!-\\/:-@[-`{-~]/.test(name))"""
PROJECTOR = {"width": 1920, "height": 1080}


@pytest.fixture
def projector(browser):
    context = browser.new_context(viewport=PROJECTOR)
    yield context.new_page()
    context.close()


def own_violations(page) -> list[str]:
    """axe-core's violations on the page, less the allowed ones: '<rule>: <selector>' each."""
    results = Axe().run(page, options=AXE_OPTIONS).response
    found = [(v["id"], " ".join(map(str, node["target"]))) for v in results["violations"] for node in v["nodes"]]
    return [f"{rule}: {target}" for rule, target in found if not allowed(rule, target)]


def allowed(rule: str, target: str) -> bool:
    return any(rule == allowed_rule and pattern.search(target) for allowed_rule, pattern, _ in ALLOWED)


def present(page) -> None:
    """Turn presentation mode on with the page open, as a facilitator does, and wait for the large type."""
    page.get_by_text("Presentation mode", exact=True).click()
    page.wait_for_function("getComputedStyle(document.documentElement).fontSize === '24px'")
    wait_for_app(page)


def audit(page) -> dict[str, list[str]]:
    """What the page gets wrong: axe-core's findings of ours, text below the AA contrast for its size, and
    accessible names read out with a Markdown escape."""
    return {
        "axe": own_violations(page),
        "contrast": page.evaluate(LOW_CONTRAST_TEXT),
        "names": page.evaluate(ESCAPED_NAMES),
    }


@pytest.mark.parametrize("presenting", [False, True], ids=["normal", "presentation"])
@pytest.mark.parametrize("page_id", registry.PAGE_IDS)
def test_every_page_passes_the_audit(shared_server, projector, page_id, presenting):
    projector.goto(f"{shared_server}/{registry.page(page_id).url_path}")
    wait_for_app(projector)
    if presenting:
        present(projector)
    assert audit(projector) == {"axe": [], "contrast": [], "names": []}


def test_a_room_board_and_its_join_form_pass_the_audit(fresh_server, projector, phone):
    """The board with its QR code (presented to the room), and the Join form on a phone."""
    projector.goto(f"{fresh_server}/{registry.page('run').url_path}")
    wait_for_app(projector)
    code = create_room(projector, "Where should Product Ops report?")
    projector.get_by_role("img", name=re.compile(f"QR code .*{code}")).wait_for()  # named by its link
    assert audit(projector) == {"axe": [], "contrast": [], "names": []}
    present(projector)
    assert audit(projector) == {"axe": [], "contrast": [], "names": []}
    phone.goto(f"{fresh_server}/{registry.page('join').url_path}?room={code}")
    wait_for_app(phone)
    assert phone.get_by_label(re.compile("Your name")).is_visible()
    assert audit(phone) == {"axe": [], "contrast": [], "names": []}
