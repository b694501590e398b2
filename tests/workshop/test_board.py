"""The facilitator's board controls (placement/workshop/board.py)."""

import math

from hypothesis import given
from hypothesis import strategies as st

from placement.workshop.board import (
    action_arguments,
    board_controls,
    board_state,
    comment_pages,
    compact_join,
    needs_confirmation,
    result_steps,
)
from placement.workshop.domain import Room
from placement.workshop.group import Control

CONTROLS = [
    Control("Reveal votes", "reveal", True, primary=True),
    Control("Lock voting", "lock", True),
    Control("Start a new round", "new_round", True),
    Control("Close the room", "close", True),
]


def test_reveal_waits_for_a_vote():
    assert not board_controls(CONTROLS, 0).round[0].enabled
    assert board_controls(CONTROLS, 1).round[0].enabled
    assert board_controls(CONTROLS, 0).round[1:] == CONTROLS[1:3]  # nothing else changes


def test_closing_and_reopening_the_room_sit_apart_from_the_rounds_controls():
    controls = board_controls([*CONTROLS[:3], Control("Reopen the room", "reopen", True)], 2)
    assert [c.action for c in controls.round] == ["reveal", "lock", "new_round"]
    assert [c.action for c in controls.room] == ["reopen"]
    assert [c.action for c in board_controls(CONTROLS, 2).room] == ["close"]


def test_only_closing_asks_for_confirmation():
    assert needs_confirmation("close") and not needs_confirmation("reveal") and not needs_confirmation("reopen")
    assert action_arguments("new_round", 3) == {"round_number": 3}  # the round's own model: no model passed


def test_round_controls_name_the_round_the_screen_showed_and_room_controls_do_not():
    for action in ("reveal", "lock", "reopen_voting", "new_round"):
        assert action_arguments(action, 2)["round_number"] == 2
    for action in ("close", "reopen"):
        assert "round_number" not in action_arguments(action, 2)


def test_the_join_block_shrinks_after_the_reveal():
    assert compact_join(True) and not compact_join(False)


def room(**changes) -> Room:
    base = {
        "code": "ABCDEFGH", "title": "T", "factors": [], "method": "sliders",
        "closed": False, "round": 1, "revealed": False, "locked": False,
    }  # fmt: skip
    return Room(**{**base, **changes})


def test_board_state_ignores_vote_counts_once_a_vote_is_in():
    """New votes only move the counts; the controls change only with the first vote."""
    assert board_state(room(), 1) == board_state(room(), 7)
    assert board_state(room(), 0) != board_state(room(), 1)


def test_board_state_follows_every_change_of_the_round_or_room():
    drawn = board_state(room(), 3)
    for change in ({"round": 2}, {"revealed": True}, {"locked": True}, {"closed": True}):
        assert board_state(room(**change), 3) != drawn, change


def test_the_projected_results_are_steps_and_the_comments_one_only_when_there_are_some():
    assert result_steps(0) == ["Ranking and weights", "Whose weights win", "How far apart", "How solid"]
    assert result_steps(12)[-1] == "Comments (12)"


def test_comments_fill_pages_by_the_lines_they_wrap_to():
    # name + ": " + text: 10 characters (1 line of 10), 11 (2 lines), 30 (3 lines); pages of 4 lines.
    one, two, three = ("Al", "x" * 6), ("Bo", "x" * 7), ("Cy", "x" * 26)
    assert comment_pages([one, two, one, three, three, one], line=10, lines=4) == [
        [one, two, one],  # 1 + 2 + 1 lines
        [three],  # 3 lines: the next one's 3 more would not fit
        [three, one],  # 3 + 1
    ]
    assert comment_pages([("Di", "x" * 60)], line=10, lines=4) == [[("Di", "x" * 60)]]  # too long: alone
    assert comment_pages([]) == []


comment = st.tuples(st.text(max_size=40), st.text(max_size=280))


@given(st.lists(comment, max_size=60), st.integers(5, 200), st.integers(1, 20))
def test_every_comment_is_on_one_page_in_order_and_pages_are_full(comments, line, lines):
    pages = comment_pages(comments, line, lines)
    assert [c for page in pages for c in page] == comments
    needed = lambda c: math.ceil((len(c[0]) + len(": ") + len(c[1])) / line)  # noqa: E731
    for number, page in enumerate(pages):
        assert page
        assert len(page) == 1 or sum(map(needed, page)) <= lines  # a page overflows only with one long comment
        if number + 1 < len(pages):
            assert sum(map(needed, page)) + needed(pages[number + 1][0]) > lines  # the next did not fit here
