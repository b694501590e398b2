"""AppTest flows for a live workshop: the facilitator's board and a participant's page."""

import pytest
from streamlit.testing.v1 import AppTest

from placement.data.model import load_model
from placement.data.problems import InputError, Problem
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


def submit(at):
    next(b for b in at.button if b.label in {"Submit my vote", "Update my vote"}).click().run()


def vote(at, levels=None, default=5, comment=None):
    """Tap a level for every factor (`levels` by position, else `default`), then submit the form."""
    for i, control in enumerate(at.segmented_control):
        control.set_value((levels or {}).get(i, default))
    if comment is not None:
        at.text_input[0].input(comment)
    submit(at)
    return at


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
    assert f"/{registry.page('join').url_path}?room={code}" in "\n".join(c.value for c in at.caption)
    assert "/join?room=" in "\n".join(c.value for c in at.caption)
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
    assert any(s.value.startswith("Consensus:") for s in facilitator.subheader)
    assert "Ana: Ops is where the pain is" in [t.value for t in facilitator.text]
    winners = next(d.value for d in facilitator.dataframe if "first for" in d.value.columns)
    assert winners["first for"].sum() == 2
    ben.run()
    assert "The room's results" in [s.value for s in ben.subheader]


def test_revision_replaces_the_vote_and_lock_stops_voting():
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    ana = participant(code, "Ana")
    vote(ana)
    ana.segmented_control[0].set_value(9)
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
    intruder.text_input[1].input(code)
    intruder.text_input[2].input("guessed-key")
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
    assert [e.label for e in facilitator.expander] == ["Earlier rounds"]
    next(b for b in facilitator.button if b.label == "Use the group's weights in Explore and sensitivity").click().run()
    assert not facilitator.exception
    assert facilitator.slider(key="slider_domain_expertise").value == 10
    assert facilitator.slider(key="slider_ops_empathy").value == 0


def test_the_record_uses_the_boards_exact_group_weights():
    """Three votes whose mean is no whole slider position: the record states the board's group weights."""
    facilitator = facilitator_with_room()
    code, _ = facilitator.session_state["facilitated"]
    for name, levels in (("Ana", {0: 10, 1: 3}), ("Ben", {0: 7, 2: 9}), ("Cy", {1: 8, 3: 1})):
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
    other.text_input[1].input(f" {code[:4].lower()} {code[4:]} ")
    other.text_input[2].input(key)
    other.button[1].click().run()
    assert not other.exception
    assert other.session_state["facilitated"] == (code, key)
    assert metrics(other)["Voting"] == "open"


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
    vote(ana, {0: 9}, comment="first thoughts")
    ana.run()
    assert ana.segmented_control[0].value == 9
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
    ana.segmented_control[0].set_value(7)
    submit(ana)
    assert ana.error[0].value == "Your vote was not recorded. Please fix:"
    assert "no level chosen for 'Ops empathy'" in problems(ana) and "'PM alignment'" not in problems(ana)
    assert ana.segmented_control[0].value == 7  # what was chosen stays
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
