"""Pairwise comparisons in the sidebar: which factor matters more, and how much (AHP)."""

from __future__ import annotations

from itertools import combinations

import streamlit as st

from placement.analysis import ahp
from placement.data.model import Model
from placement.data.text import plain

FOCUS = "pair_focus"  # the comparisons to revisit (each as its two factor ids, sorted), drawn first and framed
# A slider shows its two ends under it while hovered; a pair's ends ("Ops empathy: overwhelmingly more (x9)")
# are too long for the sidebar and ran over the next question. The words above the thumb already say the
# judgement, and the question names the left-hand factor first.
ENDS_HIDDEN_CSS = '<style>[class*="st-key-pair_box_"] [data-testid="stSliderTickBar"] { display: none; }</style>'


def pair_state_key(key: str) -> str:
    return f"pair_{key}"


def asked_pairs(model: Model) -> list[tuple[str, str]]:
    """The design (at most 2n pairs, all connected), or every pair when asked for."""
    if st.session_state.get("pairs_all"):
        return list(combinations(model.factor_ids, 2))
    return ahp.design(model.factor_ids)


def set_pairs(model: Model, judged: dict[str, float]) -> None:
    """Every comparison to `judged`, the rest to "equal": no key, which is "equal" wherever a pair is read.

    Keeping no key for the equal pairs (28 of them for eight factors) matters: every widget drawn on any
    page walks the whole session state, so each idle key slows every rerun."""
    for first, second in combinations(model.factor_ids, 2):
        key = ahp.pair_key(first, second)
        if judged.get(key, 1.0) != 1:
            st.session_state[pair_state_key(key)] = judged[key]
        else:
            st.session_state.pop(pair_state_key(key), None)


def judged_pairs(model: Model) -> dict[str, float]:
    """The judgements other than "equal" among the pairs asked."""
    keys = (ahp.pair_key(a, b) for a, b in asked_pairs(model))
    return {k: v for k in keys if (v := st.session_state.get(pair_state_key(k), 1.0)) != 1}


def pairwise_weights(model: Model) -> dict[str, float]:
    """Draw one control per pair asked and return the AHP weights, with the consistency ratio and a way back."""
    st.caption(
        "For each pair: which matters more for us, and how much? Weights: principal eigenvector, or "
        "logarithmic least squares when not every pair is asked (docs/methods.md)."
    )
    if len(model.factor_ids) * (len(model.factor_ids) - 1) // 2 > 2 * len(model.factor_ids):
        st.toggle("Compare every pair", key="pairs_all", help="Otherwise 2 comparisons per factor, all connected.")
    st.html(ENDS_HIDDEN_CSS)
    pairs = asked_pairs(model)
    focus = st.session_state.get(FOCUS, ())
    pairs.sort(key=lambda p: tuple(sorted(p)) not in focus)  # the ones to revisit first
    for first, second in pairs:
        key = ahp.pair_key(first, second)
        framed = tuple(sorted((first, second))) in focus
        st.session_state.setdefault(pair_state_key(key), 1.0)
        names = model.factor(first).name, model.factor(second).name
        with st.container(border=framed, key=f"pair_box_{key.replace(ahp.PAIR_SEPARATOR, '__')}"):
            st.select_slider(
                f"{plain(names[0])} or {plain(names[1])}?",
                options=list(ahp.SCALE),
                key=pair_state_key(key),
                format_func=lambda value, a=names[0], b=names[1]: plain(ahp.judgement_words(a, b, value)),  # Markdown
            )
    judgements = {(a, b): st.session_state[pair_state_key(ahp.pair_key(a, b))] for a, b in pairs}
    result = ahp.analyse(model.factor_ids, ahp.matrix_of(model.factor_ids, judgements))
    _consistency(model, result)
    return result.weights


def _consistency(model: Model, result: ahp.Ahp) -> None:
    st.caption(f"Consistency ratio {result.cr:.2f} (Saaty: revisit above {ahp.CR_LIMIT:.2f}). {result.cr_source}")
    if result.too_inconsistent:
        named = [" or ".join(plain(model.factor(f).name) for f in pair) for pair in result.most_inconsistent]
        furthest = (
            f"The one furthest from the resulting weights: {named[0]}."
            if len(named) == 1
            else f"{len(named)} are equally far from the resulting weights: {'; '.join(named)}."
        )
        st.warning(
            f"These comparisons contradict each other (CR {result.cr:.2f}). {furthest}", icon=":material/warning:"
        )
        st.button(
            f"Revisit {named[0]}" if len(named) == 1 else f"Revisit these {len(named)} comparisons",
            on_click=st.session_state.__setitem__,
            args=(FOCUS, tuple(tuple(sorted(pair)) for pair in result.most_inconsistent)),
        )
