"""AppTest flows for "How sure are we?" (pages/how_sure.py) and its agreement with the decision record."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from placement.analysis.robustness import Settings
from placement.settings import CERTAINTY_LEVELS
from tests.app.conftest import APP
from ui import registry

PAGE, RECORD = registry.page("how_sure").file, registry.page("decision_record").file


def open_page(preset=None):
    at = AppTest.from_file(APP, default_timeout=30)
    if preset:
        at.query_params["preset"] = preset
    at.run()
    return at.switch_page(PAGE).run()


def verdict(at) -> str:
    """The page's verdict: the heading in the container keyed "verdict"."""
    [heading] = [m.value for m in at.markdown if m.value.startswith("## ") and "leads and the lead is" in m.value]
    return heading.removeprefix("## ").replace("\\", "")


def record_verdict(at) -> str:
    """The verdict in the record preview (keyed "record_preview"): the paragraph under '## Robustness'."""
    [preview] = [m.value for m in at.markdown if "## Robustness" in m.value]
    return preview.split("## Robustness\n\n", 1)[1].split("\n", 1)[0]


def record_setting(at) -> str:
    [preview] = [m.value for m in at.markdown if "## Robustness" in m.value]
    return next(line for line in preview.split("## Robustness", 1)[1].splitlines() if line.startswith("Setting: "))


def texts(at):
    return "\n".join(m.value.replace("\\", "") for m in at.markdown)


def test_page_shows_a_verdict_and_four_charts():
    at = open_page("author")
    assert not at.exception
    assert "Reports to the Head of Product leads" in texts(at)
    assert "hinges on Cross-functional efficiency" in texts(at)
    assert len(at.get("vega_lite_chart")) == 3


def test_weights_carry_over_from_explore():
    at = AppTest.from_file(APP, default_timeout=30).run()
    at.radio(key="preset").set_value("domain_needs").run()
    at.switch_page(PAGE).run()
    assert "Within Product Areas / Verticals leads" in texts(at)
    assert at.slider(key="slider_domain_expertise").value == 10


def test_certainty_control_changes_the_share():
    at = open_page("best_practices")
    sure = texts(at)
    at.select_slider(key="certainty").set_value("We have no idea").run()
    assert not at.exception
    assert texts(at) != sure
    assert "stays first in" in texts(at)


def test_the_page_states_the_monte_carlo_error_it_has():
    at = open_page("author")
    caption = next(c.value for c in at.caption if "Monte Carlo standard error" in c.value).replace("\\", "")
    assert "20,000 sampled weightings (seed 2024)" in caption
    assert "never above 0.35" in caption  # sqrt(0.25 / 20,000) = 0.0035
    assert "within ±" not in caption  # the old claim: one standard error is not a bound


def test_doubting_statements_moves_their_cells_together_and_shows_confidence():
    at = open_page()
    at.session_state["smaa_details"] = True  # what opening the expander does
    at.toggle(key="doubt_statements").set_value(True).run()
    assert not at.exception
    table = at.dataframe[-2].value
    assert 0.0 < table["confidence"].min() < 1.0
    assert any("moves more from run to run" in c.value for c in at.caption)
    at.switch_page(RECORD).run()
    assert "each statement's cells doubted ±1 together" in record_setting(at)


def test_the_sampling_tables_show_shares_as_percentages_in_both_modes():
    at = open_page("author")  # fairly sure, inferred scores doubted: one placement is never first
    at.session_state["smaa_details"] = True  # what opening the expander does
    at.toggle(key="doubt_cells").set_value(True).run()
    central, pairwise = (
        {name: c["type_config"]["format"] for name, c in json.loads(d.proto.columns).items() if "type_config" in c}
        for d in at.dataframe[-2:]
    )
    assert central["first in"] == central["confidence"] == central["PM alignment"] == "percent"
    assert "placement" not in central and "beats →" not in pairwise
    assert pairwise["Head of Product"] == "percent"
    at.toggle(key="presentation").set_value(True).run()
    shown = at.table[-2].value.set_index("placement")
    assert shown["first in"].str.fullmatch(r"\d{1,3}\.\d%").all()  # e.g. 98.4%
    undefined = shown["confidence"] == ""  # a placement never first: blank, not "nan%"
    assert undefined.any() and shown["confidence"][~undefined].str.fullmatch(r"\d{1,3}\.\d%").all()


def test_doubting_cells_lowers_confidence():
    at = open_page()
    at.session_state["smaa_details"] = True  # what opening the expander does
    at.run()
    # With exact scores confidence is 100% by construction, so the column is left out.
    assert "confidence" not in at.dataframe[-2].value.columns
    at.toggle(key="doubt_cells").set_value(True).run()
    confidence_doubted = at.dataframe[-2].value["confidence"]
    assert 0.0 < confidence_doubted.min() < 1.0


def test_sweep_factor_defaults_to_the_hinge_and_can_change():
    at = open_page("author")
    assert at.selectbox(key="sweep_factor").value == "cross_functional_efficiency"
    at.selectbox(key="sweep_factor").set_value("ops_empathy").run()
    assert not at.exception
    assert not [d for d in at.dataframe if "crossing" in d.value.columns]  # closed: not sent
    at.session_state["numbers_crossings"] = True  # what opening the expander does
    at.run()
    crossings = [d.value for d in at.dataframe if "crossing" in d.value.columns][0]
    assert crossings["crossing"].str.contains("Operations").any()


@pytest.mark.parametrize("level", list(CERTAINTY_LEVELS))
@pytest.mark.parametrize("doubt", [False, True])
def test_decision_record_gives_the_pages_verdict(level, doubt):
    """The bug: the record sampled with kappa 30 and exact scores whatever this page said."""
    at = open_page("author")
    at.select_slider(key="certainty").set_value(level).run()
    at.toggle(key="doubt_cells").set_value(doubt).run()
    assert not at.exception
    on_page = verdict(at)
    at.switch_page(RECORD).run()
    assert not at.exception
    assert record_verdict(at) == on_page
    expected = Settings.at_level(level, doubt).describe()
    assert record_setting(at) == f"Setting: {expected}."
    at.switch_page(PAGE).run()  # and back: the page kept the choice
    assert at.select_slider(key="certainty").value == level
    assert verdict(at) == on_page
