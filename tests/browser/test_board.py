"""The facilitator's board on a projector (issue 10): a join address phones can reach, the controls
and the key kept in presentation mode, the results on one 1080p screen, and controls that are safe.

Votes are cast through the room store itself (the participants' page has its own tests), into the
database of the server the test started.
"""

from __future__ import annotations

import io
import re
from urllib.parse import urlsplit

import pytest
import segno
import sqlalchemy as sa
from PIL import Image

from placement.settings import MAX_COMMENT, MAX_PARTICIPANT_NAME
from placement.workshop.links import is_loopback
from placement.workshop.store import RoomStore
from tests.browser.conftest import app_server, wait_for_app

pytestmark = pytest.mark.browser
PUBLIC = "http://workshop.example.test:8080/placement/"


def create_room(page, server: str, presenting: bool = False) -> str:
    page.goto(f"{server}/run")
    wait_for_app(page)
    if presenting:
        page.get_by_text("Presentation mode").click()
        wait_for_app(page)
    page.get_by_label("Title").fill("Where should Product Ops report?")
    page.get_by_role("button", name="Create the room").click()
    page.get_by_text("join?room=").first.wait_for()
    wait_for_app(page)
    return re.search(r"join\?room=([A-Z0-9]{8})", page.get_by_text("join?room=").first.inner_text()).group(1)


def cast_votes(folder, code: str, count: int) -> None:
    store = RoomStore(sa.create_engine(f"sqlite:///{folder / 'rooms.db'}"))
    factors = store.room(code).factor_ids
    for person in range(count):
        token = store.join(code, f"Voter {person + 1}")
        store.submit(code, token, {f: (3 * person + 2 * i) % 11 or 1 for i, f in enumerate(factors)})
    store.engine.dispose()


def qr_mismatch(served: bytes, link: str) -> float:
    """The share of pixels where the served image and a QR code of `link` differ, in black and white."""
    expected = io.BytesIO()
    segno.make(link, error="m").save(expected, kind="png", scale=10, border=2)
    shown = Image.open(io.BytesIO(served)).convert("L")
    drawn = Image.open(expected).convert("L").resize(shown.size, Image.Resampling.NEAREST)
    pairs = zip(shown.point(lambda v: v > 128).tobytes(), drawn.point(lambda v: v > 128).tobytes(), strict=True)
    return sum(a != b for a, b in pairs) / (shown.size[0] * shown.size[1])


def click(page, name: str, then: str) -> None:
    """Click once, then see the button the click leads to: the board's refresh must never swallow a click."""
    page.get_by_role("button", name=name).click()
    wait_for_app(page)
    page.get_by_role("button", name=then).wait_for(timeout=5_000)


def metric(page, label: str) -> str:
    return page.locator("[data-testid=stMetric]", has_text=label).locator("[data-testid=stMetricValue]").inner_text()


def test_a_board_opened_at_localhost_warns_and_a_public_url_makes_the_link_and_qr(fresh_server, page, tmp_path):
    port = urlsplit(fresh_server).port
    create_room(page, f"http://localhost:{port}")
    warning = page.locator("[data-testid=stAlertContentWarning]", has_text="only this computer can reach").inner_text()
    lan = re.search(r"http://([^/\s]+):(\d+)/join", warning)
    assert lan and lan.group(2) == str(port) and not is_loopback(lan.group(1)), warning
    assert "PLACEMENT_PUBLIC_URL" in warning

    public = tmp_path / "public"
    public.mkdir()
    with app_server(public, env={"PLACEMENT_PUBLIC_URL": PUBLIC}) as server:
        code = create_room(page, server)
        link = f"{PUBLIC}join?room={code}"
        assert page.get_by_text(link).first.is_visible()
        assert page.get_by_text("only this computer can reach").count() == 0
        src = page.locator("[data-testid=stImage] img").first.get_attribute("src")
        served = page.request.get(f"{server}{src}" if src.startswith("/") else src).body()
        assert qr_mismatch(served, link) < 0.01  # Streamlit re-encodes the image: compare the modules
        assert qr_mismatch(served, f"http://localhost:8501/join?room={code}") > 0.2


def test_presentation_mode_on_before_the_room_keeps_the_key_and_the_controls(fresh_server, page, tmp_path):
    code = create_room(page, fresh_server, presenting=True)
    assert not page.get_by_role("heading", name="Run a workshop").is_visible()  # backstage
    page.get_by_role("button", name="Facilitator key").click()
    key = re.search(r"Facilitator key: (\S+)\.", page.get_by_text("Facilitator key:").inner_text()).group(1)
    click(page, "I have saved the key", then="Show the facilitator key")
    page.keyboard.press("Escape")
    page.get_by_role("button", name="Show the facilitator key").click()
    assert key in page.get_by_text("Facilitator key:").inner_text()
    page.keyboard.press("Escape")

    cast_votes(tmp_path, code, 1)
    page.wait_for_function(
        "() => [...document.querySelectorAll('button')].some(b => b.innerText.includes('Reveal votes') && !b.disabled)",
        timeout=20_000,
    )
    click(page, "Reveal votes", then="Reopen voting")  # the reveal locks voting
    page.get_by_text("Consensus:").first.wait_for()
    click(page, "Reopen voting", then="Lock voting")
    click(page, "Lock voting", then="Reopen voting")
    click(page, "Start a new round", then="Lock voting")  # a new round is open
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stMetric]')].some(m => m.innerText.includes('Round') && m.innerText.includes('2'))",
        timeout=20_000,
    )
    assert page.locator("[data-testid=stException]").count() == 0


def test_after_the_reveal_each_step_of_the_results_fits_one_1080p_screen(fresh_server, browser, tmp_path):
    """Presentation mode: the steps (ranking and weights, whose weights win, how far apart, how solid, the comments
    page by page) each fit the projector's screen, chart text is 24 px or more, and the steps answer the keyboard."""
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        code = create_room(page, fresh_server, presenting=True)
        comments = cast_votes_with_comments(tmp_path, code, 30)
        page.wait_for_function(
            "() => [...document.querySelectorAll('button')].some(b => b.innerText.includes('Reveal votes') && !b.disabled)",
            timeout=20_000,
        )
        click(page, "Reveal votes", then="Reopen voting")
        steps = page.locator(".st-key-steps_1 button")
        steps.first.wait_for()
        wait_for_app(page)
        assert steps.all_inner_texts() == [
            "Ranking and weights",
            "Whose weights win",
            "How far apart",
            "How solid",
            "Comments (30)",
        ]
        assert min(box["height"] for box in (b.bounding_box() for b in steps.all())) >= 44  # large controls

        sizes = page.evaluate(CHART_TEXT_SIZES)
        assert sizes and min(sizes) >= 24, sizes
        assert_fits(page, "Ranking and weights")
        assert page.locator("[data-testid=stVegaLiteChart]").count() == 2

        steps.first.focus()  # one Tab stop; the arrow keys move between the steps
        page.keyboard.press("ArrowRight")
        page.keyboard.press("Space")
        page.get_by_text("Whose weights make which placement win").wait_for()
        wait_for_app(page)
        assert_fits(page, "Whose weights win")

        steps.nth(2).click()
        page.get_by_text("Factors that divide the room most").wait_for()
        wait_for_app(page)
        assert_fits(page, "How far apart")

        steps.nth(3).click()
        page.get_by_text("How solid is this result?").wait_for()
        wait_for_app(page)
        assert_fits(page, "How solid")

        steps.nth(4).click()
        page.get_by_role("button", name="More comments").wait_for()
        wait_for_app(page)
        seen = []
        while True:
            assert_fits(page, f"comments after {len(seen)}")
            shown = page.locator(".st-key-comments_1 [data-testid=stText]").all_inner_texts()
            seen += shown
            more = page.get_by_role("button", name="More comments")
            if more.is_disabled():
                break
            more.click()
            page.wait_for_function(  # the next page is drawn
                "first => document.querySelector('.st-key-comments_1 [data-testid=stText]')?.innerText !== first",
                arg=shown[0],
            )
            wait_for_app(page)
        assert seen == [f"{name}: {comment}" for name, comment in comments]  # every comment, once, in order
    finally:
        context.close()


# The font size of every text in the board's charts, as drawn (SVG).
CHART_TEXT_SIZES = """() => [...document.querySelectorAll('[data-testid=stVegaLiteChart] svg text')]
  .filter(t => t.textContent.trim()).map(t => parseFloat(getComputedStyle(t).fontSize))"""
LONG_COMMENT = (
    "Keep Product Ops close to the PMs it serves, yet give it the reach to change how every team works; whichever "
    "placement we choose, its first quarter decides whether PMs see it as a partner or as one more process owner. "
    "Measure that, and revisit the placement in a year."
)


def cast_votes_with_comments(folder, code: str, count: int) -> list[tuple[str, str]]:
    """`count` votes, every third with a comment as long as allowed, the others short; names as long as allowed."""
    store = RoomStore(sa.create_engine(f"sqlite:///{folder / 'rooms.db'}"))
    factors = store.room(code).factor_ids
    comments = []
    for person in range(count):
        name = f"Participant with a long name, number {person + 1:03d}"[:MAX_PARTICIPANT_NAME]
        comment = LONG_COMMENT[:MAX_COMMENT] if person % 3 == 0 else f"Short comment {person + 1}"
        token = store.join(code, name)
        store.submit(code, token, {f: (3 * person + 2 * i) % 11 or 1 for i, f in enumerate(factors)}, comment)
        comments.append((name, comment))
    store.engine.dispose()
    return comments


def assert_fits(page, step: str) -> None:
    """The step is on screen as drawn: the page not scrolled, and the step's content ends above the bottom."""
    assert page.locator("[data-testid=stMain]").evaluate("main => main.scrollTop") == 0
    box = page.locator(".st-key-step_content_1").bounding_box()
    assert box["y"] + box["height"] <= 1080, (step, box)


def test_reveal_needs_a_vote_close_needs_confirmation_and_a_closed_room_reopens(fresh_server, page):
    create_room(page, fresh_server)
    assert page.get_by_role("button", name="Reveal votes").is_disabled()

    click(page, "Close the room", then="Yes, close the room")
    click(page, "Cancel", then="Close the room")
    assert metric(page, "Voting") == "open"
    click(page, "Close the room", then="Yes, close the room")
    click(page, "Yes, close the room", then="Reopen the room")
    assert metric(page, "Voting") == "closed"
    assert page.get_by_role("button", name="Start a new round").is_disabled()
    click(page, "Reopen the room", then="Close the room")
    assert metric(page, "Voting") == "open"
