"""The model as a JSON file and the scores as CSV (placement/modelfile.py): round trips and bad files."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable

import pytest

from placement.analysis.evidence import doubt_groups
from placement.data import modelfile
from placement.data.editing import (
    add_factor,
    add_optional,
    add_placement,
    edited_labels,
    remove_factor,
    remove_placement,
    set_score,
)
from placement.data.model import Model, load_model
from placement.data.modelfile import (
    MAX_BYTES,
    apply_scores_csv,
    from_json,
    neutralise,
    scores_csv,
    to_json,
    unneutralise,
)
from placement.data.problems import InputError, Problem

NAME = "upload.json"
CSV_NAME = "upload.csv"


@pytest.fixture(scope="module")
def full() -> Model:
    return load_model(include_optional=True)


def weights_for(model: Model) -> dict[str, float]:
    """Float weights, some fractional, one zero."""
    return {f: [0.0, 2.5, 10.0, 1 / 3][i % 4] for i, f in enumerate(model.factor_ids)}


def edited(m: Model) -> Model:
    m = set_score(m, "operations", "ops_empathy", -1)
    m = set_score(m, "biz_ops", "domain_expertise", 2)
    return set_score(m, "head_of_product", "flexibility", -2)


def custom_factor(m: Model) -> Model:
    return add_factor(m, "Speed", "How fast changes ship.", dict.fromkeys(m.placement_ids, 1), "Do we ship weekly?")


def custom_placement(m: Model) -> Model:
    return add_placement(m, "Reports to the COO", "A line to the COO.", dict.fromkeys(m.factor_ids, -1), "COO")


def everything(m: Model, full: Model) -> Model:
    m = custom_placement(custom_factor(set_score(m, "operations", "pm_alignment", 0)))
    m = add_optional(m, full, "uber_hybrid")
    return set_score(m, "uber_hybrid", "flexibility", 1)


VARIANTS: dict[str, Callable[[Model, Model], Model]] = {
    "shipped": lambda m, full: m,
    "edited": lambda m, full: edited(m),
    "custom factor": lambda m, full: custom_factor(m),
    "custom placement": lambda m, full: custom_placement(m),
    "optional placement": lambda m, full: add_optional(m, full, "uber_hybrid"),
    "removed factor": lambda m, full: remove_factor(m, "global_tradeoffs"),  # its cited evidence stays cited
    "everything": everything,
}


@pytest.fixture(params=list(VARIANTS))
def variant(request, model, full) -> Model:
    return VARIANTS[request.param](model, full)


def document(model: Model, weights: dict[str, float] | None = None) -> dict:
    return json.loads(to_json(model, weights))


def problems_of(call: Callable, *args) -> list[Problem]:
    with pytest.raises(InputError) as caught:
        call(*args)
    problems = caught.value.problems
    assert problems and all(p.fix for p in problems)
    return problems


# --- round trips ---------------------------------------------------------------------------------------


def test_json_round_trip(variant):
    weights = weights_for(variant)
    text = to_json(variant, weights)
    loaded, loaded_weights = from_json(text)
    assert loaded == variant
    assert loaded_weights == weights
    assert all(type(w) is float for w in loaded_weights.values())
    assert to_json(loaded, loaded_weights) == text


def test_json_round_trip_without_weights(model):
    loaded, weights = from_json(to_json(model))
    assert loaded == model and weights == {}


def test_json_file_layout(model):
    data = document(model, {"pm_alignment": 1.5})
    assert (data["format"], data["version"]) == ("product-ops-placement-model", 1)
    assert list(data) == [
        "format",
        "version",
        "sources",
        "placements",
        "factors",
        "evidence",
        "scores",
        "presets",
        "preset_weights",
        "context",
        "weights",
    ]
    assert len(data["scores"]) == 32 and data["weights"] == {"pm_alignment": 1.5}
    assert data["scores"][0]["score"] == "1" and data["scores"][0]["original_score"] == ""


def test_edits_travel_in_the_json_file(model):
    edited = set_score(model, "operations", "ops_empathy", -1)
    loaded, _ = from_json(to_json(edited))
    cell = loaded.cells["operations", "ops_empathy"]
    assert (cell.score, cell.provenance, cell.original_score, cell.original_provenance) == (-1, "user", 2, "documented")


def test_scores_csv_round_trip(variant):
    assert apply_scores_csv(variant, scores_csv(variant)) == variant


def test_scores_csv_carries_edits_to_an_unedited_model(model):
    changed = edited(model)
    text = scores_csv(changed)
    assert apply_scores_csv(model, text) == changed
    assert apply_scores_csv(model, text.encode("utf-8")) == changed


def test_scores_csv_layout(model):
    rows = list(csv.DictReader(io.StringIO(scores_csv(model))))
    assert list(rows[0]) == [
        "placement",
        "factor",
        "score",
        "provenance",
        "evidence",
        "rationale",
        "original_score",
        "original_provenance",
        "room_text",
        "room_round",
        "room_people",
    ]
    assert len(rows) == 32
    ops = next(r for r in rows if (r["placement"], r["factor"]) == ("operations", "pm_alignment"))
    assert (ops["score"], ops["evidence"], ops["original_score"]) == ("-2", "ops_risk", "")


# --- formulas in the CSV -------------------------------------------------------------------------------

FORMULAS = {
    ("operations", "ops_empathy"): '=HYPERLINK("http://example.com","click")',
    ("operations", "pm_alignment"): "+1 because of the ops teams",
    ("biz_ops", "flexibility"): "-1 would be fairer",
    ("head_of_product", "pm_alignment"): "@SUM(A1:A9)",
}


@pytest.fixture
def formula_model(model) -> Model:
    """A model whose rationales would run as formulas, loaded from a model file as a user would."""
    data = document(model)
    for row in data["scores"]:
        row["rationale"] = FORMULAS.get((row["placement"], row["factor"]), row["rationale"])
    loaded, _ = from_json(json.dumps(data))
    return loaded


def test_formulas_are_neutralised_in_the_csv(formula_model):
    rows = {(r["placement"], r["factor"]): r for r in csv.DictReader(io.StringIO(scores_csv(formula_model)))}
    for key, text in FORMULAS.items():
        assert rows[key]["rationale"] == "'" + text
    assert rows["operations", "pm_alignment"]["score"] == "-2"  # a number is not prefixed
    assert rows["operations", "global_tradeoffs"]["score"] == "-1"
    plain = rows["head_of_product", "ops_empathy"]["rationale"]
    assert plain.startswith("The source says nothing")


def test_formulas_are_restored_on_import(formula_model):
    loaded = apply_scores_csv(formula_model, scores_csv(formula_model))
    assert loaded == formula_model
    for key, text in FORMULAS.items():
        assert loaded.cells[key].rationale == text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+1", "'+1"),
        ("-2", "'-2"),
        ("@A1", "'@A1"),
        ("\tx", "'\tx"),
        ("plain", "plain"),
        ("a=b", "a=b"),
        ("'quoted", "''quoted"),  # a leading apostrophe is doubled, so import can undo it
        ("", ""),
    ],
)
def test_neutralise_and_back(text, shown):
    assert neutralise(text) == shown
    assert unneutralise(shown) == text


def test_apostrophe_text_survives_the_csv_round_trip(model):
    data = document(model)
    data["scores"][0]["rationale"] = "'-1 is what the team said"
    quoted, _ = from_json(json.dumps(data))
    assert apply_scores_csv(quoted, scores_csv(quoted)) == quoted


# --- text is text ---------------------------------------------------------------------------------------


def test_html_and_formulas_in_names_load_as_plain_text(model):
    texts = {
        "factor": "<script>alert('x')</script> & <b>bold</b>",
        "placement": '=HYPERLINK("http://evil.example","Ops")',
        "short": "@Ops <i>",
        "statement": "<img src=x onerror=alert(1)> -- \"quoted\" & 'single'",
    }
    data = document(model)
    data["factors"][0]["name"] = texts["factor"]
    data["placements"][1]["name"] = texts["placement"]
    data["placements"][1]["short_name"] = texts["short"]
    data["evidence"][0]["statement"] = texts["statement"]
    loaded, _ = from_json(json.dumps(data))
    assert loaded.factors[0].name == texts["factor"]
    assert loaded.placements[1].name == texts["placement"]
    assert loaded.placements[1].short_name == texts["short"]
    assert loaded.evidence["hop_recommendation"].statement == texts["statement"]
    assert from_json(to_json(loaded))[0] == loaded


# --- bad model files -------------------------------------------------------------------------------------


def mutate(model: Model, change: Callable[[dict], object]) -> str:
    data = document(model, {"pm_alignment": 2.0})
    change(data)
    return json.dumps(data)


def scores_row(i: int, **values):
    return lambda d: d["scores"][i].update(values)


BAD_FILES = {
    # name: (change, where, row, column, words in the message)
    "wrong format": (lambda d: d.update(format="something-else"), NAME, None, None, "not a Product Ops placement model file"),
    "no format": (lambda d: d.pop("format"), NAME, None, None, "not a Product Ops placement model file"),
    "wrong version": (lambda d: d.update(version=2), NAME, None, None, "unsupported version 2"),
    "missing section": (lambda d: d.pop("factors"), f"{NAME} › factors", None, None, "missing or is not a list"),
    "section not a list": (lambda d: d.update(scores={"a": 1}), f"{NAME} › scores", None, None, "missing or is not a list"),
    "rows not objects": (lambda d: d.update(placements=["head_of_product"]), f"{NAME} › placements", None, None, "not a list of rows"),
    "score out of range": (scores_row(0, score="9"), f"{NAME} › scores", 1, "score", "9 is out of range"),
    "score out of range as a number": (scores_row(2, score=-3), f"{NAME} › scores", 3, "score", "-3 is out of range"),
    "score not a number": (scores_row(3, score="high"), f"{NAME} › scores", 4, "score", "'high' is not a number"),
    "score not whole": (scores_row(3, score="1.5"), f"{NAME} › scores", 4, "score", "not a whole number"),
    "score is an object": (scores_row(5, score={"v": 1}), f"{NAME} › scores", 6, "score", "is not a number"),
    "blank rationale": (scores_row(4, rationale=""), f"{NAME} › scores", 5, "rationale", "the cell is blank"),
    "null provenance": (scores_row(6, provenance=None), f"{NAME} › scores", 7, "provenance", "the cell is blank"),
    "unknown provenance": (scores_row(6, provenance="guess"), f"{NAME} › scores", 7, "provenance", "'guess' is not allowed"),
    "duplicate cell": (lambda d: d["scores"].append(dict(d["scores"][0])), f"{NAME} › scores", 33, "factor", "duplicate entry head_of_product/pm_alignment (also on row 1)"),
    "unknown factor": (scores_row(0, factor="speed"), f"{NAME} › scores", 1, "factor", "unknown factor 'speed'"),
    "invalid id": (scores_row(1, placement="Head Of Product"), f"{NAME} › scores", 2, "placement", "is not a valid id"),
    "factor without scores": (lambda d: d.update(scores=[r for r in d["scores"] if r["factor"] != "flexibility"]), f"{NAME} › scores", None, None, "placement 'operations' has no score for factor 'flexibility'"),
    "blank factor name": (lambda d: d["factors"][2].update(name=" "), f"{NAME} › factors", 3, "name", "the cell is blank"),
    "unknown preset factor": (lambda d: d["preset_weights"][0].update(factor="speed"), f"{NAME} › preset_weights", 1, "factor", "unknown factor 'speed'"),
    "weights unknown factor": (lambda d: d.update(weights={"speed": 1.0}), f"{NAME} › weights", None, None, "unknown factor 'speed'"),
    "weights negative": (lambda d: d.update(weights={"pm_alignment": -1.0}), f"{NAME} › weights", None, None, "weight -1.0 of 'pm_alignment'"),
    "weights string": (lambda d: d.update(weights={"pm_alignment": "3"}), f"{NAME} › weights", None, None, "weight '3' of 'pm_alignment'"),
    "weights boolean": (lambda d: d.update(weights={"pm_alignment": True}), f"{NAME} › weights", None, None, "weight True of 'pm_alignment'"),
    "weights not an object": (lambda d: d.update(weights=[1, 2]), f"{NAME} › weights", None, None, "object of factor: weight"),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_bad_model_file_is_located(model, case):
    change, where, row, column, words = BAD_FILES[case]
    problems = problems_of(from_json, mutate(model, change), NAME)
    located = [p for p in problems if words in p.message]
    assert located, [str(p) for p in problems]
    assert (located[0].where, located[0].row, located[0].column) == (where, row, column)


def test_not_json(model):
    [problem] = problems_of(from_json, to_json(model)[:-5], NAME)
    assert problem.where == NAME
    assert problem.message.startswith("not valid JSON (") and "line " in problem.message
    assert problem.fix == "upload a file exported by this app"


@pytest.mark.parametrize("text", ["[1, 2]", '"a model"', "null", "{}"])
def test_json_that_is_not_a_model_file(text):
    [problem] = problems_of(from_json, text, NAME)
    assert problem.message == "this is not a Product Ops placement model file"


def test_several_problems_are_reported_at_once(model):
    def change(d):
        d["scores"][0]["score"] = "9"
        d["scores"][3]["provenance"] = "maybe"
        d["factors"][1]["definition"] = ""
        d.pop("context")

    problems = problems_of(from_json, mutate(model, change), NAME)
    assert [str(p) for p in problems] == [
        f"{NAME} › factors, row 2, column 'definition': the cell is blank. Fix: fill it in",
        f"{NAME} › scores, row 1, column 'score': 9 is out of range. Fix: enter a whole number from -2 to 2",
        f"{NAME} › scores, row 4, column 'provenance': 'maybe' is not allowed. Fix: use one of documented, inferred, neutral, user, room",
        f"{NAME} › context: the section is missing or is not a list of rows. Fix: export the model again from the app",
    ]


def test_cross_reference_problems_are_reported_at_once(model):
    def change(d):
        d["scores"][0]["factor"] = "speed"
        d["scores"][9]["evidence"] = "nothing_like_it"
        d["presets"][0]["source_placement"] = "nowhere"

    problems = problems_of(from_json, mutate(model, change), NAME)
    assert len(problems) >= 3
    assert {p.where for p in problems} >= {f"{NAME} › scores", f"{NAME} › presets"}
    assert any(p.row == 10 and p.column == "evidence" for p in problems)


def test_byte_order_mark_is_accepted(model):
    text = to_json(model, {"flexibility": 1.0})
    assert from_json(b"\xef\xbb\xbf" + text.encode("utf-8")) == (model, {"flexibility": 1.0})


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_non_utf8_model_file_is_refused(model, encoding):
    text = to_json(model).replace('"name": "PM alignment"', '"name": "Équipe produit"')
    assert "Équipe" in text
    data = text.encode(encoding)
    [problem] = problems_of(from_json, data, NAME)
    assert problem.where == NAME and "not UTF-8" in problem.message and "UTF-8" in problem.fix


def test_file_size_limit(model):
    text = to_json(model).encode("utf-8")
    at_limit = text + b" " * (MAX_BYTES - len(text))
    assert from_json(at_limit)[0] == model
    [problem] = problems_of(from_json, at_limit + b" ", NAME)
    assert problem.where == NAME
    assert problem.message == f"the file is {MAX_BYTES + 1:,} bytes"
    assert f"{MAX_BYTES:,}" in problem.fix


@pytest.mark.parametrize(("old", "new"), [("rationale", "reason"), ("score", "points")])
def test_renamed_score_column_is_reported_as_missing(model, old, new):
    def change(d):
        for row in d["scores"]:
            row[new] = row.pop(old)

    problems = problems_of(from_json, mutate(model, change), NAME)
    assert len(problems) == 1
    [problem] = problems
    assert problem.where == f"{NAME} › scores"
    assert f"missing column(s) '{old}'" in problem.message


def test_a_row_without_a_required_key_is_reported(model):
    problems = problems_of(from_json, mutate(model, lambda d: d["scores"][4].pop("rationale")), NAME)
    assert (problems[0].where, problems[0].row, problems[0].column) == (f"{NAME} › scores", 5, "rationale")


def test_optional_score_columns_may_be_left_out(model):
    def change(d):
        for row in d["scores"]:
            del row["original_score"], row["original_provenance"]

    assert from_json(mutate(model, change))[0] == model


def test_infinite_weight_is_refused(model):
    text = to_json(model).replace('"weights": {}', '"weights": {"pm_alignment": Infinity}')
    problems_of(from_json, text, NAME)


def test_nan_weight_is_refused(model):
    text = to_json(model).replace('"weights": {}', '"weights": {"pm_alignment": NaN}')
    [problem] = problems_of(from_json, text, NAME)
    assert problem.where == f"{NAME} › weights"


def test_precise_preset_weights_survive_the_round_trip(model):
    precise, _ = from_json(mutate(model, lambda d: d["preset_weights"][0].update(weight="0.1234567")))
    assert from_json(to_json(precise))[0] == precise


def test_round_trip_after_a_placement_with_a_cut_short_name(model):
    name = "Product Ops goes to the CEO office"  # character 24 is a space
    custom = add_placement(model, name, "A line.", dict.fromkeys(model.factor_ids, 0))
    assert from_json(to_json(custom))[0] == custom


@pytest.mark.parametrize(
    ("remove", "item"),
    [(remove_placement, "operations"), (remove_placement, "head_of_product"), (remove_factor, "flexibility")],
)
def test_round_trip_after_removing_a_source_item(model, remove, item):
    fewer = remove(model, item)
    assert from_json(to_json(fewer))[0] == fewer
    assert apply_scores_csv(fewer, scores_csv(fewer)) == fewer


# --- bad score CSV files -----------------------------------------------------------------------------------


def csv_rows(model: Model) -> tuple[list[str], list[dict[str, str]]]:
    reader = csv.DictReader(io.StringIO(scores_csv(model)))
    return list(reader.fieldnames or []), list(reader)


def write_csv(header: list[str], rows: list[dict[str, str]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n", extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def test_csv_with_a_renamed_column(model):
    text = scores_csv(model).replace("rationale", "reason", 1)
    [problem] = problems_of(apply_scores_csv, model, text, CSV_NAME)
    assert problem.where == CSV_NAME
    assert problem.message == "missing column(s) 'rationale'; the file has unexpected column(s) 'reason'"
    assert "placement, factor, score" in problem.fix


def test_csv_without_the_baseline_columns_loads(model):
    header, rows = csv_rows(model)
    text = write_csv(header[:6], rows)
    assert apply_scores_csv(model, text) == model


@pytest.mark.parametrize("encoding", ["latin-1", "utf-16"])
def test_csv_in_another_encoding_is_refused(model, encoding):
    data = scores_csv(model).replace("Product's", "Produçt's").encode(encoding)
    [problem] = problems_of(apply_scores_csv, model, data, CSV_NAME)
    assert problem.where == CSV_NAME and "UTF-8" in problem.fix


def test_csv_with_byte_order_mark_loads(model):
    assert apply_scores_csv(model, b"\xef\xbb\xbf" + scores_csv(model).encode("utf-8")) == model


def test_csv_rows_count_like_a_spreadsheet(model):
    header, rows = csv_rows(model)
    rows[0]["score"] = "9"
    rows[1]["score"] = ""
    rows[2]["provenance"] = ""
    rows[5]["placement"] = "somewhere"
    problems = problems_of(apply_scores_csv, model, write_csv(header, rows), CSV_NAME)
    located = {(p.row, p.column): p for p in problems}
    assert located[2, "score"].message == "9 is out of range"
    assert located[3, "score"].message == "the cell is blank"
    assert located[4, "provenance"].message == "the cell is blank"
    assert all(CSV_NAME in p.where for p in problems)


def test_csv_with_an_unknown_placement(model):
    header, rows = csv_rows(model)
    rows[5]["placement"] = "somewhere"
    problems = problems_of(apply_scores_csv, model, write_csv(header, rows), CSV_NAME)
    unknown = [p for p in problems if p.message == "unknown placement 'somewhere'"]
    assert [(p.where, p.row, p.column) for p in unknown] == [(CSV_NAME, 7, "placement")]
    assert "head_of_product" in unknown[0].fix


def test_csv_from_another_model_is_refused(model):
    custom = add_factor(model, "Speed", "How fast.", dict.fromkeys(model.placement_ids, 1))
    problems = problems_of(apply_scores_csv, model, scores_csv(custom), CSV_NAME)
    assert {p.message for p in problems} == {"unknown factor 'custom_speed'"}
    assert [p.row for p in problems] == [34, 35, 36, 37]
    other = "placement,factor,score,provenance,evidence,rationale\nalpha,beta,1,user,,r\ngamma,delta,0,user,,r\n"
    problems = problems_of(apply_scores_csv, model, other, CSV_NAME)
    assert any(p.message == "unknown placement 'alpha'" and p.row == 2 for p in problems)
    assert any(p.message == "unknown factor 'delta'" and p.row == 3 for p in problems)


@pytest.mark.parametrize("text", ["", "\n\n"])
def test_empty_csv_is_refused(model, text):
    [problem] = problems_of(apply_scores_csv, model, text, CSV_NAME)
    assert problem.where == CSV_NAME and "not a readable CSV table" in problem.message


def test_csv_size_limit(model):
    [problem] = problems_of(apply_scores_csv, model, b"x" * (MAX_BYTES + 1), CSV_NAME)
    assert problem.message == f"the file is {MAX_BYTES + 1:,} bytes"


def test_sections_match_the_data_files():
    assert list(modelfile.SECTIONS) == [
        "sources",
        "placements",
        "factors",
        "evidence",
        "scores",
        "presets",
        "preset_weights",
        "context",
    ]


# --- load_file: the loader chosen by the file's name ---------------------------------------------


@pytest.mark.parametrize("name", ["mine.csv", "MINE.CSV", "export.Csv"])
def test_load_file_applies_a_csv_matrix_to_the_base_model(model, name):
    base = add_factor(model, "Cost", "Overhead.", dict.fromkeys(model.placement_ids, 0))
    edited = set_score(base, "biz_ops", "pm_credibility", 2)
    loaded, weights = modelfile.load_file(scores_csv(edited).encode(), name, base)
    assert weights == {}  # a score matrix carries no weights
    assert loaded.cells == edited.cells
    assert loaded.factor_ids == base.factor_ids  # applied on the base given, custom factor included


@pytest.mark.parametrize("name", ["mine.json", "mine", "model.JSON", "scores.csv.json"])
def test_load_file_reads_anything_else_as_a_model_file(model, name):
    edited = set_score(model, "biz_ops", "pm_credibility", 2)
    weights = {f: 1.0 for f in model.factor_ids}
    other_base = remove_factor(model, model.factor_ids[0])  # ignored: a model file is whole
    loaded, read_weights = modelfile.load_file(to_json(edited, weights).encode(), name, other_base)
    assert loaded == edited
    assert read_weights == weights


def test_load_file_names_the_file_in_its_problems(model):
    with pytest.raises(InputError) as caught:
        modelfile.load_file(b"{not json", "broken.json", model)
    assert caught.value.problems[0].where == "broken.json"
    with pytest.raises(InputError) as caught:
        modelfile.load_file(to_json(model).encode(), "model.csv", model)  # a JSON file named .csv is read as CSV
    assert all(p.where.startswith("model.csv") for p in caught.value.problems)


# --- a score changed in a spreadsheet is the team's, as if changed in the app -------------------------------


def upload_with(model: Model, changes: dict[tuple[str, str], str]) -> str:
    """The model's scores CSV with some scores retyped, every other column (provenance included) as exported:
    what a team sends back after editing numbers in a spreadsheet."""
    header, rows = csv_rows(model)
    for row in rows:
        row["score"] = changes.get((row["placement"], row["factor"]), row["score"])
    return write_csv(header, rows)


def test_an_uploaded_edit_to_a_documented_score_becomes_the_teams_cell(model):
    loaded = apply_scores_csv(model, upload_with(model, {("operations", "ops_empathy"): "-1"}))
    cell = loaded.cells["operations", "ops_empathy"]
    # The source documents +2 here (its stated benefit): the file's -1 is the team's, with that baseline kept.
    assert (cell.score, cell.provenance, cell.original_score, cell.original_provenance) == (-1, "user", 2, "documented")
    assert loaded == set_score(model, "operations", "ops_empathy", -1)  # exactly an edit made in the app
    assert edited_labels(loaded) == {"Operations × Ops empathy": ("operations", "ops_empathy")}


def test_doubting_the_scores_leaves_an_uploaded_edit_as_the_team_set_it(model):
    loaded = apply_scores_csv(model, upload_with(model, {("operations", "ops_empathy"): "-1"}))
    groups = doubt_groups(loaded, undocumented=True, statements_together=True)
    row, column = loaded.placement_ids.index("operations"), loaded.factor_ids.index("ops_empathy")
    assert groups[row, column] == -1
    assert doubt_groups(model, undocumented=True, statements_together=True)[row, column] != -1


def test_an_uploaded_score_on_a_neutral_cell_is_the_teams_not_a_refused_neutral(model):
    # The source says nothing here (neutral, 0); a team that scores it +1 has made its own judgement.
    loaded = apply_scores_csv(model, upload_with(model, {("operations", "flexibility"): "1"}))
    cell = loaded.cells["operations", "flexibility"]
    assert (cell.score, cell.provenance, cell.original_score, cell.original_provenance) == (1, "user", 0, "neutral")


def test_an_uploaded_score_equal_to_the_source_keeps_the_source_cell(model):
    changed = set_score(model, "operations", "ops_empathy", -1)
    # The file gives the source's +2 with the source's provenance: the team's edit is undone, as in the app.
    assert apply_scores_csv(changed, upload_with(model, {})) == model


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ('{"format": "abc', "not valid JSON (Unterminated string starting at line 1, column 12)"),
        ('{"format": "a\x01"}', "not valid JSON (Invalid control character at line 1, column 14)"),
        ('{"format" 1}', "not valid JSON (Expecting ':' delimiter at line 1, column 11)"),
    ],
)
def test_a_json_error_says_where_in_plain_words(text, says):
    [problem] = problems_of(from_json, text, NAME)
    assert problem.message == says
