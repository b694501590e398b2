"""Make it yours: edit scores, add factors and placements, import and export the model."""

import pandas as pd
import streamlit as st

from placement import editing, modelfile
from placement.problems import InputError
from placement.schema import SCORE_MAX, SCORE_MIN
from placement.urlstate import View, sliders_from_weights
from ui.common import baseline_model, page_setup, plain, set_active_model
from ui.weights import apply_view, current_view, load_view_once, weight_controls

model = page_setup("Make it yours")
baseline = baseline_model()
load_view_once(model)
with st.sidebar:
    st.header("Weights")
    weights = weight_controls(model)

st.title("Make it yours")
st.caption("Adapt the matrix to your company. The source baseline is never lost: every edited cell remembers it.")


def show_problems(error: InputError, what: str) -> None:
    st.error(f"{what} was not applied; your model is unchanged. Please fix:")
    st.text("\n".join(f"• {p}" for p in error.problems))


def update(change, *args, what: str) -> None:
    """Apply an editing function; on bad input keep the model and say why."""
    try:
        set_active_model(change(*args))
    except InputError as error:
        st.session_state.problems = (error, what)
    else:
        st.session_state.version = st.session_state.get("version", 0) + 1


if "problems" in st.session_state:
    show_problems(*st.session_state.pop("problems"))

st.subheader("Scores")
st.caption(
    f"Edit any cell: a whole number from {SCORE_MIN} (strong risk) to +{SCORE_MAX} (strong benefit). Edited cells become 'set by user'."
)
grid = pd.DataFrame(
    {p.short_name: [model.cells[p.id, f].score for f in model.factor_ids] for p in model.placements},
    index=pd.Index([f.name for f in model.factors], name="factor"),
)
edited = st.data_editor(
    grid,
    key=f"matrix_{st.session_state.get('version', 0)}",
    column_config={
        p.short_name: st.column_config.NumberColumn(
            p.short_name, min_value=SCORE_MIN, max_value=SCORE_MAX, step=1, format="%+d"
        )
        for p in model.placements
    },
    width="stretch",
)
changes = {
    (p.id, f.id): edited.loc[f.name, p.short_name]
    for p in model.placements
    for f in model.factors
    if edited.loc[f.name, p.short_name] != grid.loc[f.name, p.short_name]
}
if changes:
    update(editing.apply_grid, model, changes, what="The edit")
    st.rerun()

changed_cells = editing.edited_cells(model)
if changed_cells:
    st.markdown(f"**{len(changed_cells)} edited cell(s)**")
    labels = {f"{model.placement(c.placement).short_name} × {model.factor(c.factor).name}": c for c in changed_cells}
    st.dataframe(
        pd.DataFrame(
            [
                {"cell": k, "now": c.score, "source baseline": f"{c.original_score:+d} ({c.original_provenance})"}
                for k, c in labels.items()
            ]
        ),
        hide_index=True,
    )
    chosen = st.multiselect("Cells to restore", list(labels), key="restore_choice")
    left, right = st.columns(2)
    if left.button("Restore selected cells", disabled=not chosen):
        keys = [(labels[label].placement, labels[label].factor) for label in chosen]
        update(editing.restore_cells, model, keys, baseline, what="Restoring")
        st.rerun()
    if right.button("Restore the whole source baseline", type="primary"):
        update(editing.restore_all, model, baseline, what="Restoring")
        st.rerun()

st.subheader("Add a factor")
with st.form("add_factor", clear_on_submit=True):
    name = st.text_input("Name", max_chars=editing.MAX_NAME)
    definition = st.text_input("Definition (one line)")
    question = st.text_input("Question a facilitator would ask (optional)")
    columns = st.columns(min(4, len(model.placements)))
    scores = {
        p.id: columns[i % len(columns)].number_input(
            p.short_name, SCORE_MIN, SCORE_MAX, 0, step=1, key=f"new_factor_{p.id}"
        )
        for i, p in enumerate(model.placements)
    }
    if st.form_submit_button("Add factor"):
        update(editing.add_factor, model, name, definition, scores, question, what="The new factor")
        st.rerun()

st.subheader("Add a placement")
with st.form("add_placement", clear_on_submit=True):
    name = st.text_input("Name", max_chars=editing.MAX_NAME, key="placement_name")
    short_name = st.text_input("Short name for charts (optional)", max_chars=editing.MAX_SHORT_NAME)
    description = st.text_input("Description (one line)")
    columns = st.columns(4)
    scores = {
        f.id: columns[i % 4].number_input(f.name, SCORE_MIN, SCORE_MAX, 0, step=1, key=f"new_placement_{f.id}")
        for i, f in enumerate(model.factors)
    }
    if st.form_submit_button("Add placement"):
        update(editing.add_placement, model, name, description, scores, short_name, what="The new placement")
        st.rerun()

extras = [p for p in model.placements if p.id not in baseline.placement_ids]
extra_factors = [f for f in model.factors if f.id not in baseline.factor_ids]
if extras or extra_factors:
    st.subheader("Remove what you added")
    options = {f"Placement: {p.name}": (editing.remove_placement, p.id) for p in extras}
    options |= {f"Factor: {f.name}": (editing.remove_factor, f.id) for f in extra_factors}
    choice = st.selectbox("Added item", list(options))
    if st.button("Remove it"):
        remove, item_id = options[choice]
        update(remove, model, item_id, what="The removal")
        st.rerun()

st.subheader("Export and import")
view = current_view(model)
left, right = st.columns(2)
left.download_button(
    "Download the whole model (JSON)",
    modelfile.to_json(model, view.sliders),
    file_name="product-ops-placement-model.json",
    mime="application/json",
    help="Placements, factors, scores with provenance, evidence, presets and your current weights. Upload it to continue later.",
)
right.download_button(
    "Download the score matrix (CSV)",
    modelfile.scores_csv(model),
    file_name="product-ops-placement-scores.csv",
    mime="text/csv",
    help="One row per placement and factor, for a spreadsheet. Upload it back to apply your changes.",
)
upload = st.file_uploader("Upload a model (.json) or score matrix (.csv)", type=["json", "csv"], key="upload")
if upload is not None and st.session_state.get("applied_upload") != upload.file_id:
    st.session_state.applied_upload = upload.file_id
    try:
        if upload.name.lower().endswith(".csv"):
            set_active_model(modelfile.apply_scores_csv(model, upload.getvalue(), upload.name))
        else:
            uploaded, weights = modelfile.from_json(upload.getvalue(), upload.name)
            set_active_model(uploaded)
            if any(weights.values()):
                apply_view(uploaded, View("sliders", sliders_from_weights(weights, uploaded.factor_ids), {}))
    except InputError as error:
        show_problems(error, f"'{plain(upload.name)}'")
    else:
        st.session_state.version = st.session_state.get("version", 0) + 1
        st.success(f"Loaded '{plain(upload.name)}'.")
