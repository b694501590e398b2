"""`python -m placement ahp FILE --json` (placement/cli.py, placement/data/pairwise.py)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from placement.cli import main

ROOT = Path(__file__).resolve().parents[1]

# Saaty (1990), EJOR 48: the house criteria (tests/analysis/test_ahp.py has the citation), with fractions.
HOUSE_CSV = """size,transport,neighbourhood,age,yard,facilities,condition,financing
1,5,3,7,6,6,1/3,1/4
1/5,1,1/3,5,3,3,1/5,1/7
1/3,3,1,6,3,4,6,1/5
1/7,1/5,1/6,1,1/3,1/4,1/7,1/8
1/6,1/3,1/3,3,1,1/2,1/5,1/6
1/6,1/3,1/4,4,2,1,1/5,1/6
3,5,1/6,7,5,5,1,1/2
4,7,5,8,6,6,2,1
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "matrix.csv"
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_the_published_house_matrix_through_the_real_entry_point(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "placement", "ahp", write(tmp_path, HOUSE_CSV), "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert set(data) == {
        "weights",
        "lambda_max",
        "ci",
        "cr",
        "random_index",
        "cr_method",
        "method",
        "most_inconsistent",
    }
    assert {f: round(w, 3) for f, w in data["weights"].items()} == {
        "size": 0.173,
        "transport": 0.054,
        "neighbourhood": 0.188,
        "age": 0.018,
        "yard": 0.031,
        "facilities": 0.036,
        "condition": 0.167,
        "financing": 0.333,
    }
    assert (round(data["lambda_max"], 3), round(data["ci"], 3), round(data["cr"], 3)) == (9.669, 0.238, 0.170)
    assert data["method"] == "eigenvector"
    assert data["most_inconsistent"] == [["neighbourhood", "condition"]]
    assert data["random_index"] == 1.4056
    assert "Alonso and Lamata (2006)" in data["cr_method"]


def test_an_incomplete_matrix_with_row_labels_uses_llsm(tmp_path, capsys):
    path = write(tmp_path, "factor,a,b,c\na,1,2,\nb,,1,3\nc,,,1\n")
    code = main(["ahp", path, "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 0
    assert data["method"] == "llsm"
    assert data["weights"] == pytest.approx({"a": 0.6, "b": 0.3, "c": 0.1})
    assert data["cr"] == pytest.approx(0.0, abs=1e-12)
    assert data["most_inconsistent"] == []


def test_a_complete_matrix_of_twelve_factors_gets_a_cr_from_the_named_table(tmp_path, capsys):
    # Every pair 2 (the first factor of a pair twice the second) except one: inconsistent, so a CR shows.
    n = 12
    rows = [[("1" if i == j else "2" if i < j else "1/2") for j in range(n)] for i in range(n)]
    header = ",".join(f"f{k}" for k in range(n))
    assert main(["ahp", write(tmp_path, header + "\n" + "\n".join(",".join(r) for r in rows) + "\n")]) == 0
    out = capsys.readouterr().out
    assert "CR n/a" not in out
    assert "random index for 12 factors" in out and "Alonso and Lamata (2006)" in out


def test_the_summary_flags_a_cr_above_the_limit(tmp_path, capsys):
    assert main(["ahp", write(tmp_path, HOUSE_CSV)]) == 0
    out = capsys.readouterr().out
    assert "CR 0.170" in out
    assert "revisit neighbourhood vs condition first" in out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a,b,c\n1,3,1/2\n1/2,1,2\n2,1/2,1\n", ["not reciprocal: 'a' vs 'b' is 3 but 'b' vs 'a' is 0.5"]),
        ("a,b\n1,-2\n,1\n", ["'a' vs 'b' is -2", "use a positive number"]),
        ("a,b,c,d\n1,2,,\n,1,,\n,,1,3\n,,,1\n", ["2 unconnected groups of factors (a, b | c, d)"]),
        ("a,b\n1,x\n,1\n", ["row 2, column 'b': 'x' is not a number"]),
        ("a,a\n1,2\n1/2,1\n", ["the header repeats a"]),
        ("a,b,c\n1,2,3\n", ["1 rows for 3 factors"]),
    ],
)
def test_a_bad_matrix_exits_1_naming_each_problem(tmp_path, capsys, text, expected):
    assert main(["ahp", write(tmp_path, text), "--json"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    for fragment in expected:
        assert fragment in captured.err


def test_several_problems_are_named_together(tmp_path, capsys):
    text = "a,b,c,d\n1,0,,\n,1,,\n,,1,3\n,,1/2,1\n"
    assert main(["ahp", write(tmp_path, text), "--json"]) == 1
    err = capsys.readouterr().err.splitlines()
    assert any("'a' vs 'b' is 0" in line for line in err)
    assert any("not reciprocal: 'c' vs 'd'" in line for line in err)
    assert any("unconnected" in line for line in err)


def test_a_missing_file_exits_1_with_the_reason(tmp_path, capsys):
    assert main(["ahp", str(tmp_path / "nowhere.csv"), "--json"]) == 1
    assert "cannot read the file" in capsys.readouterr().err
