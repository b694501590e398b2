"""The placement palette, checked with colour-science (an independent implementation of the colour maths).

Every pair of placement colours must stay at CIEDE2000 distance >= 20 for normal vision and under
simulated deuteranopia, protanopia and tritanopia (Machado, Oliveira & Fernandes 2009, severity 1),
and every colour must have 3:1 contrast against white (WCAG 2.1 non-text contrast).
"""

import itertools
import warnings

import numpy as np
import pytest

from placement import settings

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # colour-science warns about optional extras it does not need here
    import colour

    # Machado's tritan matrices model a shift of the S cone, an approximation of tritanopia (the library
    # warns so); they are the published ones and the same model the measurements used.
    SIMULATIONS = {"normal": None} | {
        kind: colour.blindness.matrix_cvd_Machado2009(kind, 1.0)
        for kind in ("Deuteranomaly", "Protanomaly", "Tritanomaly")
    }
SRGB = colour.RGB_COLOURSPACES["sRGB"]


def lab(hex_colour: str, simulation: np.ndarray | None) -> np.ndarray:
    """CIELAB (D65) of a colour as seen with the given colour-vision simulation (applied in linear RGB)."""
    linear = colour.cctf_decoding(np.array(colour.notation.HEX_to_RGB(hex_colour)))
    if simulation is not None:
        linear = np.clip(simulation @ linear, 0, 1)
    return colour.XYZ_to_Lab(colour.RGB_to_XYZ(linear, SRGB, apply_cctf_decoding=False))


def closest_pair(palette: list[str], simulation: np.ndarray | None) -> float:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return min(
            float(colour.delta_E(lab(a, simulation), lab(b, simulation), method="CIE 2000"))
            for a, b in itertools.combinations(palette, 2)
        )


@pytest.mark.parametrize("vision", SIMULATIONS)
def test_every_placement_pair_stays_distinguishable(vision):
    assert closest_pair(settings.PLACEMENT_COLOURS, SIMULATIONS[vision]) >= 20


def test_the_check_fails_for_okabe_ito():
    """Okabe-Ito, the palette used before, has pairs at 11-16 under tritanopia (orange and pink)."""
    okabe_ito = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9"]
    assert closest_pair(okabe_ito, SIMULATIONS["Tritanomaly"]) < 20


@pytest.mark.parametrize("hex_colour", settings.PLACEMENT_COLOURS)
def test_placement_colours_stand_out_on_white(hex_colour):
    luminance = float(colour.sRGB_to_XYZ(colour.notation.HEX_to_RGB(hex_colour))[1])
    assert (1.0 + 0.05) / (luminance + 0.05) >= 3.0
