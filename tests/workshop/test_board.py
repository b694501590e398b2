"""The facilitator's board controls (placement/workshop/board.py)."""

from placement.workshop.board import (
    action_arguments,
    board_controls,
    board_state,
    compact_join,
    needs_confirmation,
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


def test_only_closing_asks_for_confirmation_and_only_a_new_round_takes_the_model():
    assert needs_confirmation("close") and not needs_confirmation("reveal") and not needs_confirmation("reopen")
    model = object()
    assert action_arguments("new_round", model, 3) == {"model": model, "round_number": 3}
    assert action_arguments("reveal", model, 3) == {"round_number": 3}


def test_round_controls_name_the_round_the_screen_showed_and_room_controls_do_not():
    for action in ("reveal", "lock", "reopen_voting", "new_round"):
        assert action_arguments(action, None, 2)["round_number"] == 2
    for action in ("close", "reopen"):
        assert "round_number" not in action_arguments(action, None, 2)


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
