"""Start from your company: the questionnaire on Explore, the weights it derives and why, kept in the URL."""

from __future__ import annotations

import streamlit as st

from placement.analysis import profile
from placement.data.model import Model
from placement.data.problems import InputError
from placement.data.profile import Questionnaire
from placement.data.text import plain
from placement.present.urlstate import View, encode_profile, parse_profile, ranks_from_sliders
from ui.common import catalog
from ui.guard import show_problems

PROFILE = "company_profile"  # the Profile derived from the answers, once the user asked for it
FROM_ANSWERS = "weights_from_answers"  # whether the weights in effect started from the answers (not a preset...)
STAFFING_KEYS = {"pms": "staff_pms", "areas": "staff_areas"}  # answers the Staffing planner starts from


def answer_key(question_id: str) -> str:
    return f"profile_{question_id}"


def current() -> profile.Profile | None:
    return st.session_state.get(PROFILE)


def in_effect() -> profile.Profile | None:
    """The profile, while the weights in effect started from its answers (a preset or a room's weights since:
    None); the sliders may have been moved from there."""
    return current() if st.session_state.get(FROM_ANSWERS) else None


def weights_from_answers(started_from_them: bool) -> None:
    """Say whether the weights now in effect start from the answers: set where the weights are replaced."""
    st.session_state[FROM_ANSWERS] = started_from_them


def profile_from_link(model: Model, text: str) -> tuple[str, ...]:
    """Answers from the URL: the form shows them and the profile is in effect; the weights come from the link."""
    answers, notices = parse_profile(text, catalog().questionnaire)
    adopt(model, answers)
    return notices


def url_answers() -> dict[str, str]:
    """The profile's query parameter, once answers are in effect."""
    derived = current()
    return {"profile": encode_profile(derived.answers)} if derived else {}


def adopt(model: Model, answers: dict[str, str | int]) -> profile.Profile:
    """Derive the profile, remember it (the form shows its answers) and fill the Staffing planner's counts."""
    derived = profile.derive(catalog().questionnaire, answers, model.factor_ids)
    st.session_state[PROFILE] = derived
    for question_id, value in derived.answers.items():
        if question_id in STAFFING_KEYS:
            st.session_state[STAFFING_KEYS[question_id]] = value
    return derived


def _derive_from_form(model: Model, questionnaire: Questionnaire, apply_view) -> None:
    """Runs before the page: the form's answers become the sliders (the user may move them afterwards)."""
    answers = {
        q.id: st.session_state[answer_key(q.id)]
        for q in questionnaire.questions
        if st.session_state.get(answer_key(q.id)) is not None
    }
    try:
        derived = adopt(model, answers)
    except InputError as error:  # a number typed out of range, for instance
        st.session_state["profile_problems"] = error.problems
        return
    apply_view(model, View("sliders", derived.sliders, ranks_from_sliders(derived.sliders)))
    weights_from_answers(True)


def questionnaire_form(model: Model, apply_view) -> None:
    """The first step of Explore: about six questions, then the weights with 'because you said ...'."""
    questionnaire = catalog().questionnaire
    derived = current()
    presenting = bool(st.session_state.get("presentation"))
    # Closed until someone opens it, so that the ranking is the first thing anyone sees, and soonest: its number
    # boxes and drop-downs are the first screen's heaviest browser code. A projector keeps its own open state, so
    # turning presentation mode on closes it. Drawn only while open: its eight widgets would otherwise cost every
    # rerun of Explore; the answers in effect live in the profile.
    expander = st.expander(
        "Start from your company (six questions, under two minutes)",
        key="questionnaire_projector" if presenting else "questionnaire",
        on_change="rerun",
    )
    if expander.open:
        _questions(expander, model, questionnaire, apply_view, derived)


def _questions(expander, model: Model, questionnaire: Questionnaire, apply_view, derived) -> None:
    with expander:
        with st.form("company_profile_form", border=False):
            for question in questionnaire.questions:
                _question_input(question, derived.answers if derived else {})
            st.form_submit_button(
                "Derive the weights",
                type="primary",
                on_click=_derive_from_form,
                args=(model, questionnaire, apply_view),
            )
        problems = st.session_state.pop("profile_problems", None)
        if problems:
            show_problems("These answers cannot be used; the weights are as they were.", problems)


def _question_input(question, answered: dict[str, str | int]) -> None:
    """One question, showing the answer in effect (the form's widgets are not kept while it is closed)."""
    key = answer_key(question.id)
    if question.id in answered:
        st.session_state.setdefault(key, answered[question.id])
    if question.kind == "count":
        st.session_state.setdefault(key, question.default)
        st.number_input(plain(question.prompt), question.low, question.high, step=1, key=key, help=plain(question.help))
    else:
        labels = {a.id: a.label for a in question.answers}
        st.selectbox(
            plain(question.prompt),
            list(labels),
            index=None,
            key=key,
            format_func=labels.get,
            placeholder="Choose one (or leave it)",
            help=plain(question.help),
        )


def answers_panel(model: Model, preset_name: str | None) -> None:
    """Each factor's weight from the answers and the answers behind it, saying whether they are still the
    starting point of the weights in effect. `preset_name`: the preset the weights now follow, if any."""
    derived = current()
    if derived is None:
        return
    with st.container(border=True, key="because_you_said"):
        if in_effect() is not None:
            st.markdown("**Weights from your answers** (move any slider to adjust them)")
        else:
            now = f"the preset {plain(preset_name)}" if preset_name else "weights set since"
            st.markdown(
                f"**Weights your answers gave**: not in effect, the weights now come from {now}. "
                "Derive the weights again to return to these."
            )
        for factor in sorted(model.factors, key=lambda f: -derived.sliders.get(f.id, 0)):
            reasons = derived.reasons.get(factor.id, [])
            said = "; ".join(
                f"because you said *{plain(b.answer)}* ({b.effect:+d}, {plain(b.basis)}: {plain(b.reason)})"
                for b in reasons
            )
            drops = " **drops out** (0: it counts in neither the ranking nor the robustness sampling)"
            st.markdown(
                f"- **{plain(factor.name)}: {derived.sliders.get(factor.id, 0)}** "
                f"({derived.weights.get(factor.id, 0):.0%}){drops if factor.id in derived.dropped else ''} "
                f"{said or '(no answer moved it from the base)'}"
            )
