"""AppTest flows for Make it yours: edit a cell, restore, add and remove a factor, import and export."""

import json
import re

import pytest
from streamlit.testing.v1 import AppTest

from placement.data import editing, modelfile
from placement.data.model import load_model
from tests.app.conftest import APP, leader
from ui import registry

PAGE = registry.page("make_it_yours").file
EXPLORE = registry.page("explore").file


@pytest.fixture
def page():
    at = AppTest.from_file(APP, default_timeout=30).run()
    return at.switch_page(PAGE).run()


def edit_cell(at, row: int, column: str, value) -> None:
    """What typing into the data editor does."""
    version = at.session_state["version"] if "version" in at.session_state else 0  # noqa: SIM401 (no .get here)
    at.session_state[f"matrix_{version}"] = {
        "edited_rows": {row: {column: value}},
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()


def active(at):
    return at.session_state["active_model"]


def test_editing_a_cell_makes_it_user_set_and_moves_the_ranking(page):
    assert not page.exception
    edit_cell(page, 0, "Operations", 2)  # PM alignment for Operations: -2 -> +2
    edit_cell(page, 4, "Operations", 2)  # global trade-offs: -1 -> +2
    edit_cell(page, 5, "Operations", 2)  # credibility: -1 -> +2
    cell = active(page).cells["operations", "pm_alignment"]
    assert (cell.score, cell.provenance, cell.original_score, cell.original_provenance) == (2, "user", -2, "documented")
    assert "edited cell" in "\n".join(m.value for m in page.markdown)
    page.switch_page(EXPLORE).run()
    assert leader(page).startswith("Rolls up into Operations leads")
    said = "\n".join(w.value for w in page.sidebar.warning)
    assert "Using your edited model" in said
    assert "a reload or a typed address starts again from the source's model" in said  # said before it happens


def test_restore_all_brings_back_the_source_baseline(page):
    edit_cell(page, 0, "Operations", 1)
    restore = next(b for b in page.button if b.label == "Restore the whole source baseline")
    restore.click().run()
    assert active(page).cells == load_model().cells


def test_restore_selected_cells_only(page):
    edit_cell(page, 0, "Operations", 1)
    edit_cell(page, 1, "Head of Product", -1)
    page.multiselect(key="restore_choice").set_value(["Operations × PM alignment"]).run()
    next(b for b in page.button if b.label == "Restore selected cells").click().run()
    cells = active(page).cells
    assert cells["operations", "pm_alignment"] == load_model().cells["operations", "pm_alignment"]
    assert cells["head_of_product", "ops_empathy"].provenance == "user"


def test_out_of_range_edit_is_refused_and_the_model_kept(page):
    edit_cell(page, 0, "Operations", 7)
    assert "active_model" not in page.session_state or active(page).cells == load_model().cells
    errors = "\n".join(e.value for e in page.error)
    assert "not applied" in errors
    assert "Operations × PM alignment" in "\n".join(t.value for t in page.text)


def test_adding_and_removing_a_factor(page):
    page.text_input[0].input("Cost to run")
    page.text_input[1].input("How much the placement costs in management overhead.")
    page.number_input(key="new_factor_operations").set_value(-1)
    page.button[0].click().run()
    model = active(page)
    assert model.factor_ids[-1] == "custom_cost_to_run"
    assert model.cells["operations", "custom_cost_to_run"].score == -1
    assert page.slider(key="slider_custom_cost_to_run").value == 5
    page.switch_page(EXPLORE).run()
    assert not page.exception
    assert any("Cost to run" in str(c.proto.spec) for c in page.get("vega_lite_chart"))
    page.switch_page(PAGE).run()
    page.selectbox(key="remove_choice").set_value("Factor: Cost to run").run()
    next(b for b in page.button if b.label == "Remove it").click().run()
    assert "custom_cost_to_run" not in active(page).factor_ids


def test_adding_a_factor_with_a_blank_name_explains_and_keeps_the_model(page):
    page.button[0].click().run()  # submit the empty form
    errors = "\n".join(t.value for t in page.text)
    assert "name: it is blank" in errors and "definition: it is blank" in errors
    assert "active_model" not in page.session_state


def test_export_offers_json_and_csv(page):
    labels = [b.proto.label for b in page.get("download_button")]
    assert labels == ["Download the whole model (JSON)", "Download the score matrix (CSV)"]


def test_uploading_a_model_file_applies_scores_and_weights(page):
    model = editing.set_score(load_model(), "biz_ops", "pm_credibility", 2)
    weights = {f: (10.0 if f == "best_practices" else 1.0) for f in model.factor_ids}
    page.get("file_uploader")[0].upload("mine.json", modelfile.to_json(model, weights).encode(), "application/json")
    page.run()
    assert not page.exception
    assert active(page).cells["biz_ops", "pm_credibility"].score == 2
    assert page.slider(key="slider_best_practices").value == 10
    assert any("Loaded 'mine.json'" in s.value.replace("\\", "") for s in page.success)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("broken.json", b"{not json", "not valid JSON"),
        ("other.json", json.dumps({"format": "something else"}).encode(), "not a Product Ops placement model file"),
        ("latin.csv", "placement,factor,score\nopérations,x,1\n".encode("latin-1"), "not UTF-8"),
        ("renamed.csv", b"place,factor,score,provenance,evidence,rationale\n", "missing column(s) 'placement'"),
        ("range.csv", None, "9 is out of range"),
    ],
)
def test_bad_uploads_are_explained_and_change_nothing(page, name, content, expected):
    if content is None:
        content = (
            modelfile.scores_csv(load_model())
            .replace("operations,pm_alignment,-2", "operations,pm_alignment,9")
            .encode()
        )
    page.get("file_uploader")[0].upload(name, content, "text/plain")
    page.run()
    assert not page.exception
    assert "not applied" in "\n".join(e.value for e in page.error)
    assert expected in "\n".join(t.value for t in page.text)
    assert "active_model" not in page.session_state


def test_html_in_a_custom_name_stays_plain_text(page):
    page.text_input[0].input("<b>Bold</b> =SUM(A1)")
    page.text_input[1].input("<script>alert(1)</script>")
    page.button[0].click().run()
    assert active(page).factors[-1].name == "<b>Bold</b> =SUM(A1)"
    page.switch_page(EXPLORE).run()
    assert not page.exception
    # Markdown is escaped (every '<' behind a backslash, so no tag can start); tables show raw text.
    assert all(not re.search(r"(?<!\\)<", m.value) for m in page.markdown)
    assert any("\\<b>Bold\\</b> =SUM(A1)" in m.value for m in page.markdown)
