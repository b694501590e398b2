"""`literal`: what st.table draws as Markdown (cells, index labels, headers) shows as typed, whatever the dtype.

pandas 3 keeps text in a string dtype, not `object`; the oracle is markdown-it, not the escaping code."""

import html
import re

import pandas as pd
from markdown_it import MarkdownIt

from ui.common import literal

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
LINK = "[Vote again here](http://127.0.0.1:9/phish)"
IMAGE = "![x](http://127.0.0.1:9/x.png)"


def rendered(text: str) -> str:
    return MARKDOWN.render(text)


def test_every_text_cell_index_label_and_header_is_escaped_whatever_the_dtype():
    frame = pd.DataFrame(
        {"placement": pd.array([LINK, "<b>bold</b>"], dtype="string"), IMAGE: ["*em*", "www.example.com"], "n": [1, 2]},
        index=pd.Index([IMAGE, "# heading"], name=LINK),
    )
    assert frame["placement"].dtype != object and frame[IMAGE].dtype != object  # what pandas 3 makes of text
    shown = literal(frame)
    texts = [*shown.index, shown.index.name, *shown.columns, *shown.iloc[:, 0], *shown.iloc[:, 1]]
    originals = [*frame.index, frame.index.name, *frame.columns, *frame["placement"], *frame[IMAGE]]
    for text, original in zip(texts, originals, strict=True):
        out = rendered(text)
        assert re.fullmatch(r"<p>[^<>]*</p>\n", out), out  # one paragraph of text: no link, image, tag, heading
        assert html.unescape(out[3:-5]).replace("\u2060", "") == original
    assert list(shown["n"]) == [1, 2]
