"""Issue 12: names from an uploaded model are text on every page, never Markdown or HTML.

A factor named like a Markdown image and a placement named like a link or an <img> tag must show
literally, and the browser must never ask the host they point at for anything.
"""

from __future__ import annotations

import json
import re

import pytest

from placement.data.model import load_model
from placement.data.modelfile import to_json
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

HOST = "127.0.0.1:9"  # the discard port: nothing answers, so only the request itself would show
FACTOR_NAME = f"![x](http://{HOST}/x.png) *big* `code`"
PLACEMENT_NAME = f"[click me](http://{HOST}/go) <img src=http://{HOST}/y.png>"
SHORT_NAME = f"<b>Bold</b> ![s](http://{HOST}/s.png)"


def hostile_model_file() -> bytes:
    model = load_model()
    document = json.loads(to_json(model))
    document["factors"][0]["name"] = FACTOR_NAME
    document["placements"][0]["name"] = PLACEMENT_NAME
    document["placements"][0]["short_name"] = SHORT_NAME
    return json.dumps(document).encode("utf-8")


def shown(page) -> str:
    """The page's visible text, without the invisible joiners that break emoji shortcodes."""
    return page.locator("[data-testid=stMain]").inner_text().replace("\u2060", "")


def test_uploaded_names_render_literally_and_fetch_nothing(fresh_server, page):
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{fresh_server}/make_it_yours")
    wait_for_app(page)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": "hostile.json", "mimeType": "application/json", "buffer": hostile_model_file()}]
    )
    page.get_by_text("Loaded 'hostile.json'.").wait_for()
    wait_for_app(page)
    text = shown(page)
    assert SHORT_NAME in text  # a score input's label on Make it yours
    assert FACTOR_NAME in text

    page.get_by_role("link", name="Explore").click()
    page.get_by_role("heading", name="Where should Product Ops report?").wait_for()
    wait_for_app(page)
    text = shown(page)
    assert FACTOR_NAME in text  # the factor's slider label
    assert page.locator(f"[data-testid=stMain] img[src*='{HOST}']").count() == 0
    assert page.locator(f"[data-testid=stMain] a[href*='{HOST}']").count() == 0
    assert page.locator("[data-testid=stMain] [data-testid=stMarkdownContainer] b").count() == 0
    assert "Using your edited model" in page.locator("[data-testid=stSidebar]").inner_text()
    assert not [url for url in requests if re.search(re.escape(HOST), url)], requests
