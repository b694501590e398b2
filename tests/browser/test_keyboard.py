"""Keyboard only: joining and voting from a phone-sized page, and a visible focus ring everywhere."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import create_room, wait_for_app
from tests.browser.test_accessibility import CONTRAST_FUNCTIONS, PROJECTOR
from ui import registry

pytestmark = pytest.mark.browser

# What has the keyboard focus: tag, role, name (aria-label, else text), its row of levels and its widget's key.
FOCUSED = """() => {
  const e = document.activeElement;
  return {tag: e.tagName, role: e.getAttribute('role'), name: e.getAttribute('aria-label') || e.innerText.trim(),
          group: e.closest('[role=radiogroup]')?.getAttribute('aria-label'),
          key: e.closest('[class*="st-key-"]')?.className.match(/st-key-(\\S+)/)[1]};
}"""
# The focus ring of the focused control: the outline of the nearest visible box from the control up (a switch's
# or a slider's input is invisible, so a box around it shows the ring), and its contrast against the
# background around it, by the WCAG 2.1 formula.
FOCUS_RING = (
    """() => {"""
    + CONTRAST_FUNCTIONS
    + """
  const tiny = e => { const r = e.getBoundingClientRect(); return r.width <= 2 || r.height <= 2; };
  const clipped = e => { for (let a = e.parentElement; a && a !== document.body; a = a.parentElement)
    if (tiny(a) && getComputedStyle(a).overflow !== 'visible') return true; return false; };
  const drawn = e => { const s = getComputedStyle(e);
    return !tiny(e) && !clipped(e) && s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0; };
  const boxes = []; for (let e = document.activeElement; e && boxes.length < 4; e = e.parentElement) boxes.push(e);
  const ring = boxes.find(drawn);
  if (!ring) return {style: 'none', width: 0, contrast: 1};
  const chain = []; for (let e = ring.parentElement; e; e = e.parentElement) chain.unshift(e);
  const around = chain.reduce((under, e) => {
    const c = parse(getComputedStyle(e).backgroundColor); return c[3] > 0 ? over(c, under) : under;
  }, [255, 255, 255, 1]);
  const style = getComputedStyle(ring);
  return {style: style.outlineStyle, width: parseFloat(style.outlineWidth), contrast: ratio(over(parse(style.outlineColor), around), around)};
}"""
)
# The kinds of control that need a ring, as the focused element shows them.
CONTROL_KINDS = {
    "link": "a[href]",
    "button": "button",
    "slider": "input[type=range]",
    "switch": "input[role=switch]",
}


def tab(page) -> dict:
    page.keyboard.press("Tab")
    return page.evaluate(FOCUSED)


def tab_until(page, is_target, limit: int = 30) -> int:
    """Press Tab until `is_target(focused)`; returns how many presses it took."""
    for presses in range(1, limit + 1):
        if is_target(tab(page)):
            return presses
    raise AssertionError(f"not reached in {limit} Tab presses")


def choose_level(page, level: int) -> None:
    """In a focused row of levels (0 first), move to `level` with the arrow keys and select it."""
    for _ in range(level):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")


def test_joining_and_voting_by_keyboard_alone(fresh_server, page, phone):
    page.goto(f"{fresh_server}/{registry.page('run').url_path}")
    wait_for_app(page)
    code = create_room(page, "Keyboard room")
    phone.goto(f"{fresh_server}/{registry.page('join').url_path}")
    wait_for_app(phone)
    # Skip link, the sidebar's arrow and the page itself come first; nothing hidden or decorative.
    assert tab_until(phone, lambda f: f["tag"] == "INPUT") <= 4
    phone.keyboard.type(code)
    assert tab(phone)["name"] == "Go"
    phone.keyboard.press("Enter")
    phone.get_by_label(re.compile("Your name")).wait_for()
    wait_for_app(phone)
    assert phone.evaluate(FOCUSED)["key"] == "join_name"  # after Go: the name field, not the page's top
    phone.keyboard.type("Kim")
    assert tab(phone)["name"] == "Join"
    phone.keyboard.press("Enter")
    phone.get_by_role("button", name="Submit my vote").wait_for()
    wait_for_app(phone)
    factors = phone.locator(".st-key-ballot [role=radiogroup]").evaluate_all("all => all.map(g => g.ariaLabel)")
    focused = phone.evaluate(FOCUSED)
    assert (focused["role"], focused["group"]) == ("radio", factors[0])  # after Join: the first factor's levels
    for following in [*factors[1:], None]:
        choose_level(phone, 5)
        focused = tab(phone)  # the next factor's levels, with no help icon in between
        assert focused["group"] == following
    assert focused["name"] == "One-line comment (optional)"
    assert tab(phone)["name"] == "Submit my vote"
    phone.keyboard.press("Enter")
    phone.get_by_text("Your vote is in (revision 1)").wait_for()
    wait_for_app(phone)
    focused = phone.evaluate(FOCUSED)  # after Submit: the confirmation, announced as a status
    assert focused["role"] == "status" and "Your vote is in (revision 1)" in focused["name"]
    assert "What each factor means" in tab(phone)["name"]  # then the form again, to change the vote
    assert tab(phone)["group"] == factors[0]


def test_every_kind_of_control_shows_a_focus_ring(shared_server, browser):
    context = browser.new_context(viewport=PROJECTOR)
    page = context.new_page()
    page.goto(shared_server)
    wait_for_app(page)
    rings = []  # (kind, name, ring) of every control the first 60 Tab presses reach
    for _ in range(60):
        name = tab(page)["name"]
        kinds = [k for k, s in CONTROL_KINDS.items() if page.evaluate(f"document.activeElement.matches('{s}')")]
        rings += [(kind, name, page.evaluate(FOCUS_RING)) for kind in kinds]
    context.close()
    assert {kind for kind, _, _ in rings} == set(CONTROL_KINDS)
    faint = [(kind, name, ring) for kind, name, ring in rings if not visible_ring(ring)]
    assert faint == []


def visible_ring(ring: dict) -> bool:
    return ring["style"] != "none" and ring["width"] >= 2 and ring["contrast"] >= 3
