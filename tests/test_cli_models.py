"""Command line with model files (placement/cli.py): validate, and --model for rank and sensitivity."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from placement.cli import main
from placement.data.editing import add_factor, set_score
from placement.data.modelfile import scores_csv, to_json

ROOT = Path(__file__).resolve().parents[1]


def run_in_process(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def write(path: Path, text: str) -> str:
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def broken_json(tmp_path, model) -> str:
    data = json.loads(to_json(model))
    data["scores"][0]["score"] = "9"
    data["scores"][3]["provenance"] = "maybe"
    data["weights"] = {"pm_alignment": 1}
    return write(tmp_path / "broken.json", json.dumps(data))


@pytest.fixture
def ops_first(tmp_path, model) -> str:
    """Operations scores +2 on PM alignment instead of -2."""
    return write(tmp_path / "ops.json", to_json(set_score(model, "operations", "pm_alignment", 2)))


# --- validate -----------------------------------------------------------------------------------------


def test_validate_a_model_file(capsys, tmp_path, model):
    path = write(tmp_path / "model.json", to_json(model, {"pm_alignment": 3.0}))
    code, out, err = run_in_process(capsys, "validate", path)
    assert (code, err) == (0, "")
    assert out == f"{path}: valid (4 placements, 8 factors)\n"


def test_validate_a_model_file_with_a_custom_factor(capsys, tmp_path, model):
    custom = add_factor(model, "Speed", "How fast.", dict.fromkeys(model.placement_ids, 1))
    path = write(tmp_path / "custom.json", to_json(custom))
    code, out, _ = run_in_process(capsys, "validate", path)
    assert code == 0 and "(4 placements, 9 factors)" in out


@pytest.mark.parametrize("file_name", ["scores.csv", "SCORES.CSV"])
def test_validate_a_score_csv(capsys, tmp_path, model, file_name):
    path = write(tmp_path / file_name, scores_csv(set_score(model, "biz_ops", "flexibility", -2)))
    code, out, err = run_in_process(capsys, "validate", path)
    assert (code, err) == (0, "")
    assert out == f"{path}: valid (4 placements, 8 factors)\n"


SHIPPED = sorted((ROOT / "data").glob("*.csv"))


def test_the_data_directory_holds_the_expected_files():
    assert len(SHIPPED) == 15  # one per table in placement/data/schema.py


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_validate_accepts_every_shipped_data_file(capsys, path):
    code, out, err = run_in_process(capsys, "validate", str(path))
    assert (code, err) == (0, "")
    assert out.startswith(f"{path}: valid (")


def test_the_shipped_score_matrix_includes_the_optional_hybrid(capsys):
    path = str(ROOT / "data" / "scores.csv")
    assert run_in_process(capsys, "validate", path)[1] == f"{path}: valid (5 placements, 8 factors)\n"


def test_validate_checks_a_data_table_against_the_files_beside_it(capsys, tmp_path):
    for source in SHIPPED:
        (tmp_path / source.name).write_bytes(source.read_bytes())
    evidence = tmp_path / "evidence.csv"
    evidence.write_text(evidence.read_text(encoding="utf-8").replace(",source\n", ",nowhere\n", 1), encoding="utf-8")
    code, out, err = run_in_process(capsys, "validate", str(evidence))
    assert code == 1 and out == ""
    assert "evidence.csv, row 2, column 'citation': unknown citation 'nowhere'" in err
    alone = tmp_path / "alone"
    alone.mkdir()
    (alone / "factors.csv").write_bytes((ROOT / "data" / "factors.csv").read_bytes())
    code, out, _ = run_in_process(capsys, "validate", str(alone / "factors.csv"))
    assert code == 0 and "8 rows; the other data files are not beside it" in out


def test_validate_reports_every_problem_on_its_own_line(capsys, broken_json):
    code, out, err = run_in_process(capsys, "validate", broken_json)
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "broken.json › scores, row 1, column 'score': 9 is out of range. Fix: enter a whole number from -2 to 2",
        "broken.json › scores, row 4, column 'provenance': 'maybe' is not allowed. "
        "Fix: use one of documented, inferred, neutral, user, room",
    ]


def test_validate_a_broken_csv(capsys, tmp_path, model):
    text = scores_csv(model).replace("head_of_product,pm_alignment,2,", "head_of_product,pm_alignment,9,", 1)
    path = write(tmp_path / "scores.csv", text.replace("rationale", "reason", 1))
    code, out, err = run_in_process(capsys, "validate", path)
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("scores.csv: missing column(s) 'rationale'")


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"{not json", "not valid JSON"),
        (b'{"format": "something-else"}', "not a Product Ops placement model file"),
        ("caf\u00e9".encode("latin-1"), "not UTF-8"),
    ],
)
def test_validate_refuses_other_files(capsys, tmp_path, content, words):
    path = tmp_path / "other.json"
    path.write_bytes(content)
    code, out, err = run_in_process(capsys, "validate", str(path))
    assert code == 1 and out == ""
    [line] = err.splitlines()
    assert line.startswith("other.json: ") and words in line


def test_validate_a_missing_file(capsys, tmp_path):
    path = str(tmp_path / "nothing.json")
    code, out, err = run_in_process(capsys, "validate", path)
    assert code == 1 and out == ""
    assert err.splitlines() == [f"{path}: cannot read the file (No such file or directory). Fix: check the path"]


# --- --model ---------------------------------------------------------------------------------------------


def test_rank_uses_the_scores_of_the_model_file(capsys, ops_first):
    code, out, _ = run_in_process(capsys, "rank", "--model", ops_first, "--json")
    assert code == 0
    ranking = json.loads(out)["ranking"]
    # Balanced weights: operations gains 4/8 on the -2..+2 scale, 12.5 points, and moves from 4th to 2nd.
    assert [(e["placement"], e["score"], e["rank"]) for e in ranking] == [
        ("head_of_product", pytest.approx(65.625), 1),
        ("operations", pytest.approx(59.375), 2),
        ("biz_ops", pytest.approx(53.125), 3),
        ("product_areas", pytest.approx(50.0), 4),
    ]
    ops = next(e for e in ranking if e["placement"] == "operations")
    assert ops["contributions"]["pm_alignment"] == pytest.approx(2 / 8)


def test_rank_uses_a_score_csv(capsys, tmp_path, model):
    path = write(tmp_path / "scores.csv", scores_csv(set_score(model, "operations", "pm_alignment", 2)))
    code, out, _ = run_in_process(capsys, "rank", "--model", path, "--json")
    assert code == 0
    assert [e["placement"] for e in json.loads(out)["ranking"]][:2] == ["head_of_product", "operations"]


def test_rank_uses_the_weights_of_the_model_file(capsys, tmp_path, model):
    path = write(tmp_path / "weights.json", to_json(model, {"ops_empathy": 3.0, "pm_alignment": 1.0}))
    code, out, _ = run_in_process(capsys, "rank", "--model", path, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["weights"]["ops_empathy"] == pytest.approx(0.75)
    assert data["weights"]["pm_alignment"] == pytest.approx(0.25)
    assert data["weights"]["flexibility"] == 0
    # operations: 0.75 * 2 + 0.25 * -2 = 1.0 on -2..+2, i.e. 75 points.
    assert (data["ranking"][0]["placement"], data["ranking"][0]["score"]) == ("operations", pytest.approx(75.0))


def test_preset_and_weight_options_override_the_file_weights(capsys, tmp_path, model):
    path = write(tmp_path / "weights.json", to_json(model, {"ops_empathy": 3.0}))
    _, out, _ = run_in_process(capsys, "rank", "--model", path, "--json", "--preset", "author")
    assert json.loads(out)["ranking"][0]["placement"] == "head_of_product"
    _, out, _ = run_in_process(capsys, "rank", "--model", path, "--json", "--weight", "domain_expertise=1")
    data = json.loads(out)
    assert data["weights"]["domain_expertise"] == 1 and data["weights"]["ops_empathy"] == 0
    assert data["ranking"][0]["placement"] == "product_areas"


def test_zero_file_weights_fall_back_to_balanced(capsys, tmp_path, model):
    path = write(tmp_path / "zero.json", to_json(model, {"ops_empathy": 0.0}))
    _, out, _ = run_in_process(capsys, "rank", "--model", path, "--json")
    assert list(json.loads(out)["weights"].values()) == pytest.approx([1 / 8] * 8)


def test_rank_with_a_custom_factor_in_the_file(capsys, tmp_path, model):
    custom = add_factor(
        model, "Speed", "How fast.", {"head_of_product": -2, "operations": 2, "biz_ops": 0, "product_areas": 0}
    )
    path = write(tmp_path / "custom.json", to_json(custom, {"custom_speed": 1.0}))
    code, out, _ = run_in_process(capsys, "rank", "--model", path, "--json")
    assert code == 0
    data = json.loads(out)
    assert data["weights"] == {**dict.fromkeys(model.factor_ids, 0.0), "custom_speed": 1.0}
    assert [e["placement"] for e in data["ranking"]] == ["operations", "biz_ops", "product_areas", "head_of_product"]


def test_sensitivity_with_a_model_file(capsys, tmp_path, model):
    path = write(tmp_path / "weights.json", to_json(model, {"ops_empathy": 3.0, "pm_alignment": 1.0}))
    code, out, err = run_in_process(capsys, "sensitivity", "--model", path, "--json", "--samples", "500")
    assert code == 0, err
    data = json.loads(out)
    assert data["leader"] == "operations"
    assert data["samples"] == 500
    assert set(data["acceptability"]) == set(model.placement_ids)
    assert sum(data["acceptability"]["operations"]) == pytest.approx(1.0)


def test_model_option_on_a_missing_path(capsys, tmp_path):
    path = str(tmp_path / "nothing.json")
    code, out, err = run_in_process(capsys, "rank", "--model", path)
    assert code == 2 and out == ""
    assert err.splitlines() == [f"error: {path}: cannot read the file (No such file or directory). Fix: check the path"]


def test_model_option_on_a_broken_file_gives_one_error_line(capsys, broken_json):
    code, out, err = run_in_process(capsys, "sensitivity", "--model", broken_json, "--samples", "10")
    assert code == 2 and out == ""
    [line] = err.splitlines()
    assert line.startswith("error: broken.json › scores, row 1, column 'score': 9 is out of range")
    assert " | broken.json › scores, row 4" in line


# --- the real entry point ----------------------------------------------------------------------------------


def test_entry_point_validate_and_rank_with_model_files(broken_json, ops_first):
    commands = {
        "validate": [sys.executable, "-m", "placement", "validate", broken_json],
        "rank": [sys.executable, "-m", "placement", "rank", "--model", ops_first, "--json"],
    }
    processes = {
        name: subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for name, args in commands.items()
    }
    results = {name: (p.communicate(timeout=60), p.returncode) for name, p in processes.items()}
    (out, err), code = results["validate"]
    assert code == 1 and out == ""
    assert "Traceback" not in err
    lines = err.splitlines()
    assert len(lines) == 2 and all(line.startswith("broken.json › scores, row ") for line in lines)
    (out, err), code = results["rank"]
    assert code == 0 and err == ""
    assert [e["placement"] for e in json.loads(out)["ranking"]][:2] == ["head_of_product", "operations"]
