"""AppTest flows for the Evidence page."""

from streamlit.testing.v1 import AppTest

from tests.app.conftest import APP
from ui import registry

PAGE = registry.page("evidence").file
EXPLORE = registry.page("explore").file


def open_page():
    at = AppTest.from_file(APP, default_timeout=30).run()
    return at.switch_page(PAGE).run()


def text(at):
    return "\n".join(m.value for m in at.markdown).replace("\\", "")


def test_every_placement_with_its_statements_and_the_cells_they_drive():
    at = open_page()
    assert not at.exception
    body = text(at)
    for heading in [
        "Reports to the Head of Product",
        "Rolls up into Operations",
        "Rolls up into central Biz Ops",
        "Within Product Areas / Verticals",
    ]:
        assert f"### {heading}" in body
    assert "drives 1 cell: Ops empathy (+2, documented)" in body
    assert (
        "drives 3 cells: PM alignment (-2, documented), Visibility and global trade-offs (-1, inferred), "
        "Credibility on PM day-to-day (-1, inferred)"
    ) in body


def test_the_reach_of_each_statement_is_counted_per_placement():
    at = open_page()
    assert "How many cells each statement drives" in [s.value for s in at.header]
    [reach] = [d.value for d in at.dataframe if "cells it drives" in d.value.columns]
    by_statement = reach.set_index(["placement", "statement"])["cells it drives"]
    # Hand count from data/scores.csv: the Head of Product's one benefit drives PM alignment (inferred),
    # Visibility (documented) and Flexibility (inferred); each placement's risk drives two or three cells.
    assert by_statement["Head of Product", "Benefit"] == 3
    assert by_statement["Operations", "Risk"] == 3 and by_statement["Central Biz Ops", "Risk"] == 2
    assert by_statement["Central Biz Ops", "Condition (the source: it 'can work and be effective if ...')"] == 1


def test_the_missing_risk_is_stated_and_the_team_invited_to_add_risks():
    at = open_page()
    gap = " ".join(w.value for w in at.warning)
    assert "no documented risk for Reports to the Head of Product" in gap
    assert "her own experience" in gap and "Make it yours" in gap
    coverage = at.dataframe[0].value.set_index("placement")
    assert coverage.loc["Reports to the Head of Product", "documented risks"] == 0


def test_published_context_is_marked_and_the_hybrid_can_be_added():
    at = open_page()
    body = text(at)
    assert "Published context beyond the source" in [s.value for s in at.header]
    assert "Brian Tolkin" in body and "Melissa Perri and Denise Tilles" in body
    at.button(key="add_uber_hybrid").click().run()
    assert "uber_hybrid" in at.session_state["active_model"].placement_ids
    at.switch_page(EXPLORE).run()
    ranking = at.get("vega_lite_chart")[0]
    assert "Hybrid: Operations line with a product seat" in str(ranking.proto.datasets[0].data.data)


def test_the_hybrids_missing_risk_is_attributed_to_its_published_account_not_the_author():
    """The source never mentions a hybrid: only the Head of Product is the author's own recommendation."""
    at = open_page()
    at.button(key="add_uber_hybrid").click().run()
    gaps = {w.value.split("**")[1]: w.value for w in at.warning if w.value.startswith("**Evidence gap")}
    hybrid = gaps["Evidence gap: no documented risk for Hybrid: Operations line with a product seat."]
    assert "her own experience" not in hybrid
    assert "The source never mentions this placement" in hybrid and "Brian Tolkin" in hybrid
    assert "her own experience" in gaps["Evidence gap: no documented risk for Reports to the Head of Product."]
