"""`plain` in Streamlit's own Markdown (GFM, math, directives, shortcodes), as Chromium draws it: typed text
shows as typed, with no link, emphasis, list, heading, quote, code or formula made of it.

tests/app/test_plain_text.py checks the same against markdown-it; this checks the renderer users see."""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import ROOT, app_server, wait_for_app

pytestmark = pytest.mark.browser

TYPED = [
    "Budget (k$) v2.0 {draft} = 1 | 2!",
    "- not a list",
    "1. not numbered",
    "3) nor this",
    "# not a heading",
    "> not a quote",
    "+ nor this",
    "see www.example.com or http://example.com",
    "write to a@example.com",
    "x.www.example.com (www.example.com) mailto:a@example.com",
    "&lt;b&gt; &#60;i&#62; &amp; R&D",
    "a_b *c* **d** `e` [f](g) ~h~ ~~i~~ $x$ <b>j</b>",
    ":material/lock: :smile:",
    "\\*kept\\*",
]
SCRIPT = f"""
import sys
sys.path.insert(0, {str(ROOT)!r})
import streamlit as st
from placement.data.text import plain
for i, text in enumerate({json.dumps(TYPED)}):
    st.container(key=f"typed_{{i}}").markdown(plain(text))
"""
MADE = "a, em, strong, code, del, h1, h2, h3, ul, ol, li, blockquote, .katex, img, b, [data-testid=stIconMaterial]"


@pytest.fixture(scope="module")
def typed_page(tmp_path_factory, browser):
    folder = tmp_path_factory.mktemp("plain")
    script = folder / "typed.py"
    script.write_text(SCRIPT)
    with app_server(folder, script=script) as url:
        page = browser.new_page()
        page.goto(url)
        wait_for_app(page)
        yield page
        page.close()


@pytest.mark.parametrize("index", range(len(TYPED)), ids=TYPED)
def test_typed_text_shows_as_typed_in_streamlit(typed_page, index):
    block = typed_page.locator(f".st-key-typed_{index} [data-testid=stMarkdownContainer]")
    assert block.inner_text().replace("\u2060", "").strip() == TYPED[index]
    assert block.locator(MADE).count() == 0
