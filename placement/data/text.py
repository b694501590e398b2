"""Text is text: one cleaner for every string that enters the model, the record or a room's screen.

Control characters (a newline in a name forges a line on the shared screen) and bidirectional
overrides (which reorder what people read) are removed or made spaces; a NUL or an unpaired
surrogate cannot be text at all, so it is refused with a message that says so.
"""

from __future__ import annotations

import re

# Explicit bidirectional embeddings, overrides and isolates, and the invisible direction marks.
BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_LINE_BREAKS = re.compile(r"\r\n|[\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
_CONTROLS = re.compile(f"[\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f{BIDI_CONTROLS}]")
SURROGATE = re.compile("[\ud800-\udfff]")


def text_problem(text: str) -> str | None:
    """Why `text` cannot be accepted at all (a NUL character, a broken character), or None."""
    if "\x00" in text:
        return "the text contains a NUL character (\\0)"
    found = SURROGATE.search(text)
    if found:
        return f"the text contains an invalid character (a lone surrogate \\u{ord(found.group()):04x})"
    return None


def clean_text(text: str, multiline: bool = False) -> str:
    """`text` with control characters and bidirectional overrides removed.

    Line breaks become spaces unless `multiline` (then they become '\\n'); tabs become spaces.
    Anything `text_problem` refuses is removed too, for callers that cannot refuse.
    """
    text = SURROGATE.sub("\ufffd", text)
    text = _LINE_BREAKS.sub("\n" if multiline else " ", text).replace("\t", " ")
    return _CONTROLS.sub("", text)


# The one way typed text (names, comments, citations, a record's notes) goes into Markdown: it shows as typed,
# and nothing in it becomes a link, an image, HTML, code, emphasis, a formula, an icon or a new block.
# Everything Markdown (with GFM's tables and strikethrough, and Streamlit's maths) acts on anywhere in a line is
# backslash-escaped; screen readers take a widget's label as typed, escapes included ("Budget \(k\)"), so
# nothing else is. A '&' is escaped only where it would start an entity ('&lt;', '&#60;').
MARKDOWN_SPECIALS = re.compile(r"([\\`*_\[\]|<~$])|&(?=#?\w+;)")
# What only means something at the start of a line: a list item, a rule, a heading, a quote, a setext
# underline, a numbered item. Parentheses, dots and '!' elsewhere are plain text once the brackets are escaped.
LEADING_MARKER = re.compile(r"^([-+#>=])")
LEADING_NUMBER = re.compile(r"^(\d{1,9})([.)])(?=\s|$)")  # "1. " starts a list; "99.8%" does not
# GFM makes a link of a bare 'http://...', 'www.' or e-mail address however it is escaped (it looks at the
# text once escapes and entities are undone): an invisible word joiner inside each ('http⁠://', 'www⁠.',
# 'a@⁠b') keeps it text, on screen and in any Markdown reader a downloaded record is opened in.
AUTOLINK = re.compile(r"(?i)(?=://)|www(?=\.)|@")
# ':material/lock:' and ':smile:' draw an icon or an emoji in Streamlit: a word joiner after the colon keeps
# the text as typed on screen but no longer a shortcode.
SHORTCODE_COLON = re.compile(r":(?=(?:material/|streamlit/)?[\w+\-]+:)")
WORD_JOINER = "\u2060"


def plain(text: str, cell: bool = False) -> str:
    """One line of typed text for Markdown, shown literally wherever it is put: a paragraph, a list item, a
    heading, a widget's label or help, a table cell (`cell`: in a GFM table row, where no block can start).

    Control characters and direction overrides are removed, the ends stripped.
    """
    text = clean_text(str(text)).strip()
    text = MARKDOWN_SPECIALS.sub(lambda found: "\\" + found.group(), text)
    if not cell:
        text = LEADING_MARKER.sub(r"\\\1", text)
        text = LEADING_NUMBER.sub(r"\1\\\2", text)
    text = AUTOLINK.sub(lambda found: found.group() + WORD_JOINER, text)
    return SHORTCODE_COLON.sub(":" + WORD_JOINER, text)
