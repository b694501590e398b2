"""The shipped scores against the source's claims, read by hand from the source (not from data/).

The source states one benefit and one risk for three placements, one benefit (and no risk) for reporting
to the Head of Product, and a "works when" condition for the three alternatives. Each line below names
the factor a claim is about, as this project's factor definitions (data/factors.csv) read it.
"""

from __future__ import annotations

import pytest

from placement.data.model import CONDITION_SCORE

# (placement, factor) -> the kind of claim the source makes about it.
SOURCE_CLAIMS = {
    # Full visibility into and alignment with Product's priorities and staffing, to make global trade-offs.
    ("head_of_product", "global_tradeoffs"): "benefit",
    # Deep awareness of and empathy for the operations teams and their workflows.
    ("operations", "ops_empathy"): "benefit",
    # Loses touch with PMs; seen as downstream rather than an embedded member of the team.
    ("operations", "pm_alignment"): "risk",
    # Drives change and efficiency in partnership with Sales, Marketing and Engineering Ops.
    ("biz_ops", "cross_functional_efficiency"): "benefit",
    # Seen as a consultant who lacks the day-to-day context of product management.
    ("biz_ops", "pm_credibility"): "risk",
    # Works when the focus is developing best practices and coaching PMs (a condition, not a benefit).
    ("biz_ops", "best_practices"): "works_when",
    # Work tailored to the priorities of its own domain.
    ("product_areas", "domain_expertise"): "benefit",
    # Locally optimised and inflexible; may hold on to tasks it could hand off.
    ("product_areas", "flexibility"): "risk",
}
STRONG = 2  # a stated benefit or risk may score up to the end of the scale


def documented(model):
    return {key: cell for key, cell in model.cells.items() if cell.provenance == "documented"}


def test_exactly_the_source_claims_are_documented(model):
    assert set(documented(model)) == set(SOURCE_CLAIMS)


@pytest.mark.parametrize(("key", "kind"), list(SOURCE_CLAIMS.items()))
def test_each_documented_cell_cites_a_statement_of_the_matching_kind(model, key, kind):
    cell = model.cells[key]
    statement = model.evidence[cell.evidence]
    assert (statement.placement, statement.kind) == (key[0], kind)
    if kind == "benefit":
        assert 0 < cell.score <= STRONG
    elif kind == "risk":
        assert -STRONG <= cell.score < 0
    else:
        assert cell.score == CONDITION_SCORE == 1


def test_pm_alignment_under_the_head_of_product_is_our_inference(model):
    """The source's benefit is alignment with Product's priorities, not working embedded with PMs."""
    cell = model.cells["head_of_product", "pm_alignment"]
    assert (cell.provenance, cell.score, cell.evidence) == ("inferred", 1, "hop_benefit")
    assert "does not say" in cell.rationale


def test_inferred_cells_that_name_a_statement_follow_its_direction(model):
    for cell in model.cells.values():
        if cell.provenance == "inferred" and cell.evidence:
            kind = model.evidence[cell.evidence].kind
            assert kind in ("benefit", "risk"), cell
            assert (cell.score > 0) == (kind == "benefit"), cell
