"""Constants and defaults shared by the package, the pages and the command line: one home for each."""

from __future__ import annotations

# Weights
SLIDER_MAX = 10  # sliders run 0..SLIDER_MAX; a new factor starts in the middle
WEIGHT_METHODS = {
    "sliders": "Sliders (0-10 per factor)",
    "rank": "Rank the factors",
    "pairwise": "Compare pairs",
}
WEIGHT_METHOD_DESCRIPTIONS = {
    "sliders": "Direct weights (sliders, normalised)",
    "rank": "Ranked factors (rank-order centroid)",
    "pairwise": (
        "Pairwise comparisons (AHP: principal eigenvector, CR against Alonso and Lamata's random index; logarithmic "
        "least squares when incomplete, CR against random answers on the same pairs)"
    ),
}
# How a room's group weights come from its votes (placement.workshop.group.group_weights), by the room's method.
GROUP_WEIGHTS_RULES = {
    "sliders": "the mean of the participants' normalised weights",
    "rank": "the mean of the participants' normalised weights",
    "pairwise": "the normalised geometric mean of the participants' AHP priority vectors",
}

# Robustness (SMAA-2): certainty levels worded for people, mapped to the Dirichlet concentration kappa.
CERTAINTY_LEVELS: dict[str, float | None] = {
    "We are sure of these weights": 200.0,
    "Fairly sure": 50.0,
    "Roughly these weights": 15.0,
    "Unsure": 4.0,
    "We have no idea": None,  # uniform on the simplex
}
DEFAULT_CERTAINTY = "Fairly sure"
SMAA_SAMPLES = 20_000
SMAA_SEED = 2024
MAX_SMAA_SAMPLES = 100_000  # memory grows with samples x placements x factors (in chunks, never placements^2 x samples)
MAX_SEED = 2**32 - 1

# Input limits: each is checked before the work it bounds is done, and a refusal names it.
MAX_FILE_BYTES = 2_000_000  # an uploaded or given model file or score matrix
MAX_PLACEMENTS = 30
MAX_FACTORS = 30
MAX_ROWS = 1_000  # rows of any other table (evidence, sources, presets, context ...)
MAX_SCORE_ROWS = MAX_PLACEMENTS * MAX_FACTORS
MAX_COLUMNS = 20  # columns of a table (the widest has 8)
MAX_JSON_DEPTH = 6  # a model file nests document > section > row > cell (weights: document > weights)
MAX_NUMBER_LENGTH = 30  # characters of one number, in a file or on the command line

# Text limits
MAX_TEXT = 400  # any text cell of a data file; no control characters, no bidirectional overrides
MAX_ITEM_NAME = 60  # a factor or placement added by the team
MAX_SHORT_NAME = 24
MAX_SCENARIO_NAME = 40
MAX_ROOM_TITLE = 80
MAX_PARTICIPANT_NAME = 40
MAX_COMMENT = 280
MAX_PROPOSAL = 200  # one sentence naming a risk or benefit the source misses
MAX_RECORD_TITLE = 120
MAX_DECISION, MAX_NOTES = 2000, 4000  # the decision record's free text

DEFAULT_TITLE = "Where should Product Ops report?"

# Workshops
REOPEN_HOURS = 24  # a closed room can be reopened by its facilitator for this long
ROOM_DAYS = 30  # rooms are purged, with their votes, this many days after they were created
MAX_PARTICIPANTS = 200  # per room
MAX_PROPOSALS = 20  # per participant and round of "name what is missing"
RATE_WINDOW_SECONDS = 60
# Live pages (every phone, the board) ask this often whether their room moved on; the answer is one read of the
# room per server and PULSE_SECONDS, shared by every session (placement/workshop/live.py, docs/live-rooms.md).
LIVE_REFRESH_SECONDS = 1.0
PULSE_SECONDS = 0.25
# At most this many joins / votes / proposals per window: per room, per network address within the room, per
# participant. A whole office may share one address: a full room behind one address can join within a window
# and vote about three times each; one participant's cap stops one person long before their network's.
# docs/room-guarantees.md explains each number.
RATE_LIMITS = {
    "join": {"room": 250, "address": MAX_PARTICIPANTS},
    "vote": {"room": 1000, "address": 600, "participant": 10},
    "propose": {"room": 600, "address": 400, "participant": 6},
}
FAILURE_WINDOW_SECONDS = 600
# At most this many wrong passcodes (joining) / wrong facilitator keys ("Open a room you run") per window, per
# room and per address within the room; beyond them every attempt is refused unchecked until one ages out.
FAILURE_LIMITS = {
    "passcode": {"room": 100, "address": 30},
    "key": {"room": 30, "address": 10},
}

# Placement colours, and they mean placements only. Chosen so that every pair stays at least 25 apart
# (CIEDE2000) for normal vision and under simulated deuteranopia, protanopia and tritanopia (Machado 2009,
# full severity), and each has 3:1 contrast or more against white (tests/test_palette.py computes both).
# A sixth placement reuses the first colour: every chart also names placements in text.
# The theme in .streamlit/config.toml lists the same colours (a test checks it).
PALETTE = {
    "blue": "#2800F8",
    "orange": "#E87030",
    "ink_violet": "#100830",
    "teal": "#48A0A8",
    "brown": "#784040",
}
PLACEMENT_COLOURS = list(PALETTE.values())
# Everything else is neutral: text, reference lines (neutral 50, zero, "now") and non-placement marks.
INK = "#1A1A1A"  # chart text: 17:1 on white
TEXT = "#111111"  # the theme's body text (.streamlit/config.toml), also the focus ring: 18:1 on white
REFERENCE_GREY = "#595959"  # reference lines, axis lines and ticks: 7:1 on white
NEUTRAL_FILL = "#8C8C8C"  # bands and boxes that are not placements: 3.4:1 on white
GRID_GREY = "#D9D9D9"
# Factors get their own colour-blind-safe palette (Paul Tol's muted); factor segments also carry their names.
FACTOR_COLOURS = [
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#DDDDDD",
]
# Ranks, first to last: dark to light greys (rank is an order, not a placement); segments are labelled.
RANK_COLOURS = ["#252525", "#525252", "#737373", "#969696", "#BDBDBD", "#D9D9D9", "#F0F0F0"]
# Score cells from -2 to +2 (ColorBrewer PiYG): magenta for risks, green for benefits, away from every
# placement colour; each cell's text is ink or white, whichever reads better (present.colours.readable_on).
SCORE_COLOURS = ["#C51B7D", "#E9A3C9", "#F7F7F7", "#A1D76A", "#4D9221"]
# The workshop timer's text: ink while on time, dark red (6.6:1 on white) once over; "over time" is also written.
OVER_TIME_RED = "#B3261E"
