"""AppTest flows for the staffing planner, the workshop guide, the decision record and presentation mode."""

import pytest
from markdown_it import MarkdownIt
from streamlit.testing.v1 import AppTest

from placement.present import charts, record
from tests.app.conftest import APP
from ui import registry

STAFFING, GUIDE, RECORD = (registry.page(p).file for p in ("staffing", "guide", "decision_record"))


@pytest.fixture
def app():
    return AppTest.from_file(APP, default_timeout=60).run()


def text(at) -> str:
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_staffing_defaults_to_the_leader_and_cites_every_bound(app):
    app.radio(key="preset").set_value("domain_needs").run()
    app.switch_page(STAFFING).run()
    assert not app.exception
    assert app.selectbox(key="staff_placement").value == "product_areas"
    assert app.radio(key="staff_coverage_product_areas").value == "embedded"
    body = text(app)
    assert "## 3 to 6 Product Ops people for 12 PMs" in body  # 3 areas floor; 6 pods at 1:1
    assert (
        "Low (3, our reading)**: Our reading: within product areas, each of the 3 areas needs at least one person"
        in body
    )
    assert "Source: Sharebird" in body
    assert any("No survey-based benchmark" in i.value.replace("\\", "") for i in app.info)


def test_staffing_edge_cases_explain_themselves(app):
    app.switch_page(STAFFING).run()
    app.number_input(key="staff_pms").set_value(0).run()
    assert "## 0 Product Ops people for 0 PMs" in text(app)
    assert any("no product team to support" in w.value for w in app.warning)
    app.number_input(key="staff_pms").set_value(3).run()
    assert any("more pods (6) than PMs (3)" in w.value.replace("\\", "") for w in app.warning)


def test_staffing_beyond_the_stated_team_sizes_is_labelled_our_extrapolation(app):
    app.switch_page(STAFFING).run()
    app.radio(key="staff_coverage_head_of_product").set_value("central").run()
    app.number_input(key="staff_pms").set_value(2000).run()
    body = text(app)
    assert "## At least 40 Product Ops people for 2000 PMs" in body  # ceil(2000 / 50)
    assert "Low (40, our extrapolation)" in body
    assert any("the rule's source states it for 7 to 50 PMs" in w.value.replace("\\", "") for w in app.warning)
    app.number_input(key="staff_pms").set_value(50).run()  # the edge the source states: published, no warning
    assert "Low (1, published)" in text(app)
    assert not any("extrapolation" in w.value for w in app.warning)


def test_guide_shows_steps_prompts_and_a_timer(app):
    app.switch_page(GUIDE).run()
    assert not app.exception
    assert app.header[0].value.startswith("Step 1 of 9: Set the scene")
    assert "Is that us?" in text(app)
    assert app.get("progress")[0].proto.text.endswith("for this step")
    next(b for b in app.button if b.label == "Start").click().run()
    assert any(b.label == "Pause" for b in app.button)
    next(b for b in app.button if b.label == "Next").click().run()
    assert app.header[0].value.startswith("Step 2 of 9: Weigh the factors alone")
    assert "Ops empathy: How much of Product Ops' work" in text(app)
    assert any(b.label == "Start" for b in app.button)  # a new step starts paused
    next(b for b in app.button if b.label == "Previous").click().run()
    assert app.header[0].value.startswith("Step 1 of 9")


def test_decision_record_matches_the_screen_and_offers_four_downloads(app):
    app.radio(key="preset").set_value("author").run()
    app.switch_page(STAFFING).run()
    app.switch_page(RECORD).run()
    app.text_area(key="record_decision").input("Report to the CPO from Q1 <b>now</b>").run()
    assert not app.exception
    preview = text(app)
    assert "| 1 | Reports to the Head of Product | 75.0 |" in preview
    drawn = "\n".join(m.value for m in app.markdown)  # as sent, escapes included: what a reader sees once rendered
    rendered = MarkdownIt("commonmark").enable("table").render(drawn)
    assert "Report to the CPO from Q1 &lt;b&gt;now&lt;/b&gt;" in rendered and "<b>" not in rendered
    assert "## Staffing" in preview and "for 12 PMs" in preview
    assert "No documented risk for Reports to the Head of Product." in preview
    labels = [d.proto.label for d in app.get("download_button")]
    assert labels == ["Download Markdown", "Download the numbers (CSV)"]  # the slow files once asked for
    next(b for b in app.button if b.label == "Make the HTML (with charts) and PDF").click().run()
    labels = [d.proto.label for d in app.get("download_button")]
    assert labels == [
        "Download Markdown",
        "Download HTML (with charts)",
        "Download PDF",
        "Download the numbers (CSV)",
    ]
    app.text_area(key="record_notes").input("Owner: Ann").run()  # another record: its files are made anew
    assert [d.proto.label for d in app.get("download_button")] == labels[::3]


def test_the_record_page_draws_no_chart_files_until_a_download_is_clicked(app, monkeypatch):
    """Typing notes reruns the page; the HTML's SVG charts (slow) must not be rebuilt each time."""
    drawn = []
    monkeypatch.setattr(record, "_svg", lambda spec: drawn.append(spec) or "<svg></svg>")
    app.switch_page(RECORD).run()
    app.text_area(key="record_notes").input("Owner: Ann").run()
    assert not app.exception
    assert drawn == []


def test_presentation_mode_survives_page_changes(app):
    app.toggle(key="presentation").set_value(True).run()
    for page in (registry.page(p).file for p in ("how_sure", "run", "explore")):
        app.switch_page(page).run()
        assert app.toggle(key="presentation").value is True
        assert not app.exception
    spec = app.get("vega_lite_chart")[0].proto.spec
    assert f'"labelFontSize": {charts.PROJECTOR.font}' in spec  # the projector look, not the screen's


def test_record_staffing_line_is_the_pages_headline(app):
    app.switch_page(STAFFING).run()
    app.number_input(key="staff_pms").set_value(20).run()
    [headline] = [m.value for m in app.markdown if m.value.startswith("## ") and "Product Ops" in m.value]
    assert headline == "## 1 to 2 Product Ops people for 20 PMs"  # central: ceil(20/50) .. a team of two
    app.switch_page(RECORD).run()
    assert not app.exception
    assert f"### Staffing\n\n{headline.removeprefix('## ')} (central team" in text(app)
