"""Make it yours: edit scores, add factors and placements, import and export the model.

Every change makes a new model and reruns the page; bad input leaves the model as it was.
"""

import pandas as pd
import streamlit as st

from placement.data import editing, modelfile
from placement.data.problems import InputError
from placement.data.schema import SCORE_MAX, SCORE_MIN
from placement.present.urlstate import View, sliders_from_weights
from ui.common import active_model, catalog, page_setup, plain
from ui.guard import show_problems
from ui.handoff import set_active_model
from ui.weights import current_view, request_view, sidebar_weights

model = page_setup("Make it yours")
baseline = catalog().model
weights = sidebar_weights(model)


def editor_key() -> str:
    """The data editor is keyed by model version, so it starts clean after every change."""
    return f"matrix_{st.session_state.get('version', 0)}"


def update(change, *args, what: str) -> None:
    """Apply an editing function to the active model; on bad input keep it and say why.

    Either way the editor starts again from the active model, so a refused value
    does not linger in it.
    """
    try:
        set_active_model(change(active_model(), *args))
    except InputError as error:
        st.session_state.problems = (what, error.problems)
    st.session_state.version = st.session_state.get("version", 0) + 1


def add_factor() -> None:
    values = {p: st.session_state[f"new_factor_{p}"] for p in active_model().placement_ids}
    state = st.session_state
    update(
        editing.add_factor,
        state.factor_name,
        state.factor_definition,
        values,
        state.factor_question,
        what="The new factor",
    )


def add_placement() -> None:
    values = {f: st.session_state[f"new_placement_{f}"] for f in active_model().factor_ids}
    state = st.session_state
    update(
        editing.add_placement,
        state.placement_name,
        state.placement_description,
        values,
        state.placement_short,
        what="The new placement",
    )


def restore_selected(labels: dict) -> None:
    keys = [labels[label] for label in st.session_state.restore_choice]
    update(editing.restore_cells, keys, baseline, what="Restoring")


def remove_added(options: dict) -> None:
    remove, item_id = options[st.session_state.remove_choice]
    update(remove, item_id, what="The removal")


def apply_upload(upload) -> None:
    """Load an uploaded model or matrix once; its weights reach the controls on the rerun."""
    st.session_state.applied_upload = upload.file_id
    try:
        if upload.name.lower().endswith(".csv"):
            loaded, weights = modelfile.apply_scores_csv(active_model(), upload.getvalue(), upload.name), {}
        else:
            loaded, weights = modelfile.from_json(upload.getvalue(), upload.name)
    except InputError as error:
        st.session_state.problems = (f"'{upload.name}'", error.problems)
        return
    set_active_model(loaded)
    st.session_state.version = st.session_state.get("version", 0) + 1
    if any(weights.values()):
        request_view(View("sliders", sliders_from_weights(weights, loaded.factor_ids, keep_slider_values=True), {}))
    st.session_state.loaded = upload.name


st.title("Make it yours")
st.caption("Adapt the matrix to your company. The source baseline is never lost: every edited cell remembers it.")
if "problems" in st.session_state:
    what, problems = st.session_state.pop("problems")
    show_problems(f"{plain(what)} was not applied; your model is unchanged.", problems)
if "loaded" in st.session_state:
    st.success(f"Loaded '{plain(st.session_state.pop('loaded'))}'.")

st.subheader("Scores")
st.caption(
    f"Edit any cell: a whole number from {SCORE_MIN} (strong risk) to +{SCORE_MAX} (strong benefit). Edited cells become 'set by user'."
)
st.data_editor(
    pd.DataFrame(
        {p.short_name: [model.cells[p.id, f].score for f in model.factor_ids] for p in model.placements},
        index=pd.Index([f.name for f in model.factors], name="factor"),
    ),
    key=editor_key(),
    column_config={
        p.short_name: st.column_config.NumberColumn(
            p.short_name, min_value=SCORE_MIN, max_value=SCORE_MAX, step=1, format="%+d"
        )
        for p in model.placements
    },
    width="stretch",
)
if st.session_state[editor_key()]["edited_rows"]:
    update(editing.apply_table_edits, st.session_state[editor_key()]["edited_rows"], what="The edit")
    st.rerun()

changed = editing.edited_cells(model)
if changed:
    st.markdown(f"**{len(changed)} edited cell(s)**")
    labels = {
        f"{model.placement(c.placement).short_name} × {model.factor(c.factor).name}": (c.placement, c.factor)
        for c in changed
    }
    st.dataframe(
        pd.DataFrame(
            [
                {"cell": k, "now": c.score, "source baseline": f"{c.original_score:+d} ({c.original_provenance})"}
                for k, c in zip(labels, changed, strict=True)
            ]
        ),
        hide_index=True,
    )
    st.multiselect("Cells to restore", list(labels), key="restore_choice")
    left, right = st.columns(2)
    left.button(
        "Restore selected cells",
        on_click=restore_selected,
        args=(labels,),
        disabled=not st.session_state.restore_choice,
    )
    right.button(
        "Restore the whole source baseline",
        type="primary",
        on_click=update,
        args=(editing.restore_all, baseline),
        kwargs={"what": "Restoring"},
    )

st.subheader("Add a factor")
with st.form("add_factor", clear_on_submit=True):
    st.text_input("Name", max_chars=editing.MAX_NAME, key="factor_name")
    st.text_input("Definition (one line)", key="factor_definition")
    st.text_input("Question a facilitator would ask (optional)", key="factor_question")
    columns = st.columns(min(4, len(model.placements)))
    for i, p in enumerate(model.placements):
        columns[i % len(columns)].number_input(p.short_name, SCORE_MIN, SCORE_MAX, 0, step=1, key=f"new_factor_{p.id}")
    st.form_submit_button("Add factor", on_click=add_factor)

st.subheader("Add a placement")
with st.form("add_placement", clear_on_submit=True):
    st.text_input("Name", max_chars=editing.MAX_NAME, key="placement_name")
    st.text_input("Short name for charts (optional)", max_chars=editing.MAX_SHORT_NAME, key="placement_short")
    st.text_input("Description (one line)", key="placement_description")
    columns = st.columns(4)
    for i, f in enumerate(model.factors):
        columns[i % 4].number_input(f.name, SCORE_MIN, SCORE_MAX, 0, step=1, key=f"new_placement_{f.id}")
    st.form_submit_button("Add placement", on_click=add_placement)

options = {
    f"Placement: {p.name}": (editing.remove_placement, p.id)
    for p in model.placements
    if p.id not in baseline.placement_ids
}
options |= {
    f"Factor: {f.name}": (editing.remove_factor, f.id) for f in model.factors if f.id not in baseline.factor_ids
}
if options:
    st.subheader("Remove what you added")
    st.selectbox("Added item", list(options), key="remove_choice")
    st.button("Remove it", on_click=remove_added, args=(options,))

st.subheader("Export and import")
left, right = st.columns(2)
left.download_button(
    "Download the whole model (JSON)",
    modelfile.to_json(model, current_view(model).sliders),
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
    apply_upload(upload)
    st.rerun()
