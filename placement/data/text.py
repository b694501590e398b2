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
