"""What a participant sees and may do in a room: the stage the room is at, the vote form and its checks.

A level is tapped, never dragged: a vote starts with no level chosen, and a form with a factor left
unchosen is refused with the factors named, rather than sent with made-up weights.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

from placement.analysis import ahp
from placement.data.problems import InputError, Problem
from placement.settings import SLIDER_MAX
from placement.workshop.domain import Room, Vote
from placement.workshop.group import pairwise_analysis

# A vote's levels run 0..VOTE_LEVELS: six targets of at least 44 px fit across a 390 px phone, and a level is
# quick to choose. Each is stored on the store's 0..SLIDER_MAX scale (level x LEVEL_STEP), as Explore's sliders are.
VOTE_LEVELS = 5
LEVEL_STEP = SLIDER_MAX // VOTE_LEVELS
LEVELS = [level * LEVEL_STEP for level in range(VOTE_LEVELS + 1)]  # what each level stores
WAITING = "Results appear here after the facilitator reveals them."


@dataclass(frozen=True)
class Moment:
    """What a participant's page depends on; when it changes the page is drawn again."""

    round: int
    revealed: bool
    locked: bool
    closed: bool
    gaps_open: bool = False  # the facilitator takes proposals of what the source misses
    results: tuple = ()  # a revealed round's revision (RoomStore.round_revision: votes and accepted cells)


def moment(room: Room, results: tuple = ()) -> Moment:
    """`results`: the revealed round's revision, so that a late vote or an accepted cell redraws the results."""
    return Moment(room.round, room.revealed, room.locked, room.closed, room.gaps_open, results)


@dataclass(frozen=True)
class Stage:
    """Where a participant is: "voting", "waiting" (voted, may still revise), "locked", "revealed", "closed"."""

    name: str
    kind: str  # the Streamlit message kind: "info", "warning" or "success"
    message: str

    @property
    def can_vote(self) -> bool:
        return self.name in {"voting", "waiting"}


def stage(room: Room, own: Vote | None) -> Stage:
    """The participant's stage in the room's current round, with what they are told."""
    counted = "Your vote stands." if own else "No vote was recorded for you in this round."
    if room.closed:
        return Stage("closed", "info", "This room is closed; thank you for taking part.")
    if room.revealed:
        return Stage("revealed", "success", f"Round {room.round} is over; its results are below. {counted}")
    if room.locked:
        return Stage("locked", "warning", f"Voting is locked. {counted} {WAITING}")
    if own:
        return Stage("waiting", "info", f"Your vote is in; you can change it until voting is locked. {WAITING}")
    return Stage("voting", "info", f"Voting is open for round {room.round}. {WAITING}")  # the form says how


@dataclass(frozen=True)
class VoteField:
    factor_id: str  # a factor, or for pairwise votes a pair's key ("first|second")
    name: str
    definition: str
    default: float | None  # a level, a rank or a judgement; None until the participant chooses one
    pair: tuple[str, str] = ()  # the two factors' names of a comparison


@dataclass(frozen=True)
class VoteForm:
    """A participant's vote form for one round, filled in with their vote in that round (if any)."""

    method: str  # "sliders" (levels), "rank" or "pairwise" (judgements)
    round: int
    instructions: str
    fields: list[VoteField]
    choices: list[float]  # the allowed values, in order
    comment: str
    submit_label: str

    def missing(self, values: Mapping[str, object]) -> list[str]:
        """The names of the factors with no level (or rank) chosen, in the form's order."""
        return [f.name for f in self.fields if values.get(f.factor_id) is None]

    def complete(self, values: Mapping[str, object]) -> dict[str, float]:
        """The vote to send; an InputError naming every factor still to choose when any is missing, else
        every factor whose value is not one of the form's choices."""
        noun = {"sliders": "level", "rank": "rank", "pairwise": "answer"}[self.method]
        article = "an" if noun == "answer" else "a"
        if missing := self.missing(values):
            message = f"no {noun} chosen for {_listed(missing)}"
        elif off := [f.name for f in self.fields if self._choice(values[f.factor_id]) is None]:
            verb = "has" if len(off) == 1 else "have"
            message = f"{_listed(off)} {verb} {article} {noun} the form does not offer ({self._offered()})"
        else:
            return {f.factor_id: self._choice(values[f.factor_id]) for f in self.fields}
        wrong = missing or off
        raise InputError(
            [
                Problem(
                    "vote",
                    message,
                    f"choose {article} {noun} for {'it' if len(wrong) == 1 else 'each'}, then submit again",
                )
            ]
        )

    def _choice(self, value: object) -> float | None:
        """The form's choice that `value` is, else None: only what the form offers can be sent.

        A page sends what its widgets hold, and a script speaking the browser's protocol can make that any
        text or number ("abc", "1/3", 2.5): none of it is a level, a rank or a point of the scale.
        """
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return next((c for c in self.choices if _same(value, c)), None)

    def _offered(self) -> str:
        if self.method == "pairwise":
            return "the scale's points from 1/9 to 9"
        if self.method == "sliders":
            return f"levels 0 to {VOTE_LEVELS}"  # as tapped; each is stored times LEVEL_STEP
        return f"ranks {self.choices[0]} to {self.choices[-1]}"

    def to_send(self, ballot: Ballot) -> dict:
        """What to send the store for a submitted form: a complete vote for this round (else an InputError).

        A form drawn for an earlier round is passed on as it is: the store refuses it as ended, and that,
        not a missing level, is what the participant needs to hear.
        """
        return self.complete(ballot.values) if ballot.round == self.round else dict(ballot.values)


@dataclass(frozen=True)
class Ballot:
    """A submitted form: the round it was drawn for, what was chosen (None = not chosen) and the comment."""

    round: int
    values: dict[str, int | None]
    comment: str


def vote_form(room: Room, own: Vote | None) -> VoteForm:
    """The form for the current round: nothing chosen before a first vote, else the participant's vote."""
    previous = own.values if own else {}
    if room.method == "pairwise":
        choices = list(ahp.SCALE)
        fields = _comparison_fields(room, previous, _to_revisit(room, own))
        instructions = "For each pair: which matters more for us, and how much?"
    else:
        sliders = room.method == "sliders"
        choices = LEVELS if sliders else list(range(1, len(room.factors) + 1))
        fields = [
            VoteField(f["id"], f["name"], f["definition"], _level(previous.get(f["id"]), choices)) for f in room.factors
        ]
        instructions = (
            f"Tap a level for each factor: 0 = irrelevant, {VOTE_LEVELS} = crucial."
            if sliders
            else "Rank the factors: 1 = most important; equal ranks are allowed."
        )
    return VoteForm(
        room.method,
        room.round,
        f"**Round {room.round}.** {instructions}",
        fields,
        choices,
        own.comment if own else "",
        "Update my vote" if own else "Submit my vote",
    )


def _comparison_fields(
    room: Room, previous: Mapping[str, float], revisit: tuple[tuple[str, str], ...] = ()
) -> list[VoteField]:
    """One field per pair of the room's design (at most 2n pairs, every factor connected); the pairs to
    revisit first."""
    names = {f["id"]: f["name"] for f in room.factors}
    definitions = {f["id"]: f["definition"] for f in room.factors}
    fields = []
    pairs = sorted(ahp.design(room.factor_ids), key=lambda pair: pair not in revisit)
    for first, second in pairs:
        key = ahp.pair_key(first, second)
        stored = previous.get(key)
        fields.append(
            VoteField(
                key,
                f"{names[first]} or {names[second]}?",
                f"{names[first]}: {definitions[first]} {names[second]}: {definitions[second]}",
                None if stored is None else min(ahp.SCALE, key=lambda c: abs(c - stored)),
                (names[first], names[second]),
            )
        )
    return fields


def _to_revisit(room: Room, own: Vote | None) -> tuple[tuple[str, str], ...]:
    """The pairs of a participant's own pairwise vote that contradict the rest most, when its CR is too high."""
    if room.method != "pairwise" or own is None:
        return ()
    result = pairwise_analysis(room, own.values)
    return result.most_inconsistent if result.too_inconsistent else ()


@dataclass(frozen=True)
class Consistency:
    """What a participant is told about their own pairwise vote: its CR, the pairs to revisit, the method."""

    kind: str  # the Streamlit message kind: "success" or "warning"
    message: str
    method: str  # how the CR was obtained, for a caption


def own_consistency(room: Room, own: Vote | None, can_vote: bool) -> Consistency | None:
    """The consistency of a participant's own pairwise vote (None for other rooms or before a vote)."""
    if room.method != "pairwise" or own is None:
        return None
    result = pairwise_analysis(room, own.values)
    names = {f["id"]: f["name"] for f in room.factors}
    cr = f"consistency ratio {result.cr:.2f}"
    if not result.too_inconsistent:
        return Consistency(
            "success", f"Your answers hang together: {cr} ({ahp.CR_LIMIT:.2f} or less is fine).", result.cr_source
        )
    pairs = _listed([f"{names[a]} or {names[b]}" for a, b in result.most_inconsistent])
    which = "The answer" if len(result.most_inconsistent) == 1 else "The answers"
    revise = (
        "They are now at the top of your form: change what you did not mean and update your vote before the reveal."
        if can_vote
        else "Voting is over for this round, so the vote stands as it is."
    )
    return Consistency(
        "warning",
        f"Some of your answers contradict each other: {cr}, above {ahp.CR_LIMIT:.2f}. "
        f"{which} furthest from your resulting weights: {pairs}. {revise}",
        result.cr_source,
    )


def level_label(value: float) -> str:
    """A stored level as the participant tapped it (0..VOTE_LEVELS)."""
    return str(round(value / LEVEL_STEP))


def vote_recorded(revision: int) -> str:
    return f"Your vote is in (revision {revision}). You can change it until voting is locked."


def current_vote_note(own: Vote | None) -> str | None:
    if own is None:
        return None
    return f"Your current vote is revision {own.revision}; the room sees it only after the reveal."


def _level(value: float | None, choices: list[int]) -> int | None:
    """A stored value as one of the choices (the nearest, for a vote stored on a finer scale)."""
    if value is None:
        return None
    return min(choices, key=lambda c: (abs(c - value), c))


def _same(value: float, choice: float) -> bool:
    """Equal, or for a float equal but for rounding (a third stored and read back); a huge whole number
    is compared exactly, never turned into a float."""
    return value == choice or isinstance(value, float) and math.isclose(value, choice, rel_tol=1e-9)


def _listed(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    return quoted[0] if len(quoted) == 1 else f"{', '.join(quoted[:-1])} and {quoted[-1]}"
