"""The shipped scores against the source's claims, read by hand from the source (not from data/).

The source states one benefit and one risk for three placements, one benefit (and no risk) for reporting
to the Head of Product, and a condition for each of the three alternatives. Each line below names
the factor a claim is about, as this project's factor definitions (data/factors.csv) read it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from placement.analysis.evidence import statements
from placement.data.model import CONDITION_SCORE, SOURCE_CONDITION_WORDS

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
    # Can work if the focus is developing best practices and coaching PMs (a condition, not a benefit).
    ("biz_ops", "best_practices"): "works_when",
    # Work tailored to the priorities of its own domain.
    ("product_areas", "domain_expertise"): "benefit",
    # Locally optimised and inflexible; may hold on to tasks it could work itself out of.
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


# --- what the app presents as the source's own words -----------------------------------------------------------

# Typed by hand from the source (its three "alternatives" lines), not read from the product: the only phrase the
# app quotes from it. Everything else it says about the source is a paraphrase and is never put in quotes.
HAND_CHECKED_QUOTES = {"can work and be effective if"}
PRODUCT = Path(__file__).parents[2]
PRODUCT_TEXT = ["app.py", "pages", "ui", "placement", "data", "docs"]  # README.md is rewritten elsewhere
# A quotation the text attributes to the source: "the source's '...'", "the source says "..."", "(the source: '...".
QUOTED_FROM_SOURCE = re.compile(
    r"""the source(?:'s|:| says)? (?:it )?(?:a placement )?['"]([^'"\n]+?)(?: \.\.\.)?['"]""", re.IGNORECASE
)


def product_files():
    for root in PRODUCT_TEXT:
        path = PRODUCT / root
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if file.suffix in (".py", ".csv", ".md", ".html", ".j2", ".txt"):
                yield file


def test_the_one_quoted_phrase_is_the_sources_wording():
    assert SOURCE_CONDITION_WORDS in HAND_CHECKED_QUOTES


def test_the_misquote_works_best_when_appears_nowhere_in_the_product():
    found = [str(f.relative_to(PRODUCT)) for f in product_files() if "works best" in f.read_text().lower()]
    assert found == []


def test_every_phrase_quoted_as_the_sources_words_is_its_wording():
    quoted = {
        (str(f.relative_to(PRODUCT)), m.group(1))
        for f in product_files()
        for m in QUOTED_FROM_SOURCE.finditer(f.read_text().replace("{SOURCE_CONDITION_WORDS}", SOURCE_CONDITION_WORDS))
    }
    assert quoted, "the pattern finds the app's own quotation of the source"
    assert {(file, phrase) for file, phrase in quoted if phrase not in HAND_CHECKED_QUOTES} == set()


def test_the_evidence_page_labels_conditions_with_the_sources_words(model):
    [condition] = [s for s in statements(model, "biz_ops") if s.evidence.kind == "works_when"]
    assert "'can work and be effective if ...'" in condition.label


def test_the_product_areas_risk_paraphrase_keeps_the_sources_meaning(model):
    """The source: tasks Product Ops could otherwise work itself out of, not tasks it could automate or hand off."""
    statement = model.evidence["areas_risk"].statement
    assert "make itself unneeded" in statement
    assert "automate" not in statement and "hand off" not in statement
