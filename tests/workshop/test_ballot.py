"""A participant's side of a room (placement/workshop/ballot.py): the stage, the vote form and its checks."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from placement.data.problems import InputError
from placement.workshop.ballot import (
    LEVELS,
    Ballot,
    Moment,
    current_vote_note,
    level_label,
    moment,
    own_consistency,
    stage,
    vote_form,
    vote_recorded,
)
from placement.workshop.domain import Room, Vote

ROOM = Room(
    "TESTROOM",
    "Generic",
    [{"id": f, "name": f.upper(), "definition": f"what {f} means"} for f in ["a", "b", "c", "d"]],
    "sliders",
    False,
    1,
    False,
    False,
)
ADA = Vote("Ada", {"a": 8, "b": 0, "c": 2.0, "d": 10}, "Ops first", 2)


def room_in(state: str = "open", method: str = "sliders", revealed: bool = False, number: int = 1) -> Room:
    closed, locked = state == "closed", state in {"locked", "revealed"} or revealed
    return dataclasses.replace(
        ROOM, closed=closed, locked=locked, revealed=revealed or state == "revealed", method=method, round=number
    )


def test_six_levels_span_the_whole_store_scale_and_read_as_tapped():
    assert LEVELS == [0, 2, 4, 6, 8, 10]
    assert [level_label(v) for v in LEVELS] == ["0", "1", "2", "3", "4", "5"]


def test_a_first_vote_starts_with_nothing_chosen():
    form = vote_form(room_in(), None)
    assert form.method == "sliders" and form.round == 1
    assert [(f.factor_id, f.name, f.definition, f.default) for f in form.fields] == [
        (f, f.upper(), f"what {f} means", None) for f in "abcd"
    ]
    assert form.choices == LEVELS
    assert form.comment == ""
    assert form.submit_label == "Submit my vote"
    assert form.instructions == "**Round 1.** Tap a level for each factor: 0 = irrelevant, 5 = crucial."


def test_a_revision_starts_from_the_previous_vote_with_every_level_chosen():
    form = vote_form(room_in(), ADA)
    assert [f.default for f in form.fields] == [8, 0, 2, 10]
    assert all(isinstance(f.default, int) for f in form.fields)
    assert form.missing({f.factor_id: f.default for f in form.fields}) == []
    assert form.comment == "Ops first"
    assert form.submit_label == "Update my vote"


def test_a_vote_stored_between_levels_starts_at_the_nearest_level():
    form = vote_form(room_in(), Vote("Ada", {"a": 6.9, "b": 7.1, "c": 0.5, "d": 7}, "", 1))
    assert [f.default for f in form.fields] == [6, 8, 0, 6]  # an odd level (stored before six levels): the lower


def test_a_rank_vote_starts_unranked_or_at_the_previous_ranks():
    room = room_in(method="rank", number=3)
    form = vote_form(room, None)
    assert [f.default for f in form.fields] == [None] * 4
    assert form.choices == [1, 2, 3, 4]
    assert form.instructions.startswith("**Round 3.** Rank the factors")
    own = Vote("Ada", {"a": 4, "b": 2, "c": 3, "d": 1}, "", 1)
    assert [f.default for f in vote_form(room, own).fields] == [4, 2, 3, 1]


def test_untouched_factors_are_named_and_the_vote_is_refused():
    form = vote_form(room_in(), None)
    chosen = {"a": 3, "b": None, "c": 0, "d": None}
    assert form.missing(chosen) == ["B", "D"]
    assert form.missing({}) == ["A", "B", "C", "D"]
    with pytest.raises(InputError) as refused:
        form.complete(chosen)
    assert [str(p) for p in refused.value.problems] == [
        "vote: no level chosen for 'B' and 'D'. Fix: choose a level for each, then submit again"
    ]
    with pytest.raises(InputError) as one:
        form.complete({**chosen, "b": 5})
    assert str(one.value.problems[0]) == "vote: no level chosen for 'D'. Fix: choose a level for it, then submit again"
    with pytest.raises(InputError) as three:
        vote_form(room_in(method="rank"), None).complete({"a": 1})
    assert "no rank chosen for 'B', 'C' and 'D'" in str(three.value)


def test_zero_is_a_choice_not_a_missing_level():
    form = vote_form(room_in(), None)
    assert form.complete({"a": 0, "b": 10, "c": 0, "d": 2}) == {"a": 0, "b": 10, "c": 0, "d": 2}


def test_a_complete_form_is_sent_in_the_rooms_order_as_whole_numbers():
    form = vote_form(room_in(), None)
    values = form.to_send(Ballot(1, {"d": 2, "c": 4, "b": 6, "a": 8}, ""))
    assert list(values) == ["a", "b", "c", "d"] and values == {"a": 8, "b": 6, "c": 4, "d": 2}


def test_a_form_from_an_ended_round_goes_to_the_store_unchecked_for_it_to_refuse():
    form = vote_form(room_in(number=2), None)
    partial = {"a": 3, "b": None, "c": None, "d": None}
    assert form.to_send(Ballot(1, partial, "")) == partial  # "round 1 ended", not "choose B, C, D"
    with pytest.raises(InputError):
        form.to_send(Ballot(2, partial, ""))


@pytest.mark.parametrize(
    ("state", "own", "name", "kind", "says"),
    [
        ("open", None, "voting", "info", "Voting is open for round 1"),
        ("open", ADA, "waiting", "info", "Your vote is in; you can change it"),
        ("locked", ADA, "locked", "warning", "Voting is locked. Your vote stands."),
        ("locked", None, "locked", "warning", "Voting is locked. No vote was recorded for you in this round."),
        ("revealed", ADA, "revealed", "success", "Round 1 is over; its results are below. Your vote stands."),
        ("closed", ADA, "closed", "info", "This room is closed; thank you for taking part."),
    ],
)
def test_each_stage_tells_the_participant_where_they_are(state, own, name, kind, says):
    now = stage(room_in(state), own)
    assert (now.name, now.kind) == (name, kind)
    assert says in now.message
    assert now.can_vote is (name in {"voting", "waiting"})


def test_a_closed_room_is_closed_even_once_revealed():
    assert stage(room_in("closed", revealed=True), ADA).name == "closed"


def test_results_are_promised_until_the_reveal():
    for state in ["open", "locked"]:
        assert "Results appear here after the facilitator reveals them." in stage(room_in(state), None).message


def test_the_page_is_redrawn_when_any_part_of_the_moment_changes():
    drawn = moment(room_in())
    assert drawn == Moment(1, False, False, False)
    assert moment(dataclasses.replace(room_in(), title="Renamed")) == drawn  # nothing a participant depends on
    for changed in [room_in(number=2), room_in("locked"), room_in("revealed"), room_in("closed")]:
        assert moment(changed) != drawn


def test_a_revealed_rounds_new_revision_redraws_the_page():
    """An accepted proposal or a late vote moves the round's revision: the phones' results follow."""
    revealed = room_in("revealed")
    assert moment(revealed, (7, 3, 12, 3, "t", 0, None)) != moment(revealed, (7, 3, 12, 3, "t", 1, 4))
    assert moment(revealed, (7, 3, 12, 3, "t", 1, 4)) == moment(revealed, (7, 3, 12, 3, "t", 1, 4))


def test_revision_messages():
    assert vote_recorded(3) == "Your vote is in (revision 3). You can change it until voting is locked."
    assert current_vote_note(None) is None
    assert current_vote_note(Vote("Ada", {}, "", 2)) == (
        "Your current vote is revision 2; the room sees it only after the reveal."
    )


def test_a_pairwise_vote_asks_the_designs_pairs_in_words_and_keeps_fractions():
    form = vote_form(room_in(method="pairwise"), None)
    assert [f.factor_id for f in form.fields] == ["a|b", "a|c", "a|d", "b|c", "b|d", "c|d"]  # 4 factors: every pair
    assert [f.name for f in form.fields][:2] == ["A or B?", "A or C?"]
    assert form.fields[0].pair == ("A", "B")
    assert form.choices == [9, 7, 5, 3, 1, 1 / 3, 1 / 5, 1 / 7, 1 / 9]
    assert form.instructions == "**Round 1.** For each pair: which matters more for us, and how much?"
    chosen = {f.factor_id: 1 / 3 for f in form.fields}
    assert form.complete(chosen)["a|b"] == pytest.approx(1 / 3)  # not rounded to a whole number
    with pytest.raises(InputError) as refused:
        form.complete({**chosen, "c|d": None})
    assert "no answer chosen for 'C or D?'" in str(refused.value)
    own = Vote("Ada", {**chosen, "a|b": 5}, "", 1)
    assert [f.default for f in vote_form(room_in(method="pairwise"), own).fields][:2] == [5, pytest.approx(1 / 3)]


# --- what a script speaking the browser's protocol can make a form send ------------------------------

SAATY_POINTS = [9, 7, 5, 3, 1, 1 / 3, 1 / 5, 1 / 7, 1 / 9]  # Saaty's scale, written out here


def offered(value, method: str, factors: int = 4) -> bool:
    """Whether a real form could send `value`: a level 0..5 (stored as 0, 2, ... 10), a rank 1..n, or a point of
    Saaty's scale."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    points = {"sliders": range(0, 11, 2), "rank": range(1, factors + 1), "pairwise": SAATY_POINTS}[method]
    return any(value == p or abs(value - p) <= 1e-9 * p for p in points)


@pytest.mark.parametrize(
    ("method", "sent", "says"),
    [
        ("sliders", "abc", "'B' has a level the form does not offer (levels 0 to 5)"),
        ("sliders", 3, "'B' has a level the form does not offer"),  # between two tapped levels (2 and 4 stored)
        ("sliders", "", "'B' has a level the form does not offer"),
        ("sliders", 5.5, "'B' has a level the form does not offer"),
        ("sliders", 11, "'B' has a level the form does not offer"),
        ("sliders", True, "'B' has a level the form does not offer"),
        ("rank", "1.0", "'B' has a rank the form does not offer (ranks 1 to 4)"),
        ("rank", 1.5, "'B' has a rank the form does not offer"),
        ("rank", 0, "'B' has a rank the form does not offer"),
        ("pairwise", "1/3", "'A or C?' has an answer the form does not offer (the scale's points from 1/9 to 9)"),
        ("pairwise", 2.5, "'A or C?' has an answer the form does not offer"),
        ("pairwise", 0.5, "'A or C?' has an answer the form does not offer"),
        ("pairwise", "abc", "'A or C?' has an answer the form does not offer"),
    ],
)
def test_a_value_the_form_does_not_offer_is_refused_with_a_plain_message(method, sent, says):
    form = vote_form(room_in(method=method), None)
    values = {f.factor_id: form.choices[0] for f in form.fields}
    values[form.fields[1].factor_id] = sent
    with pytest.raises(InputError) as refused:
        form.complete(values)
    assert [p.where for p in refused.value.problems] == ["vote"]
    assert says in str(refused.value) and "choose" in refused.value.problems[0].fix


def test_every_value_off_the_form_is_named_at_once():
    form = vote_form(room_in(), None)
    with pytest.raises(InputError) as refused:
        form.complete({"a": "abc", "b": 4, "c": 2.5, "d": -1})
    assert str(refused.value.problems[0]).startswith("vote: 'A', 'C' and 'D' have a level the form does not offer")


ANY_VALUE = st.one_of(
    st.none(), st.booleans(), st.text(), st.integers(), st.floats(), st.sampled_from([*SAATY_POINTS, 0, 10, 2.5])
)


@given(method=st.sampled_from(["sliders", "rank", "pairwise"]), sent=ANY_VALUE)
def test_any_value_is_either_one_of_the_forms_choices_or_refused_as_input(method, sent):
    form = vote_form(room_in(method=method), None)
    values = {f.factor_id: form.choices[-1] for f in form.fields} | {form.fields[0].factor_id: sent}
    if sent is not None and offered(sent, method):
        assert form.complete(values)[form.fields[0].factor_id] == pytest.approx(sent)
    else:
        with pytest.raises(InputError):  # nothing else: no ValueError, TypeError or OverflowError
            form.complete(values)


@given(st.floats(min_value=1 / 9, max_value=9))
def test_a_judgement_between_the_scales_points_is_refused(judgement):
    form = vote_form(room_in(method="pairwise"), None)
    if not offered(judgement, "pairwise"):
        with pytest.raises(InputError):
            form.complete({f.factor_id: judgement for f in form.fields})


# --- the participant's own consistency ratio (pairwise rooms) -------------------------------------

EQUAL_PAIRS = {"a|b": 1, "a|c": 1, "a|d": 1, "b|c": 1, "b|d": 1, "c|d": 1}


def test_a_consistent_pairwise_vote_is_told_its_cr_and_keeps_the_forms_order():
    room = room_in(method="pairwise")
    told = own_consistency(room, Vote("Ada", EQUAL_PAIRS, "", 1), can_vote=True)
    assert told.kind == "success" and "consistency ratio 0.00" in told.message
    assert "Alonso and Lamata (2006)" in told.method  # four factors: every pair asked, the published RI
    assert [f.factor_id for f in vote_form(room, Vote("Ada", EQUAL_PAIRS, "", 1)).fields][0] == "a|b"
    assert own_consistency(room, None, can_vote=True) is None
    assert own_consistency(room_in(), ADA, can_vote=True) is None  # slider rooms have no CR


def test_a_contradictory_vote_names_the_pair_and_puts_it_first_to_revise_before_the_reveal():
    # Everything equal except C nine times D: C = A = D contradicts it, and the C-D answer is furthest.
    vote = Vote("Ada", {**EQUAL_PAIRS, "c|d": 9}, "", 1)
    room = room_in(method="pairwise")
    told = own_consistency(room, vote, can_vote=True)
    assert told.kind == "warning"
    assert "above 0.10" in told.message and "furthest from your resulting weights: 'C or D'" in told.message
    assert "update your vote before the reveal" in told.message
    fields = vote_form(room, vote).fields
    assert fields[0].factor_id == "c|d" and fields[0].default == 9
    assert sorted(f.factor_id for f in fields) == sorted(EQUAL_PAIRS)
    locked = own_consistency(room_in("locked", method="pairwise"), vote, can_vote=False)
    assert "Voting is over for this round" in locked.message


def test_tied_contradictions_are_named_together():
    # A = 9 B, B = 9 C, C = 9 A round one loop: each answer is as far from the weights as the others.
    vote = Vote("Ada", {**EQUAL_PAIRS, "a|b": 9, "b|c": 9, "a|c": 1 / 9}, "", 1)
    told = own_consistency(room_in(method="pairwise"), vote, can_vote=True)
    assert "The answers furthest" in told.message
    assert "'A or B', 'A or C' and 'B or C'" in told.message


@pytest.mark.parametrize("method", ["sliders", "rank", "pairwise"])
def test_the_voting_stage_is_short_and_the_form_says_what_to_do(method):
    """Fewer words on a phone: the task is said once, by the form."""
    assert stage(room_in(method=method), None).message == (
        "Voting is open for round 1. Results appear here after the facilitator reveals them."
    )
    assert vote_form(room_in(method=method), None).instructions.startswith("**Round 1.** ")
