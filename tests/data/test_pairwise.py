"""Reading pairwise matrices (placement/data/pairwise.py): cells as numbers or fractions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placement.data.pairwise import parse_judgement


@given(st.integers(1, 999), st.integers(1, 999))
def test_a_fraction_is_its_quotient(numerator, denominator):
    assert parse_judgement(f"{numerator}/{denominator}") == pytest.approx(numerator / denominator)
    assert parse_judgement(f" {numerator} / {denominator} ") == pytest.approx(numerator / denominator)


@pytest.mark.parametrize(("text", "value"), [("3", 3.0), ("0.25", 0.25), (".5", 0.5), ("-2", -2.0), ("1e1", 10.0)])
def test_plain_numbers_keep_their_sign_for_the_checks_to_refuse(text, value):
    assert parse_judgement(text) == value


@pytest.mark.parametrize("text", ["abc", "1/0", "1//3", "3/", "½", "1" * 31, "nan", "inf"])
def test_what_is_not_a_number_or_fraction_is_none(text):
    assert parse_judgement(text) is None
