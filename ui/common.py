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
from placement.data.text import clean_text
from placement.present import charts, tables
from ui import handoff, memory, registry
from ui.guard import reported

# Presentation mode: type readable from the back of a room; the sidebar collapsed and whatever the room
# need not see (containers keyed "backstage_...") hidden. The board's facilitator control bar stays.
PRESENTATION_CSS = """<style>
html { font-size: 24px; }
[class*="st-key-backstage"] { display: none !important; }
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 3rem 2rem 2rem 2rem; }
[data-testid="stMainBlockContainer"] [data-testid="stVerticalBlock"] { gap: 0.5rem; }
.st-key-board_controls button { min-height: 2rem; padding-top: 0.1rem; padding-bottom: 0.1rem; }
</style>"""
MOVED_NOTICE_CSS = """<style>
[data-testid="stDialog"]:not(:has([data-testid="stVerticalBlock"])) { display: none !important; }
</style>"""
MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$=])")
# ':material/lock:' and ':smile:' draw an icon or an emoji in Streamlit: an invisible word joiner after the
# colon keeps the text as typed on screen but no longer a shortcode.
# A bare 'http://...' becomes a link even with its dots escaped (autolinks ignore backslashes): escape its colon.
AUTOLINK_COLON = re.compile(r":(?=//)")
SHORTCODE_COLON = re.compile(r":(?=(?:material/|streamlit/)?[\w+\-]+:)")


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
    if presenting:
        st.html(PRESENTATION_CSS)
    with reported("The files in data/ have problems, so the app cannot start.", stop=True):
        baseline = catalog().model
    memory.freeze_after_start_up()  # once the page's modules and the catalog are loaded
    model = handoff.active_model(baseline)
    if model is not baseline:
        st.sidebar.caption("Using your edited model (see Make it yours).")
    return model


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


def evidence_matrix_chart(model: Model) -> dict:
    """The evidence matrix (placements x factors, score and provenance): built once per model, Arrow included."""

    def build() -> dict:
        weights = normalise(dict.fromkeys(model.factor_ids, 1.0), model.factor_ids)  # any: only the cells are drawn
        cells = tables.contributions_table(model, rank(model, weights), weights)
        return arrow_ready(charts.matrix_chart(model, cells))

    return _built.get(model, "evidence matrix", build)


def active_model() -> Model:
    return handoff.active_model(catalog().model)


def show_chart(spec: dict, description: str) -> None:
    """Draw a chart, enlarged in presentation mode; `description` is its text alternative.

    Its data goes out as Arrow holding only the fields the chart encodes or shows in tooltips.
    """
    if st.session_state.get("presentation"):
        spec = charts.enlarged(spec)
    st.vega_lite_chart(arrow_ready(spec), width="stretch", alt=description)


FIELD = re.compile(r'"field": ("(?:[^"\\]|\\.)*")')


def arrow_ready(spec: dict) -> dict:
    """`spec` with its data frames turned into Arrow (which Streamlit sends as it is), each cut to the fields
    the chart names; a chart with transforms, whose expressions may read any field, keeps every column.
    Done once, it also keeps a chart drawn on many reruns from being converted on each."""
    datasets = spec.get("datasets") or {}
    if not any(isinstance(data, pd.DataFrame) for data in datasets.values()):
        return spec
    layout = json.dumps({key: value for key, value in spec.items() if key != "datasets"})
    # Vega-Lite escapes dots and brackets in a field's name: the column is the name without the backslashes.
    used = None if '"transform"' in layout else {json.loads(f).replace("\\", "") for f in FIELD.findall(layout)}
    return {**spec, "datasets": {name: _arrow(data, used) for name, data in datasets.items()}}


def _arrow(data, used: set[str] | None):
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


def plain(text: str) -> str:
    """Text from data files, uploads, rooms or the address, shown literally in Markdown (labels, captions, errors).

    One line (control characters and direction overrides removed), Markdown specials escaped, no icon shortcodes.
    """
    text = MARKDOWN_SPECIALS.sub(r"\\\1", clean_text(str(text)))
    text = AUTOLINK_COLON.sub(r"\\:", text)
    return SHORTCODE_COLON.sub(":\u2060", text)


def literal(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` for st.table, which renders text cells as Markdown: every text cell and index label escaped."""
    escape = lambda value: plain(value) if isinstance(value, str) else value  # noqa: E731
    escaped = frame.copy()
    for column in escaped.columns:
        if escaped[column].dtype == object:
            escaped[column] = escaped[column].map(escape)
    escaped.index = escaped.index.map(escape)
    return escaped


def numbers_table(table: pd.DataFrame | Callable[[], pd.DataFrame], key: str, label: str = "Show the numbers") -> None:
    """The table behind a chart, one click away. Given as a function, it is built only while the expander is
    open, and sent only then, which keeps reruns fast."""
    expander = st.expander(label, key=f"numbers_{key}", on_change="rerun")
    if expander.open:
        expander.dataframe(arrow_table(table() if callable(table) else table), hide_index=True, width="stretch")
