"""What keeps reruns close to a bare Streamlit script (issue 16): nothing is built that is not shown, what
does not depend on the weights is built once per model, and the after-run collection stays cheap."""

from __future__ import annotations

import gc
import logging
from dataclasses import replace

import pyarrow as pa
import pytest
from streamlit.testing.v1 import AppTest

from placement.data.editing import set_score
from placement.present import charts, tables
from tests.app.conftest import APP
from ui import common, memory, registry


def counting(monkeypatch, module, name: str) -> list:
    """Count the calls of module.name (the pages look it up at each call)."""
    calls = []
    real = getattr(module, name)
    monkeypatch.setattr(module, name, lambda *args, **kwargs: calls.append(args) or real(*args, **kwargs))
    return calls


MATRIX_TAB = "The evidence matrix"
# Each chart's text alternative, as the package words it.
RANKING = "Placements ranked by score from 0 to 100"
CONTRIBUTIONS = "Benefit and risk contributions per placement, by factor"
MATRIX = "Score matrix of placements by factors with provenance"


def test_a_closed_table_is_not_built_and_an_opened_one_is(monkeypatch):
    built = counting(monkeypatch, tables, "matrix_table")
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["explore_detail"] = MATRIX_TAB  # what choosing its tab does
    at.run()
    at.slider(key="slider_ops_empathy").set_value(9).run()
    assert built == [] and not at.dataframe  # closed expanders: nothing built, nothing sent
    at.session_state["numbers_matrix"] = True  # what opening the expander does
    at.run()
    assert len(built) == 1
    assert "Cross-functional efficiency" in at.dataframe[0].value["factor"].tolist()


def test_only_the_open_tab_behind_the_scores_is_built_and_sent(monkeypatch):
    common._built.clear()
    matrix = counting(monkeypatch, charts, "matrix_chart")
    contributions = counting(monkeypatch, charts, "contributions_chart")
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert [t.label for t in at.tabs] == ["Benefits and risks", MATRIX_TAB]
    assert [c.proto.alt for c in at.get("vega_lite_chart")] == [RANKING, CONTRIBUTIONS]
    assert len(contributions) == 1 and matrix == []
    at.session_state["explore_detail"] = MATRIX_TAB  # what choosing the tab does
    at.run()
    assert [c.proto.alt for c in at.get("vega_lite_chart")] == [RANKING, MATRIX]
    assert len(contributions) == 1 and len(matrix) == 1


def test_the_sampling_details_are_built_only_while_open(monkeypatch):
    """Central weights and the pairwise winning index: folded on "How sure are we?", built and sent when opened."""
    central = counting(monkeypatch, tables, "central_weights_table")
    pairwise = counting(monkeypatch, tables, "pairwise_table")
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(registry.page("how_sure").file).run()
    at.slider(key="slider_ops_empathy").set_value(9).run()
    assert central == [] and pairwise == []
    assert not [d for d in at.dataframe if "beats →" in d.value.columns]
    at.session_state["smaa_details"] = True  # what opening the expander does
    at.run()
    assert len(central) == 1 and len(pairwise) == 1
    assert [d for d in at.dataframe if "beats →" in d.value.columns]


def test_the_evidence_matrix_is_built_once_per_model(monkeypatch):
    common._built.clear()
    drawn = counting(monkeypatch, charts, "matrix_chart")
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["explore_detail"] = MATRIX_TAB
    at.run()
    for level in (2, 9, 4):
        at.slider(key="slider_pm_alignment").set_value(level).run()
    assert len(drawn) == 1  # four runs, three weightings, one model
    sent = pa.ipc.open_stream(at.get("vega_lite_chart")[1].proto.datasets[0].data.data).read_all()
    assert sent.num_rows == 32 and "weight" not in sent.column_names  # cells only: nothing that moves with weights
    model = common.catalog().model
    at.session_state["active_model"] = set_score(model, model.placement_ids[1], model.factor_ids[0], 2)
    at.run()
    assert len(drawn) == 2  # an edited model: its own matrix
    matrix = pa.ipc.open_stream(at.get("vega_lite_chart")[1].proto.datasets[0].data.data).read_all().to_pandas()
    edited = matrix[
        (matrix["short_name"] == model.placements[1].short_name) & (matrix["factor"] == model.factors[0].name)
    ]
    assert edited["score_cell"].tolist() == [2]


def test_charts_send_only_the_fields_they_draw():
    at = AppTest.from_file(APP, default_timeout=30).run()
    ranking, contributions = (
        pa.ipc.open_stream(c.proto.datasets[0].data.data).read_all() for c in at.get("vega_lite_chart")
    )
    drawn = ["rank", "placement", "short_name", "score", "benefit_points", "risk_points", "description", "order"]
    assert ranking.column_names == drawn  # the axis and its order, bars, labels, tooltips and each bar's spoken name
    assert "evidence" not in contributions.column_names and "score_label" not in contributions.column_names
    assert {"points", "rationale", "provenance"} <= set(contributions.column_names)  # tooltips keep theirs


def test_arrow_ready_keeps_every_column_of_a_chart_with_transforms():
    frame = tables.ranking_table(common.catalog().model, [])
    spec = {"transform": [{"calculate": "datum.score * 2", "as": "double"}], "mark": "bar", "datasets": {"d": frame}}
    sent = pa.ipc.open_stream(common.arrow_ready(spec)["datasets"]["d"]).read_all()
    assert sent.column_names == list(frame.columns)


@pytest.fixture
def fresh_freeze(monkeypatch):
    monkeypatch.setattr(memory, "_modules_frozen", 0)
    gc.unfreeze()
    yield
    gc.unfreeze()  # the test process keeps collecting everything


@pytest.mark.usefixtures("fresh_freeze")
def test_the_app_freezes_what_start_up_loaded_once_per_new_modules():
    assert memory.freeze_after_start_up()  # a server's first page: collect once, freeze what survived
    frozen = gc.get_freeze_count()
    assert frozen > 10_000
    assert not memory.freeze_after_start_up()  # nothing new loaded: nothing to do
    assert gc.get_freeze_count() == frozen


@pytest.mark.usefixtures("fresh_freeze")
def test_under_apptest_the_test_process_is_left_alone_unless_asked(monkeypatch):
    AppTest.from_file(APP, default_timeout=30).run()
    assert gc.get_freeze_count() == 0
    monkeypatch.setattr(memory, "UNDER_APPTEST", True)  # as the bench runs pages like a server
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(registry.page("how_sure").file).run()
    assert not at.exception and gc.get_freeze_count() > 0


def test_weights_in_effect_follow_an_edited_model():
    model = common.catalog().model
    renamed = replace(model, factors=(replace(model.factors[0], name="Closeness to PMs"), *model.factors[1:]))
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["active_model"] = renamed
    at.run()
    [table] = [m.value for m in at.sidebar.markdown if m.value.startswith("### Weights in effect")]
    assert "| Closeness to PMs | 12% |" in table


@pytest.mark.parametrize("page", ["explore", "how_sure", "staffing"])
def test_drawing_charts_logs_nothing(page):
    """A chart's description goes out once, as its text alternative: Streamlit logs a warning with a stack
    trace whenever a spec's own description is overridden, which cost every rerun a stack walk per chart."""
    logged = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = logged.append
    logger = logging.getLogger("streamlit.elements.vega_charts")
    logger.addHandler(handler)
    try:
        at = AppTest.from_file(APP, default_timeout=30)
        if page != "explore":
            at.switch_page(registry.page(page).file)
        at.run()
    finally:
        logger.removeHandler(handler)
    charts_drawn = at.get("vega_lite_chart")
    assert charts_drawn and not at.exception
    assert [record.getMessage() for record in logged] == []
    assert all(chart.proto.alt for chart in charts_drawn)  # each still has its text alternative
