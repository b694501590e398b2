"""Make it yours: edit scores, add factors and placements, import and export. Bad input leaves the model as it was."""

import streamlit as st

from placement.data import editing, modelfile
from placement.data.schema import SCORE_MAX, SCORE_MIN
from placement.data.text import plain
from placement.present.urlstate import View, sliders_from_weights
from placement.settings import MAX_ITEM_NAME, MAX_SHORT_NAME
from ui.common import active_model, catalog, page_setup, show_table
from ui.guard import reported
from ui.handoff import request_view, set_active_model
from ui.weights import current_view, sidebar_weights

model = page_setup("Make it yours")
baseline = catalog().model
sidebar_weights(model)
state = st.session_state


def update(what: str, change, *args) -> bool:
    """Apply a change to the active model; bad input keeps the model and says why. The editor starts again."""
    state.version = state.get("version", 0) + 1
    with reported(f"{plain(what)} was not applied; your model is unchanged."):
        set_active_model(change(active_model(), *args))
        return True
    return False


def add_factor() -> None:
    scores = {p: state[f"new_factor_{p}"] for p in active_model().placement_ids}
    args = (state.factor_name, state.factor_definition, scores, state.factor_question)
    update("The new factor", editing.add_factor, *args)


def add_placement() -> None:
    scores = {f: state[f"new_placement_{f}"] for f in active_model().factor_ids}
    args = (state.placement_name, state.placement_description, scores, state.placement_short)
    update("The new placement", editing.add_placement, *args)


st.title("Make it yours")
st.caption("Adapt the matrix to your company. The source baseline is never lost: every edited cell remembers it.")
if "loaded" in state:
    st.success(f"Loaded '{plain(state.pop('loaded'))}'.")

st.header("Scores")
st.caption(
    f"Edit any cell: a whole number from {SCORE_MIN} (strong risk) to +{SCORE_MAX} (strong benefit). Edited cells become 'set by user'."
)
edits = state.get(f"matrix_{state.get('version', 0)}", {}).get("edited_rows")
if edits and update("The edit", editing.apply_table_edits, edits):
    st.rerun()
editor_key = f"matrix_{state.get('version', 0)}"  # keyed by model version: the editor starts clean after a change
grid = editing.score_grid(model)
score = st.column_config.NumberColumn(min_value=SCORE_MIN, max_value=SCORE_MAX, step=1, format="%+d")
st.data_editor(grid, key=editor_key, column_config=dict.fromkeys(grid.columns, score), width="stretch")

labels = editing.edited_labels(model)
if labels:
    st.markdown(f"**{len(labels)} edited cell(s)**")
    show_table(editing.edited_frame(model))
    st.multiselect("Cells to restore", list(labels), key="restore_choice")
    left, right = st.columns(2)
    chosen = [labels[label] for label in state.restore_choice]
    restore_chosen, restore_all = (
        ("Restoring", editing.restore_cells, chosen, baseline),
        ("Restoring", editing.restore_all, baseline),
    )
    left.button("Restore selected cells", on_click=update, args=restore_chosen, disabled=not chosen)
    right.button("Restore the whole source baseline", type="primary", on_click=update, args=restore_all)

st.header("Add a factor")
with st.form("add_factor", clear_on_submit=True):
    st.text_input("Name", max_chars=MAX_ITEM_NAME, key="factor_name")
    st.text_input("Definition (one line)", key="factor_definition")
    st.text_input("Question a facilitator would ask (optional)", key="factor_question")
    columns = st.columns(min(4, len(model.placements)))
    for i, p in enumerate(model.placements):
        columns[i % len(columns)].number_input(
            plain(p.short_name), SCORE_MIN, SCORE_MAX, 0, step=1, key=f"new_factor_{p.id}"
        )
    st.form_submit_button("Add factor", on_click=add_factor)

st.header("Add a placement")
with st.form("add_placement", clear_on_submit=True):
    st.text_input("Name", max_chars=MAX_ITEM_NAME, key="placement_name")
    st.text_input("Short name for charts (optional)", max_chars=MAX_SHORT_NAME, key="placement_short")
    st.text_input("Description (one line)", key="placement_description")
    columns = st.columns(4)
    for i, f in enumerate(model.factors):
        columns[i % 4].number_input(plain(f.name), SCORE_MIN, SCORE_MAX, 0, step=1, key=f"new_placement_{f.id}")
    st.form_submit_button("Add placement", on_click=add_placement)

added = editing.added_items(model, baseline)
if added:
    st.header("Remove what you added")
    st.selectbox("Added item", list(added), key="remove_choice")
    st.button("Remove it", on_click=lambda: update("The removal", editing.remove_item, *added[state.remove_choice]))

st.header("Export and import")
left, right = st.columns(2)
whole = "Placements, factors, scores with provenance, evidence, presets and your current weights. Upload it to continue later."
matrix = "One row per placement and factor, for a spreadsheet. Upload it back: a score you changed becomes your team's."
json_file, csv_file = modelfile.to_json(model, current_view(model).sliders), modelfile.scores_csv(model)
for column, label, data, name, mime, about in (
    (left, "the whole model (JSON)", json_file, "model.json", "application/json", whole),
    (right, "the score matrix (CSV)", csv_file, "scores.csv", "text/csv", matrix),
):
    column.download_button(f"Download {label}", data, f"product-ops-placement-{name}", mime, help=about)
upload = st.file_uploader("Upload a model (.json) or score matrix (.csv)", type=["json", "csv"], key="upload")
if upload is not None and state.get("applied_upload") != upload.file_id:  # apply each upload once
    state.applied_upload = upload.file_id
    with reported(f"'{plain(upload.name)}' was not applied; your model is unchanged."):
        loaded, weights = modelfile.load_file(upload.getvalue(), upload.name, model)
        set_active_model(loaded)
        if any(weights.values()):  # the file's weights reach the controls on the rerun
            request_view(View("sliders", sliders_from_weights(weights, loaded.factor_ids, keep_slider_values=True), {}))
        state.loaded = upload.name
        st.rerun()
