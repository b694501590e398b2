"""Live pages cost next to nothing between changes: the fragments a page keeps running, and the room read their
refreshes share (a refresh is run here as the browser's fragment timer asks a server for it)."""

import time

import pytest
import sqlalchemy as sa
from streamlit.runtime.scriptrunner import RerunData
from streamlit.testing.v1 import app_test, local_script_runner

from placement.present import guide
from tests.app.test_workshop_pages import facilitator_with_room, own_database, participant
from ui import rooms

__all__ = ["own_database"]  # the workshop tests' own database, for every test here too

registered: list[tuple[str, float]] = []  # (fragment id, seconds) of each run_every timer a run asked the browser for
elements_drawn: list[int] = []  # one per element a run sent
queued: list[str] = []  # the fragment the next run reruns, if any


class Recording(local_script_runner.LocalScriptRunner):
    """AppTest's runner, noting the messages a browser would get."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.on_event.connect(self._note, weak=False)

    def _note(self, _sender, event, **kwargs) -> None:
        message = kwargs.get("forward_msg")
        if message is not None and message.HasField("auto_rerun"):
            registered.append((message.auto_rerun.fragment_id, message.auto_rerun.interval))
        if message is not None and message.HasField("delta") and message.delta.HasField("new_element"):
            elements_drawn.append(1)


def _rerun_data(**kwargs) -> RerunData:
    return RerunData(**kwargs, fragment_id_queue=queued[:1], is_auto_rerun=bool(queued))


@pytest.fixture(autouse=True)
def recorded(monkeypatch):
    monkeypatch.setattr(app_test, "LocalScriptRunner", Recording)
    monkeypatch.setattr(local_script_runner, "RerunData", _rerun_data)
    registered.clear()


def timers_of(at) -> list[tuple[str, float]]:
    """The fragment timers a full run of `at` registers."""
    registered.clear()
    at.run()
    return list(registered)


def refresh(at, fragment: str) -> int:
    """One tick of the fragment's timer; how many elements it drew."""
    elements_drawn.clear()
    queued.append(fragment)
    try:
        at.run()
    finally:
        queued.clear()
    assert not at.exception
    return len(elements_drawn)


def test_the_board_runs_the_guide_countdown_only_while_the_guide_timer_runs():
    board = facilitator_with_room()
    assert len(timers_of(board)) == 1  # the live counts only
    board.session_state["guide_timer"] = guide.Timer().toggle(time.time())  # started on the guide page
    assert len(timers_of(board)) == 2
    first_step = board.session_state["guide_timer"].step == 0
    assert first_step and any("Set the scene" in m.value for m in board.markdown)  # the countdown names the step


def test_the_guide_page_ticks_only_while_its_timer_runs():
    at = facilitator_with_room().switch_page("pages/guide.py")
    assert timers_of(at) == []
    next(b for b in at.button if b.label == "Start").click()
    assert [seconds for _, seconds in timers_of(at)] == [1.0]


def test_idle_phones_share_one_read_draw_nothing_and_follow_a_change(monkeypatch):
    monkeypatch.setattr(rooms, "PULSE_SECONDS", 3600)  # one read serves every phone until a page reads again
    board = facilitator_with_room()
    code, _ = board.session_state["facilitated"]
    phones = []
    for name in ("Ana", "Ben", "Cy"):
        registered.clear()
        phones.append((participant(code, name), registered[-1][0]))  # its watch: the last timer its page asked for
    checkouts = []

    def checked_out(*_):
        checkouts.append(1)

    board.run()  # the board reads the room afresh, for every session of the server
    sa.event.listen(sa.pool.Pool, "checkout", checked_out)
    try:
        assert [refresh(phone, watch) for phone, watch in phones] == [0, 0, 0]
    finally:
        sa.event.remove(sa.pool.Pool, "checkout", checked_out)
    assert checkouts == []  # no phone's refresh touched the database
    next(b for b in board.button if b.label == "Lock voting").click().run()
    for phone, watch in phones:
        assert refresh(phone, watch) > 0  # the page is drawn again, now locked
        assert any("Voting is locked" in w.value for w in phone.warning)
