"""Issue 26: names, titles and comments are text on every screen, whatever Streamlit draws them with.

A facilitator loads a model whose placement, factor, preset and source texts are Markdown links, images,
raw HTML and bare addresses (www., e-mail, http://), all pointing at a logging HTTP server on loopback;
they walk every page in normal and in presentation mode, run a room whose title is hostile too, a phone
joins with a hostile name and comment, and after the reveal the board, the phone and the decision record
show it all. No page may hold an <a> or an <img> made of that text, and the logging server must receive
no request at all.
"""

from __future__ import annotations

import json
import socket
import threading
from urllib.parse import urlsplit

import pytest

from placement.data.model import load_model
from placement.data.modelfile import to_json
from tests.browser.conftest import create_room, join_and_vote, wait_for_app, wait_for_votes
from tests.browser.test_accessibility import PROJECTOR, present
from ui import registry

pytestmark = pytest.mark.browser

DOMAIN = "hostile-names.example"  # the bare addresses' host: it must never become a link's
# Anything on a page that would fetch or lead somewhere: a link, an image, a frame, media.
DERIVED = """([log, domain]) => [...document.querySelectorAll('a, img, iframe, video, audio, source, object')]
  .map(e => e.getAttribute('href') || e.getAttribute('src') || e.getAttribute('data') || '')
  .filter(u => u.includes(log) || u.includes(domain) || u.toLowerCase().startsWith('mailto:'))"""


@pytest.fixture(scope="module")
def logging_server():
    """A server on loopback that answers every HTTP request with 404 and logs its request line: (port, log)."""
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)  # so that the thread sees the end of the module's tests
    log: list[str] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                connection.settimeout(5)
                log.append(connection.recv(4096).decode("latin-1").split("\r\n")[0])
                connection.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield listener.getsockname()[1], log
    done.set()
    thread.join()
    listener.close()


class Hostile:
    """Every hostile text, pointing at the logging server at `log` (host:port)."""

    def __init__(self, log: str):
        self.log = log
        link, image = f"[Vote again here](http://{log}/link)", f"![x](http://{log}/image.png)"
        html = f"<img src=http://{log}/tag.png> <a href=http://{log}/a>a</a> <b>bold</b>"
        bare = f"www.{DOMAIN} ann@{DOMAIN} http://{log}/bare"
        self.placement = f"{link} {html}"
        self.short_name = f"{image} www.{DOMAIN}"
        self.factor = f"{image} *big* `code`"
        self.second_factor = f"{link} ann@{DOMAIN}"
        self.description = f"{image} {bare}"
        self.source = f"{link} {bare}"
        self.preset = f"{image} {link}"
        self.room = f"<img src=http://{log}/t.png> www.{DOMAIN}"  # raw HTML: the board's join line allows HTML
        self.scenario = f"[s](http://{log}/s)"
        self.person = f"[Ann](http://{log}/n) <b>A</b>"  # 40 characters at most
        self.comment = f"{link} {image} {html} {bare}"
        self.decision = f"{link} {bare} <img src=http://{log}/d.png>"

    def model_file(self) -> bytes:
        document = json.loads(to_json(load_model()))
        document["placements"][0].update(name=self.placement, short_name=self.short_name)
        document["placements"][0]["description"] = self.description
        document["factors"][0]["name"] = self.factor
        document["factors"][1]["name"] = self.second_factor
        document["factors"][0]["definition"] = self.description
        next(s for s in document["sources"] if s["id"] == "source")["citation"] = self.source
        document["presets"][0]["name"] = self.preset
        return json.dumps(document).encode("utf-8")


def shown(page, selector: str = "[data-testid=stMain]") -> str:
    """The visible text, without the invisible joiners that keep addresses and shortcodes text."""
    return page.locator(selector).first.inner_text().replace("\u2060", "")


def check(page, hostile: Hostile, where: str) -> None:
    """Nothing made of the hostile text: no link, no image, no error box."""
    assert page.evaluate(DERIVED, [hostile.log, DOMAIN]) == [], where
    assert page.locator("[data-testid=stException]").count() == 0, where


# A click on the sidebar's link to a path, made in the page: the sidebar may be collapsed (presenting).
FOLLOW = """path => [...document.querySelectorAll('[data-testid=stSidebar] a')]
  .find(a => a.getAttribute('href') === path).click()"""


def go(page, page_id: str) -> None:
    """Follow the sidebar's link to a page, in the same session."""
    path = registry.page(page_id).url_path
    page.evaluate(FOLLOW, path)
    page.wait_for_url(lambda url: urlsplit(url).path.strip("/") == path)
    wait_for_app(page)


def open_every_expander(page, label: str) -> None:
    """Open, one by one, the expanders whose tables are drawn only while open."""
    closed = page.locator("[data-testid=stExpander] details:not([open]) summary", has_text=label)
    while closed.count():
        closed.first.click()
        wait_for_app(page)


def ranking_tooltips(page, hostile: Hostile) -> str:
    """Each of the ranking chart's bars hovered in turn (Vega writes its tooltip as HTML): their texts."""
    texts = []
    for bar in page.locator("[data-testid=stVegaLiteChart]").first.locator("path[role=graphics-symbol]").all():
        page.mouse.move(0, 0)  # hides the last tooltip, so that the next one shown is the new bar's
        page.wait_for_function("!document.querySelector('#vg-tooltip-element.visible')")
        bar.hover()
        page.locator("#vg-tooltip-element.visible").wait_for()
        texts.append(page.locator("#vg-tooltip-element").inner_text())
        check(page, hostile, "ranking chart tooltip")
    return "\n".join(texts)


def tour(page, hostile: Hostile, mode: str) -> None:
    """Every page of the app, each checked; tables opened where they wait behind an expander."""
    for page_id in registry.PAGE_IDS:
        go(page, page_id)
        if page_id == "explore":
            open_every_expander(page, "Show the")
            assert hostile.source in shown(page), mode  # the source's citation, in the caption
        if page_id == "evidence":
            text = shown(page)
            assert hostile.placement in text and hostile.description in text, mode
        check(page, hostile, f"{page_id} ({mode})")


def test_hostile_text_is_text_on_every_page_board_phone_and_record(shared_server, browser, logging_server):
    port, requests = logging_server
    hostile = Hostile(f"127.0.0.1:{port}")
    facilitator = browser.new_context(viewport=PROJECTOR).new_page()
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True).new_page()

    facilitator.goto(f"{shared_server}/make_it_yours")
    wait_for_app(facilitator)
    facilitator.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": "hostile.json", "mimeType": "application/json", "buffer": hostile.model_file()}]
    )
    facilitator.get_by_text("Loaded 'hostile.json'.").wait_for()
    wait_for_app(facilitator)
    check(facilitator, hostile, "make it yours, loaded")

    # Explore with the preset's name in the sidebar, then pairwise comparisons: a judgement's words name factors.
    go(facilitator, "explore")
    assert hostile.preset in shown(facilitator, "[data-testid=stSidebar]")
    assert hostile.placement in ranking_tooltips(facilitator, hostile)
    facilitator.get_by_text("Compare pairs", exact=True).click()
    wait_for_app(facilitator)
    first_pair = facilitator.locator("[data-testid=stSidebarContent] input[type=range]").first
    first_pair.focus()
    first_pair.press("ArrowRight")
    wait_for_app(facilitator)
    judged = shown(facilitator, "[data-testid=stSidebar] [data-testid=stSlider]")
    assert f"{hostile.second_factor}: a little more" in judged, judged  # the value, not only the label
    check(facilitator, hostile, "explore, pairwise")

    go(facilitator, "scenarios")  # a saved scenario, so that its tables are drawn
    facilitator.get_by_label("Name this scenario").fill(hostile.scenario)
    facilitator.get_by_role("button", name="Save the current weights and edits").click()
    facilitator.get_by_text("Saved '").wait_for()
    wait_for_app(facilitator)
    tour(facilitator, hostile, "normal")

    # The room, run from the session that holds the hostile model; one phone votes with a hostile name.
    go(facilitator, "run")
    code = create_room(facilitator, hostile.room)
    join_and_vote(phone, shared_server, code, hostile.person, comment=hostile.comment)
    wait_for_votes(facilitator, 1)
    facilitator.get_by_role("button", name="Reveal votes").click()
    facilitator.get_by_text("Consensus:").first.wait_for()
    facilitator.locator("[data-testid=stExpander] summary", has_text="Participants and room").click()
    wait_for_app(facilitator)
    board = shown(facilitator)
    assert hostile.comment in board and hostile.person in board and hostile.room in board
    check(facilitator, hostile, "board")

    phone.locator(".st-key-room_ranking tbody tr").first.wait_for(timeout=15_000)
    wait_for_app(phone)
    assert hostile.placement in shown(phone, ".st-key-room_ranking")
    assert hostile.factor in shown(phone, ".st-key-room_weights")
    check(phone, hostile, "phone after the reveal")

    # The group's weights and the room's comments go into the decision record, with a hostile decision typed.
    facilitator.get_by_role("button", name="Use the group's weights in Explore and sensitivity").click()
    facilitator.get_by_role("heading", name="Where should Product Ops report?").wait_for()
    wait_for_app(facilitator)
    go(facilitator, "decision_record")
    facilitator.get_by_label("The decision").fill(hostile.decision)
    facilitator.get_by_label("Notes, owners and open questions").fill(hostile.comment)
    facilitator.get_by_label("Title").click()  # leaves the notes: Streamlit applies them
    wait_for_app(facilitator)
    preview = shown(facilitator, ".st-key-record_preview")
    assert hostile.decision in preview and hostile.placement in preview and hostile.comment in preview
    check(facilitator, hostile, "decision record")

    present(facilitator)  # the projector's view: tables become HTML tables, whose cells Streamlit reads as Markdown
    tour(facilitator, hostile, "presentation")
    go(facilitator, "run")
    tables = " ".join(t.inner_text() for t in facilitator.locator("[data-testid=stTable]").all())
    assert hostile.factor in tables.replace("\u2060", "")  # the group's weights, as an HTML table
    check(facilitator, hostile, "board, presenting")

    assert requests == []
    for page in (facilitator, phone):
        page.context.close()
