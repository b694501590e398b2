"""AppTest flows for the sensitivity page (pages/2_Sensitivity.py)."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP

PAGE = "pages/2_Sensitivity.py"


def open_page(preset=None):
    at = AppTest.from_file(APP, default_timeout=30)
    if preset:
        at.query_params["preset"] = preset
    at.run()
    return at.switch_page(PAGE).run()


def verdict(at):
    return at.markdown[0].value.replace("\\", "") if at.markdown else ""


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
    at.selectbox(key="preset").set_value("domain_needs").run()
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


def test_doubting_cells_lowers_confidence():
    at = open_page()
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
