"""The room fills the gaps (placement/workshop/gaps.py): grouping proposals per cell, and merging the accepted
ones into a model as cells with provenance `room` that the ranking, the evidence, the files and the record use."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from placement.analysis import evidence
from placement.analysis.robustness import Settings
from placement.analysis.scoring import rank
from placement.data import editing
from placement.data.model import load_model
from placement.data.modelfile import from_json, scores_csv, to_json
from placement.data.problems import InputError
from placement.present import record, tables
from placement.workshop.gaps import Decision, Proposal, group_proposals, proposal_problems, with_room_cells

NOW = datetime(2025, 1, 1, tzinfo=UTC)
HOP, OPS = "head_of_product", "operations"


def proposal(id_, person, text, placement=HOP, factor="ops_empathy", kind="risk", score=-1, round_=1, decided=False):
    return Proposal(id_, round_, person, placement, factor, kind, text, score, NOW, decided)


def decision(placement=HOP, factor="ops_empathy", score=-1, action="accepted", text="Ops teams lose their voice."):
    return Decision(1, 2, placement, factor, "risk" if score < 0 else "benefit", action, text, score, 3)


@pytest.fixture(scope="module")
def model():
    return load_model()


def test_proposals_are_grouped_per_cell_and_kind_with_the_people_who_raised_them():
    groups = group_proposals(
        [
            proposal(1, 10, "Ops teams lose their voice."),
            proposal(2, 11, "ops teams  lose their voice"),  # near-identical: case, punctuation, spacing
            proposal(3, 10, "The support desk is forgotten.", score=-2),  # the same person again: one person
            proposal(4, 12, "Ops teams lose their voice!", kind="benefit", score=1),  # another kind: its own group
            proposal(5, 13, "A PM tools team only.", factor="best_practices"),
            proposal(6, 14, "Decided already.", decided=True),
            proposal(7, 12, "Ops teams lose their voice", round_=2),
        ]
    )
    assert [(g.factor, g.kind, g.ids, g.people) for g in groups] == [
        ("ops_empathy", "risk", [1, 2, 3, 7], 3),
        ("ops_empathy", "benefit", [4], 1),
        ("best_practices", "risk", [5], 1),
    ]
    risk = groups[0]
    assert [(s.text, s.people) for s in risk.sentences] == [
        ("Ops teams lose their voice.", 3),
        ("The support desk is forgotten.", 1),
    ]
    assert risk.round == 1
    assert risk.suggested_score == -1  # the people's latest scores: -2 (person 10), -1, -1


@pytest.mark.parametrize(("scores", "expected"), [([-2, -1], -1), ([-2, -2, -1], -2), ([1, 2], 1), ([2, 2, 1, 1], 1)])
def test_the_suggested_score_is_the_median_rounded_towards_zero(scores, expected):
    kind = "risk" if scores[0] < 0 else "benefit"
    [group] = group_proposals([proposal(i, i, "x", kind=kind, score=s) for i, s in enumerate(scores)])
    assert group.suggested_score == expected


def test_a_proposal_must_name_a_cell_of_the_model_and_score_in_the_direction_of_its_kind(model):
    assert proposal_problems(model, HOP, "ops_empathy", "risk", "Fine.", -2) == []
    assert proposal_problems(model, HOP, "ops_empathy", "benefit", "Fine.", 2) == []
    found = proposal_problems(model, "nowhere", "speed", "worry", "", None)
    assert [p.where for p in found] == ["placement", "factor", "kind", "sentence"]
    assert [p.where for p in proposal_problems(model, HOP, "ops_empathy", "risk", "Fine.", 1)] == ["score"]
    assert "from -2 to -1" in str(proposal_problems(model, HOP, "ops_empathy", "risk", "Fine.", True)[0])


def test_an_accepted_risk_becomes_a_room_cell_and_lowers_the_placements_score(model):
    weights = dict.fromkeys(model.factor_ids, 1 / 8)  # equal weights
    before = {r.placement: r.score for r in rank(model, weights)}
    merged = with_room_cells(model, [decision(), decision(OPS, "flexibility", -1, action="rejected")])
    cell = merged.cells[HOP, "ops_empathy"]
    assert (cell.score, cell.provenance, cell.room_text, cell.room_round, cell.room_people) == (
        -1,
        "room",
        "Ops teams lose their voice.",
        2,
        3,
    )
    assert (cell.original_score, cell.original_provenance) == (0, "neutral")  # the source's value, its baseline
    assert cell.reason.startswith("Raised by the room (round 2, 3 people): Ops teams lose their voice.")
    assert merged.cells[OPS, "flexibility"] == model.cells[OPS, "flexibility"]  # rejected: unchanged
    after = {r.placement: r.score for r in rank(merged, weights)}
    assert after[HOP] == pytest.approx(before[HOP] - 25 / 8)  # 50 + 25 x mean score: one cell from 0 to -1
    assert {p: s for p, s in after.items() if p != HOP} == {p: s for p, s in before.items() if p != HOP}
    # The room's accepted score, like the team's own, is a stated judgement: "doubt the scores" leaves it fixed.
    assert evidence.doubt_groups(merged, True, True)[0, model.factor_ids.index("ops_empathy")] == -1


def test_a_later_decision_on_the_same_cell_replaces_the_earlier_and_the_baseline_stays_the_sources(model):
    first = with_room_cells(model, [decision(HOP, "pm_alignment", -1)])
    again = with_room_cells(first, [decision(HOP, "pm_alignment", -2, text="Too close to one PM.")])
    cell = again.cells[HOP, "pm_alignment"]
    assert (cell.score, cell.room_text, cell.original_score, cell.original_provenance) == (
        -2,
        "Too close to one PM.",
        model.cells[HOP, "pm_alignment"].score,
        model.cells[HOP, "pm_alignment"].provenance,
    )
    restored = editing.restore_all(again, model)
    assert restored.cells == model.cells  # restoring the baseline removes the room's cell entirely
    user = editing.set_score(again, HOP, "pm_alignment", 2)  # differs from the source's +1: the team's own
    assert (user.cells[HOP, "pm_alignment"].provenance, user.cells[HOP, "pm_alignment"].room_text) == ("user", None)


def test_room_cells_are_labelled_everywhere_provenance_is_listed(model):
    merged = with_room_cells(model, [decision()])
    assert tables.PROVENANCE_LABELS["room"] == "raised by the room"
    assert tables.matrix_table(merged).loc["Ops empathy", "Head of Product"] == "-1 R"
    assert "R = raised by the room" in tables.MATRIX_LEGEND
    coverage = evidence.coverage_table(merged).set_index("placement")
    assert coverage.loc["Reports to the Head of Product", "raised by the room"] == 1
    assert evidence.room_cells(merged, HOP) == [
        (
            "Risk raised by the room",
            "Ops teams lose their voice. (round 2, 3 people) → drives Ops empathy (-1); "
            "the source's cell was +0 (neutral)",
        )
    ]
    assert evidence.room_cells(merged, HOP, "benefit") == []


def test_room_cells_survive_the_model_file_and_the_scores_csv(model):
    merged = with_room_cells(model, [decision()])
    assert from_json(to_json(merged))[0] == merged
    assert "Ops teams lose their voice." in scores_csv(merged)
    assert editing.edited_cells(merged)  # the room's cell keeps a baseline, like an edit


def test_a_room_cell_needs_its_text_round_and_people_and_a_sign(model):
    text = to_json(with_room_cells(model, [decision()])).replace('"room_people": "3"', '"room_people": ""')
    with pytest.raises(InputError, match="room cell has no room people"):
        from_json(text)
    zero = to_json(with_room_cells(model, [decision()])).replace(
        '"score": "-1",\n      "provenance": "room"', '"score": "0",\n      "provenance": "room"'
    )
    with pytest.raises(InputError, match="a room cell scores 0"):
        from_json(zero)


def test_the_record_lists_the_rooms_cells_beside_the_sources_gaps(model):
    merged = with_room_cells(model, [decision()])
    weights = dict.fromkeys(model.factor_ids, 1 / 8)
    built = record.build(merged, weights, record.Details(), Settings.at_level("Fairly sure", False), baseline=model)
    markdown = record.to_markdown(built)
    assert "## Raised by the room" in markdown
    assert (
        "| Reports to the Head of Product x Ops empathy | risk | -1 | Ops teams lose their voice. "
        "| round 2, 3 people | +0 (neutral) |" in markdown
    )
    assert (
        "No documented risk for Reports to the Head of Product. The room named 1 (see Raised by the room)." in markdown
    )
    assert "The source baseline, unchanged." in markdown  # the room's cell is not counted as an edit
    assert "room cell,Reports to the Head of Product x Ops empathy,Ops teams lose their voice.,-1" in record.to_csv(
        built
    )
    plain = record.to_markdown(record.build(model, weights, record.Details(), Settings.at_level("Fairly sure", False)))
    assert "Raised by the room" not in plain and "The room named" not in plain
