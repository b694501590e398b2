"""The weighting controls (presets, sliders, ranks) and their link with the URL."""

from __future__ import annotations

import streamlit as st

from placement.analysis.explain import preset_note
from placement.analysis.weights import normalise, rank_order_centroid
from placement.data.model import SOURCE_CONDITION_WORDS, Model
from placement.data.problems import InputError
from placement.data.text import plain
from placement.present.urlstate import (
    View,
    default_preset,
    default_view,
    encode_view,
    group_weights_shown,
    matching_preset,
    parse_view,
    preset_sliders,
    ranks_from_sliders,
)
from placement.settings import SLIDER_MAX, WEIGHT_METHODS
from ui import handoff
from ui.guard import show_problems
from ui.pairwise import judged_pairs, pairwise_weights, set_pairs
from ui.profile import current as current_profile
from ui.profile import profile_from_link, url_answers, weights_from_answers

CUSTOM = "custom"
WEIGHT_PARAMETERS = {"w", "preset", "method", "rank", "pairs"}  # a link's own weights win over its answers


def slider_key(factor_id: str) -> str:
    return f"slider_{factor_id}"


def rank_key(factor_id: str) -> str:
    return f"rank_{factor_id}"


def sidebar_weights(model: Model) -> dict[str, float]:
    """The weights every analysis page shares: controls in the sidebar, the URL read once per
    session (with a notice for anything wrong in it); returns the normalised weights."""
    view_from_url(model)
    with st.sidebar:
        st.header("Weights")
        return weight_controls(model)


def view_from_url(model: Model) -> None:
    """On a session's first run, take the view (weights, answers) from the URL and say what in it was not
    used. A page whose first parts depend on the answers calls it before drawing them."""
    for notice in load_view_once(model):
        st.warning(plain(notice), icon=":material/warning:")


def load_view_once(model: Model) -> tuple[str, ...]:
    """On a session's first run, take the view from the URL; return its notices."""
    if "view_loaded" in st.session_state:
        return ()
    params = st.query_params.to_dict()
    view = parse_view(params, model)
    apply_view(model, view)
    st.session_state.view_loaded = True
    if "profile" not in params:
        return view.notices
    notices = profile_from_link(model, params["profile"])
    derived = current_profile()
    if derived is not None and not WEIGHT_PARAMETERS & params.keys():  # answers alone: their weights
        apply_view(model, View("sliders", derived.sliders, ranks_from_sliders(derived.sliders)))
        weights_from_answers(True)
    return view.notices + notices


def apply_view(model: Model, view: View) -> None:
    """Set the controls to `view` (ranks default to the order of the sliders)."""
    st.session_state.method = view.method
    ranks = view.ranks or ranks_from_sliders(view.sliders)
    for factor_id in model.factor_ids:
        st.session_state[slider_key(factor_id)] = view.sliders[factor_id]
        st.session_state[rank_key(factor_id)] = ranks[factor_id]
    set_pairs(model, view.pairs)
    sync_preset(model)


def current_view(model: Model) -> View:
    return View(
        st.session_state.method,
        {f: st.session_state[slider_key(f)] for f in model.factor_ids},
        {f: st.session_state[rank_key(f)] for f in model.factor_ids},
        judged_pairs(model),
    )


def sync_preset(model: Model) -> None:
    """Show the preset whose weights the sliders match, or Custom."""
    view = current_view(model)
    st.session_state.preset = (view.method == "sliders" and matching_preset(model, view.sliders)) or CUSTOM


def preset_in_effect(model: Model) -> str | None:
    """The name of the preset the weights follow, or None (custom weights)."""
    chosen = st.session_state.get("preset")
    return model.presets[chosen].name if chosen in model.presets else None


def choose_preset(model: Model) -> None:
    if st.session_state.preset != CUSTOM:
        sliders = preset_sliders(model, st.session_state.preset)
        apply_view(model, View("sliders", sliders, ranks_from_sliders(sliders)))
        weights_from_answers(False)


def ensure_factor_state(model: Model) -> None:
    """Give factors added since the controls were set a middle weight and the last rank."""
    for factor_id in model.factor_ids:
        st.session_state.setdefault(slider_key(factor_id), SLIDER_MAX // 2)
        st.session_state.setdefault(rank_key(factor_id), len(model.factor_ids))


def weight_controls(model: Model) -> dict[str, float]:
    """Draw the controls and return the normalised weights in effect."""
    ensure_factor_state(model)
    requested = handoff.take_requested_view()
    if requested is not None:
        apply_view(model, requested)
        weights_from_answers(False)
    st.radio(  # not a drop-down: every preset in sight, and Explore's first screen loads no drop-down code
        "Preset",
        [*model.presets, CUSTOM],
        key="preset",
        persist_state="session",
        format_func=lambda p: "Custom" if p == CUSTOM else plain(model.presets[p].name),  # options are Markdown
        on_change=choose_preset,
        args=(model,),
        help="Three presets reproduce the conditions under which the source says each alternative placement "
        f"'{SOURCE_CONDITION_WORDS}' its focus matches; 'Our reading of the author's "
        "priorities' is our weighting (the source gives none); Balanced weighs every factor the same.",
    )
    if st.session_state.preset in model.presets:
        preset = model.presets[st.session_state.preset]
        st.caption(f"{plain(preset.description)} {plain(preset_note(model, preset.id))}")
        unweighted = [f.name for f in model.factors if not preset.weights.get(f.id)]
        if unweighted:  # factors added on Make it yours: the source's presets never weigh them
            st.warning(
                f"This preset gives {plain(', '.join(unweighted))} no weight (0%): it was written without "
                "them. Move a slider to count it; the preset then becomes Custom.",
                icon=":material/info:",
            )
    else:  # choosing a preset is the way back (no reset button: one place to do it, one kind of control less)
        start = model.presets[default_preset(model)].name
        st.caption(f"Custom weights. Choose a preset to start again from it; the app starts from {plain(start)}.")
    st.radio(
        "Weighting method",
        list(WEIGHT_METHODS),
        key="method",
        persist_state="session",
        format_func=WEIGHT_METHODS.get,
        on_change=sync_preset,
        args=(model,),
        horizontal=True,
    )
    view = current_view(model)
    if view.method == "sliders":
        for factor in model.factors:
            st.slider(
                plain(factor.name),
                0,
                SLIDER_MAX,
                key=slider_key(factor.id),
                persist_state="session",
                help=f"{plain(factor.definition)} Ask: {plain(factor.question)}",
                on_change=sync_preset,
                args=(model,),
            )
        weights = _slider_weights(model, view)
    elif view.method == "pairwise":
        weights = pairwise_weights(model)
    else:
        st.caption("1 = most important. Equal ranks share their weight (rank-order centroid).")
        for factor in model.factors:
            st.selectbox(
                plain(factor.name),
                range(1, len(model.factors) + 1),
                key=rank_key(factor.id),
                persist_state="session",
                help=plain(factor.definition),
            )
        weights = rank_order_centroid(view.ranks, model.factor_ids)
    _write_url(model)
    st.container(key="weights_in_effect").markdown(weights_in_effect(model, weights))
    return weights


def weights_in_effect(model: Model, weights: dict[str, float]) -> str:
    """The weights in effect as a small Markdown table: light to send on every rerun (no data frame)."""
    rows = "".join(f"| {plain(f.name)} | {weights[f.id]:.0%} |\n" for f in model.factors)
    dropped = [plain(f.name) for f in model.factors if weights[f.id] == 0]
    note = (
        f"\n**Weight 0, so {'they drop' if len(dropped) > 1 else 'it drops'} out** of the ranking and of the "
        f"robustness sampling: {', '.join(dropped)}.\n"
        if dropped
        else ""
    )
    return f"### Weights in effect\n\n| factor | weight |\n| :-- | --: |\n{rows}{note}"


def _slider_weights(model: Model, view: View) -> dict[str, float]:
    """Normalised slider weights; all-zero sliders are refused and explained, and the defaults stand in.

    While the sliders still sit where a room's group weights, or the company profile's answers, put them,
    those exact weights apply (slider positions are whole numbers; a group's mean or rescaled points are not).
    """
    group = handoff.group_weights()
    exact = group_weights_shown(group, view.sliders, model.factor_ids)
    if exact is not None:
        st.caption(f"Room {group.room}'s exact group weights apply; the sliders show the nearest positions.")
        return exact
    derived = current_profile()
    answered = (
        derived.weights_shown(view.sliders) if derived and derived.sliders.keys() == set(model.factor_ids) else None
    )
    if answered is not None:
        if derived.sliders != derived.points:  # rescaled to the sliders' range and rounded
            st.caption("Your answers' exact weights apply; the sliders show the nearest positions.")
        return answered
    try:
        return normalise(view.sliders, model.factor_ids)
    except InputError as error:
        show_problems(
            "Every weight is 0, so nothing can be compared; until then the default weights are used.", error.problems
        )
        return normalise(default_view(model).sliders, model.factor_ids)


def _write_url(model: Model) -> None:
    target = encode_view(current_view(model), model) | url_answers()
    if st.query_params.to_dict() != target:
        st.query_params.from_dict(target)
