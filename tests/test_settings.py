"""One palette and one set of defaults: the Streamlit theme must use the package's colours."""

import tomllib
from pathlib import Path

from placement import settings

CONFIG = Path(__file__).resolve().parents[1] / ".streamlit" / "config.toml"


def theme() -> dict:
    return tomllib.loads(CONFIG.read_text(encoding="utf-8"))["theme"]


def test_theme_chart_colours_are_the_placement_palette():
    assert theme()["chartCategoricalColors"] == settings.PLACEMENT_COLOURS


def test_theme_primary_colour_is_the_palette_blue():
    assert theme()["primaryColor"] == settings.PALETTE["blue"] == "#0072B2"


def test_palette_is_okabe_ito():
    # Okabe and Ito (2008), "Color Universal Design": the eight colours in their published order.
    assert settings.PLACEMENT_COLOURS == [
        "#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"
    ]  # fmt: skip


def test_default_certainty_is_one_of_the_levels():
    assert settings.CERTAINTY_LEVELS[settings.DEFAULT_CERTAINTY] == 50.0
