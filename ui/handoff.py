"""What one page hands to another in the same browser session, through typed helpers only.

Pages never read or write these session keys themselves, so each handoff has one
definition: who sets it, who reads it, and its type.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import replace

import streamlit as st

from placement.analysis.robustness import Settings
from placement.analysis.staffing import Estimate
from placement.data.model import Model
from placement.present.urlstate import View
from placement.settings import DEFAULT_CERTAINTY
from placement.workshop.group import GroupWeights

# Widget keys owned by the "How sure are we?" page; persisted so every page can read them.
CERTAINTY_KEY, DOUBT_KEY, DOUBT_STATEMENTS_KEY = "certainty", "doubt_cells", "doubt_statements"


def active_model(baseline: Model) -> Model:
    """The model every page uses: a carried room round's, else this device's (edited, or the source baseline)."""
    group = group_weights()
    if group is not None and group.model is not None:
        return group.model
    return own_model(baseline)


def own_model(baseline: Model) -> Model:
    """This device's model: the team's edited one, or the source baseline."""
    return st.session_state.get("active_model") or baseline


def set_active_model(model: Model) -> None:
    """This device's model from now on; an edit made while a room's round model was carried starts from that
    model, so the round's model is no longer the one in effect (the group's weights stay)."""
    st.session_state["active_model"] = model
    group = group_weights()
    if group is not None and group.model is not None:
        st.session_state["group_weights"] = replace(group, model=None)


def back_to_own_model() -> None:
    """Stop using a carried room round (its model and weights): this device's own model again."""
    st.session_state.pop("group_weights", None)


def robustness_settings() -> Settings:
    """The certainty and doubt chosen on "How sure are we?" (defaults until someone changes them)."""
    state = st.session_state
    return Settings.at_level(
        state.get(CERTAINTY_KEY, DEFAULT_CERTAINTY),
        bool(state.get(DOUBT_KEY, False)),
        bool(state.get(DOUBT_STATEMENTS_KEY, False)),
    )


def set_group_weights(group: GroupWeights) -> None:
    """Set by the workshop board when the facilitator carries the room's weights to the analysis pages."""
    st.session_state["group_weights"] = group


def group_weights() -> GroupWeights | None:
    return st.session_state.get("group_weights")


def set_staffing(estimate: Estimate, pms: int) -> None:
    """Set by the Staffing planner for the decision record."""
    st.session_state["staffing"] = (estimate, pms)


def staffing() -> tuple[Estimate, int] | None:
    return st.session_state.get("staffing")


def request_view(view: View) -> None:
    """Ask the weight controls to show `view` on the next run (a drawn widget cannot change in this one).

    Set by Scenarios, Make it yours and the workshop board; taken by ui.weights.
    """
    st.session_state["requested_view"] = view


def take_requested_view() -> View | None:
    return st.session_state.pop("requested_view", None)


def set_record_files(made_for: Hashable, page: str, pdf: bytes | None) -> None:
    """Set by the decision record: its slow files (HTML, PDF or None), made for the record `made_for` names."""
    st.session_state["record_files"] = (made_for, page, pdf)


def record_files(made_for: Hashable) -> tuple[str, bytes | None] | None:
    """The record's HTML and PDF if they were made for this very record, else None."""
    made = st.session_state.get("record_files")
    return made[1:] if made is not None and made[0] == made_for else None
