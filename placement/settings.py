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
    "pairwise": "Pairwise comparisons (AHP: principal eigenvector; logarithmic least squares when incomplete)",
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
MAX_RECORD_TITLE = 120
MAX_DECISION, MAX_NOTES = 2000, 4000  # the decision record's free text

DEFAULT_TITLE = "Where should Product Ops report?"

# Workshops
REOPEN_HOURS = 24  # a closed room can be reopened by its facilitator for this long
ROOM_DAYS = 30  # rooms are purged, with their votes, this many days after they were created
MAX_PARTICIPANTS = 200  # per room
RATE_WINDOW_SECONDS = 60
# At most this many joins / votes per window, per room and per address (a whole office may share one address).
RATE_LIMITS = {"join": {"room": 150, "address": 60}, "vote": {"room": 1000, "address": 300}}

# Okabe-Ito: distinguishable under every common colour-vision deficiency; the theme in
# .streamlit/config.toml lists the same colours (a test checks it).
PALETTE = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "green": "#009E73",
    "pink": "#CC79A7",
    "sky": "#56B4E9",
    "vermillion": "#D55E00",
    "yellow": "#F0E442",
    "black": "#000000",
}
PLACEMENT_COLOURS = list(PALETTE.values())
# Factors get their own colour-blind-safe palette (Paul Tol's muted), so a colour never means two things.
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
# Ranks: first to last, from dark blue through orange to grey.
RANK_COLOURS = [
    PALETTE["blue"],
    PALETTE["sky"],
    PALETTE["orange"],
    PALETTE["vermillion"],
    "#999999",
    PALETTE["pink"],
    PALETTE["green"],
    PALETTE["black"],
]
