"""Workshop guide: a 45-60 minute session, step by step, with a visible timer."""

import time

import streamlit as st

from placement.data.text import plain
from placement.present import guide
from placement.settings import INK, OVER_TIME_RED
from ui import registry
from ui.common import catalog, page_setup

model = page_setup("Workshop guide")
steps = catalog().steps

st.title("Workshop guide")
st.caption(f"{len(steps)} steps, {guide.total_minutes(steps)} minutes in all. Each step links to the page it uses.")

state = st.session_state
state.setdefault("guide_timer", guide.Timer())


def go_to(index: int) -> None:
    state.guide_timer = state.guide_timer.go_to(index)


def start_or_pause() -> None:
    state.guide_timer = state.guide_timer.toggle(time.time())


timer_state: guide.Timer = state.guide_timer
step = steps[timer_state.step]


def timer() -> None:
    text, used, over = guide.countdown(step.minutes, state.guide_timer.elapsed(time.time()))
    colour = OVER_TIME_RED if over else INK
    st.markdown(
        f"<div style='font-size:3.5rem;font-weight:700;color:{colour}'>{text}</div>",
        unsafe_allow_html=True,
    )
    st.progress(used, text=f"{step.minutes} minutes for this step" + (" (over time)" if over else ""))


with st.container(border=True, key="guide_current"):
    st.header(f"Step {timer_state.step + 1} of {len(steps)}: {plain(step.title)}")
    left, right = st.columns([2, 1], gap="large")
    with left:
        st.markdown(plain(step.purpose))
        st.markdown("**Ask the room**")
        st.markdown("\n".join(f"- {plain(p)}" for p in step.prompts_for(model)))
        target = registry.page(step.page)
        st.page_link(target.file, label=f"Open {target.title}", icon=target.icon)
    with right:
        (st.fragment(run_every="1s")(timer) if timer_state.running else timer)()  # ticks only while it runs
        buttons = st.columns(3)
        buttons[0].button("Previous", on_click=go_to, args=(timer_state.step - 1,), disabled=timer_state.step == 0)
        buttons[1].button("Pause" if timer_state.running else "Start", on_click=start_or_pause, type="primary")
        buttons[2].button(
            "Next", on_click=go_to, args=(timer_state.step + 1,), disabled=timer_state.step == len(steps) - 1
        )

st.header("The whole session")
for index, item in enumerate(steps):
    marker = "▶" if index == timer_state.step else f"{index + 1}."
    columns = st.columns([4, 1, 2])
    columns[0].markdown(f"{marker} **{plain(item.title)}**: {plain(item.purpose)}")
    columns[1].markdown(f"{item.minutes} min")
    columns[2].page_link(registry.page(item.page).file, label=registry.page(item.page).title)
