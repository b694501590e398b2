"""Facilitator's guide (placement/guide.py): timed steps, their prompts and pages, and the countdown."""

from __future__ import annotations

import pytest

from placement.data.model import load_model
from placement.data.problems import InputError
from placement.present import guide

ROOT = guide.PAGES_DIR


@pytest.fixture(scope="module")
def steps(model) -> list[guide.Step]:
    return guide.load_steps(model)


def step(steps, step_id) -> guide.Step:
    [found] = [s for s in steps if s.id == step_id]
    return found


def test_eight_steps_in_order(steps):
    assert [s.id for s in steps] == [
        "context",
        "weighting",
        "reveal",
        "disagreement",
        "robustness",
        "decide",
        "staffing",
        "record",
    ]


def test_the_session_fits_in_an_hour(steps):
    assert guide.total_minutes(steps) == sum(s.minutes for s in steps) == 55
    assert 45 <= guide.total_minutes(steps) <= 60
    assert all(s.minutes >= 1 for s in steps)


def test_total_minutes_of_no_steps_is_zero():
    assert guide.total_minutes([]) == 0


def test_every_page_exists_in_the_app(steps):
    for s in steps:
        assert (ROOT / s.page).is_file(), s.page
        assert s.page == "app.py" or s.page.startswith("pages/"), s.page


def test_steps_use_the_expected_pages(steps):
    assert step(steps, "weighting").page == "pages/7_Join.py"
    assert step(steps, "staffing").page == "pages/8_Staffing.py"
    assert step(steps, "record").page == "pages/10_Decision_record.py"
    assert step(steps, "decide").page == "app.py"


def test_prompts_are_split_on_bars(steps):
    reveal = step(steps, "reveal")
    assert reveal.prompts == [
        "What surprised you in the group's weights?",
        "Does the group's leader match what you expected?",
    ]
    assert all(p == p.strip() and p and "|" not in p for s in steps for p in s.prompts)
    assert all(s.title and s.purpose for s in steps)


def test_context_step_asks_about_each_works_when_condition(model, steps):
    conditions = [e for e in model.evidence.values() if e.kind == "works_when"]
    assert len(conditions) == 3  # premise: Operations, Biz Ops and Product Areas
    prompts = step(steps, "context").prompts
    assert len(prompts) == 2 + len(conditions)
    for e in conditions:
        expected = f"{model.placement(e.placement).short_name}: {e.statement} Is that us?"
        assert prompts.count(expected) == 1


def test_weighting_step_asks_every_factor_question(model, steps):
    prompts = step(steps, "weighting").prompts
    assert prompts[0] == "Weigh each factor for our company as it is today and as it will be in a year."
    assert prompts[1:] == [f"{f.name}: {f.question}" for f in model.factors]
    assert len(prompts) == 1 + len(model.factors) == 9


def test_steps_without_extras_have_only_their_own_prompts(steps):
    assert len(step(steps, "record").prompts) == 1
    assert len(step(steps, "disagreement").prompts) == 2


def test_extra_prompts_follow_the_model(model):
    smaller = model.only(factor_ids=model.factor_ids[:3], placement_ids=["head_of_product", "operations"])
    steps = guide.load_steps(smaller)
    assert step(steps, "weighting").prompts[1:] == [f"{f.name}: {f.question}" for f in smaller.factors]
    context = step(steps, "context").prompts
    assert [p for p in context if p.startswith("Operations: ")] == [
        f"Operations: {model.evidence['ops_works_when'].statement} Is that us?"
    ]
    assert not any(p.startswith(("Central Biz Ops:", "Product Areas:")) for p in context)


# --- countdown ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "elapsed", "expected"),
    [
        (5, 30, ("4:30", 0.1, False)),
        (1, 75, ("+0:15", 1.0, True)),
        (2, 0, ("2:00", 0.0, False)),
        (10, 600, ("0:00", 1.0, False)),
        (10, 601, ("+0:01", 1.0, True)),
        (8, 29.9, ("7:31", 29.9 / 480, False)),
        (3, 3 * 60 + 125, ("+2:05", 1.0, True)),
        (60, 59, ("59:01", 59 / 3600, False)),
    ],
)
def test_countdown(minutes, elapsed, expected):
    text, used, over = guide.countdown(minutes, elapsed)
    assert (text, over) == (expected[0], expected[2])
    assert used == pytest.approx(expected[1])
    assert 0.0 <= used <= 1.0


# --- refused guide files -----------------------------------------------------------------------


def test_missing_page_is_refused_with_row_and_column(model, data_copy, csv_files):
    row = csv_files.set("guide_steps.csv", {"id": "reveal"}, page="pages/99_Nowhere.py")
    with pytest.raises(InputError) as caught:
        guide.load_steps(model, data_copy)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("guide_steps.csv", row, "page")
    assert row == 4
    assert "pages/99_Nowhere.py" in problem.message
    assert "pages/" in problem.fix


def test_a_folder_is_not_a_page(model, data_copy, csv_files):
    row = csv_files.set("guide_steps.csv", {"id": "decide"}, page="pages")
    with pytest.raises(InputError) as caught:
        guide.load_steps(model, data_copy)
    assert [(p.row, p.column) for p in caught.value.problems] == [(row, "page")]


@pytest.mark.parametrize("minutes", ["0", "61", "-5", "2.5", "ten", ""])
def test_bad_minutes_are_refused_with_row_and_column(model, data_copy, csv_files, minutes):
    row = csv_files.set("guide_steps.csv", {"id": "staffing"}, minutes=minutes)
    with pytest.raises(InputError) as caught:
        guide.load_steps(model, data_copy)
    [problem] = caught.value.problems
    assert (problem.where, problem.row, problem.column) == ("guide_steps.csv", row, "minutes")
    assert row == 8


def test_page_and_minutes_problems_are_reported_together(model, data_copy, csv_files):
    minutes_row = csv_files.set("guide_steps.csv", {"id": "context"}, minutes="0")
    page_row = csv_files.set("guide_steps.csv", {"id": "record"}, page="pages/11_Gone.py")
    with pytest.raises(InputError) as caught:
        guide.load_steps(model, data_copy)
    assert {(p.row, p.column) for p in caught.value.problems} == {(minutes_row, "minutes"), (page_row, "page")}


def test_unknown_extra_prompts_kind_is_refused(model, data_copy, csv_files):
    row = csv_files.set("guide_steps.csv", {"id": "reveal"}, extra_prompts="everything")
    with pytest.raises(InputError) as caught:
        guide.load_steps(model, data_copy)
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (row, "extra_prompts")


def test_edited_copy_loads_its_own_steps(model, data_copy, csv_files):
    csv_files.set("guide_steps.csv", {"id": "reveal"}, minutes="9", prompts="Only one?")
    steps = guide.load_steps(model, data_copy)
    assert step(steps, "reveal").minutes == 9
    assert step(steps, "reveal").prompts == ["Only one?"]
    assert guide.total_minutes(steps) == 59
    assert load_model(data_copy).factor_ids == model.factor_ids  # the copy is still a valid model


@pytest.mark.parametrize("page", ["placement/guide.py", "tests/conftest.py"])
def test_a_file_outside_the_app_pages_is_refused(model, data_copy, csv_files, page):
    assert (ROOT / page).is_file()  # premise: it exists, it just is not a page
    csv_files.set("guide_steps.csv", {"id": "reveal"}, page=page)
    with pytest.raises(InputError):
        guide.load_steps(model, data_copy)
