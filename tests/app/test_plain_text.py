"""`plain`: text typed by someone shows as typed in Markdown, escaping only what Markdown would act on.

The oracle is markdown-it (CommonMark with GFM's tables and strikethrough), not the escaping code."""

import html

from hypothesis import assume, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from ui.common import plain

MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])
# Every character that starts a Markdown construct, plus a letter, a digit and spaces to put them in context.
TYPED = st.text(alphabet="-.#+=>*_`[]()!|~<$\\ 1a", min_size=1, max_size=12)


@given(TYPED)
def test_typed_text_renders_as_typed(text):
    assume(not text.startswith("    "))  # a code block in CommonMark; names the app makes are stripped (editing.py)
    expected = html.escape(text.strip(), quote=False)
    assert MARKDOWN.render(plain(text)) == (f"<p>{expected}</p>\n" if expected else "")


def test_a_hyphen_is_escaped_only_where_it_starts_a_list_or_a_rule():
    assert plain("Cross-functional efficiency") == "Cross-functional efficiency"  # what a screen reader reads
    assert plain("- not a list") == "\\- not a list"
    assert plain("---") == "\\---"
