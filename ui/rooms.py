"""Workshop glue for the pages: the room store through Streamlit's SQL connection, the join link and QR
code, the facilitator's control bar and key, and the drawing of a revealed round on the board."""

from __future__ import annotations

import io
import os
import time

import segno
import streamlit as st
from sqlalchemy.exc import SQLAlchemyError

from placement.analysis.explain import explain
from placement.cache import PerObject
from placement.data.editing import differences
from placement.data.model import Model
from placement.data.problems import InputError
from placement.data.text import plain
from placement.present import charts, guide, tables
from placement.settings import DEFAULT_TITLE, INK, MAX_ROOM_TITLE, OVER_TIME_RED, PULSE_SECONDS, WEIGHT_METHODS
from placement.workshop.board import (
    NO_VOTES,
    RANKING_STEP,
    SOLID_STEP,
    SPREAD_STEP,
    WINNERS_STEP,
    action_arguments,
    board_controls,
    comment_pages,
    needs_confirmation,
    result_steps,
)
from placement.workshop.database import database_problem
from placement.workshop.domain import Pulse, Room, RoomError, RoomUnavailable, RoundMovedOn, clean_code
from placement.workshop.group import (
    RoomSummary,
    facilitator_controls,
    result_checks,
    room_factors,
    without_inconsistent_table,
)
from placement.workshop.links import join_url, public_base
from placement.workshop.live import Pulses
from placement.workshop.schema import database_url
from placement.workshop.store import RoomStore
from ui import device, registry
from ui.common import arrow_ready, catalog, chart_look, show_chart, show_table
from ui.guard import problems_of, reported, show_problems


@st.cache_resource
def _store_for(url: str | None) -> RoomStore:
    """One store (and schema check) per database, shared by every session of this server.

    pool_pre_ping: a pooled connection the database dropped (it restarted) is replaced before use,
    so the first request after a restart works instead of failing.
    """
    options = {"url": url} if url else {}
    return RoomStore(st.connection("rooms", type="sql", pool_pre_ping=True, **options).engine)


def room_store() -> RoomStore:
    """PLACEMENT_DATABASE_URL, else [connections.rooms] in secrets.toml, else the embedded SQLite file.

    A database that cannot be opened stops the page with a message naming the setting to fix (no traceback).
    """
    if os.environ.get("PLACEMENT_DATABASE_URL"):
        source = "PLACEMENT_DATABASE_URL"
    elif _secrets_configured():
        source = "[connections.rooms] in .streamlit/secrets.toml"
    else:
        source = "PLACEMENT_DB_PATH"
    try:
        return _store_for(None if source.startswith("[") else database_url())
    except (SQLAlchemyError, RoomError, OSError, ImportError) as error:
        show_problems(
            "The workshop database cannot be reached, so rooms are unavailable.", [database_problem(error, source)]
        )
        st.button("Try again", icon=":material/refresh:", key="retry_database")
        st.stop()


_pulses = PerObject(1)  # per store: the rooms' pulses every session of this server shares


def pulses(store: RoomStore) -> Pulses:
    """The rooms' pulses of this store's database, shared by every session of this server."""
    return _pulses.get(store, "pulses", lambda: Pulses(store.pulse, PULSE_SECONDS))


def _secrets_configured() -> bool:
    try:
        return "rooms" in st.secrets.get("connections", {})
    except FileNotFoundError:
        return False


@st.cache_data(max_entries=64)
def qr_png(link: str) -> bytes:
    """A large, high-contrast QR code for the projector."""
    buffer = io.BytesIO()
    segno.make(link, error="m").save(buffer, kind="png", scale=10, border=2)
    return buffer.getvalue()


def qr_alt(link: str) -> str:
    """The QR code's text alternative: what scanning it gives."""
    return f"QR code that opens the join link {link}"


def _public_url_setting() -> str | None:
    """`public_url` under `[server]` in .streamlit/secrets.toml, if set."""
    try:
        return st.secrets.get("server", {}).get("public_url")
    except FileNotFoundError:
        return None


def join_link(code: str) -> tuple[str, str | None]:
    """(the participants' link to the Join page, a warning for the facilitator when phones cannot reach it)."""
    here = st.context.url or f"http://localhost:8501/{registry.page('run').url_path}"
    join_path = registry.page("join").url_path
    base, warning = public_base(os.environ, _public_url_setting(), here, join_path)
    return join_url(base, join_path, code), warning


def create_or_open_room(store: RoomStore, model: Model) -> None:
    """The facilitator's way in: create a room (its snapshot is `model`), or open one with its code and key."""
    left, right = st.columns(2, gap="large")
    with left, st.form("create_room"):
        st.header("Create a room")
        title = st.text_input("Title", max_chars=MAX_ROOM_TITLE, placeholder=DEFAULT_TITLE)
        names = {f.id: f.name for f in model.factors}
        chosen = st.multiselect("Factors the room weighs", list(names), default=list(names), format_func=names.get)
        method = st.radio(
            "How participants weigh", list(WEIGHT_METHODS), format_func=WEIGHT_METHODS.get, horizontal=True
        )
        names_required = st.checkbox("Participants must give their name (no anonymous joins)")
        passcode = st.text_input("Passcode to join (optional)", help="Say it in the room; the link alone is not enough")
        if st.form_submit_button("Create the room", type="primary"):
            with reported("The room was not created."):
                factors = room_factors(model, chosen)
                st.session_state.facilitated = store.create_room(
                    title, factors, method, model, names_required, passcode
                )
                st.session_state["key_saved"] = False  # the key stays one click away until saved
                st.rerun()
    with right, st.form("reopen_room"):
        st.header("Open a room you run")
        code = st.text_input("Room code", key="reopen_code")
        key = st.text_input("Facilitator key", type="password", key="reopen_key")
        if st.form_submit_button("Open"):
            with reported("The room was not opened."):
                st.session_state.facilitated = (store.facilitated_code(code, key, device.address()), key)
                st.session_state["key_saved"] = True  # typed in: the facilitator has it
                st.rerun()


def board_as_seen(store: RoomStore, code: str) -> tuple[Pulse, RoomUnavailable | None]:
    """(the room's pulse read now, None), remembered and shared with the live pages; when the database does not
    answer, the last pulse seen and the error, so the board keeps its controls and join code on screen (raises
    if nothing was seen)."""
    try:
        pulse = pulses(store).fresh(code)
    except RoomUnavailable as error:
        seen = st.session_state.get("board_seen")
        if seen is None or seen.room.code != clean_code(code):
            raise
        return seen, error
    st.session_state["board_seen"] = pulse
    return pulse, None


def show_join_code(room: Room, link: str, warning: str | None, compact: bool) -> None:
    """The join address (with the facilitator's warning when phones cannot reach it), the code and a QR code.

    Before the reveal: the code in type readable across a room and a large QR code. After it (compact):
    one line with a small QR code and the warning one click away, so the results fill the screen.
    """
    address = link.split("?")[0]
    if compact:
        line, qr = st.columns([12, 1], vertical_alignment="center")
        line.markdown(
            f"**{plain(room.title)}**: join at **{address}** with the code "
            f"<span style='font-weight:700;letter-spacing:0.15em'>{room.code}</span>",
            unsafe_allow_html=True,
        )
        if warning:
            line.popover("Phones cannot reach this address", icon=":material/wifi_off:").warning(warning)
        qr.image(qr_png(link), width=72, alt=qr_alt(link))
        return
    if warning:  # the facilitator's own problem, before anyone joins: shown even when presenting
        st.warning(warning, icon=":material/wifi_off:")
    head, qr = st.columns([3, 1])
    with head:
        st.header(plain(room.title))
        st.markdown(f"Join at **{address}** with the code")
        st.markdown(
            f"<div style='font-size:4rem;font-weight:700;letter-spacing:0.2em'>{room.code}</div>",
            unsafe_allow_html=True,
        )
        st.markdown(link)  # full strength: a caption's faded link was 2.96:1
    qr.image(qr_png(link), caption="Scan to join", width="stretch", alt=qr_alt(link))


def show_counts(metrics: list[tuple[str, object]], compact: bool) -> None:
    """Joined, votes in, round, voting: tiles before the reveal, one line after it."""
    if compact:
        st.markdown(" · ".join(f"{label} **{value}**" for label, value in metrics))
        return
    for column, (label, value) in zip(st.columns(len(metrics)), metrics, strict=True):
        column.metric(label, value)


def show_key(key: str) -> None:
    """The facilitator key, behind a button so that it does not blaze on the projector.

    Until the facilitator says it is saved the button asks for it; afterwards it still shows it here.
    """
    saved = st.session_state.get("key_saved", True)
    label = "Show the facilitator key" if saved else "Facilitator key"
    with st.popover(label, icon=":material/key:", type="secondary" if saved else "primary"):
        st.warning(
            f"Facilitator key: **{plain(key)}**. Note it to control this room from another device "
            "(*Open a room you run*). Participants never need it.",
            icon=":material/key:",
        )
        if not saved and st.button("I have saved the key"):
            st.session_state["key_saved"] = True
            st.rerun()


def guide_countdown() -> None:
    """The workshop guide's current step and its time left, while its timer runs (read-only). With no timer
    running there is no fragment, so nothing reruns every second."""
    timer = st.session_state.get("guide_timer")
    if isinstance(timer, guide.Timer) and timer.running:
        _countdown(timer)  # only the guide page changes the timer, and it is not on screen meanwhile


@st.fragment(run_every="1s")
def _countdown(timer: guide.Timer) -> None:
    step = catalog().steps[timer.step]
    text, _, over = guide.countdown(step.minutes, timer.elapsed(time.time()))
    colour = OVER_TIME_RED if over else INK
    st.markdown(
        f"<span style='color:{colour};font-weight:700'>{text}</span> {plain(step.title)}",
        unsafe_allow_html=True,
        help="The workshop guide's timer for the current step",
    )


def _act(store: RoomStore, code: str, key: str, action: str, shown_round: int) -> None:
    """A facilitator's click, run as the button's callback: with the round the screen showed when it drew the
    button, not the one the page reads after the click. A refusal is shown through the one error path; a round
    that another screen already moved on is said plainly, and the board then shows it. A new round is scored
    with the current round's model (see `own_model_round` for this device's)."""
    st.session_state.pop("confirm_close", None)
    try:
        _round_controls(store)[action](code, key, **action_arguments(action, shown_round))
    except RoundMovedOn as moved:
        st.session_state["room_notice"] = str(moved)
    except RoomError as error:
        st.session_state.room_problems = problems_of(error)


def _round_controls(store: RoomStore) -> dict:
    """The store's method behind each of the board's controls (the actions of `group.facilitator_controls`)."""
    return {
        "reveal": store.reveal,
        "lock": store.lock,
        "reopen_voting": store.reopen_voting,
        "new_round": store.new_round,
        "close": store.close,
        "reopen": store.reopen,
    }


def _confirm() -> None:
    st.session_state["confirm_close"] = True


def control_bar(store: RoomStore, room: Room, key: str, submitted: int) -> None:
    """The facilitator's controls, kept in presentation mode: key, the round's controls, the guide's timer,
    and (apart, at the right) closing or reopening the room, closing only once confirmed."""
    controls = board_controls(facilitator_controls(room, submitted), submitted)
    with st.container(key="board_controls", horizontal=True, vertical_alignment="center"):
        show_key(key)
        for control in controls.round:
            kind = "primary" if control.primary else "secondary"
            help_text = NO_VOTES if control.action == "reveal" and not control.enabled and not room.revealed else None
            act = {"on_click": _act, "args": (store, room.code, key, control.action, room.round)}
            st.button(control.label, disabled=not control.enabled, type=kind, help=help_text, **act)
        guide_countdown()
        st.space("stretch")
        for control in controls.room:
            act = {"on_click": _act, "args": (store, room.code, key, control.action, room.round)}
            if needs_confirmation(control.action) and st.session_state.get("confirm_close"):
                st.button(f"Yes, {control.label[0].lower()}{control.label[1:]}", type="primary", **act)
                st.button("Cancel", on_click=st.session_state.pop, args=("confirm_close", None))
            elif needs_confirmation(control.action):
                st.button(control.label, disabled=not control.enabled, on_click=_confirm)
            else:
                st.button(control.label, disabled=not control.enabled, **act)
    if "room_notice" in st.session_state:
        st.warning(st.session_state.pop("room_notice"), icon=":material/sync:")
    if "room_problems" in st.session_state:
        show_problems("That did not work.", st.session_state.pop("room_problems"))


def own_model_round(store: RoomStore, room: Room, key: str, own: Model, baseline: Model) -> None:
    """The explicit way to score the next round with this device's model `own`: once opened, it lists how that
    model differs from the current round's ('Start a new round' keeps the round's). Read only while open."""
    if room.closed:
        return
    with st.container(key="backstage_own_model"):
        offer = st.expander("Start the next round with this device's model instead", key="own_model", on_change="rerun")
    if not offer.open:
        return
    current = store.round_model(room.code, room.round, baseline)
    changes = differences(current, own.only(factor_ids=[f for f in room.factor_ids if f in own.factor_ids]))
    with offer:
        if not changes:
            st.markdown("This device's model is the current round's: 'Start a new round' gives the same.")
            return
        st.markdown(
            f"'Start a new round' keeps the current round's model. This device's differs in {len(changes)} way(s):\n\n"
            + "\n".join(f"- {plain(change)}" for change in changes)
        )
        st.button(
            "Start a new round with this device's model",
            key="new_round_own_model",
            on_click=_new_round_with,
            args=(store, room.code, key, own, room.round),
        )


def _new_round_with(store: RoomStore, code: str, key: str, own: Model, shown_round: int) -> None:
    """The click's callback, with the round the screen showed (as for the other round controls)."""
    try:
        store.new_round(code, key, own, round_number=shown_round)
    except RoundMovedOn as moved:
        st.session_state["room_notice"] = str(moved)
    except (RoomError, InputError) as error:
        st.session_state.room_problems = problems_of(error)


_drawn = PerObject(8)  # a round summary's charts and note, ready to send: made once per summary and look


def _ready(summary: RoomSummary, part: str, look: charts.Look | None = None):
    """One part of a revealed round as the board sends it, made once per summary (summaries never change)."""

    def make():
        if part == "ranking":
            ranking = tables.ranking_columns(summary.model, summary.ranking)
            return arrow_ready(charts.ranking_chart(summary.model, ranking, look))
        if part == "spread chart":
            return arrow_ready(charts.spread_chart(summary.spread, summary.group, look))
        return "\n".join(f"- {plain(s)}" for s in explain(summary.model, summary.ranking).sentences(summary.model))

    return _drawn.get(summary, (part, look), make)


def round_note(store: RoomStore, code: str, number: int, baseline: Model, summary: RoomSummary) -> str:
    """Which model the round was scored with, in a few words: read once per summary (a round's model never changes)."""
    return _drawn.get(summary, "note", lambda: store.model_note(code, number, baseline))


def show_round(summary: RoomSummary, model_note: str, number: int) -> None:
    """A revealed round on the board. Projected (presentation mode), one step at a time, each on one screen
    without scrolling: ranking and weights, whose weights win, how far apart the room is, the comments (in
    pages); the steps are large buttons beside the consensus, reached with Tab. Otherwise every step in turn."""
    head, control = st.columns([2, 3], vertical_alignment="center")
    head.header(f"Consensus: {plain(summary.consensus)}")
    note = f"{summary.agreement_note} Scored with {plain(model_note)}."
    steps = result_steps(len(summary.comments))
    if not st.session_state.get("presentation"):
        control.caption(note)
        for step in steps:
            _step(summary, step, number, note=None)
        return
    with control.container(key=f"steps_{number}"):
        step = st.segmented_control(
            "Results",
            steps,
            default=RANKING_STEP,
            required=True,
            key=f"result_step_{number}",
            label_visibility="collapsed",
        )
    step = step if step in steps else RANKING_STEP  # e.g. the comments' count changed since it was chosen
    with st.container(key=f"step_content_{number}"):
        _step(summary, step, number, note)


def _step(summary: RoomSummary, step: str, number: int, note: str | None) -> None:
    """One step of the results; `note` (which votes and model) under the ranking when projected."""
    if step == RANKING_STEP:
        ranking_column, spread_column, table_column = st.columns([7, 9, 6], gap="medium")
        with ranking_column:
            st.markdown("**Ranking under the group's weights**")
            show_chart(_ready(summary, "ranking", chart_look(board=True)))
            if note:
                st.caption(note)
        with spread_column:
            st.markdown("**The group's weights and the spread across the room**")
            show_chart(_ready(summary, "spread chart", chart_look(board=True)))
        with table_column:
            st.markdown("**The group's weights**")
            show_table(summary.group, percent=("group weight",))
    elif step == WINNERS_STEP:
        winners_column, reasons_column = st.columns(2, gap="large")
        with winners_column:
            st.markdown("**Whose weights make which placement win**")
            show_table(summary.winners)
            st.caption("Someone whose weights tie placements for first is counted under 'tied first for' for each.")
        with reasons_column:
            st.markdown("**Why the ranking under the group's weights comes out this way**")
            st.markdown(_ready(summary, "sentences"))
    elif step == SPREAD_STEP:
        st.markdown(f"**Factors that divide the room most:** {plain(', '.join(summary.divisive()))}")
        show_table(summary.spread)
    elif step == SOLID_STEP:
        with st.container(key=f"result_checks_{number}"):
            st.markdown("**How solid is this result?**")
            st.markdown("\n".join(f"- {plain(line)}" for line in result_checks(summary)))
            if summary.weights_consistent is not None:
                table = without_inconsistent_table(summary)
                show_table(table, percent=tuple(table.columns[1:]))
    else:
        _comments(summary.comments, number, projected=note is not None)


def _comments(comments: list[tuple[str, str]], number: int, projected: bool) -> None:
    """The participants' comments; projected, a page at a time (the step's button names them) with large
    buttons to the other pages, and close together."""
    if not projected:
        st.markdown("**Comments**")
    pages = comment_pages(comments) if projected else [comments]
    key = f"comment_page_{number}"
    page = min(st.session_state.get(key, 0), len(pages) - 1)
    if len(pages) > 1:
        first = sum(len(p) for p in pages[:page]) + 1
        with st.container(horizontal=True, vertical_alignment="center", key=f"comment_pager_{number}"):
            turn = dict(on_click=st.session_state.__setitem__)
            st.button("Earlier comments", key=f"earlier_{key}", disabled=page == 0, args=(key, page - 1), **turn)
            st.button("More comments", key=f"more_{key}", disabled=page == len(pages) - 1, args=(key, page + 1), **turn)
            st.markdown(f"{first}–{first + len(pages[page]) - 1} of {len(comments)}")
    with st.container(key=f"comments_{number}"):
        for name, comment in pages[page]:
            st.text(f"{name}: {comment}")


def participants_panel(store: RoomStore, room: Room, key: str) -> None:
    """Who joined (duplicate names flagged, voted or not), removing one, and deleting the room (confirmed).

    Read and drawn only while open: with hundreds in the room, the list would cost every board redraw."""
    panel = st.expander("Participants and room", key="participants_panel", on_change="rerun")
    if not panel.open:
        return
    with panel:
        if "removed_note" in st.session_state:
            st.success(plain(st.session_state.pop("removed_note")))  # it names the person
        listed = store.participants(room.code, key)
        for person in listed:
            line, action = st.columns([5, 1], vertical_alignment="center")
            flag = " ⚠ same name as another participant" if person.duplicate else ""
            line.text(f"{person.name} — {'voted' if person.voted else 'not voted yet'}{flag}")
            if action.button("Remove", key=f"remove_{person.id}"):
                try:
                    st.session_state["removed_note"] = store.remove_participant(room.code, key, person.id)
                except RoomError as error:
                    st.session_state.room_problems = problems_of(error)
                st.rerun()
        if not listed:
            st.caption("Nobody has joined yet.")
        if not st.session_state.get("confirm_delete"):
            st.button("Delete this room", on_click=st.session_state.update, kwargs={"confirm_delete": True})
            return
        st.warning("Delete the room with every round and vote? This cannot be undone.")
        if st.button("Yes, delete the room", type="primary"):
            try:
                store.delete_room(room.code, key)
            except RoomError as error:
                st.session_state.room_problems = problems_of(error)
            else:
                st.session_state.pop("facilitated", None)
            st.session_state.pop("confirm_delete", None)
            st.rerun()
        st.button("Keep the room", on_click=st.session_state.pop, args=("confirm_delete", None))
