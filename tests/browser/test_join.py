"""A participant in real browsers: levels a swipe cannot move, a page that follows the room, no silent votes."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from placement.data.catalog import load_catalog
from placement.workshop.group import room_factors
from placement.workshop.schema import database_url
from placement.workshop.store import RoomStore
from tests.browser.conftest import wait_for_app
from tests.workshop.test_store import stored_votes
from ui import registry

pytestmark = pytest.mark.browser
FOLLOWS = 8_000  # ms: how soon a participant's page shows the facilitator's action, without a reload
PHONE = 844  # px: the phone's screen height (the fixture's viewport)
PHONE_SCREENS = 1.5  # the page, top to the Submit button, within this many phone screens (measured: 1.46; was 1.89)
TOUCH = 44  # px: the smallest target a finger hits reliably (WCAG 2.5.5)
TAPPED = [1, 5, 0, 3, 2, 4, 5, 1]  # one level per factor, in the room's order
STORED = [2 * level for level in TAPPED]  # on the store's 0..10 scale
# Everything a finger can hit in the vote form, with its size.
TARGETS = """() => [...document.querySelectorAll(
  '[data-testid=stForm] :is(button, input, textarea, summary, a, [role=button], [role=radio], [tabindex="0"])')]
  .filter(e => e.offsetParent !== null)
  .map(e => { const r = e.getBoundingClientRect();
    return {what: e.tagName + ' ' + (e.innerText || e.ariaLabel || '').trim().slice(0, 30), width: r.width, height: r.height}; })"""


def store_for(tmp_path) -> RoomStore:
    """The server's own room database (the fixture points PLACEMENT_DB_PATH at tmp_path/rooms.db)."""
    return RoomStore(sa.create_engine(database_url({"PLACEMENT_DB_PATH": str(tmp_path / "rooms.db")})))


def open_room(tmp_path) -> tuple[RoomStore, str, str, list[str]]:
    model = load_catalog(page_ids=registry.PAGE_IDS).model
    store = store_for(tmp_path)
    code, key = store.create_room("Phones vote here", room_factors(model, model.factor_ids), "sliders", model)
    return store, code, key, model.factor_ids


def join(page, server: str, code: str, name: str) -> None:
    page.set_default_timeout(20_000)
    page.goto(f"{server}/join?room={code}")
    wait_for_app(page)
    page.get_by_label("Your name").fill(name)
    page.get_by_role("button", name="Join").click()
    page.get_by_role("button", name="Submit my vote").wait_for()


def level(page, code: str, number: int, factor: str, value: int):
    """The button of one level of one factor's control in round `number`'s form."""
    return page.locator(f".st-key-vote_{code}_{number}_{factor} button").filter(has_text=re.compile(rf"^{value}$"))


def tap_levels(page, code: str, number: int, factors: list[str], levels: list[int], touch: bool = True) -> None:
    for factor, value in zip(factors, levels, strict=False):
        button = level(page, code, number, factor, value)
        button.tap() if touch else button.click()


def swipe_up(cdp, x: float, y: float, distance: float = 300, steps: int = 10) -> None:
    """A finger put down at (x, y) and moved `distance` px up, as a person scrolls a page."""
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y}]})
    for step in range(1, steps + 1):
        point = {"x": x, "y": y - distance * step / steps}
        cdp.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": [point]})
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})


def test_a_swipe_over_the_form_never_changes_a_phone_vote(fresh_server, tmp_path, phone):
    store, code, key, factors = open_room(tmp_path)
    join(phone, fresh_server, code, "Ana on a phone")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390  # the six levels fit across

    tap_levels(phone, code, 1, factors, TAPPED)
    cdp = phone.context.new_cdp_session(phone)
    for factor, tapped in zip(factors, TAPPED, strict=True):
        other = level(phone, code, 1, factor, (tapped + 3) % 6)
        other.evaluate("e => e.scrollIntoView({block: 'end'})")
        box = other.bounding_box()
        swipe_up(cdp, box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
        phone.wait_for_timeout(300)
    phone.get_by_role("button", name="Submit my vote").tap()
    phone.get_by_text("Your vote is in (revision 1)").wait_for()

    (vote,) = stored_votes(store, code)  # read from the tables: the round is not revealed
    assert vote.values == dict(zip(factors, STORED, strict=True))


def test_a_phone_votes_on_one_and_a_half_screens_with_targets_a_finger_hits(fresh_server, tmp_path, phone):
    store, code, key, factors = open_room(tmp_path)
    join(phone, fresh_server, code, "Ana on a phone")
    wait_for_app(phone)
    submit = phone.get_by_role("button", name="Submit my vote").bounding_box()
    assert phone.locator("[data-testid=stMain]").evaluate("main => main.scrollTop") == 0
    assert (submit["y"] + submit["height"]) / PHONE <= PHONE_SCREENS
    targets = phone.evaluate(TARGETS)
    assert len([t for t in targets if t["what"].startswith("BUTTON")]) >= 6 * len(factors) + 1  # levels, Submit
    assert [t for t in targets if t["width"] < TOUCH or t["height"] < TOUCH] == []


def test_a_refused_vote_says_why_in_view_with_the_focus_on_it(fresh_server, tmp_path, phone):
    store, code, key, factors = open_room(tmp_path)
    join(phone, fresh_server, code, "Cem")
    tap_levels(phone, code, 1, factors[:6], TAPPED[:6])  # the last two left untouched
    phone.get_by_role("button", name="Submit my vote").tap()
    message = phone.locator(".st-key-vote_refused")
    message.get_by_text("Your vote was not recorded.").wait_for()
    phone.wait_for_function("() => document.activeElement.closest('.st-key-vote_refused') !== null")
    wait_for_app(phone)
    box = message.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE, box
    assert "no level chosen for 'Flexibility'" in message.inner_text()
    assert phone.evaluate("document.activeElement.closest('.st-key-vote_refused') !== null")


def test_an_untouched_factor_stops_the_vote_and_is_named(fresh_server, tmp_path, phone):
    store, code, key, factors = open_room(tmp_path)
    join(phone, fresh_server, code, "Ben")
    tap_levels(phone, code, 1, factors[:6], TAPPED[:6])  # the last two factors are left untouched
    phone.get_by_role("button", name="Submit my vote").tap()
    phone.get_by_text("Your vote was not recorded.").wait_for()
    listed = phone.locator("[data-testid=stText]").inner_text()
    assert "no level chosen for 'Flexibility' and 'Best practices and PM coaching'" in listed
    assert "PM alignment" not in listed
    assert stored_votes(store, code) == []
    tap_levels(phone, code, 1, factors[6:], TAPPED[6:])  # the six chosen levels are still chosen
    phone.get_by_role("button", name="Submit my vote").tap()
    phone.get_by_text("Your vote is in (revision 1)").wait_for()
    assert stored_votes(store, code)[0].values == dict(zip(factors, STORED, strict=True))


def test_participants_follow_the_room_live_and_a_late_vote_is_told_it_ended(fresh_server, page, phone, laptop):
    page.set_default_timeout(20_000)
    page.goto(f"{fresh_server}/run")
    wait_for_app(page)
    page.get_by_label("Title").fill("Where should Product Ops report?")
    page.get_by_role("button", name="Create the room").click()
    code = re.search(r"join\?room=([A-Z0-9]{8})", page.get_by_text("join?room=").first.inner_text()).group(1)
    factors = load_catalog(page_ids=registry.PAGE_IDS).model.factor_ids

    join(phone, fresh_server, code, "Ana")
    phone.get_by_text("Voting is open for round 1").wait_for()
    tap_levels(phone, code, 1, factors, TAPPED)
    phone.get_by_role("button", name="Submit my vote").tap()
    phone.get_by_text("Your vote is in (revision 1)").wait_for()

    laptop.clock.install()  # the laptop's page stops following while it sends a late vote
    join(laptop, fresh_server, code, "Ben")
    tap_levels(laptop, code, 1, factors, [4] * len(factors), touch=False)
    laptop.clock.pause_at(laptop.evaluate("Date.now()") + 1_000)
    page.get_by_role("button", name="Start a new round").click()
    page.locator("[data-testid=stMetric]", has_text="Round").get_by_text("2").wait_for()
    laptop.get_by_role("button", name="Submit my vote").click()
    laptop.get_by_text("Round 1 ended before your vote arrived, so it was not counted.").wait_for()
    assert "please vote again" in laptop.locator("[data-testid=stText]").inner_text()
    laptop.clock.resume()
    assert level(laptop, code, 2, factors[0], 4).is_visible()  # round 2's fresh form, ready for the vote

    phone.get_by_text("Voting is open for round 2").wait_for(timeout=FOLLOWS)  # no reload on the phone
    tap_levels(phone, code, 2, factors, TAPPED)
    phone.get_by_role("button", name="Submit my vote").tap()
    phone.get_by_text("Your vote is in (revision 1)").wait_for()
    page.get_by_role("button", name="Lock voting").click()
    phone.get_by_text("Voting is locked. Your vote stands.").wait_for(timeout=FOLLOWS)
    assert phone.get_by_role("button", name="Update my vote").count() == 0
    page.get_by_role("button", name="Reveal votes").click()
    phone.get_by_role("heading", name="The room's results").wait_for(timeout=FOLLOWS)
    assert phone.get_by_text("Round 2 is over").is_visible()
    assert phone.locator("[data-testid=stException]").count() == 0
