"""Guide steps (placement/data/guide.py): nine timed steps, their prompts, their pages by registry id.

The package never looks at app files: a step names a page by id, and an unknown id is
refused only when the caller passes the app's page ids (the app passes its registry's).
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from placement.data.editing import add_optional
from placement.data.guide import Step, load_steps
from placement.data.model import load_model
from placement.data.problems import InputError
from placement.present.guide import total_minutes

SHIPPED = Path(__file__).resolve().parents[2] / "data"
PAGE_IDS = ("evidence", "join", "run", "how_sure", "explore", "staffing", "decision_record")  # written out by hand


@pytest.fixture(scope="module")
def steps() -> list[Step]:
    return load_steps()


def step(steps, step_id) -> Step:
    [found] = [s for s in steps if s.id == step_id]
    return found


def test_nine_steps_in_order(steps):
    assert [s.id for s in steps] == [
        "context",
        "weighting",
        "reveal",
        "disagreement",
        "gaps",
        "robustness",
        "decide",
        "staffing",
        "record",
    ]


def test_the_session_fits_in_an_hour(steps):
    assert [s.minutes for s in steps] == [8, 8, 5, 8, 6, 7, 7, 5, 5]
    assert total_minutes(steps) == 59
    assert all(s.minutes >= 1 for s in steps)


def test_steps_name_pages_by_id(steps):
    assert {s.id: s.page for s in steps} == {
        "context": "evidence",
        "weighting": "join",
        "reveal": "run",
        "disagreement": "run",
        "gaps": "run",
        "robustness": "how_sure",
        "decide": "explore",
        "staffing": "staffing",
        "record": "decision_record",
    }


def test_the_shipped_steps_pass_the_page_check(steps):
    assert load_steps(page_ids=PAGE_IDS) == steps


def test_prompts_are_split_on_bars(steps):
    assert step(steps, "reveal").prompts == [
        "What surprised you in the group's weights?",
        "Does the group's leader match what you expected?",
    ]
    assert all(p == p.strip() and p and "|" not in p for s in steps for p in s.prompts)
    assert all(s.title and s.purpose for s in steps)


def test_extra_kinds_are_read(steps):
    assert {s.id: s.extra for s in steps if s.extra} == {
        "context": "conditions",
        "weighting": "factor_questions",
        "gaps": "missing_evidence",
    }


def test_the_gap_step_asks_about_each_placement_without_a_documented_risk_or_benefit(model, steps):
    gaps = step(steps, "gaps")
    assert "Which risk of the leading placement does the source not mention?" in gaps.prompts
    asked = gaps.prompts_for(model)[len(gaps.prompts) :]
    assert asked == [
        "Head of Product: the source names no risk. What could go wrong here, and which factor does it touch?"
    ]  # the source documents a benefit for every placement, and a risk for all but the Head of Product
    with_hybrid = add_optional(model, load_model(include_optional=True), "uber_hybrid")
    assert len(step(steps, "gaps").prompts_for(with_hybrid)) == len(gaps.prompts) + 3  # no risk, no benefit either


def test_context_step_asks_about_each_works_when_condition(model, steps):
    conditions = [e for e in model.evidence.values() if e.kind == "works_when"]
    assert len(conditions) == 3  # premise: Operations, Biz Ops and Product Areas
    context = step(steps, "context")
    assert len(context.prompts) == 2
    prompts = context.prompts_for(model)
    assert prompts[:2] == context.prompts
    assert len(prompts) == 2 + len(conditions)
    for e in conditions:
        expected = f"{model.placement(e.placement).short_name}: {e.statement} Is that us?"
        assert prompts.count(expected) == 1


def test_weighting_step_asks_every_factor_question(model, steps):
    prompts = step(steps, "weighting").prompts_for(model)
    assert prompts[0] == "Weigh each factor for our company as it is today and as it will be in a year."
    assert prompts[1:] == [f"{f.name}: {f.question}" for f in model.factors]
    assert len(prompts) == 1 + len(model.factors) == 9


def test_steps_without_extras_have_only_their_own_prompts(model, steps):
    assert step(steps, "record").prompts_for(model) == ["Who owns the follow-up, and when do we look at this again?"]
    assert len(step(steps, "disagreement").prompts_for(model)) == 2


def test_extra_prompts_follow_the_model(model, steps):
    smaller = model.only(factor_ids=model.factor_ids[:3], placement_ids=["head_of_product", "operations"])
    assert step(steps, "weighting").prompts_for(smaller)[1:] == [f"{f.name}: {f.question}" for f in smaller.factors]
    context = step(steps, "context").prompts_for(smaller)
    assert [p for p in context if p.startswith("Operations: ")] == [
        f"Operations: {model.evidence['ops_works_when'].statement} Is that us?"
    ]
    assert not any(p.startswith(("Central Biz Ops:", "Product Areas:")) for p in context)


# --- refused guide files -----------------------------------------------------------------------


def test_unknown_page_is_refused_with_row_and_column(data_copy, csv_files):
    row = csv_files.set("guide_steps.csv", {"id": "reveal"}, page="nowhere")
    assert row == 4
    with pytest.raises(InputError) as caught:
        load_steps(data_copy, PAGE_IDS)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("guide_steps.csv", row, "page")
    assert "nowhere" in problem.message
    assert "decision_record" in problem.fix


@pytest.mark.parametrize("page", ["pages/run.py", "app.py", "Run"])
def test_a_file_path_or_title_is_not_a_page_id(data_copy, csv_files, page):
    row = csv_files.set("guide_steps.csv", {"id": "decide"}, page=page)
    with pytest.raises(InputError) as caught:
        load_steps(data_copy, PAGE_IDS)
    assert [(p.row, p.column) for p in caught.value.problems] == [(row, "page")]


def test_without_page_ids_any_page_is_accepted(data_copy, csv_files):
    """The package does not know the app's pages; only the caller's list can refuse one."""
    csv_files.set("guide_steps.csv", {"id": "reveal"}, page="nowhere")
    assert step(load_steps(data_copy), "reveal").page == "nowhere"


@pytest.mark.parametrize("minutes", ["0", "61", "-5", "2.5", "ten", ""])
def test_bad_minutes_are_refused_with_row_and_column(data_copy, csv_files, minutes):
    row = csv_files.set("guide_steps.csv", {"id": "staffing"}, minutes=minutes)
    assert row == 9
    with pytest.raises(InputError) as caught:
        load_steps(data_copy)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("guide_steps.csv", row, "minutes")


def test_page_and_minutes_problems_are_reported_together(data_copy, csv_files):
    minutes_row = csv_files.set("guide_steps.csv", {"id": "context"}, minutes="0")
    page_row = csv_files.set("guide_steps.csv", {"id": "record"}, page="gone")
    with pytest.raises(InputError) as caught:
        load_steps(data_copy, PAGE_IDS)
    assert {(p.row, p.column) for p in caught.value.problems} == {(minutes_row, "minutes"), (page_row, "page")}


def test_unknown_extra_prompts_kind_is_refused(data_copy, csv_files):
    row = csv_files.set("guide_steps.csv", {"id": "reveal"}, extra_prompts="everything")
    with pytest.raises(InputError) as caught:
        load_steps(data_copy)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("guide_steps.csv", row, "extra_prompts")


def test_edited_copy_loads_its_own_steps(model, data_copy, csv_files):
    csv_files.set("guide_steps.csv", {"id": "reveal"}, minutes="9", prompts="Only one?")
    steps = load_steps(data_copy, PAGE_IDS)
    assert step(steps, "reveal").minutes == 9
    assert step(steps, "reveal").prompts == ["Only one?"]
    assert total_minutes(steps) == 63
    assert load_model(data_copy).factor_ids == model.factor_ids  # the copy is still a valid model


# --- the app's pages ---------------------------------------------------------------------------


def test_every_page_named_in_the_guide_file_is_a_page_of_the_app():
    """Read the shipped file directly (not through load_steps) and check each page id against the registry."""
    from ui import registry

    with open(SHIPPED / "guide_steps.csv", encoding="utf-8-sig", newline="") as handle:
        named = {row["page"] for row in csv.DictReader(handle)}
    assert named == set(PAGE_IDS)
    assert named <= set(registry.PAGE_IDS)
    assert all(registry.page(page_id).file.endswith(".py") for page_id in named)
    load_steps(page_ids=registry.PAGE_IDS)  # what the app does: no problem raised
