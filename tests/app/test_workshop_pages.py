"""AppTest flows for a live workshop: the facilitator's board and a participant's page."""

from contextlib import contextmanager

import pyarrow as pa
import pytest
import sqlalchemy as sa
from markdown_it import MarkdownIt
from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest

from placement import settings
from placement.data.editing import add_placement
from placement.data.model import load_model
from placement.data.problems import InputError, Problem
from placement.workshop import group
from placement.workshop.schema import database_url
from placement.workshop.store import RoomStore
from tests.app.conftest import APP
from ui import registry

WORKSHOP, JOIN = registry.page("run").file, registry.page("join").file


@pytest.fixture(autouse=True)
def own_database(tmp_path, monkeypatch):
    monkeypatch.delenv("PLACEMENT_DATABASE_URL", raising=False)
    monkeypatch.setenv("PLACEMENT_DB_PATH", str(tmp_path / "rooms.db"))


def facilitator_with_room(title="Placement workshop"):
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(WORKSHOP).run()
    at.text_input[0].input(title)
    at.button[0].click().run()
    return at


def participant(code, name):
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(JOIN)
    at.query_params["room"] = code
    at.run()
    at.text_input[0].input(name)
    at.button[0].click().run()
    return at


def passcode_room(passcode: str, names_required: bool) -> str:
    """A room created on the board with a passcode: its code."""
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(WORKSHOP).run()
    at.text_input[0].input("Guarded room")
    if names_required:
        at.checkbox[0].check()
    at.text_input[1].input(passcode)
    at.button[0].click().run()
    return at.session_state["facilitated"][0]


def join_page(code: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(JOIN)
    at.query_params["room"] = code
    return at.run()


def submit(at):
    next(b for b in at.button if b.label in {"Submit my vote", "Update my vote"}).click().run()


def vote(at, levels=None, default=6, comment=None):
    """Tap a level for every factor (`levels` by position, else `default`), then submit the form."""
    for i, control in enumerate(at.segmented_control):
        control.set_value((levels or {}).get(i, default))
    if comment is not None:
        at.text_input[0].input(comment)
    submit(at)
    return at


def chart_data(chart):
    """The (first) dataset a chart element sends, as a data frame."""
    return pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()


def metrics(at):
    return {m.label: m.value for m in at.metric}


def problems(at) -> str:
    """What the one error path showed: the errors and the problems listed under them."""
    return "\n".join([e.value for e in at.error] + [t.value for t in at.text])


def key_popover(at):
    popover = next(p for p in at.get("popover") if "facilitator key" in p.proto.popover.label.lower())
    return popover.proto.popover.label, "\n".join(w.value.replace("\\", "") for w in popover.warning)


def test_creating_a_room_shows_code_link_qr_and_the_key_until_it_is_saved():
    at = facilitator_with_room()
    assert not at.exception
    code, key = at.session_state["facilitated"]
    assert len(code) == 8
    label, shown = key_popover(at)
    assert label == "Facilitator key" and key in shown  # behind a button: not blazing on the projector
    assert f"/{registry.page('join').url_path}?room={code}" in "\n".join(c.value for c in at.markdown)
    assert "/join?room=" in "\n".join(c.value for c in at.markdown)
    assert len(at.get("image")) == 1
    assert metrics(at) == {"Joined": "0", "Votes in": "0", "Round": "1", "Voting": "open"}
    at.run()
    assert key_popover(at)[0] == "Facilitator key"  # asked for until saved, presenting or not
    next(b for b in at.button if b.label == "I have saved the key").click().run()
    label, shown = key_popover(at)
    assert label == "Show the facilitator key" and key in shown  # still one click away on this screen
    assert not any(b.label == "I have saved the key" for b in at.button)


def test_blank_title_is_refused():
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(WORKSHOP).run()
    at.button[0].click().run()
    assert "a room needs a title" in "\n".join(t.value for t in at.text)
    assert "facilitated" not in at.session_state


def test_participants_vote_blind_then_the_reveal_shows_the_room():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    ana, ben = participant(code, "Ana"), participant(code, "<b>Ben</b>")
    vote(ana, {1: 10}, comment="Ops is where the pain is")  # Ops empathy
    assert "Your vote is in (revision 1)" in ana.success[0].value
    vote(ben)
    assert any("after the facilitator reveals" in i.value for i in ben.info)
    facilitator.run()
    assert metrics(facilitator)["Votes in"] == "2"
    assert any("hidden" in i.value for i in facilitator.info)
    next(b for b in facilitator.button if b.label == "Reveal votes").click().run()
    assert not facilitator.exception
    assert any(s.value.startswith("Consensus:") for s in facilitator.header)
    assert "Ana: Ops is where the pain is" in [t.value for t in facilitator.text]
    winners = next(d.value for d in facilitator.dataframe if "first for" in d.value.columns)
    assert winners["first for"].sum() == 2
    spread = next(chart_data(c) for c in facilitator.get("vega_lite_chart") if "q1" in chart_data(c).columns)
    assert len(spread) == len(load_model().factors)  # quartiles per factor are sent, not every vote
    assert list(spread.columns)[:7] == ["factor", "mean", "min", "q1", "median", "q3", "max"]  # then the spoken names
    ben.run()
    assert "The room's results" in [s.value for s in ben.subheader]


def test_revision_replaces_the_vote_and_lock_stops_voting():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    ana = participant(code, "Ana")
    vote(ana)
    ana.segmented_control[0].set_value(8)
    submit(ana)
    assert "revision 2" in ana.success[0].value
    facilitator.run()
    assert metrics(facilitator)["Votes in"] == "1"
    next(b for b in facilitator.button if b.label == "Lock voting").click().run()
    ana.run()
    assert any("Voting is locked" in w.value for w in ana.warning)
    assert not ana.get("form") or not any(b.label == "Update my vote" for b in ana.button)


def test_a_participant_cannot_see_or_control_what_is_hidden():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    intruder = AppTest.from_file(APP, default_timeout=30).run().switch_page(WORKSHOP).run()
    intruder.text_input(key="reopen_code").input(code)
    intruder.text_input(key="reopen_key").input("guessed-key")
    intruder.button[1].click().run()
    assert "The room was not opened." in intruder.error[0].value
    assert "do not match" in problems(intruder)
    assert "facilitated" not in intruder.session_state


def test_unknown_room_code_gets_a_clear_message():
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(JOIN)
    at.query_params["room"] = "NOPE1234"
    at.run()
    assert not at.exception
    assert "There is no room with the code 'NOPE1234'" in problems(at)


def test_new_round_keeps_the_earlier_one_and_group_weights_reach_explore():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    ana = participant(code, "Ana")
    vote(ana, {3: 10}, default=0)  # Domain expertise only
    next(b for b in facilitator.run().button if b.label == "Reveal votes").click().run()
    next(b for b in facilitator.button if b.label == "Start a new round").click().run()
    assert metrics(facilitator)["Round"] == "2" and metrics(facilitator)["Votes in"] == "0"
    assert "Earlier rounds" in [e.label for e in facilitator.expander]
    facilitator.session_state["earlier_rounds"] = True  # opened: round 1's results are drawn inside
    use = "Use the group's weights in Explore and sensitivity"
    next(b for b in facilitator.run().button if b.label == use).click().run()
    assert not facilitator.exception
    assert facilitator.slider(key="slider_domain_expertise").value == 10
    assert facilitator.slider(key="slider_ops_empathy").value == 0


def test_the_record_uses_the_boards_exact_group_weights():
    """Three votes whose mean is no whole slider position: the record states the board's group weights."""
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    for name, levels in (("Ana", {0: 10, 1: 2}), ("Ben", {0: 6, 2: 8}), ("Cy", {1: 8, 3: 2})):
        vote(participant(code, name), levels, default=4)
    next(b for b in facilitator.run().button if b.label == "Reveal votes").click().run()
    board = facilitator.dataframe  # the group's weights table: factor, group weight
    shown = next(d.value for d in board if "group weight" in d.value.columns)
    next(b for b in facilitator.button if b.label == "Use the group's weights in Explore and sensitivity").click().run()
    facilitator.switch_page(registry.page("decision_record").file).run()
    carried = handoff_weights(facilitator)
    names = {f.name: f.id for f in load_model().factors}
    for factor, weight in zip(shown["factor"], shown["group weight"], strict=True):
        assert carried[names[factor]] == pytest.approx(weight, abs=1e-9)
    preview = "\n".join(m.value for m in facilitator.markdown)
    assert f"| {shown['factor'][0]} | {shown['group weight'][0]:.1%} |" in preview
    assert any("exact group weights apply" in c.value for c in facilitator.caption)


def handoff_weights(at) -> dict[str, float]:
    """The weights the record was built with: the room's, handed over exactly."""
    return at.session_state["group_weights"].weights


def test_an_unreachable_database_gets_a_message_not_a_traceback(monkeypatch):
    monkeypatch.setenv("PLACEMENT_DATABASE_URL", "postgresql+psycopg://nobody:wrong@127.0.0.1:1/none")
    at = AppTest.from_file(APP, default_timeout=60).run().switch_page(WORKSHOP).run()
    assert not at.exception
    assert "The workshop database cannot be reached" in at.error[0].value


def test_the_decision_record_names_the_room_only_while_its_weights_stand():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    vote(participant(code, "Ana"))
    next(b for b in facilitator.run().button if b.label == "Reveal votes").click().run()
    next(b for b in facilitator.button if b.label == "Use the group's weights in Explore and sensitivity").click().run()
    facilitator.switch_page(registry.page("decision_record").file).run()
    assert f"Participants: 1 in room {code}, round 1" in "\n".join(m.value for m in facilitator.markdown)
    facilitator.slider(key="slider_ops_empathy").set_value(0).run()
    assert "Participants:" not in "\n".join(m.value for m in facilitator.markdown)
    assert any("changed after room" in c.value for c in facilitator.caption)


def test_the_facilitator_reopens_a_room_with_a_code_typed_loosely():
    facilitator = facilitator_with_room()
    code, key = facilitator.session_state["facilitated"]
    other = AppTest.from_file(APP, default_timeout=30).run().switch_page(WORKSHOP).run()
    other.text_input(key="reopen_code").input(f" {code[:4].lower()} {code[4:]} ")
    other.text_input(key="reopen_key").input(key)
    other.button[1].click().run()
    assert not other.exception
    assert other.session_state["facilitated"] == (code, key)
    assert metrics(other)["Voting"] == "open"


def moved_on(at) -> list[str]:
    return [w.value for w in at.warning if "facilitator screen" in w.value]


def test_a_board_whose_round_another_screen_moved_on_says_so_and_changes_nothing(tmp_path):
    """Two facilitator screens show round 1; the second starts round 2; the first, not yet redrawn, presses
    "Start a new round" too. Its click names round 1, so no round 3 is started and the board says why."""
    facilitator = facilitator_with_room()
    code, key = facilitator.session_state["facilitated"]
    other = AppTest.from_file(APP, default_timeout=30).run().switch_page(WORKSHOP).run()
    other.text_input(key="reopen_code").input(code)
    other.text_input(key="reopen_key").input(key)
    other.button[1].click().run()
    next(b for b in other.button if b.label == "Start a new round").click().run()
    assert metrics(other)["Round"] == "2"
    next(b for b in facilitator.button if b.label == "Start a new round").click().run()
    assert not facilitator.exception
    assert moved_on(facilitator) == [
        "Another facilitator screen already started round 2, so this click changed nothing; "
        "the board now shows round 2."
    ]
    assert metrics(facilitator)["Round"] == "2"
    assert RoomStore(sa.create_engine(f"sqlite:///{tmp_path / 'rooms.db'}")).round_numbers(code) == [1, 2]
    next(b for b in facilitator.button if b.label == "Start a new round").click().run()  # now showing round 2
    assert metrics(facilitator)["Round"] == "3" and moved_on(facilitator) == []


def test_wrong_passcodes_beyond_the_limit_are_refused_with_the_wait(monkeypatch):
    monkeypatch.setattr(settings, "FAILURE_LIMITS", {**settings.FAILURE_LIMITS, "passcode": {"room": 2, "address": 2}})
    eve = join_page(passcode_room("tulip", names_required=False))
    for guess in ("rose", "lily", "tulip"):
        eve.text_input[1].input(guess)
        eve.button[0].click().run()
    assert not eve.exception
    assert "Too many wrong passcodes in this room right now (at most 2 in 10 minutes): wait 10 minutes" in problems(eve)
    assert "You are in" not in board_text(eve)


def test_the_group_weights_are_handed_over_with_their_room():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    vote(participant(code, "Ana"))
    vote(participant(code, "Ben"))
    next(b for b in facilitator.run().button if b.label == "Reveal votes").click().run()
    next(b for b in facilitator.button if b.label == "Use the group's weights in Explore and sensitivity").click().run()
    assert not facilitator.exception
    group = facilitator.session_state["group_weights"]
    assert (group.room, group.round, group.participants) == (code, 1, 2)
    assert sum(group.weights.values()) == pytest.approx(1.0)
    assert "group_source" not in facilitator.session_state


def test_a_revised_vote_starts_from_the_previous_one_and_a_closed_room_says_so():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    ana = participant(code, "Ana")
    vote(ana, {0: 8}, comment="first thoughts")
    ana.run()
    assert ana.segmented_control[0].value == 8
    assert ana.text_input[0].value == "first thoughts"
    assert any(b.label == "Update my vote" for b in ana.button)
    assert any("Your current vote is revision 1" in c.value for c in ana.caption)
    next(b for b in facilitator.button if b.label == "Close the room").click().run()
    next(b for b in facilitator.button if b.label == "Yes, close the room").click().run()  # confirmed
    assert metrics(facilitator)["Voting"] == "closed"
    assert all(
        b.disabled for b in facilitator.button if b.label in {"Reveal votes", "Lock voting", "Start a new round"}
    )
    assert any(b.label == "Reopen the room" for b in facilitator.button)
    ana.run()
    assert any("This room is closed" in i.value for i in ana.info)
    assert not any(b.label == "Update my vote" for b in ana.button)


def test_a_refused_vote_is_reported_through_the_problems_list(monkeypatch):
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    ana = participant(code, "Ana")

    def refuse(*args, **kwargs):
        raise InputError([Problem("comment", "the comment is 281 characters", "shorten it to 280")])

    monkeypatch.setattr(RoomStore, "submit", refuse)
    vote(ana)
    assert not ana.exception
    assert ana.error[0].value == "Your vote was not recorded. Please fix:"
    assert "the comment is 281 characters" in problems(ana)
    assert not ana.success


def test_an_untouched_form_is_not_sent_and_names_the_factors_to_choose():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    ana = participant(code, "Ana")
    assert [c.value for c in ana.segmented_control] == [None] * len(ana.segmented_control)
    ana.segmented_control[0].set_value(6)
    submit(ana)
    assert ana.error[0].value == "Your vote was not recorded. Please fix:"
    assert "no level chosen for 'Ops empathy'" in problems(ana) and "'PM alignment'" not in problems(ana)
    assert ana.segmented_control[0].value == 6  # what was chosen stays
    facilitator.run()
    assert metrics(facilitator)["Votes in"] == "0"


def test_a_vote_for_an_ended_round_is_refused_and_the_new_rounds_form_follows():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    ana = participant(code, "Ana")
    next(b for b in facilitator.button if b.label == "Start a new round").click().run()
    vote(ana, default=8)  # filled in on round 1's form, sent after round 2 started
    assert "Round 1 ended before your vote arrived" in problems(ana)
    assert "Round 2 is open: please vote again" in problems(ana)
    assert "**Round 2.**" in "\n".join(m.value for m in ana.markdown)
    assert [c.value for c in ana.segmented_control] == [None] * len(ana.segmented_control)
    facilitator.run()
    assert metrics(facilitator)["Votes in"] == "0"


def board_text(at) -> str:
    """Everything the board shows as text: markdown, captions, text, tables and messages."""
    parts = [e.value for kind in ("markdown", "caption", "text", "info", "success", "warning") for e in at.get(kind)]
    parts += [str(df.value.to_dict()) for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def test_a_round_never_revealed_stays_secret_on_the_board_after_a_new_round():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    vote(participant(code, "Zelda Secretname"), comment="my hidden comment")
    next(b for b in facilitator.run().button if b.label == "Start a new round").click().run()
    assert not facilitator.exception
    assert not facilitator.get("caption") or all("never revealed" not in c.value for c in facilitator.caption)
    facilitator.session_state["earlier_rounds"] = True  # what opening the expander does
    facilitator.run()
    earlier = next(e for e in facilitator.expander if e.label == "Earlier rounds")
    shown = board_text(earlier)
    assert "1 earlier round(s) never revealed: their votes stay secret." in shown
    assert "Zelda" not in shown and "my hidden comment" not in shown and "Consensus" not in shown
    assert not earlier.selectbox and not earlier.dataframe
    everything = board_text(facilitator)  # the rest of the board: who joined, never what they voted
    assert "my hidden comment" not in everything and "Consensus" not in everything


def test_joining_again_from_the_same_browser_returns_the_same_participant():
    ana = participant(code := facilitator_with_room().session_state["facilitated"][0], "Ana")
    token = ana.query_params["p"]
    again = ana.switch_page(JOIN)
    again.query_params.clear()
    again.query_params["room"] = code
    again.run()
    assert again.query_params["p"] == token and "You are in as Ana" in board_text(again)
    assert not any(b.label == "Join" for b in again.button)


def test_a_forwarded_link_does_not_sign_someone_else_in():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    token = participant(code, "Ana").query_params["p"]
    stranger = AppTest.from_file(APP, default_timeout=30).run().switch_page(JOIN)
    stranger.query_params.update({"room": code, "p": token})
    stranger.run()
    assert "You are in as Ana" not in board_text(stranger)
    assert "does not sign you in" in board_text(stranger)
    assert any(b.label == "Join" for b in stranger.button)


def test_the_facilitator_lists_and_removes_a_participant_and_the_tally_follows():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    vote(participant(code, "Ana"))
    vote(participant(code, "Ana"))
    facilitator.run()
    assert "Ana — voted" not in board_text(facilitator)  # the closed panel is not even read
    facilitator.session_state["participants_panel"] = True  # what opening it does
    facilitator.run()
    shown = board_text(facilitator)
    assert "Ana — voted ⚠ same name as another participant" in shown
    assert metrics(facilitator)["Votes in"] == "2"
    next(b for b in facilitator.button if b.label == "Remove").click().run()
    assert "Ana removed; 1 vote" in board_text(facilitator)
    assert metrics(facilitator)["Votes in"] == "1"


def test_a_removed_participant_is_named_as_typed_not_as_a_link():
    facilitator = facilitator_with_room()
    name = "[Ana](http://127.0.0.1:9/x)"
    participant(facilitator.session_state["facilitated"][0], name)
    facilitator.session_state["participants_panel"] = True
    facilitator.run()
    next(b for b in facilitator.button if b.label == "Remove").click().run()
    note = facilitator.success[0].value  # Markdown, as Streamlit receives it
    rendered = MarkdownIt("commonmark").render(note)
    assert "<a" not in rendered and f"{name} removed; 0 votes" in rendered.replace("\u2060", "")


def test_the_facilitator_deletes_the_room_once_confirmed():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    facilitator.session_state["participants_panel"] = True
    next(b for b in facilitator.run().button if b.label == "Delete this room").click().run()
    assert "facilitated" in facilitator.session_state
    next(b for b in facilitator.button if b.label == "Yes, delete the room").click().run()
    assert "facilitated" not in facilitator.session_state
    gone = AppTest.from_file(APP, default_timeout=30).run().switch_page(JOIN)
    gone.query_params["room"] = code
    assert "There is no room" in problems(gone.run())


def test_a_room_with_names_required_and_a_passcode_refuses_others():
    bob = join_page(passcode_room("tulip", names_required=True))
    bob.text_input[0].input("Bob")
    bob.text_input[1].input("rose")
    bob.button[0].click().run()
    assert "passcode does not match" in problems(bob)
    bob.text_input[1].input("tulip")
    bob.button[0].click().run()
    assert "You are in as Bob" in board_text(bob)


def test_a_database_failure_during_submit_never_confirms_the_vote(monkeypatch):
    import sqlalchemy as sa

    code, _ = facilitator_with_room().session_state["facilitated"]
    ana = participant(code, "Ana")

    def broken(*args, **kwargs):
        raise sa.exc.OperationalError("UPDATE votes", {}, Exception("attempt to write a readonly database"))

    monkeypatch.setattr(RoomStore, "_submit", broken)
    vote(ana)
    assert "your vote was not saved. Try again" in problems(ana)
    assert not any("Your vote is in" in s.value for s in ana.success)


# --- the database going away (issues 11 and 12) --------------------------------------------------


@contextmanager
def database_away():
    """Every connection attempt fails inside the block, as with PostgreSQL stopped."""
    import sqlalchemy as sa

    def refused(*args, **kwargs):
        raise sa.exc.OperationalError("SELECT 1", {}, Exception("connection refused"))

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sa.engine.Engine, "connect", refused)
        yield


def test_the_board_keeps_its_controls_while_the_database_is_away_and_continues_after():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    vote(participant(code, "Ana"))
    facilitator.run()
    with database_away():
        facilitator.run()
        assert not facilitator.exception
        assert "The workshop database is not answering right now" in problems(facilitator)
        labels = [b.label for b in facilitator.button]
        assert "Reveal votes" in labels and "Try again" in labels  # the controls stay, with a retry
        next(b for b in facilitator.button if b.label == "Reveal votes").click().run()
        assert not facilitator.exception
        assert "nothing was changed" in problems(facilitator)
    next(b for b in facilitator.button if b.label == "Try again").click().run()
    assert "not answering" not in problems(facilitator)
    assert metrics(facilitator)["Votes in"] == "1"
    next(b for b in facilitator.button if b.label == "Reveal votes").click().run()
    assert any("Consensus" in s.value for s in facilitator.header)


def test_a_vote_sent_while_the_database_is_away_is_not_confirmed_and_stays_on_screen():
    code, _ = facilitator_with_room().session_state["facilitated"]
    ana = participant(code, "Ana")
    with database_away():
        vote(ana, levels={0: 8, 1: 2}, default=4)
        assert not ana.exception
        assert "your vote was not saved. Try again in a moment" in problems(ana)
        assert not any("Your vote is in" in s.value for s in ana.success)
        assert [c.value for c in ana.segmented_control][:3] == [8, 2, 4]  # what Ana chose is still there
        assert any(b.label == "Try again" for b in ana.button)
    submit(ana)
    assert any("Your vote is in" in s.value for s in ana.success)
    assert not any("not answering" in e.value for e in ana.error)


def test_an_unusable_db_path_is_named_at_start_up(tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("PLACEMENT_DB_PATH", str(tmp_path / "a-file" / "rooms.db"))
    at = AppTest.from_file(APP, default_timeout=60).run().switch_page(WORKSHOP).run()
    assert not at.exception
    assert "PLACEMENT_DB_PATH" in problems(at) and "a-file" in problems(at)
    monkeypatch.setenv("PLACEMENT_DB_PATH", str(tmp_path))  # a folder, not a file SQLite can open
    at = AppTest.from_file(APP, default_timeout=60).run().switch_page(JOIN).run()
    assert not at.exception
    assert "PLACEMENT_DB_PATH" in problems(at)


def test_a_database_url_whose_driver_is_missing_is_named_at_start_up(monkeypatch):
    monkeypatch.setenv("PLACEMENT_DATABASE_URL", "postgresql+psycopg2://someone@127.0.0.1/rooms")
    at = AppTest.from_file(APP, default_timeout=60).run().switch_page(WORKSHOP).run()
    assert not at.exception
    shown = problems(at)
    assert "PLACEMENT_DATABASE_URL" in shown and "'psycopg2' is not installed" in shown


def test_the_revealed_board_redraws_with_few_sql_statements():
    """A board redraw once the votes changed (the round summarised again) reads: the room's pulse (the room, its
    three counts and, once revealed, the round's revision in 2, so that a second facilitator screen follows a cell
    accepted on another), the round's revision for its summary (3), its votes (2) and model (2), the model's note
    (2), proposals and decisions (2 each). Each read takes the room with its ids and key in one query; with no
    proposal, the model is not read again for them. It took 27 statements before."""
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    vote(participant(code, "Ana"))
    facilitator.run()
    next(b for b in facilitator.button if b.label == "Reveal votes").click().run()
    group._summaries.clear()  # as after a vote: the next redraw summarises the round again
    sent = []
    count = lambda *args: sent.append(args[2])  # noqa: E731 - the statement's text
    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        facilitator.run()
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    assert not facilitator.exception
    assert any(s.value.startswith("Consensus:") for s in facilitator.header)  # the results were drawn
    assert len(sent) == 19, "\n".join(sent)


def sending_over_the_wire(monkeypatch, widget, wire_value: str) -> None:
    """Make the next run send `wire_value` for this drop-down or radio, as a script speaking Streamlit's
    protocol can: the server passes a text that is none of the options on to the page as it is."""
    shown = type(widget)._widget_state

    def forged(element):
        return WidgetState(id=element.id, string_value=wire_value) if element.id == widget.id else shown.fget(element)

    monkeypatch.setattr(type(widget), "_widget_state", property(forged))


@pytest.mark.parametrize(
    ("method", "wire_value", "says"),
    [
        ("pairwise", "abc", "has an answer the form does not offer"),
        ("pairwise", "1/3", "has an answer the form does not offer"),
        ("pairwise", "2.5", "has an answer the form does not offer"),
        ("pairwise", "", "has an answer the form does not offer"),
        ("rank", "1.0", "has a rank the form does not offer"),
    ],
)
def test_a_drop_down_value_forged_over_the_websocket_gets_a_message_not_a_traceback(
    monkeypatch, method, wire_value, says
):
    model = load_model()
    factors = [{"id": f.id, "name": f.name, "definition": f.definition} for f in model.factors[:3]]
    engine = sa.create_engine(database_url())
    store = RoomStore(engine)
    code, _ = store.create_room("Forged values", factors, method, model)
    ana = participant(code, "Ana")
    for drop_down in ana.selectbox:
        drop_down.select_index(0)
    sending_over_the_wire(monkeypatch, ana.selectbox[1], wire_value)
    submit(ana)
    assert not ana.exception
    assert ana.error[0].value == "Your vote was not recorded. Please fix:"
    assert says in problems(ana)
    assert not ana.success
    assert store.counts(code) == (1, 0)  # joined, no vote stored
    engine.dispose()


CYCLE = {  # three answers that contradict each other round one loop (PM alignment > Ops empathy > ... > PM alignment)
    "pm_alignment|ops_empathy": 9,
    "ops_empathy|cross_functional_efficiency": 9,
    "pm_alignment|cross_functional_efficiency": 1 / 9,
}


def compare_pairs(at, answers: dict[str, float]) -> None:
    """Answer every comparison on the form: `answers` by pair key, every other pair "equally important"."""
    for box in at.selectbox:
        pair = box.key.split("_", 3)[-1]  # vote_<code>_<round>_<first|second>
        box.set_value(answers.get(pair, 1))
    submit(at)


def test_a_pairwise_room_shows_each_participant_their_cr_and_the_board_counts_then_compares():
    facilitator = AppTest.from_file(APP, default_timeout=30).run().switch_page(WORKSHOP).run()
    facilitator.text_input[0].input("Compare pairs")
    facilitator.radio[0].set_value("pairwise")
    facilitator.button[0].click().run()
    code, _ = facilitator.session_state["facilitated"]
    ana, dee = participant(code, "Ana"), participant(code, "Dee")
    compare_pairs(ana, {})
    assert "Your answers hang together: consistency ratio 0.00" in ana.success[-1].value
    compare_pairs(dee, CYCLE)
    told = "\n".join(w.value for w in dee.warning).replace("\\", "")
    assert "Some of your answers contradict each other" in told and "update your vote before the reveal" in told
    assert "16 of 28 pairs" in "\n".join(c.value for c in dee.caption)  # the CR's method, named
    assert {box.key.split("_", 3)[-1] for box in dee.selectbox[:3]} == set(CYCLE)  # to revise first
    facilitator.run()
    assert metrics(facilitator)["CR above 0.10"] == "1"  # a count before the reveal, no names
    assert "Dee" not in "\n".join(m.value for m in facilitator.markdown)
    next(b for b in facilitator.button if b.label == "Reveal votes").click().run()
    assert not facilitator.exception
    solid = "\n".join(m.value for m in facilitator.markdown)
    assert "1 of 2 votes have a consistency ratio above 0.10" in solid
    assert "Would a similar group agree?" in solid
    compared = next(d.value for d in facilitator.dataframe if "without votes above CR 0.10" in d.value.columns)
    assert compared["without votes above CR 0.10"].tolist() == pytest.approx([1 / 8] * 8)  # Ana alone: all equal


def second_device(code: str, key: str) -> AppTest:
    """Another facilitator device: the room opened with its code and key ("Open a room you run")."""
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(WORKSHOP).run()
    at.text_input(key="reopen_code").input(code)
    at.text_input(key="reopen_key").input(key)
    next(b for b in at.button if b.label == "Open").click().run()
    return at


def test_a_second_device_carries_the_rounds_model_with_its_weights():
    """The room's round is scored with an edited model (a Hybrid placement added on the first device). A second
    device that carries the group's weights ranks with that model too: Explore, How sure and the record agree
    with the board; 'Back to this device's model' returns to its own (the source's)."""
    first = AppTest.from_file(APP, default_timeout=30).run()
    model = load_model()
    hybrid = add_placement(model, "Hybrid", "Half and half.", dict.fromkeys(model.factor_ids, 2))  # best everywhere
    first.session_state["active_model"] = hybrid
    first.switch_page(WORKSHOP).run()
    first.text_input[0].input("Two devices")
    first.button[0].click().run()
    code, key = first.session_state["facilitated"]
    vote(participant(code, "Ana"))
    next(b for b in first.run().button if b.label == "Reveal votes").click().run()

    second = second_device(code, key)
    assert "Hybrid" in chart_data(second.get("vega_lite_chart")[0])["placement"].tolist()  # the board
    next(b for b in second.button if b.label == "Use the group's weights in Explore and sensitivity").click().run()
    assert not second.exception
    assert leader(second) == "Hybrid"
    origin = "\n".join(c.value for c in second.caption)
    assert f"Model and weights from room {code}, round 1" in origin
    second.switch_page(registry.page("how_sure").file).run()
    [verdict] = [m.value for m in second.markdown if m.value.startswith("## ")]
    assert verdict.startswith("## Hybrid")
    second.switch_page(registry.page("decision_record").file).run()
    preview = "\n".join(m.value for m in second.markdown)
    assert "| 1 | Hybrid | 100.0 |" in preview
    assert "Added placement: Hybrid" in preview and "The source baseline, unchanged." not in preview

    next(b for b in second.button if b.label == "Back to this device's model").click().run()
    second.switch_page(registry.page("explore").file).run()
    assert not second.exception
    assert leader(second) != "Hybrid"
    assert "Model and weights from room" not in "\n".join(c.value for c in second.caption)


def leader(at: AppTest) -> str:
    """The placement 'Why it leads' names first, on Explore."""
    why = next(m.value for m in at.markdown if " leads " in m.value)
    return why.splitlines()[0].removeprefix("- ").split(" leads")[0].replace("\\", "")


def test_a_new_round_keeps_the_rounds_model_unless_this_devices_is_chosen():
    """Started from a second device with the source model, round 2 was scored with that device's model: the
    Hybrid added on the first device vanished without a word."""
    first = AppTest.from_file(APP, default_timeout=30).run()
    model = load_model()
    first.session_state["active_model"] = add_placement(model, "Hybrid", "Half.", dict.fromkeys(model.factor_ids, 2))
    first.switch_page(WORKSHOP).run()
    first.text_input[0].input("Two devices")
    first.button[0].click().run()
    code, key = first.session_state["facilitated"]
    second = second_device(code, key)
    second.session_state["own_model"] = True  # the offer opened: it compares the models
    second.run()
    differs = "This device's differs in 1 way(s):\n\n- Drops the placement Hybrid"
    assert differs in "\n".join(m.value for m in second.markdown)  # round 1: the first device's model
    next(b for b in second.button if b.label == "Start a new round").click().run()
    assert metrics(second)["Round"] == "2"
    assert differs in "\n".join(m.value for m in second.markdown)  # round 2 keeps the Hybrid
    next(b for b in second.button if b.label == "Start a new round with this device's model").click().run()
    assert not second.exception
    assert metrics(second)["Round"] == "3"
    same = "This device's model is the current round's"
    assert any(m.value.startswith(same) for m in second.markdown)  # round 3: this device's
