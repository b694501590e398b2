"""AppTest flow of "name what is missing": the facilitator opens it, two participants propose the same risk
from their phones, the board groups them and the facilitator accepts; the session's Evidence page lists it."""

# The database fixture comes from test_workshop_pages.py (autouse there, used by name here).
# ruff: noqa: F811

import pytest

from tests.app.test_workshop_pages import (  # noqa: F401
    facilitator_with_room,
    own_database,
    participant,
    problems,
    sending_over_the_wire,
)
from ui import registry

EVIDENCE = registry.page("evidence").file
SENTENCE = "Operations teams lose their voice in product decisions."


def button(at, label):
    return next(b for b in at.button if b.label == label)


def propose(at, sentence, strength=1):
    at.selectbox(key="propose_1_placement").set_value("head_of_product")
    at.selectbox(key="propose_1_factor").set_value("ops_empathy")
    at.radio(key="propose_1_kind").set_value("risk")
    at.radio(key="propose_1_strength").set_value(strength)
    at.text_input(key="propose_1_text").input(sentence)
    button(at, "Send my proposal").click().run()


def test_two_people_propose_one_risk_the_board_groups_it_and_accepting_it_reaches_the_evidence_page(own_database):
    board = facilitator_with_room()
    code, _ = board.session_state["facilitated"]
    ada, bob = participant(code, "Ada"), participant(code, "Bob")
    assert not [b for b in ada.button if b.label == "Send my proposal"]  # not before the facilitator opens it
    button(board, "Open 'name what is missing'").click().run()
    ada.run()
    bob.run()
    propose(ada, SENTENCE)
    propose(bob, "operations teams lose their voice in product decisions", strength=2)
    assert "Your proposal is in" in "\n".join(s.value for s in ada.success)
    assert "waiting for the facilitator" in "\n".join(m.value for m in ada.markdown)
    ada.radio(key="propose_1_kind").set_value("benefit")
    ada.text_input(key="propose_1_text").input("")
    button(ada, "Send my proposal").click().run()
    assert "the sentence is empty" in "\n".join(t.value for t in ada.text)  # refused with its reason

    board.run()
    shown = "\n".join(m.value for m in board.markdown).replace("\\", "")
    assert "Head of Product × Ops empathy: risk**, raised by 2 people" in shown
    assert f"{SENTENCE} (2)" in shown  # near-identical sentences counted once per person
    assert board.segmented_control(key="gap_head_of_product_ops_empathy_risk_score").value == -1  # median -1, -2
    button(board, "Accept").click().run()
    assert not board.exception
    shown = "\n".join(m.value for m in board.markdown).replace("\\", "")
    assert f"Accepted: Head of Product × Ops empathy, risk -1: {SENTENCE}" in shown
    cell = board.session_state["active_model"].cells["head_of_product", "ops_empathy"]
    assert (cell.provenance, cell.score, cell.room_people) == ("room", -1, 2)

    board.switch_page(EVIDENCE).run()
    evidence = "\n".join(m.value for m in board.markdown).replace("\\", "")
    assert f"Risk raised by the room.** {SENTENCE} (round 1, 2 people) → drives Ops empathy (-1)" in evidence
    assert "The room named 1 for it" in "\n".join(w.value for w in board.warning).replace("\\", "")


@pytest.mark.parametrize(("kind", "wire_value"), [("risk", "abc"), ("risk", "2"), ("benefit", "abc")])
def test_a_strength_forged_over_the_websocket_gets_a_message_not_a_traceback(
    own_database, monkeypatch, kind, wire_value
):
    board = facilitator_with_room()
    code, _ = board.session_state["facilitated"]
    button(board, "Open 'name what is missing'").click().run()
    ada = participant(code, "Ada")
    ada.selectbox(key="propose_1_placement").set_value("head_of_product")
    ada.selectbox(key="propose_1_factor").set_value("ops_empathy")
    ada.radio(key="propose_1_kind").set_value(kind)
    ada.text_input(key="propose_1_text").input(SENTENCE)
    sending_over_the_wire(monkeypatch, ada.radio(key="propose_1_strength"), wire_value)
    button(ada, "Send my proposal").click().run()
    assert not ada.exception
    assert f"is not a score for a {kind}" in problems(ada)
    assert not [s for s in ada.success if "Your proposal is in" in s.value]
