"""One palette and one set of defaults: the Streamlit theme must use the package's colours."""

import tomllib
from pathlib import Path

from placement import settings

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def theme() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]


def test_theme_chart_colours_are_the_placement_palette():
    assert theme()["chartCategoricalColors"] == settings.PLACEMENT_COLOURS


def test_theme_primary_colour_is_not_a_placement_colour():
    """Sliders, switches and buttons use the primary colour: placement colours mean placements only."""
    assert theme()["primaryColor"].upper() not in {c.upper() for c in settings.PLACEMENT_COLOURS}


def test_default_certainty_is_one_of_the_levels():
    assert settings.CERTAINTY_LEVELS[settings.DEFAULT_CERTAINTY] == 50.0
