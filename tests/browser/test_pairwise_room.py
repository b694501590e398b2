"""A room that weighs by pairwise comparison, on phones: join, compare, reveal, the same results everywhere.

Two phones say every pair is equal (weights 1/8 each); the third says PM alignment is three times every
factor it meets and the rest equal, a consistent vote with weights (3, 1, ..., 1) / 10. The group weight is
the normalised geometric mean: PM alignment 3^(1/3) / (3^(1/3) + 7) = 17.1%, every other factor
1 / (3^(1/3) + 7) = 11.8% (the arithmetic mean would give PM alignment 18.3%).
"""

import pytest

from tests.browser.conftest import wait_for_app, wait_for_votes

pytestmark = pytest.mark.browser

EQUAL, THREE_TIMES_FIRST, THREE_TIMES_SECOND = 4, 3, 5  # option positions on the scale (9 ... 1 ... 1/9)


def compare(phone, favour: str | None) -> None:
    """Answer every comparison: equal, or `favour` three times the other factor of its pairs."""
    boxes = phone.locator(".st-key-ballot [data-testid=stSelectbox]")
    for i in range(boxes.count()):
        box = boxes.nth(i)
        label = box.locator("[data-testid=stWidgetLabel]").inner_text().replace("\\", "")
        first, _, second = label.removesuffix("?").partition(" or ")
        choice = THREE_TIMES_FIRST if favour == first else THREE_TIMES_SECOND if favour == second else EQUAL
        field = box.locator("input")
        field.scroll_into_view_if_needed()  # a click that has to scroll first only focuses the field on a phone
        field.click()
        phone.get_by_role("option").nth(choice).click()
    phone.get_by_role("button", name="Submit my vote").click()
    phone.get_by_text("Your vote is in (revision 1)").wait_for()
    phone.get_by_text("Your answers hang together: consistency ratio 0.00").wait_for()  # consistent answers


def group_weights_on(phone) -> dict[str, str]:
    rows = phone.locator(".st-key-room_weights tbody tr").all()
    return {r.locator("th").inner_text(): r.locator("td").nth(0).inner_text() for r in rows}


def test_three_phones_compare_pairs_and_see_the_geometric_mean(fresh_server, browser):
    projector = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
    phones = [
        browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()
        for _ in range(3)
    ]
    projector.goto(f"{fresh_server}/run")
    wait_for_app(projector)
    projector.get_by_label("Title").fill("Compare pairs")
    projector.get_by_text("Compare pairs", exact=True).click()
    projector.get_by_role("button", name="Create the room").click()
    wait_for_app(projector)
    code = projector.get_by_text("join?room=").inner_text().split("join?room=")[1][:8]

    for i, phone in enumerate(phones):
        phone.goto(f"{fresh_server}/join?room={code}")
        wait_for_app(phone)
        phone.get_by_label("Your name").fill(f"Phone {i + 1}")
        phone.get_by_role("button", name="Join").click()
        phone.get_by_role("button", name="Submit my vote").wait_for()
        wait_for_app(phone)
        assert phone.locator(".st-key-ballot [data-testid=stSelectbox]").count() == 16  # 2n for eight factors
        compare(phone, "PM alignment" if i == 2 else None)
    wait_for_votes(projector, 3)
    counted = projector.locator("[data-testid=stMetric]", has_text="CR above 0.10")
    assert counted.locator("[data-testid=stMetricValue]").inner_text() == "0"  # before the reveal: a count only

    projector.get_by_role("button", name="Reveal votes").click()
    projector.get_by_text("Consensus:").first.wait_for()
    projector.get_by_text("Every vote has a consistency ratio of 0.10 or less.").wait_for()
    projector.get_by_text("Would a similar group agree?").wait_for()
    for phone in phones:
        phone.locator(".st-key-room_weights tbody tr").first.wait_for(timeout=15_000)
    shown = [group_weights_on(phone) for phone in phones]
    assert shown[0] == shown[1] == shown[2]
    weights = shown[0]
    assert weights.pop("PM alignment") == "17.1%"
    assert set(weights.values()) == {"11.8%"} and len(weights) == 7
    assert "Kendall" in projector.locator("[data-testid=stMarkdown]", has_text="Kendall").first.inner_text()
