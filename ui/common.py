"""Page setup and display helpers shared by every page."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pandas as pd
import pyarrow as pa
import streamlit as st
from streamlit import dataframe_util

from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.cache import PerObject
from placement.data.catalog import Catalog, load_catalog
from placement.data.model import Model
from placement.data.text import plain
from placement.present import charts, tables
from placement.settings import TEXT
from ui import handoff, memory, registry
from ui.guard import reported

# Presentation mode: type readable from the back of a room (24 px and up, including what Streamlit draws
# smaller, and the charts' tooltip); the sidebar collapsed and
# whatever the room need not see (containers keyed "backstage_...") hidden. The board's facilitator control
# bar stays. Tables are HTML in this mode (see show_table) and wrap their cells instead of losing columns;
# a multiselect's tags wrap onto more lines instead of running off the right edge.
PRESENTATION_CSS = """<style>
html { font-size: 24px; }
/* Text Streamlit draws smaller than the body (captions, labels, buttons, tags, tables...) gets at least 1rem;
   larger text (headings, metric values, the room code) keeps its size, as 1em is the parent's. */
:is([data-testid="stMain"], [data-testid="stTooltipContent"], #vg-tooltip-element)
  :is(p, span, a, button, label, li, td, th, input, textarea, summary, small, code) { font-size: max(1rem, 1em) !important; }
#vg-tooltip-element { font-size: 1rem !important; }
[data-testid="stMain"] table { width: 100%; table-layout: auto; }
[data-testid="stMain"] :is(th, th *) { white-space: normal; overflow-wrap: anywhere !important; }  /* long names */
[data-testid="stMultiSelectTagsContainer"], [data-testid="stMultiSelectTagsContainer"] > [role="group"] {
  flex-wrap: wrap; overflow: visible; max-width: 100%; min-width: 0;
}
[data-testid="stMultiSelectTagsContainer"] [data-tag] { max-width: 100%; }
[data-testid="stMultiSelect"] [role="group"]:has([data-testid="stMultiSelectTagsContainer"]) { height: auto; }
[class*="st-key-backstage"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 3rem 2rem 2rem 2rem; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.st-key-board_controls button { min-height: 2rem; padding-top: 0.1rem; padding-bottom: 0.1rem; }
</style>"""
# Always: a focus ring where the keyboard is, in the text colour (18:1 on white, 3:1 needed), on links,
# buttons, sliders, fields and switches. A switch's or a slider's own input is invisible: the switch's label and
# the slider's thumb carry the ring.
# A collapsed sidebar is only moved off-screen by Streamlit: hidden, the keyboard no longer walks through it.
FOCUS_CSS = """<style>
[data-testid="stSidebar"][data-collapsed="true"] :is([data-testid="stSidebarContent"], [data-testid="stSidebarContent"] *) {
  visibility: hidden !important;
}
:is(a, button, input, textarea, summary, [tabindex]):focus-visible {
  outline: 3px solid RING !important; outline-offset: 2px;
}
:is(label:has(input:is([type="checkbox"], [type="radio"]):focus-visible),
  [data-testid="stSlider"] div:has(> div > input[type="range"]:focus-visible)) {
  outline: 3px solid RING; outline-offset: 2px;
}
</style>""".replace("RING", TEXT)  # the theme's text colour, named once in settings
MOVED_NOTICE_CSS = """<style>
[data-testid="stDialog"]:not(:has([data-testid="stVerticalBlock"])) { display: none !important; }
</style>"""
# Moves the keyboard focus to the first element matching a selector (a non-control target becomes focusable
# for it), retrying while the rerun draws the page; a rerun otherwise leaves the focus on the page's body.
# Once the run has ended (the elements it replaced are gone, so the page has its final layout), a target the
# page left off screen is scrolled into view.
FOCUS_SCRIPT = """<script>
(() => {
  const until = Date.now() + 5000;
  const running = () => document.querySelector("[data-testid=stApp]:not([data-test-script-state=notRunning])");
  const attempt = () => {
    const target = document.querySelector(%s);
    if (!target) { if (Date.now() < until) setTimeout(attempt, 50); return; }
    if (!target.matches("a, button, input, select, textarea, [tabindex]")) target.tabIndex = -1;
    target.focus();
    const show = () => {
      if (running() && Date.now() < until) { setTimeout(show, 50); return; }
      const box = target.getBoundingClientRect();
      if (box.top < 0 || box.bottom > window.innerHeight) target.scrollIntoView({block: "center"});
    };
    show();
  };
  attempt();
})();
</script>"""
FOCUS_AFTER = "focus_after"


def page_setup(title: str) -> Model:
    """Configure the page, draw the navigation and return the session's active model.

    Every page calls this first, so a deep link to any page works on a fresh server.
    """
    presenting = st.session_state.get("presentation", False)  # the toggle below, as last set
    sidebar = "collapsed" if presenting else "auto"  # reopened with the arrow at the top left, to switch it off
    st.set_page_config(page_title=f"{title} · Product Ops placement", layout="wide", initial_sidebar_state=sidebar)
    redirect_old_address()
    with st.sidebar:
        for section in registry.SECTIONS:
            st.caption(section)
            for item in registry.in_section(section):
                st.page_link(item.file, label=item.title, icon=item.icon)
        presenting = st.toggle(
            "Presentation mode",
            key="presentation",
            persist_state="session",
            help="Larger type for a projector; hides the sidebar and what the room need not see. "
            "The workshop board keeps the facilitator's controls.",
        )
        st.divider()
    st.html(FOCUS_CSS)
    if presenting:
        st.html(PRESENTATION_CSS)
    with reported("The files in data/ have problems, so the app cannot start.", stop=True):
        baseline = catalog().model
    memory.freeze_after_start_up()  # once the page's modules and the catalog are loaded
    model = handoff.active_model(baseline)
    origin(model, baseline)
    return model


def origin(model: Model, baseline: Model) -> None:
    """Where the page's model and weights come from, in one line, with the way back to this device's own."""
    group = handoff.group_weights()
    if group is not None and group.model is model:
        with st.container(key="origin", horizontal=True, vertical_alignment="center"):
            st.caption(
                f"Model and weights from {plain(group.origin)}, as its board shows them "
                f"(scored with {plain(group.model_note or 'the room model')})."
            )
            st.button("Back to this device's model", key="back_to_own_model", on_click=handoff.back_to_own_model)
    elif model is not baseline:  # kept by this browser session only: said where it is seen on every page
        st.sidebar.warning(
            "Using your edited model (see Make it yours). It lives in this browser tab only: a reload or a typed "
            "address starts again from the source's model. Download it there (Export) to keep it.",
            icon=":material/edit_note:",
        )


def redirect_old_address() -> None:
    """Send an address the app used before (e.g. /Join?room=...) to the page's new path, keeping its query.

    Streamlit first answers an unknown path with a "page not found" notice; once redirected,
    that notice is hidden for the session (its dialog holds no app content, unlike st.dialog).
    """
    path = urlsplit(st.context.url or "").path.rsplit("/", 1)[-1]
    target = registry.moved_to(path) if path else None
    if target is not None:
        st.session_state.moved_from = path
        st.switch_page(target.file, query_params=st.query_params.to_dict())
    if "moved_from" in st.session_state:
        st.html(MOVED_NOTICE_CSS)


@st.cache_resource
def catalog() -> Catalog:
    """Everything in data/, validated and read once per server (a bad file raises InputError each time)."""
    return load_catalog(page_ids=registry.PAGE_IDS)


_built = PerObject(16)  # what a model's pages draw that does not depend on the weights, by name


def evidence_matrix_chart(model: Model, look: charts.Look) -> dict:
    """The evidence matrix (placements x factors, score and provenance): built once per model and look,
    Arrow included."""

    def build() -> dict:
        weights = normalise(dict.fromkeys(model.factor_ids, 1.0), model.factor_ids)  # any: only the cells are drawn
        cells = tables.contributions_table(model, rank(model, weights), weights)
        return arrow_ready(charts.matrix_chart(model, cells, look))

    return _built.get(model, ("evidence matrix", look), build)


def active_model() -> Model:
    return handoff.active_model(catalog().model)


def chart_look(board: bool = False) -> charts.Look:
    """Chart type and spacing for this screen: projector sizes in presentation mode; compact on the board."""
    presenting = bool(st.session_state.get("presentation"))
    if board:
        return charts.BOARD_PROJECTOR if presenting else charts.BOARD
    return charts.PROJECTOR if presenting else charts.SCREEN


def show_chart(spec: dict) -> None:
    """Draw a chart across its column; its description is the text alternative.

    Its data goes out as Arrow holding only the fields the chart encodes or shows in tooltips. The
    description travels as `alt` alone: left in the spec too, Streamlit logs a warning with a stack trace
    for every chart on every rerun.
    """
    sent = {key: value for key, value in arrow_ready(spec).items() if key != "description"}
    st.vega_lite_chart(sent, width="stretch", alt=spec["description"])


FIELD = re.compile(r'"field": ("(?:[^"\\]|\\.)*")')


def arrow_ready(spec: dict) -> dict:
    """`spec` with its datasets (data frames or Arrow tables) as Arrow bytes, which Streamlit sends as they are,
    each cut to the fields the chart names; a chart with transforms, whose expressions may read any field, keeps
    every column. Done once, it also keeps a chart drawn on many reruns from being converted on each."""
    datasets = spec.get("datasets") or {}
    if not any(isinstance(data, pd.DataFrame | pa.Table) for data in datasets.values()):
        return spec
    layout = json.dumps({key: value for key, value in spec.items() if key != "datasets"})
    # Vega-Lite escapes dots and brackets in a field's name: the column is the name without the backslashes.
    used = None if '"transform"' in layout else {json.loads(f).replace("\\", "") for f in FIELD.findall(layout)}
    return {**spec, "datasets": {name: _arrow(data, used) for name, data in datasets.items()}}


def _arrow(data, used: set[str] | None):
    if isinstance(data, pa.Table):
        kept = data if used is None else data.select([name for name in data.column_names if name in used])
        return dataframe_util.convert_arrow_table_to_arrow_bytes(kept)
    if not isinstance(data, pd.DataFrame):
        return data
    return dataframe_util.convert_arrow_table_to_arrow_bytes(arrow_table(data, used))


def arrow_table(frame: pd.DataFrame, only: set[str] | None = None) -> pa.Table:
    """`frame` (its index left out; only the columns named in `only`, if given) as Arrow, the form Streamlit
    sends. Column by column for numbers and text, which is quicker than Streamlit's conversion; other
    columns go through pyarrow's and, failing that, Streamlit's."""
    kept = [(name, column) for name, column in frame.items() if only is None or name in only]
    try:
        if all(c.dtype.kind in "biuf" or pd.api.types.is_string_dtype(c.dtype) for _, c in kept):
            return pa.Table.from_arrays(
                [pa.array(c.to_numpy(), from_pandas=True) for _, c in kept], names=[n for n, _ in kept]
            )
        return pa.Table.from_pandas(frame, columns=[n for n, _ in kept], preserve_index=False)
    except pa.ArrowException:  # invalid, mistyped or unsupported columns
        subset = pd.DataFrame(dict(enumerate(c for _, c in kept)))
        subset.columns = [n for n, _ in kept]
        return dataframe_util.convert_pandas_df_to_arrow_table(subset.reset_index(drop=True))


def literal(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` for st.table, which renders every cell, index label and header as Markdown: each text escaped,
    whatever its column's dtype (pandas 3 keeps text in a string dtype, not `object`)."""
    escape = lambda value: plain(value) if isinstance(value, str) else value  # noqa: E731
    escaped = frame.map(escape)
    for axis in ("index", "columns"):
        labels = getattr(frame, axis)
        setattr(escaped, axis, labels.map(escape).set_names([escape(name) for name in labels.names]))
    return escaped


def side_by_side(count: int, **options) -> list:
    """Columns; stacked in presentation mode, where type at 24 px needs the page's width for wide tables."""
    if st.session_state.get("presentation"):
        return [st.container() for _ in range(count)]
    return st.columns(count, **options)


def show_table(frame: pd.DataFrame, percent: tuple[str, ...] = (), height: int | str = "auto") -> None:
    """A table: the sortable grid, or in presentation mode an HTML table whose type follows the page's
    (the grid is a canvas that no CSS reaches) and whose cells wrap. `percent`: columns of shares."""
    if st.session_state.get("presentation"):
        st.table(literal(tables.percent_text(frame, percent)), hide_index=True)
        return
    shares = {column: st.column_config.NumberColumn(format="percent") for column in percent}
    # As Arrow, made column by column: quicker than Streamlit's conversion, on every rerun of the board.
    st.dataframe(arrow_table(frame), hide_index=True, width="stretch", height=height, column_config=shares)


def numbers_table(table: pd.DataFrame | Callable[[], pd.DataFrame], key: str, label: str = "Show the numbers") -> None:
    """The table behind a chart, one click away. Given as a function, it is built only while the expander is
    open, and sent only then, which keeps reruns fast."""
    expander = st.expander(label, key=f"numbers_{key}", on_change="rerun")
    if expander.open:
        with expander:
            show_table(table() if callable(table) else table)


def move_focus(selector: str) -> None:
    """Focus the first element matching `selector` once it is drawn."""
    st.html(FOCUS_SCRIPT % json.dumps(selector), unsafe_allow_javascript=True)


def focus_next_run(action: str) -> None:
    """Remember that `action` happened, so the next run can move the focus on (see `focus_after`)."""
    st.session_state[FOCUS_AFTER] = action


def focus_after(action: str, selector: str) -> None:
    """Move the focus to `selector` if this run follows `action`, once."""
    if st.session_state.get(FOCUS_AFTER) == action:
        del st.session_state[FOCUS_AFTER]
        move_focus(selector)
