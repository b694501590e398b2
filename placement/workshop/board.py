"""What the facilitator's board offers for a room in its current state: which controls, where, and when.

The store refuses what is not allowed anyway; the board only avoids offering it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from placement.workshop.domain import Room
from placement.workshop.group import Control

ROOM_ACTIONS = ("close", "reopen")  # the room as a whole: kept apart from the round's controls
CONFIRMED_ACTIONS = ("close",)  # asked twice: closing ends voting for everyone
NO_VOTES = "Nothing to reveal yet: no votes in this round."


@dataclass(frozen=True)
class BoardControls:
    round: list[Control]  # reveal, lock or reopen voting, new round: the compact bar
    room: list[Control]  # close or reopen the room, apart from the rest


def board_controls(controls: list[Control], submitted: int) -> BoardControls:
    """Split the facilitator's controls; Reveal is offered only once a vote is in."""
    adjusted = [replace(c, enabled=False) if c.action == "reveal" and submitted == 0 else c for c in controls]
    return BoardControls(
        [c for c in adjusted if c.action not in ROOM_ACTIONS], [c for c in adjusted if c.action in ROOM_ACTIONS]
    )


def needs_confirmation(action: str) -> bool:
    return action in CONFIRMED_ACTIONS


def action_arguments(action: str, shown_round: int) -> dict:
    """Keyword arguments a store action takes beyond the room code and key: a round's control names the round
    the screen showed (the store refuses it once the room has moved on)."""
    return {} if action in ROOM_ACTIONS else {"round_number": shown_round}


def compact_join(revealed: bool) -> bool:
    """After the reveal the join block shrinks to one line so that the results fill the screen."""
    return revealed


def board_state(room: Room, submitted: int) -> tuple:
    """What the board's controls and results depend on. The live counts poll it and redraw the whole board
    only when it changes, so the buttons stay put between changes (a click is never lost to a redraw)."""
    return room.round, room.revealed, room.locked, room.closed, room.reopenable, submitted > 0, room.gaps_open


# After the reveal, the projected board shows its results one step at a time, each on one 1080p screen.
RANKING_STEP, WINNERS_STEP, SPREAD_STEP = "Ranking and weights", "Whose weights win", "How far apart"
SOLID_STEP = "How solid"
COMMENT_LINE = 150  # characters on one projected line (measured: about 185 in 24 px type across 1,920 px)
COMMENT_LINES = 11  # lines of comments (each with the gap after it) a projected page holds under the controls


def result_steps(comments: int) -> list[str]:
    """The steps the facilitator moves through after a reveal; the comments only when there are any."""
    steps = [RANKING_STEP, WINNERS_STEP, SPREAD_STEP, SOLID_STEP]
    return [*steps, f"Comments ({comments})"] if comments else steps


def comment_pages(
    comments: list[tuple[str, str]], line: int = COMMENT_LINE, lines: int = COMMENT_LINES
) -> list[list[tuple[str, str]]]:
    """The comments in order, in pages that each fit one projected screen: a comment ("name: text") takes the
    lines its text wraps to, `line` characters each, and a page holds `lines` (a longer comment, alone)."""
    pages: list[list[tuple[str, str]]] = []
    used = lines  # the first comment starts a page
    for name, text in comments:
        needed = -(-(len(name) + 2 + len(text)) // line)  # whole lines, rounded up
        if used + needed > lines:
            pages.append([])
            used = 0
        pages[-1].append((name, text))
        used += needed
    return pages
