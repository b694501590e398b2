"""Page setup and display helpers shared by app.py and pages/."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from placement import charts
from placement.model import Model, load_model
from placement.problems import InputError

PAGES = [
    ("app.py", "Explore"),
    ("pages/2_Sensitivity.py", "How sure are we?"),
    ("pages/3_Evidence.py", "Evidence"),
    ("pages/4_Make_it_yours.py", "Make it yours"),
    ("pages/5_Scenarios.py", "Scenarios"),
    ("pages/6_Workshop.py", "Run a workshop"),
    ("pages/7_Join.py", "Join a workshop"),
    ("pages/8_Staffing.py", "Staffing planner"),
    ("pages/9_Guide.py", "Workshop guide"),
    ("pages/10_Decision_record.py", "Decision record"),
]
# Presentation mode: type readable from the back of a room, facilitator-only controls hidden.
PRESENTATION_CSS = """<style>
html { font-size: 24px; }
[class*="st-key-facilitator"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding-left: 3rem; padding-right: 3rem; }
</style>"""
MODEL_KEY = "active_model"
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def page_setup(title: str) -> Model:
    """Configure the page, draw the navigation and return the session's active model.

    Every page calls this first, so a deep link to any page works on a fresh server.
    """
    st.set_page_config(page_title=f"{title} · Product Ops placement", layout="wide", initial_sidebar_state="auto")
    with st.sidebar:
        for path, label in PAGES:
            st.page_link(path, label=label)
        presenting = st.toggle(
            "Presentation mode",
            key="presentation",
            persist_state="session",
            help="Larger type and charts for a projector; hides controls only the facilitator needs.",
        )
        st.divider()
    if presenting:
        st.html(PRESENTATION_CSS)
    try:
        baseline = baseline_model()
    except InputError as error:
        st.error("The decision model in data/ has problems, so the app cannot start:")
        st.text(str(error))
        st.stop()
    model = active_model()
    if model is not baseline:
        st.sidebar.caption("Using your edited model (see Make it yours).")
    return model


@st.cache_resource
def baseline_model() -> Model:
    """The source baseline from data/, loaded once per server."""
    return load_model()


@st.cache_resource
def full_model() -> Model:
    """The baseline with the optional placements from published context."""
    return load_model(include_optional=True)


def active_model() -> Model:
    return st.session_state.get(MODEL_KEY) or baseline_model()


def set_active_model(model: Model) -> None:
    """Make `model` the one every page uses for the rest of the session."""
    st.session_state[MODEL_KEY] = model


def show_chart(spec: dict, description: str) -> None:
    """Draw a chart, enlarged in presentation mode; `description` is its text alternative."""
    if st.session_state.get("presentation"):
        spec = charts.enlarged(spec)
    st.vega_lite_chart(spec, width="stretch", alt=description)


def show_problems(intro: str, problems) -> None:
    """Every input problem at once, as plain text, under one short error."""
    st.error(f"{intro} Please fix:")
    st.text("\n".join(f"• {p}" for p in problems))


def plain(text: str) -> str:
    """Escape Markdown so that text from data files is shown literally."""
    return MARKDOWN_SPECIALS.sub(r"\\\1", text)


def numbers_table(frame: pd.DataFrame, key: str, label: str = "Show the numbers") -> None:
    """The table behind a chart, one click away; sent only while open, which keeps reruns fast."""
    expander = st.expander(label, key=f"numbers_{key}", on_change="rerun")
    if expander.open:
        expander.dataframe(frame, hide_index=True, width="stretch")
