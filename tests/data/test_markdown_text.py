"""`plain`: typed text shows as typed in Markdown, escaping only what Markdown would act on, and nothing in it
becomes a link, an image or HTML.

The oracles are markdown-it (CommonMark with GFM's tables and strikethrough), not the escaping code, and GFM's
own definition of the addresses it turns into links (the extended autolinks of the GFM spec, section 6.9)."""

import html
import re

from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from placement.data.text import plain

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Every character that starts a Markdown construct, plus a letter, a digit and spaces to put them in context.
TYPED = st.text(alphabet="-.#+=>*_`[]()!|~<$\\ 1a", min_size=1, max_size=12)
# Links, images, HTML, entities and addresses: pieces that make them, shuffled with anything else.
PIECES = [
    "[",
    "](",
    ")",
    "![",
    "<",
    ">",
    "<img src=x>",
    "<a href=y>",
    "&lt;",
    "&#60;",
    "&amp",
    ";",
    "http://",
    "https://",
    "www.",
    "WWW.",
    "a@b.co",
    "@",
    "mailto:",
    ":smile:",
    "x.com",
    "\\",
    "`",
    " ",
    "-",
    "1.",
    "#",
]
PRINTABLE = st.text(st.characters(categories=["L", "N", "P", "S"], include_characters=" "), min_size=1, max_size=3)
HOSTILE = st.lists(st.one_of(st.sampled_from(PIECES), PRINTABLE), max_size=10).map("".join)
# What GFM makes a link of without any brackets: www., http(s):// and e-mail addresses.
GFM_AUTOLINK = re.compile(r"(?i)www\.|https?://|[\w.+-]@[\w-]")
TAG = re.compile(r"<(?!/?(p|td|th|tr|thead|tbody|table)>)[^>]*>")


def visible(rendered: str) -> str:
    """The text a reader sees: tags dropped, entities undone (the invisible word joiners kept)."""
    return html.unescape(re.sub(r"<[^>]+>", "", rendered)).strip()


@given(TYPED)
def test_typed_text_renders_as_typed(text):
    assume(not text.startswith("    "))  # a code block in CommonMark; names the app makes are stripped (editing.py)
    expected = html.escape(text.strip(), quote=False)
    assert MARKDOWN.render(plain(text)) == (f"<p>{expected}</p>\n" if expected else "")


@given(HOSTILE)
def test_any_text_shows_as_typed_and_makes_no_link_image_or_html(text):
    rendered = MARKDOWN.render(plain(text))
    assert not TAG.search(rendered), rendered  # one paragraph of text: no <a>, <img>, HTML, code, emphasis, list
    shown = visible(rendered)
    assert shown.replace("\u2060", "") == text.strip()
    assert not GFM_AUTOLINK.search(shown), shown


@given(HOSTILE)
def test_a_table_cell_holds_its_text_whole(text):
    row = f"| name | n |\n| --- | --- |\n| {plain(text, cell=True)} | 1 |"
    rendered = MARKDOWN.render(row)
    assert not TAG.search(rendered), rendered
    cells = re.findall(r"<td>(.*?)</td>", rendered)
    assert len(cells) == 2 and cells[1] == "1"
    assert html.unescape(cells[0]).replace("\u2060", "") == text.strip()
    assert not GFM_AUTOLINK.search(html.unescape(cells[0]))


def test_bare_addresses_are_kept_whole_but_are_no_longer_addresses():
    text = "see www.example.com, http://example.com or a@example.com"
    assert plain(text).replace("\u2060", "") == text
    assert not GFM_AUTOLINK.search(plain(text))


def test_a_hyphen_is_escaped_only_where_it_starts_a_list_or_a_rule():
    assert plain("Cross-functional efficiency") == "Cross-functional efficiency"  # what a screen reader reads
    assert plain("- not a list") == "\\- not a list"
    assert plain("---") == "\\---"
    assert plain("R&D and Q&A") == "R&D and Q&A"  # an '&' that starts no entity is left alone
