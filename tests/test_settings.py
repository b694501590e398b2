"""One palette and one set of defaults: the Streamlit theme must use the package's colours."""

import tomllib
from pathlib import Path

from placement import settings

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def theme() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]


def test_the_theme_text_is_the_packages_text_colour():
    assert theme()["textColor"] == settings.TEXT


def test_theme_chart_colours_are_the_placement_palette():
    assert theme()["chartCategoricalColors"] == settings.PLACEMENT_COLOURS


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.1's relative luminance of an sRGB colour written #RRGGBB."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(hex_colour: str) -> float:
    return 1.05 / (relative_luminance(hex_colour) + 0.05)


def test_theme_primary_colour_is_not_a_placement_colour():
    # Placement colours mean placements only: buttons, switches and sliders use a neutral that reads as text.
    primary = theme()["primaryColor"].upper()
    assert primary not in [c.upper() for c in settings.PLACEMENT_COLOURS]
    assert contrast_on_white(primary) >= 4.5


def test_theme_text_and_links_meet_aa_on_white():
    # Captions are the text colour at 60% opacity (Streamlit's): blended over white they still need 4.5:1.
    text = theme()["textColor"]
    caption = "#" + "".join(f"{round(0.6 * int(text[i : i + 2], 16) + 0.4 * 255):02X}" for i in (1, 3, 5))
    assert contrast_on_white(caption) >= 4.5
    assert contrast_on_white(theme()["linkColor"]) >= 4.5 and theme()["linkUnderline"] is True


def test_default_certainty_is_one_of_the_levels():
    assert settings.CERTAINTY_LEVELS[settings.DEFAULT_CERTAINTY] == 50.0


def test_streamlit_skips_its_full_collection_after_every_run():
    # Its cost grows with every live session (a room of phones stalled one server near 120); Python's own
    # collection and the app's start-up freeze keep memory flat instead (docs/performance.md has the measurement).
    from streamlit import config

    runner = tomllib.loads(CONFIG.read_text(encoding="utf-8"))["runner"]
    assert runner == {"postScriptGC": False}
    assert config.get_option("runner.postScriptGC") is False  # the installed Streamlit knows the option
