"""AppTest flows for the Explore page (app.py)."""

from dataclasses import replace

from streamlit.testing.v1 import AppTest

from placement.analysis.weights import normalise
from placement.data.model import load_model
from placement.data.text import plain
from tests.app.conftest import APP, leader, why_text
from ui import weights as ui_weights


def weights_in_effect(at: AppTest) -> dict[str, str]:
    """Factor -> weight as the sidebar's "Weights in effect" table shows it."""
    [table] = [m.value for m in at.sidebar.markdown if m.value.startswith("### Weights in effect")]
    rows = [line.strip("| ").split(" | ") for line in table.splitlines() if line.startswith("| ")][2:]
    return {factor.replace("\\", ""): weight for factor, weight in rows}


def test_default_view_has_no_error_and_balanced_weights(explore):
    assert not explore.exception
    assert explore.radio(key="preset").value == "balanced"
    assert [s.value for s in explore.sidebar.slider] == [5] * 8
    assert list(weights_in_effect(explore).values()) == ["12%"] * 8  # 1/8 each, in the model's order
    assert list(weights_in_effect(explore)) == [f.name for f in load_model().factors]
    assert "Reports to the Head of Product leads" in leader(explore)
    assert explore.query_params == {} or dict(explore.query_params) == {}


def test_slider_move_changes_the_ranking(explore):
    explore.slider(key="slider_ops_empathy").set_value(10).run()
    explore.slider(key="slider_pm_alignment").set_value(0).run()
    explore.slider(key="slider_global_tradeoffs").set_value(0).run()
    assert not explore.exception
    assert leader(explore).startswith("Rolls up into Operations leads")
    assert explore.radio(key="preset").value == "custom"
    assert "ops_empathy:10" in explore.query_params["w"]


def test_preset_sets_the_weights_and_the_url(explore):
    explore.radio(key="preset").set_value("domain_needs").run()
    assert [s.value for s in explore.sidebar.slider] == [3, 1, 1, 10, 1, 3, 1, 1]
    assert leader(explore).startswith("Within Product Areas / Verticals leads")
    assert explore.query_params["preset"] == "domain_needs"


def test_link_with_preset_reproduces_the_view():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["preset"] = "best_practices"
    at.run()
    assert at.radio(key="preset").value == "best_practices"
    assert leader(at).startswith("Rolls up into central Biz Ops leads")
    assert not at.warning


def test_bad_query_parameter_shows_a_notice_and_falls_back():
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["w"] = "pm_alignment:99,<script>:1"
    at.query_params["method"] = "telepathy"
    at.run()
    assert not at.exception
    notices = [w.value for w in at.warning]
    assert any("method" in n for n in notices)
    assert any("pm\\_alignment" in n for n in notices)
    assert at.radio(key="preset").value == "balanced"


def test_rank_method_uses_rank_order_centroid(explore):
    explore.radio(key="method").set_value("rank").run()
    for factor, position in [("domain_expertise", 1), ("pm_credibility", 2), ("pm_alignment", 3)]:
        explore.selectbox(key=f"rank_{factor}").set_value(position)
    for factor in ["ops_empathy", "cross_functional_efficiency", "global_tradeoffs", "flexibility", "best_practices"]:
        explore.selectbox(key=f"rank_{factor}").set_value(8)
    explore.run()
    assert not explore.exception
    weights = weights_in_effect(explore)
    expected = (1 + 1 / 2 + 1 / 3 + 1 / 4 + 1 / 5 + 1 / 6 + 1 / 7 + 1 / 8) / 8
    assert weights["Domain expertise"] == f"{expected:.0%}"
    assert leader(explore).startswith("Within Product Areas / Verticals leads")
    assert explore.query_params["method"] == "rank"


def test_all_zero_sliders_are_refused_with_a_message(explore):
    for slider in explore.sidebar.slider:
        slider.set_value(0)
    explore.run()
    assert not explore.exception
    assert any("Every weight is 0" in e.value for e in explore.error)
    assert "leads" in leader(explore)


def test_choosing_the_starting_preset_is_the_way_back_to_the_defaults(explore):
    """No reset button: custom weights say which preset the app starts from, and choosing it restores them."""
    explore.radio(key="preset").set_value("author").run()
    explore.radio(key="method").set_value("rank").run()
    assert explore.radio(key="preset").value == "custom"
    assert "the app starts from Balanced" in "\n".join(c.value for c in explore.sidebar.caption)
    assert not explore.sidebar.button  # one place to go back, not two
    explore.radio(key="preset").set_value("balanced").run()
    assert (explore.radio(key="method").value, explore.radio(key="preset").value) == ("sliders", "balanced")
    assert [s.value for s in explore.sidebar.slider] == [5] * 8
    assert not any("the app starts from" in c.value for c in explore.sidebar.caption)


def test_evidence_gap_is_shown(explore):
    assert any("no risk for Reports to the Head of Product" in i.value for i in explore.info)
    assert "evidence gap" in why_text(explore)


def test_every_chart_has_a_table_one_click_away(explore):
    charts = explore.get("vega_lite_chart")
    assert len(charts) == 2  # the ranking, and the open tab behind the scores
    assert len(explore.expander) >= len(charts)
    explore.session_state["numbers_ranking"] = True  # what opening the expander does
    explore.run()
    table = next(e for e in explore.expander if e.dataframe).dataframe[0].value
    assert table["placement"].iloc[0] == "Reports to the Head of Product"
    assert table["score"].iloc[0] == 65.6  # balanced: 50 + 25 * 5/8


def test_the_preset_says_how_it_was_chosen_and_how_clearly_its_placement_leads(explore):
    explore.radio(key="preset").set_value("author").run()
    captions = " ".join(c.value for c in explore.sidebar.caption).replace("\\", "")
    assert "Our weighting, not the source's (it gives none)" in captions
    assert explore.radio(key="preset").format_func("author") == "Our reading of the author's priorities"
    explore.radio(key="preset").set_value("best_practices").run()
    captions = " ".join(c.value for c in explore.sidebar.caption).replace("\\", "")
    # Hand-worked in tests/analysis/test_presets.py: 25 * 3/32 = 2.3 points.
    assert "only 2.3 points ahead of Reports to the Head of Product: a narrow lead" in captions


def test_the_weights_in_effect_table_is_plain_markdown_with_names_escaped():
    model = load_model()
    renamed = replace(model, factors=(replace(model.factors[0], name="PM | alignment *now*"), *model.factors[1:]))
    weights = normalise(renamed.presets["author"].weights, renamed.factor_ids)
    lines = ui_weights.weights_in_effect(renamed, weights).splitlines()
    assert lines[:4] == ["### Weights in effect", "", "| factor | weight |", "| :-- | --: |"]
    assert lines[4] == "| PM \\| alignment \\*now\\* | 21% |"  # 8/38: a pipe cannot split the row
    assert len(lines) == 4 + len(model.factors)
    assert lines[5:] == [f"| {plain(f.name)} | {weights[f.id]:.0%} |" for f in model.factors[1:]]
