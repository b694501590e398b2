"""Command line (placement/cli.py): `python -m placement model|rank ...`."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from placement.cli import main
from placement.data.editing import set_score
from placement.data.modelfile import scores_csv, to_json

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "placement", *args], cwd=ROOT, capture_output=True, text=True, timeout=60
    )


def run_in_process(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- subprocess: the real entry point ---------------------------------------------------------


def imported_by(*args: str) -> set[str]:
    """Every module `python -m placement ARGS` imports, as Python's -X importtime lists them."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "placement", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    lines = [
        line for line in done.stderr.splitlines() if line.startswith("import time:") and "| cumulative |" not in line
    ]
    assert lines, done.stderr
    return {line.rsplit("|", 1)[1].strip() for line in lines}


def test_rank_loads_neither_pandas_nor_the_report_nor_charts_nor_the_robustness_analysis():
    """The data files are parsed with the standard library's csv module: ranking needs NumPy, not pandas."""
    modules = imported_by("rank", "--json")
    assert "placement.cli" in modules and "numpy" in modules  # the listing works
    heavy = {"pandas", "pyarrow", "altair", "weasyprint", "jinja2", "vl_convert", "sqlalchemy", "threadpoolctl"}
    ours = {"placement.present.record", "placement.present.charts", "placement.analysis.robustness"}
    assert not (heavy | ours) & modules
    assert not {m for m in modules if m.startswith(("placement.present", "placement.workshop", "altair."))}


@pytest.mark.parametrize("file_name", ["team.json", "scores.csv"])
def test_rank_with_a_model_file_loads_neither_pandas_nor_pyarrow(tmp_path, model, file_name):
    """A model file (or a score matrix) is checked with the csv module and the schema, like data/: as quick as
    the shipped model."""
    text = to_json(model) if file_name.endswith(".json") else scores_csv(set_score(model, "biz_ops", "flexibility", -2))
    path = tmp_path / file_name
    path.write_text(text, encoding="utf-8")
    modules = imported_by("rank", "--model", str(path), "--json")
    assert "placement.data.modelfile" in modules
    assert not {"pandas", "pyarrow"} & modules


def test_commands_that_need_more_still_load_it(tmp_path):
    """The lazy imports are not skipped where they are needed."""
    assert "placement.analysis.robustness" in imported_by("sensitivity", "--samples", "100")
    assert "placement.present.record" in imported_by("report", "--out", str(tmp_path / "r.md"), "--samples", "100")


def test_model_json(model):
    done = run("model", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    data = json.loads(done.stdout)
    assert {"placements", "factors", "scores", "presets", "evidence", "sources"} <= set(data)
    assert [p["id"] for p in data["placements"]] == model.placement_ids
    assert [f["id"] for f in data["factors"]] == model.factor_ids
    assert len(data["scores"]) == len(model.placement_ids) * len(model.factor_ids)
    score = next(s for s in data["scores"] if (s["placement"], s["factor"]) == ("operations", "pm_alignment"))
    assert (score["score"], score["provenance"], score["evidence"]) == (-2, "documented", "ops_risk")
    presets = {p["id"]: p for p in data["presets"]}
    assert presets["author"]["source_placement"] == "head_of_product"
    assert presets["balanced"]["source_placement"] is None
    assert presets["author"]["weights"]["global_tradeoffs"] == 10


def test_rank_json_schema():
    done = run("rank", "--json", "--weight", "pm_alignment=3", "--weight", "ops_empathy=1")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {"weights", "ranking"}
    assert math.fsum(data["weights"].values()) == pytest.approx(1.0)
    assert data["weights"]["pm_alignment"] == pytest.approx(0.75)
    assert data["weights"]["flexibility"] == 0
    assert len(data["ranking"]) == 4
    for entry in data["ranking"]:
        assert set(entry) == {"placement", "name", "score", "rank", "contributions"}
        assert 0 <= entry["score"] <= 100
        assert set(entry["contributions"]) == set(data["weights"])
    top = data["ranking"][0]
    # head_of_product and product_areas: 0.75 * 1 + 0.25 * 0 = 0.75 on -2..+2, i.e. 68.75, tied first;
    # biz_ops -0.75 (31.25), operations -1.5 + 0.5 = -1 (25).
    assert (top["placement"], top["name"], top["rank"]) == ("head_of_product", "Reports to the Head of Product", 1)
    assert top["score"] == pytest.approx(68.75)
    assert [(e["placement"], e["rank"]) for e in data["ranking"]] == [
        ("head_of_product", 1),
        ("product_areas", 1),
        ("biz_ops", 3),
        ("operations", 4),
    ]


def test_rank_preset_author_table():
    done = run("rank", "--preset", "author")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0].split() == ["rank", "score", "placement"]
    assert lines[1].split(maxsplit=2) == ["1", "75.0", "Reports to the Head of Product"]  # 25 * (2 + 38/38)
    assert lines[4].split(maxsplit=2) == ["4", "34.2", "Rolls up into Operations"]
    assert lines[-1].startswith("weights: PM alignment 21%, Ops empathy 5%")
    assert "Visibility and global trade-offs 26%" in lines[-1]


ERROR_CASES = {
    "unknown preset": (["rank", "--preset", "nope"], "unknown preset 'nope'"),
    "unknown factor": (["rank", "--weight", "speed=3"], "unknown factor 'speed'"),
    "negative": (["rank", "--weight", "pm_alignment=-1"], "weight of 'pm_alignment' is -1"),
    "non-numeric": (["rank", "--weight", "pm_alignment=high"], "'high' for 'pm_alignment' is not a number"),
    "nan": (["rank", "--weight", "pm_alignment=nan"], "weight of 'pm_alignment' is nan"),
    "all zero": (["rank", "--weight", "pm_alignment=0", "--weight", "flexibility=0"], "every weight is zero"),
    "no equals sign": (["rank", "--weight", "pm_alignment"], "must look like FACTOR=VALUE"),
    "preset and weight": (["rank", "--preset", "author", "--weight", "pm_alignment=1"], "not allowed with"),
    "unknown command": (["explain"], "invalid choice: 'explain'"),
    "no command": ([], "required: command"),
    "unknown option": (["rank", "--colour"], "unrecognized arguments: --colour"),
    "zero samples": (["sensitivity", "--samples", "0"], "'0' must be a whole number from 1"),
    "uniform and kappa": (["sensitivity", "--uniform", "--kappa", "3"], "not allowed with"),
    "sensitivity unknown factor": (["sensitivity", "--weight", "speed=1"], "unknown factor 'speed'"),
}
# One case per way of failing (argparse, resolve_weights, normalise) also runs as a real process;
# every case runs in process below.
SUBPROCESS_CASES = ["unknown command", "preset and weight", "unknown preset", "non-numeric", "negative", "all zero"]


@pytest.fixture(scope="module")
def error_runs() -> dict[str, tuple[int, str, str]]:
    """Run the error cases as separate processes, all at once (each takes about half a second)."""
    processes = {
        case: subprocess.Popen(
            [sys.executable, "-m", "placement", *args],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for case, (args, _) in ERROR_CASES.items()
        if case in SUBPROCESS_CASES
    }
    results = {}
    for case, process in processes.items():
        out, err = process.communicate(timeout=60)
        results[case] = (process.returncode, out, err)
    return results


@pytest.mark.parametrize("case", SUBPROCESS_CASES)
def test_errors_exit_2_with_one_error_line(error_runs, case):
    code, out, err = error_runs[case]
    assert code == 2
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ")
    assert ERROR_CASES[case][1] in lines[0]
    assert "Traceback" not in err


def test_broken_data_is_reported_on_one_line(tmp_path, monkeypatch, capsys):
    import placement.cli

    real_load_model = placement.cli.load_model
    monkeypatch.setattr(placement.cli, "load_model", lambda: real_load_model(tmp_path))
    code, out, err = run_in_process(capsys, "model", "--json")
    assert code == 2 and out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ")
    assert "sources.csv: the file is missing" in lines[0]
    assert " | placements.csv: the file is missing" in lines[0]  # every problem, joined on one line


# --- in process: main() returns the exit code ----------------------------------------------------


@pytest.mark.parametrize("case", list(ERROR_CASES))
def test_errors_in_process(capsys, case):
    args, words = ERROR_CASES[case]
    code, out, err = run_in_process(capsys, *args)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and words in err


def test_default_rank_is_balanced(capsys):
    code, out, _ = run_in_process(capsys, "rank", "--json")
    assert code == 0
    data = json.loads(out)
    assert list(data["weights"].values()) == pytest.approx([1 / 8] * 8)
    assert [(e["placement"], e["score"]) for e in data["ranking"]] == [
        ("head_of_product", pytest.approx(65.625)),  # 50 + 25 * 5/8
        ("biz_ops", pytest.approx(53.125)),
        ("product_areas", pytest.approx(50.0)),
        ("operations", pytest.approx(46.875)),
    ]


@pytest.mark.parametrize(
    ("preset_id", "leader"),
    [("author", "head_of_product"), ("ops_enablement", "operations"), ("domain_needs", "product_areas")],
)
def test_rank_preset_json_leader(capsys, preset_id, leader):
    code, out, _ = run_in_process(capsys, "rank", "--preset", preset_id, "--json")
    assert code == 0
    assert json.loads(out)["ranking"][0]["placement"] == leader


def test_rank_json_shows_ties(capsys):
    code, out, _ = run_in_process(capsys, "rank", "--preset", "ops_enablement", "--json")
    assert code == 0
    assert [e["rank"] for e in json.loads(out)["ranking"]] == [1, 2, 2, 4]


def test_fractional_and_scaled_weights_give_the_same_ranking(capsys):
    _, small, _ = run_in_process(
        capsys, "rank", "--json", "--weight", "ops_empathy=0.5", "--weight", "flexibility=0.25"
    )
    _, large, _ = run_in_process(capsys, "rank", "--json", "--weight", "ops_empathy=20", "--weight", "flexibility=10")
    a, b = json.loads(small), json.loads(large)
    assert a["weights"] == pytest.approx(b["weights"])
    assert [(e["placement"], e["rank"]) for e in a["ranking"]] == [(e["placement"], e["rank"]) for e in b["ranking"]]
    assert a["weights"]["ops_empathy"] == pytest.approx(2 / 3)


def test_sensitivity_json_is_reproducible(capsys):
    args = ("sensitivity", "--json", "--samples", "400", "--seed", "7")
    code, out, err = run_in_process(capsys, *args)
    assert code == 0, err
    data = json.loads(out)
    assert data["leader"] == "head_of_product"  # balanced weights by default
    assert (data["samples"], data["seed"]) == (400, 7)
    assert set(data["acceptability"]) == {"head_of_product", "operations", "biz_ops", "product_areas"}
    for shares in data["acceptability"].values():
        assert math.fsum(shares) == pytest.approx(1.0)
    for interval in data["stability"].values():
        assert interval["low"] <= interval["current"] <= interval["high"]
    assert run_in_process(capsys, *args)[1] == out


# --- files over the size limit and readers that leave early ------------------------------------------

FIFTY_MB = 50_000_000


@pytest.mark.parametrize(
    ("args", "file_name"),
    [
        (["validate", "{file}"], "big.json"),
        (["validate", "{file}"], "factors.csv"),  # one of data/'s tables, read by its schema
        (["rank", "--model", "{file}"], "scores.csv"),
        (["ahp", "{file}"], "judgements.csv"),
    ],
)
def test_a_file_over_the_limit_is_reported_with_its_real_size(tmp_path, capsys, args, file_name):
    big = tmp_path / file_name
    with big.open("wb") as handle:
        handle.truncate(FIFTY_MB)  # sparse: 50 MB of zeros that take no disk
    code, out, err = run_in_process(capsys, *(a.format(file=big) for a in args))
    assert code in {1, 2} and out == ""
    assert f"{file_name}: the file is 50,000,000 bytes" in err and "2,000,001" not in err
    assert "use a file under 2,000,000 bytes (the limit)" in err


def test_a_pipe_over_the_limit_is_said_to_be_over_it_not_given_a_size(tmp_path, capsys):
    """A pipe has no size to read: the message says it is over the limit, nothing made up."""
    feeder = subprocess.Popen(["head", "-c", "3000000", "/dev/zero"], stdout=subprocess.PIPE)
    try:
        code, _, err = run_in_process(capsys, "validate", f"/dev/fd/{feeder.stdout.fileno()}")
    finally:
        feeder.stdout.close()
        feeder.wait(timeout=60)
    assert code == 1 and "the file is over 2,000,000 bytes" in err


def test_a_reader_that_stops_early_ends_the_command_quietly():
    """`python -m placement model --json | head`: the reader leaves before the output is written."""
    process = subprocess.Popen(
        [sys.executable, "-m", "placement", "model", "--json"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    process.stdout.close()  # no reader is left: every write now fails with EPIPE
    err = process.stderr.read().decode()
    assert process.wait(timeout=60) == 1  # Python's own status for a broken pipe
    assert err == ""  # no traceback, no "Exception ignored" at exit
