"""A whole workshop in real browsers: a facilitator on a 1920x1080 projector, 6 phones and 6 laptops.

The facilitator edits the model first (adds the Hybrid placement), so the room's model differs from
the baseline every participant's own session starts with: phones and projector must still agree.
"""

import re

import pytest

from tests.browser.conftest import create_room, join_and_vote, wait_for_app, wait_for_votes

pytestmark = pytest.mark.browser

PHONES, LAPTOPS = 6, 6
LEAD = re.compile(r"(.+?) leads by ([0-9.]+) points over (.+?)\.")


def ranking_on(participant) -> list[tuple[str, float]]:
    """(placement, score) rows of the room's ranking as a participant's page shows them."""
    rows = participant.locator(".st-key-room_ranking tbody tr").all()
    return [(r.locator("td").nth(0).inner_text(), float(r.locator("td").nth(1).inner_text())) for r in rows]


def test_twelve_people_from_room_to_decision_record(fresh_server, browser):
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    phones = [
        browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
        for _ in range(PHONES)
    ]
    laptops = [browser.new_context(viewport={"width": 1280, "height": 800}).new_page() for _ in range(LAPTOPS)]

    # The facilitator adds the Hybrid placement, then creates the room in the same session.
    projector.goto(f"{fresh_server}/evidence")
    wait_for_app(projector)
    projector.get_by_role("button", name="Add 'Hybrid' to the comparison").click()
    projector.get_by_text("Included in your model").wait_for()
    projector.get_by_role("link", name="Run a workshop").click()
    wait_for_app(projector)
    code = create_room(projector, "Where should Product Ops report?")

    people = phones + laptops
    for i, person in enumerate(people):
        join_and_vote(person, fresh_server, code, f"Person {i + 1}", top_factor=i % 8)
    wait_for_votes(projector, 12)

    projector.get_by_role("button", name="Reveal votes").click()
    projector.get_by_text("Consensus:").first.wait_for()
    wait_for_app(projector)
    leader, gap, runner_up = LEAD.search(
        projector.locator("[data-testid=stMarkdown]", has_text="leads by").first.inner_text()
    ).groups()

    # Every participant's page follows the reveal by itself and shows the room's model and numbers.
    for person in people:
        person.locator(".st-key-room_ranking tbody tr").first.wait_for(timeout=15_000)
    shown = {tuple(ranking_on(person)) for person in people}
    assert len(shown) == 1, shown  # twelve screens, one ranking
    [ranking] = shown
    names = [name for name, _ in ranking]
    assert "Hybrid: Operations line with a product seat" in names  # the room's model, not the baseline
    assert names[0] == leader and names[1] == runner_up
    assert ranking[0][1] - ranking[1][1] == pytest.approx(float(gap), abs=0.11)  # one decimal on each side

    # The group's weights go to Explore and into the decision record, which names the room's size.
    projector.get_by_role("button", name="Use the group's weights in Explore and sensitivity").click()
    projector.get_by_role("heading", name="Where should Product Ops report?").wait_for()
    wait_for_app(projector)
    # Once in CI this link was not found within 30 s of the switch to Explore (not reproduced in 5 runs since).
    projector.get_by_role("link", name="Decision record").click(timeout=90_000)
    wait_for_app(projector)
    preview = projector.locator(".st-key-record_preview").inner_text()
    assert "Participants: 12" in preview
    assert "Hybrid: Operations line with a product seat" in preview
    for page in [projector, *people]:
        assert page.locator("[data-testid=stException]").count() == 0
    for page in [projector, *people]:
        page.context.close()
