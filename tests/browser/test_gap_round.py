"""A gap round in real browsers: three participants on phones propose what the source misses, the facilitator
accepts one risk for the Head of Product placement, and the risk shows in the room's ranking (its score drops),
on the Evidence page and in the decision record."""

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from tests.browser.conftest import create_room, join_and_vote, wait_for_app, wait_for_votes
from tests.browser.test_room_end_to_end import ranking_on

pytestmark = pytest.mark.browser

HOP = "Reports to the Head of Product"
# The ranking chart's score labels (not their white halos), top to bottom.
DRAWN_SCORES = """el => [...el.querySelectorAll('svg text')]
  .filter(t => /^\\d+\\.\\d$/.test(t.textContent) && getComputedStyle(t).stroke !== 'rgb(255, 255, 255)')
  .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top).map(t => parseFloat(t.textContent))"""
RISK = "Operations teams lose their voice in product decisions."


def propose(phone, factor: str, sentence: str, kind: str = "risk", placement: str | None = None) -> None:
    """Fill the phone's "name what is missing" form and send it."""
    form = phone.locator(".st-key-gap_form")
    form.wait_for(timeout=15_000)  # the page follows the board by itself
    wait_for_app(phone)
    for label, choice in (("Placement", placement), ("Factor", factor)):
        if choice:
            select = form.locator("[data-testid=stSelectbox]").filter(has_text=label)
            option = phone.get_by_role("option", name=choice, exact=True)
            for _ in range(5):  # a tap while the page is still settling may not open the list: tap again
                select.locator("input").click()
                if option.is_visible() or _listed(option):
                    break
            option.click()
            expect(select.locator("input")).to_have_value(choice)
    form.get_by_text(kind, exact=True).click()
    form.get_by_label("In one sentence").fill(sentence)
    form.get_by_role("button", name="Send my proposal").click()
    phone.get_by_text("Your proposal is in").wait_for()


def _listed(option) -> bool:
    try:
        option.wait_for(timeout=3_000)
    except PlaywrightTimeout:
        return False
    return True


def test_three_phones_fill_a_gap_and_the_accepted_risk_lowers_head_of_product(fresh_server, browser, page):
    phones = [
        browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
        for _ in range(3)
    ]
    page.goto(f"{fresh_server}/run")
    wait_for_app(page)
    code = create_room(page, "Where should Product Ops report?")
    for i, phone in enumerate(phones):
        join_and_vote(phone, fresh_server, code, f"Person {i + 1}")
    wait_for_votes(page, 3)
    page.get_by_role("button", name="Reveal votes").click()
    page.get_by_text("Consensus:").first.wait_for()
    phones[0].locator(".st-key-room_ranking tbody tr").first.wait_for(timeout=15_000)
    before = dict(ranking_on(phones[0]))

    page.get_by_role("button", name="Open 'name what is missing'").click()
    wait_for_app(page)
    propose(phones[0], "Ops empathy", RISK)
    propose(phones[1], "Ops empathy", "operations teams lose their voice in product decisions")
    propose(phones[2], "Flexibility", "A central team can be lent to any area.", "benefit", "Operations")

    group = page.locator(".st-key-gap_head_of_product_ops_empathy_risk_box")
    group.get_by_text("raised by 2 people").wait_for(timeout=15_000)  # the board follows the proposals
    page.locator(".st-key-gap_operations_flexibility_benefit_box").get_by_text("raised by 1 person").wait_for()
    wait_for_app(page)
    group.get_by_role("button", name="Accept").click()
    page.get_by_text(f"Accepted: Head of Product × Ops empathy, risk -1: {RISK}").wait_for()

    # Open phones follow by themselves (their page watches the round's revision, which the decision moves).
    phones[0].wait_for_function(
        "([name, score]) => [...document.querySelectorAll('.st-key-room_ranking tbody tr')].some(r => {"
        " const cells = [...r.querySelectorAll('td')].map(c => c.innerText.trim());"
        " return cells[0] === name && parseFloat(cells[1]) !== score; })",
        arg=[HOP, before[HOP]],
        timeout=20_000,
    )
    wait_for_app(phones[0])
    phones[2].reload()  # a participant's page, opened again, ranks with the room's model
    wait_for_app(phones[2])
    phones[2].locator(".st-key-room_ranking tbody tr").first.wait_for(timeout=30_000)
    after = dict(ranking_on(phones[2]))
    assert dict(ranking_on(phones[0])) == after  # followed without a reload
    assert after[HOP] == pytest.approx(before[HOP] - 25 / 8, abs=0.11)  # equal weights: one cell of eight, 0 -> -1
    assert {p: s for p, s in after.items() if p != HOP} == {p: s for p, s in before.items() if p != HOP}
    board_scores = page.locator("[data-testid=stVegaLiteChart]").first.evaluate(DRAWN_SCORES)
    assert board_scores == sorted(board_scores, reverse=True)  # the board's ranking redrawn in its new order

    page.get_by_role("link", name="Evidence").click()
    wait_for_app(page)
    hop = page.locator(".st-key-evidence_head_of_product")
    hop.get_by_text(f"Risk raised by the room. {RISK} (round 1, 2 people) → drives Ops empathy (-1)").wait_for()

    page.get_by_role("link", name="Decision record").click()
    wait_for_app(page)
    preview = page.locator(".st-key-record_preview").inner_text()
    assert "Raised by the room" in preview and RISK in preview
    assert "The room named 1" in preview
    for shown in [page, *phones]:
        assert shown.locator("[data-testid=stException]").count() == 0
    for phone in phones:
        phone.context.close()
