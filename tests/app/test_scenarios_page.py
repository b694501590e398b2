"""AppTest flows for the Scenarios page."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP
from ui import registry

PAGE = registry.page("scenarios").file


def save(at, name):
    at.text_input[0].input(name)
    at.button[0].click().run()


def test_save_two_scenarios_and_compare_them_side_by_side():
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(PAGE).run()
    assert any("No scenarios yet" in i.value for i in at.info)
    save(at, "Balanced")
    at.radio(key="preset").set_value("ops_enablement").run()
    save(at, "Ops focus")
    assert not at.exception
    assert at.multiselect(key="compare").value == ["Balanced", "Ops focus"]
    ranking = at.dataframe[0].value.set_index("placement")
    assert ranking.loc["Rolls up into Operations", "Ops focus"] == "75.0 (#1)"
    assert ranking.loc["Rolls up into Operations", "Balanced"] == "46.9 (#4)"
    weights = at.dataframe[1].value.set_index("factor")
    assert weights.loc["Ops empathy", "Ops focus"] > weights.loc["Ops empathy", "Balanced"]
    assert any("same score matrix" in m.value for m in at.markdown)
    assert len(at.get("vega_lite_chart")) == 1


def test_cells_that_differ_are_listed_and_a_scenario_can_be_loaded():
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(PAGE).run()
    save(at, "Source")
    at.switch_page(registry.page("make_it_yours").file).run()
    at.session_state["matrix_0"] = {"edited_rows": {0: {"Operations": 1}}, "added_rows": [], "deleted_rows": []}
    at.run()
    at.switch_page(PAGE).run()
    save(at, "Edited")
    differing = at.dataframe[2].value
    assert differing.iloc[0].to_dict() == {
        "cell": "Operations × PM alignment",
        "Source": "-2 documented",
        "Edited": "+1 user",
    }
    at.selectbox(key="manage_choice").set_value("Source").run()
    next(b for b in at.button if b.label == "Load it (weights and edits)").click().run()
    assert at.session_state["active_model"].cells["operations", "pm_alignment"].score == -2


def test_blank_name_is_refused():
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(PAGE).run()
    save(at, "   ")
    assert any("not saved" in e.value for e in at.error)
    assert "scenario name: it is blank. Fix: type a name" in "\n".join(t.value for t in at.text)
    assert "scenarios" not in at.session_state or not at.session_state["scenarios"]


def test_saving_under_a_used_name_replaces_it():
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(PAGE).run()
    save(at, "Mine")
    assert any("Saved 'Mine'" in s.value for s in at.success)
    save(at, " Mine ")
    assert any("Replaced 'Mine'" in s.value for s in at.success)
    assert list(at.session_state["scenarios"]) == ["Mine"]
