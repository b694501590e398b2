"""Slider positions for weights from a model file (placement/urlstate.py: sliders_from_weights)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from placement.present.urlstate import sliders_from_weights
from placement.settings import SLIDER_MAX

IDS = ["a", "b", "c", "d"]


@pytest.mark.parametrize(
    ("weights", "sliders"),
    [
        ({"a": 0, "b": 3, "c": 10, "d": 7}, {"a": 0, "b": 3, "c": 10, "d": 7}),  # already slider positions
        ({"a": 2.0, "b": 5.0}, {"a": 2, "b": 5, "c": 0, "d": 0}),  # whole floats are kept, not stretched
        ({"a": 1}, {"a": 1, "b": 0, "c": 0, "d": 0}),
    ],
)
def test_slider_values_are_kept_when_asked(weights, sliders):
    assert sliders_from_weights(weights, IDS, keep_slider_values=True) == sliders


def test_normalised_weights_are_stretched_even_when_whole():
    # A group that put everything on one factor: weight 1.0 must become slider 10, not 1.
    assert sliders_from_weights({"a": 1.0, "b": 0.0}, IDS) == {"a": 10, "b": 0, "c": 0, "d": 0}


@pytest.mark.parametrize(
    ("weights", "sliders"),
    [
        ({"a": 0, "b": 5, "c": 10, "d": 5}, {"a": 0, "b": 5, "c": 10, "d": 5}),
        ({"a": 0.5, "b": 0.25, "c": 0.125}, {"a": 10, "b": 5, "c": 2, "d": 0}),  # fractions: largest becomes 10
        ({"a": 40, "b": 10, "c": 30, "d": 0}, {"a": 10, "b": 2, "c": 8, "d": 0}),  # above 10: scaled down
        ({"a": 11, "b": 1}, {"a": 10, "b": 1, "c": 0, "d": 0}),
        ({"a": 1 / 3, "b": 2 / 3}, {"a": 5, "b": 10, "c": 0, "d": 0}),
        ({}, {"a": 0, "b": 0, "c": 0, "d": 0}),
        ({"a": 0.0, "b": 0}, {"a": 0, "b": 0, "c": 0, "d": 0}),  # all zero stays zero
    ],
)
def test_sliders_from_weights(weights, sliders):
    result = sliders_from_weights(weights, IDS)
    assert result == sliders
    assert list(result) == IDS
    assert all(type(v) is int for v in result.values())


def test_weights_of_unknown_factors_are_ignored():
    assert sliders_from_weights({"a": 3, "zzz": 50}, ["a", "b"], keep_slider_values=True) == {"a": 3, "b": 0}


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1e6, allow_nan=False), min_size=len(IDS), max_size=len(IDS)))
def test_sliders_are_on_the_slider_scale(values):
    weights = dict(zip(IDS, values, strict=True))
    sliders = sliders_from_weights(weights, IDS)
    assert all(0 <= v <= SLIDER_MAX and type(v) is int for v in sliders.values())
    top = max(values)
    if top == 0:
        assert set(sliders.values()) == {0}
    else:
        assert max(sliders.values()) == SLIDER_MAX
        for f, v in weights.items():  # each slider is the nearest step to the scaled weight
            assert abs(sliders[f] - v * SLIDER_MAX / top) <= 0.5 + 1e-9


def test_huge_weights_do_not_overflow():
    assert sliders_from_weights({"a": 1e308, "b": 5e307}, ["a", "b"]) == {"a": 10, "b": 5}
