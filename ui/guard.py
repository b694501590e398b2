"""One error path for every page: input and room errors become the same plain problems list."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import streamlit as st

from placement.data.problems import InputError
from placement.workshop.domain import RoomError, RoomUnavailable


def show_problems(intro: str, problems: Iterable) -> None:
    """Every problem at once, as plain text, under one short error."""
    st.error(f"{intro} Please fix:")
    st.text("\n".join(f"• {p}" for p in problems))


def show_unavailable(intro: str, error: RoomUnavailable) -> None:
    """The database did not answer: say so, with a button that tries again (what is on screen stays)."""
    st.error(f"{intro} {error}", icon=":material/cloud_off:")
    st.button("Try again", icon=":material/refresh:", key=f"retry_{intro}")


def problems_of(error: InputError | RoomError) -> list:
    return list(error.problems) if isinstance(error, InputError) else [str(error)]


@contextmanager
def reported(intro: str, stop: bool = False) -> Iterator[None]:
    """Run a block; an InputError or RoomError in it is shown as a problems list (then the page stops if `stop`).

    The user's previous state is untouched because the block raised before changing it.
    """
    try:
        yield
    except RoomUnavailable as error:
        show_unavailable(intro, error)
        if stop:
            st.stop()
    except (InputError, RoomError) as error:
        show_problems(intro, problems_of(error))
        if stop:
            st.stop()
