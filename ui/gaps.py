"""The room fills the source's gaps: the facilitator's "name what is missing" panel on the board (open or stop
it, the proposals grouped by cell, accept, edit or reject each group) and the participants' proposal form."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from placement.data.model import Model
from placement.data.problems import InputError
from placement.data.text import plain
from placement.present.tables import PROVENANCE_LABELS
from placement.settings import MAX_PROPOSAL
from placement.workshop.domain import Room, RoomError
from placement.workshop.gaps import KIND_SCORES, ProposalGroup, group_proposals, signed_score, with_room_cells
from placement.workshop.store import RoomStore
from ui import handoff
from ui.common import catalog
from ui.guard import problems_of, show_problems

SENT = "proposal_sent"
STRENGTHS = {1: "some", 2: "strong"}


@dataclass(frozen=True)
class Sent:
    """A submitted proposal form: the round it was drawn for and what was chosen."""

    round: int
    proposal: dict


# --- the facilitator's board -----------------------------------------------------------------------


def gap_board(store: RoomStore, room: Room, key: str) -> None:
    """Open or stop "name what is missing", the undecided proposals grouped by cell, and what was decided
    (the board's live counts redraw it when a proposal arrives)."""
    with st.container(border=True, key="gap_round"):
        head, control = st.columns([4, 1], vertical_alignment="center")
        head.subheader("Name what is missing")
        action = "close_gaps" if room.gaps_open else "open_gaps"
        label = "Stop taking proposals" if room.gaps_open else "Open 'name what is missing'"
        shown = (store, room.code, key, action, room.round)  # the round this screen showed
        control.button(label, key=action, disabled=room.closed, on_click=_control, args=shown)
        st.caption(
            "Participants propose, from their phones, a risk or benefit the source does not document: a placement, "
            "a factor, one sentence and a score. Accepting one sets that cell in the room's model (provenance "
            "'raised by the room'; the source's value stays as its baseline), so the ranking above follows."
        )
        if "gap_problems" in st.session_state:
            show_problems("That did not work.", st.session_state.pop("gap_problems"))
        proposals = store.proposals(room.code, key)
        decided = store.decisions(room.code, key)
        if not (proposals or decided):  # nothing to name a cell of: the round's model is not read
            st.caption("No proposals yet.")
            return
        model = store.round_model(room.code, room.round, catalog().model)
        groups = [g for g in group_proposals(proposals) if (g.placement, g.factor) in model.cells]
        if not groups:
            st.caption("No proposal waits for a decision." if proposals else "No proposals yet.")
        for group in groups:
            _group(store, room.code, key, model, group)
        if decided:
            lines = [
                f"- {d.action.capitalize()}: {plain(_cell(model, d.placement, d.factor))}, {d.kind} {d.score:+d}: "
                f"{plain(d.text)}"
                for d in decided
            ]
            st.markdown("**Decided**\n" + "\n".join(lines))


def _group(store: RoomStore, code: str, key: str, model: Model, group: ProposalGroup) -> None:
    """One cell and kind: the sentences with how many people raised each, and the facilitator's decision."""
    cell = model.cells[group.placement, group.factor]
    name = _cell(model, group.placement, group.factor)
    people = f"{group.people} {'person' if group.people == 1 else 'people'}"
    form_key = f"gap_{group.placement}_{group.factor}_{group.kind}"
    with st.container(border=True, key=f"{form_key}_box"):
        st.markdown(
            f"**{plain(name)}: {group.kind}**, raised by {people}. "
            f"The cell is now {cell.score:+d} ({PROVENANCE_LABELS[cell.provenance]})."
        )
        st.markdown("\n".join(f"- {plain(s.text)} ({s.people})" for s in group.sentences))
        default = (group.sentences[0].text, group.suggested_score)
        with st.form(form_key, border=False):
            st.text_input("Sentence for the model", value=default[0], max_chars=MAX_PROPOSAL, key=f"{form_key}_text")
            st.segmented_control(
                "Score",
                KIND_SCORES[group.kind],
                default=default[1],
                format_func=lambda v: f"{v:+d}",
                key=f"{form_key}_score",
            )
            args = (store, code, key, group.ids, form_key, default)
            buttons = st.columns(2)
            with buttons[0]:
                st.form_submit_button("Accept", type="primary", on_click=_decide, args=(*args, True))
            with buttons[1]:
                st.form_submit_button("Reject", on_click=_decide, args=(*args, False))


def _decide(store: RoomStore, code: str, key: str, ids: list[int], form_key: str, default: tuple, accept: bool):
    """Runs before the page: the group as the board showed it is decided; an accepted one joins this
    session's model too, so Explore, Evidence and the decision record show it."""
    text = st.session_state.get(f"{form_key}_text", "")
    score = st.session_state.get(f"{form_key}_score")
    action = "rejected" if not accept else "accepted" if (text, score) == default else "edited"
    try:
        store.decide(code, key, ids, action, text, score)
        if accept:
            handoff.set_active_model(with_room_cells(handoff.active_model(catalog().model), store.room_cells(code)))
    except (InputError, RoomError) as error:
        st.session_state["gap_problems"] = problems_of(error)


def _control(store: RoomStore, code: str, key: str, action: str, shown_round: int) -> None:
    try:
        {"open_gaps": store.open_gaps, "close_gaps": store.close_gaps}[action](code, key, round_number=shown_round)
    except RoomError as error:
        st.session_state["gap_problems"] = problems_of(error)


# --- a participant's phone -------------------------------------------------------------------------


def proposal_form(room: Room, model: Model) -> None:
    """The participant's proposal: a placement, a factor, risk or benefit, how strong, one sentence.

    What it sends is picked up with `sent()`, even once the facilitator stopped taking proposals."""
    prefix = f"propose_{room.round}_"
    with st.container(border=True, key="gap_form"):
        st.subheader("Name what is missing")
        st.caption(
            "What risk or benefit does the source miss? Choose the placement and the factor it touches, say it in "
            "one sentence and how strong it is. The facilitator accepts, edits or rejects each proposal."
        )
        with st.form(f"propose_{room.round}", clear_on_submit=True, border=False):
            names = {p.id: p.short_name for p in model.placements}
            st.selectbox("Placement", list(names), format_func=names.get, key=f"{prefix}placement")
            factors = {f.id: f.name for f in model.factors}
            st.selectbox("Factor", list(factors), format_func=factors.get, key=f"{prefix}factor")
            st.radio("Risk or benefit", list(KIND_SCORES), horizontal=True, key=f"{prefix}kind")
            st.radio("How strong", list(STRENGTHS), format_func=STRENGTHS.get, horizontal=True, key=f"{prefix}strength")
            st.text_input("In one sentence", max_chars=MAX_PROPOSAL, key=f"{prefix}text")
            st.form_submit_button("Send my proposal", type="primary", on_click=_keep, args=(room.round, prefix))


def _keep(number: int, prefix: str) -> None:
    state = st.session_state
    kind = state.get(f"{prefix}kind") or ""
    strength = state.get(f"{prefix}strength") or 0
    proposal = {
        "placement": state.get(f"{prefix}placement"),
        "factor": state.get(f"{prefix}factor"),
        "kind": kind,
        "text": state.get(f"{prefix}text") or "",
        "score": signed_score(kind, strength),
    }
    state[SENT] = Sent(number, proposal)


def sent() -> Sent | None:
    """The proposal form submitted in this run, if any (once)."""
    return st.session_state.pop(SENT, None)


def own_proposals(store: RoomStore, code: str, token: str, model: Model) -> None:
    """What this participant proposed, and whether the facilitator has decided it yet."""
    mine = store.own_proposals(code, token)
    if not mine:
        return
    lines = [
        f"- {plain(_cell(model, p.placement, p.factor))}, {p.kind} {p.score:+d}: {plain(p.text)} "
        f"({'decided' if p.decided else 'waiting for the facilitator'})"
        for p in mine
    ]
    st.markdown("**Your proposals**\n" + "\n".join(lines))


def _cell(model: Model, placement_id: str, factor_id: str) -> str:
    """'Head of Product × Ops empathy' (the ids, for a placement or factor a later round's model dropped)."""
    placement = next((p.short_name for p in model.placements if p.id == placement_id), placement_id)
    factor = next((f.name for f in model.factors if f.id == factor_id), factor_id)
    return f"{placement} × {factor}"
