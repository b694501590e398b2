"""Cell-level validation of the data files (placement/schema.py), through load_model().

Each test corrupts one file of a copy of the shipped data and checks that the
InputError names the file, the spreadsheet row (header = 1), the column and a fix.
"""

from __future__ import annotations

import pytest

from placement.data import schema
from placement.data.model import load_model
from placement.data.problems import InputError, Problem

SCORE_ROW = {"placement": "operations", "factor": "ops_empathy"}  # a documented +2 cell


def load_error(directory) -> InputError:
    with pytest.raises(InputError) as caught:
        load_model(directory)
    return caught.value


def only_problem(error: InputError) -> Problem:
    assert len(error.problems) == 1, error.problems
    return error.problems[0]


def assert_located(problem: Problem, file: str, row: int, column: str, *words: str) -> None:
    """The problem names its file, row and column, mentions `words` and offers a fix."""
    assert problem.where == file
    assert problem.row == row
    assert problem.column == column
    assert problem.fix.strip()
    text = str(problem)
    assert text.startswith(f"{file}, row {row}, column '{column}': ")
    assert "Fix: " in text
    for word in words:
        assert word in problem.message


# --- file-level problems ---------------------------------------------------------------


def test_missing_file_names_the_file_and_how_to_add_it(data_copy):
    (data_copy / "factors.csv").unlink()
    problem = only_problem(load_error(data_copy))
    assert problem.where == "factors.csv"
    assert "missing" in problem.message
    assert "factors.csv" in problem.fix and str(data_copy) in problem.fix
    assert problem.row is None and problem.column is None


def test_renamed_column_names_missing_and_unexpected_columns(csv_files, data_copy):
    csv_files.rename_column("scores.csv", "provenance", "source_type")
    problem = only_problem(load_error(data_copy))
    assert problem.where == "scores.csv"
    assert "'provenance'" in problem.message
    assert "'source_type'" in problem.message  # the unexpected column is named
    assert "placement, factor, score, provenance, evidence, rationale" in problem.fix


def test_deleted_column_is_reported_without_unexpected_hint(csv_files, data_copy):
    header, rows = csv_files.read("placements.csv")
    header.remove("short_name")
    csv_files.write("placements.csv", header, [{k: v for k, v in r.items() if k != "short_name"} for r in rows])
    problem = only_problem(load_error(data_copy))
    assert problem.where == "placements.csv"
    assert problem.message == "missing column(s) 'short_name'"


def test_header_whitespace_is_ignored(data_copy):
    path = data_copy / "sources.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("id,citation", " id , citation ", 1), encoding="utf-8")
    assert load_model(data_copy).sources["source"].startswith("Clare Hawthorne")


def test_non_utf8_file_asks_for_csv_utf8(data_copy):
    path = data_copy / "placements.csv"
    text = path.read_text(encoding="utf-8").replace("Head of Product", "Head of Produét", 1)
    path.write_bytes(text.encode("latin-1"))
    problem = only_problem(load_error(data_copy))
    assert problem.where == "placements.csv"
    assert "UTF-8" in problem.message
    assert "CSV UTF-8" in problem.fix


def test_utf8_bom_file_loads(data_copy):
    path = data_copy / "placements.csv"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    model = load_model(data_copy)
    assert model.placement_ids == ["head_of_product", "operations", "biz_ops", "product_areas"]


def test_empty_file_is_reported_as_unreadable(data_copy):
    (data_copy / "presets.csv").write_text("", encoding="utf-8")
    problem = only_problem(load_error(data_copy))
    assert problem.where == "presets.csv"
    assert "not a readable CSV" in problem.message


def test_a_row_longer_than_the_header_is_refused_with_its_row(data_copy):
    """An unquoted comma adds a cell: the row is named, never read shifted by one column."""
    path = data_copy / "presets.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[1] = "extra," + lines[1]  # the first data row, where a parser may take the extra cell for an index
    path.write_text("".join(lines), encoding="utf-8")
    problem = only_problem(load_error(data_copy))
    assert (problem.where, problem.row) == ("presets.csv", 2)
    assert "row 2 has 6 cells, the header 5" in problem.message
    assert "quotes" in problem.fix


def test_an_unterminated_quote_is_reported_as_unreadable(data_copy):
    path = data_copy / "presets.csv"
    path.write_text(path.read_text(encoding="utf-8") + 'late,"Late,never closed\n', encoding="utf-8")
    problem = only_problem(load_error(data_copy))
    assert problem.where == "presets.csv" and "not a readable CSV table" in problem.message


@pytest.mark.parametrize(
    ("text", "columns", "rows"),
    [
        ('a,b\n"1,5","x\ny"\r\n3\n', ("a", "b"), (("1,5", "x\ny"), ("3", ""))),  # quoted, short row padded
        ("a,b\n1,2\n\n", ("a", "b"), (("1", "2"), ("", ""))),  # a blank line stays a row
        ("a,a,\n1,2,3\n", ("a", "a.1", "Unnamed: 2"), (("1", "2", "3"),)),  # repeated and blank names
        ('a,b\n1,"2""x"\n', ("a", "b"), (("1", '2"x'),)),
    ],
)
def test_csv_text_becomes_a_table_of_text_cells(text, columns, rows):
    table = schema.read_csv_bounded(text, "t.csv", 10)
    assert (table.columns, table.rows) == (columns, rows)


# --- cell-level problems -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "words", "fix"),
    [
        ("3", ("3", "out of range"), "whole number from -2 to 2"),
        ("-3", ("-3", "out of range"), "whole number from -2 to 2"),
        ("high", ("'high'", "not a number"), "whole number from -2 to 2"),
        ("1.5", ("1.5", "not a whole number"), "whole number from -2 to 2"),
        ("nan", ("not a finite number",), "whole number from -2 to 2"),
    ],
)
def test_bad_score_names_row_column_and_range(csv_files, data_copy, value, words, fix):
    row = csv_files.set("scores.csv", SCORE_ROW, score=value)
    problem = only_problem(load_error(data_copy))
    assert_located(problem, "scores.csv", row, "score", *words)
    assert problem.fix == f"enter a {fix}"


def test_whole_number_written_as_decimal_is_accepted(csv_files, data_copy):
    csv_files.set("scores.csv", SCORE_ROW, score="2.0")
    cell = load_model(data_copy).cells["operations", "ops_empathy"]
    assert cell.score == 2 and isinstance(cell.score, int)


def test_blank_required_cell(csv_files, data_copy):
    row = csv_files.set("factors.csv", {"id": "flexibility"}, name="  ")
    problem = only_problem(load_error(data_copy))
    assert_located(problem, "factors.csv", row, "name", "blank")
    assert problem.fix == "fill it in"


def test_blank_optional_cell_is_fine(csv_files, data_copy):
    # presets.csv evidence is optional: blank reads as None, not as an error.
    csv_files.set("presets.csv", {"id": "author"}, evidence="")
    model = load_model(data_copy)
    assert model.presets["author"].evidence is None
    assert model.presets["author"].source_placement == "head_of_product"


def test_unknown_provenance_lists_the_choices(csv_files, data_copy):
    row = csv_files.set("scores.csv", SCORE_ROW, provenance="guessed")
    problem = only_problem(load_error(data_copy))
    assert_located(problem, "scores.csv", row, "provenance", "'guessed'", "not allowed")
    assert problem.fix == "use one of documented, inferred, neutral, user, room"


def test_unknown_evidence_kind_lists_the_choices(csv_files, data_copy):
    row = csv_files.set("evidence.csv", {"id": "ops_risk"}, kind="danger")
    problem = only_problem(load_error(data_copy))
    assert_located(problem, "evidence.csv", row, "kind", "'danger'")
    assert problem.fix == "use one of recommendation, works_when, benefit, risk"


def test_invalid_id_is_reported(csv_files, data_copy):
    row = csv_files.set("placements.csv", {"id": "biz_ops"}, id="Biz Ops")
    error = load_error(data_copy)
    problem = only_problem(error)
    assert_located(problem, "placements.csv", row, "id", "'Biz Ops'", "not a valid id")
    assert "lower-case" in problem.fix


def test_duplicate_score_row_points_at_both_rows(csv_files, data_copy):
    header, rows = csv_files.read("scores.csv")
    first = csv_files.find("scores.csv", **SCORE_ROW)
    rows.append(dict(rows[first - 2]))
    csv_files.write("scores.csv", header, rows)
    duplicate = len(rows) + 1
    problem = only_problem(load_error(data_copy))
    assert_located(problem, "scores.csv", duplicate, "factor", "operations/ops_empathy", f"also on row {first}")
    assert problem.fix == "keep one of the two rows"


def test_duplicate_id_is_reported(csv_files, data_copy):
    header, rows = csv_files.read("factors.csv")
    rows.append(dict(rows[0]))
    csv_files.write("factors.csv", header, rows)
    problem = only_problem(load_error(data_copy))
    assert_located(problem, "factors.csv", len(rows) + 1, "id", "duplicate entry pm_alignment", "also on row 2")


@pytest.mark.parametrize(("value", "word"), [("11", "out of range"), ("-1", "out of range"), ("lots", "not a number")])
def test_preset_weight_outside_0_to_10(csv_files, data_copy, value, word):
    row = csv_files.set("preset_weights.csv", {"preset": "author", "factor": "flexibility"}, weight=value)
    problem = only_problem(load_error(data_copy))
    assert_located(problem, "preset_weights.csv", row, "weight", value, word)
    assert problem.fix == "enter a number from 0 to 10"


def test_fractional_preset_weight_is_allowed(csv_files, data_copy):
    csv_files.set("preset_weights.csv", {"preset": "author", "factor": "flexibility"}, weight="2.5")
    assert load_model(data_copy).presets["author"].weights["flexibility"] == 2.5


def test_text_longer_than_the_limit(csv_files, data_copy):
    long_text = "x" * (schema.MAX_TEXT + 1)
    row = csv_files.set("factors.csv", {"id": "pm_alignment"}, definition=long_text)
    problem = only_problem(load_error(data_copy))
    assert_located(problem, "factors.csv", row, "definition", f"{schema.MAX_TEXT + 1} characters")
    assert problem.fix == f"shorten it to at most {schema.MAX_TEXT}"


def test_text_at_the_limit_is_accepted(csv_files, data_copy):
    csv_files.set("factors.csv", {"id": "pm_alignment"}, definition="y" * schema.MAX_TEXT)
    assert load_model(data_copy).factor("pm_alignment").definition == "y" * schema.MAX_TEXT


def test_every_cell_problem_in_a_file_is_reported(csv_files, data_copy):
    first = csv_files.set("scores.csv", SCORE_ROW, score="9")
    second = csv_files.set("scores.csv", {"placement": "biz_ops", "factor": "flexibility"}, provenance="maybe")
    error = load_error(data_copy)
    assert [(p.row, p.column) for p in error.problems] == [(first, "score"), (second, "provenance")]
    assert str(error).splitlines() == [str(p) for p in error.problems]


def test_long_bad_values_are_clipped_in_messages(csv_files, data_copy):
    csv_files.set("scores.csv", SCORE_ROW, score="z" * 300)
    problem = only_problem(load_error(data_copy))
    assert len(problem.message) < 80
    assert "…" in problem.message


# --- check_table directly ------------------------------------------------------------------


def test_check_table_types_values_and_records_rows():
    table = schema.TextTable(("preset", "factor", "weight"), (("a", "f", "2"), ("b", "g", " 0.5 ")))
    problems: list[Problem] = []
    records = schema.check_table(table, schema.PRESET_WEIGHTS, problems)
    assert problems == []
    assert records == [
        {"preset": "a", "factor": "f", "weight": 2.0, "_row": 2},
        {"preset": "b", "factor": "g", "weight": 0.5, "_row": 3},
    ]


def test_row_numbers_count_blank_lines_like_a_spreadsheet(data_copy):
    path = data_copy / "scores.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines.insert(2, "\n")  # spreadsheet row 3 is now empty
    target = next(i for i, line in enumerate(lines) if line.startswith("head_of_product,domain_expertise,0,"))
    lines[target] = lines[target].replace(",0,neutral,", ",7,neutral,", 1)
    path.write_text("".join(lines), encoding="utf-8")
    problem = only_problem(load_error(data_copy))
    assert problem.row == target + 1  # the line number a spreadsheet shows
