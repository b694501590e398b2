"""Colour helpers for the charts: text that reads on a fill (WCAG contrast), and palettes stretched to a count."""

from __future__ import annotations

from placement.settings import INK

WHITE = "#FFFFFF"


def readable_on(fill: str) -> str:
    """Ink or white, whichever contrasts more with `fill` (WCAG relative luminance)."""
    return INK if _contrast(INK, fill) >= _contrast(WHITE, fill) else WHITE


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def repeated(palette: list, count: int) -> list:
    """`palette` repeated from its start until there are `count` of them (colours or line dashes)."""
    return [palette[i % len(palette)] for i in range(count)]


def interpolated(ramp: list[str], count: int) -> list[str]:
    """`count` colours spread evenly along `ramp` (every one of them for a count of one)."""
    if count <= 1:
        return ramp[:count]
    return [ramp[round(i * (len(ramp) - 1) / (count - 1))] for i in range(count)]
