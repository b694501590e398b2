"""`python -m placement report`: the decision record from the command line (placement/cli.py)."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.cli import main
from placement.data import editing, modelfile

ROOT = Path(__file__).resolve().parents[1]


def report(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["report", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def ranking(csv_text: str) -> dict[str, tuple[int, float]]:
    rows = list(csv.reader(io.StringIO(csv_text)))
    scores = {r[1]: float(r[3]) for r in rows if r[0] == "ranking" and r[2] == "score"}
    ranks = {r[1]: int(r[3]) for r in rows if r[0] == "ranking" and r[2] == "rank"}
    return {name: (ranks[name], scores[name]) for name in scores}


@pytest.mark.parametrize(
    ("fmt", "start"),
    [
        ("md", "# Decision record: Where should Product Ops report?\n"),
        ("html", "<!doctype html>"),
        ("csv", "section,item,detail,value\r\n"),
    ],
)
def test_report_writes_each_format(capsys, tmp_path, fmt, start):
    out = tmp_path / f"record.{fmt}"
    code, stdout, stderr = report(capsys, "--preset", "author", "--format", fmt, "--out", str(out))
    assert code == 0, stderr
    assert stderr == ""
    assert stdout == f"wrote {out}\n"
    assert out.read_bytes().startswith(start.encode())  # bytes: csv rows end in CRLF
    text = out.read_text(encoding="utf-8")
    assert "Reports to the Head of Product" in text
    if fmt == "html":
        assert text.count("<svg") == 2
    if fmt == "md":
        assert "| 1 | Reports to the Head of Product | 75.0 |" in text


def test_report_writes_a_pdf(capsys, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    out = tmp_path / "record.pdf"
    code, stdout, stderr = report(capsys, "--preset", "author", "--format", "pdf", "--out", str(out))
    assert code == 0, stderr
    text = " ".join(" ".join(p.extract_text().split()) for p in pypdf.PdfReader(out).pages)
    assert "Decision record: Where should Product Ops report?" in text
    assert "Robustness" in text and "Reports to the Head of Product" in text


def test_a_failed_write_keeps_the_previous_file(capsys, tmp_path, monkeypatch):
    """Disk full mid-write: the earlier record stays whole and no fragment is left beside it."""
    out = tmp_path / "record.md"
    out.write_text("the earlier record", encoding="utf-8")

    def disk_full(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", disk_full)
    code, _, stderr = report(capsys, "--preset", "author", "--out", str(out))
    assert code == 2
    assert_one_error_line(stderr, "cannot write", "No space left on device")
    assert out.read_text(encoding="utf-8") == "the earlier record"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["record.md"]


def test_markdown_is_the_default_format(capsys, tmp_path):
    out = tmp_path / "record.txt"
    code, _, stderr = report(capsys, "--out", str(out))
    assert code == 0, stderr
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Decision record:")
    assert "| PM alignment | 12.5% |" in text  # no preset: the balanced weights


def test_report_uses_the_preset_weights(capsys, tmp_path, model):
    out = tmp_path / "record.csv"
    assert report(capsys, "--preset", "ops_enablement", "--format", "csv", "--out", str(out))[0] == 0
    weights = normalise(model.presets["ops_enablement"].weights, model.factor_ids)
    expected = {r.name: (r.rank, round(r.score, 2)) for r in rank(model, weights)}
    assert ranking(out.read_text(encoding="utf-8")) == expected


def test_title_decision_and_notes_are_escaped(capsys, tmp_path):
    md, html = tmp_path / "r.md", tmp_path / "r.html"
    text = ["--decision", "<script>alert(1)</script> CPO | Q1", "--notes", "<b>Ann</b> owns it", "--title", "<i>T</i>"]
    assert report(capsys, *text, "--out", str(md))[0] == 0
    assert report(capsys, *text, "--format", "html", "--out", str(html))[0] == 0
    rendered = MarkdownIt("commonmark").enable("table").render(md.read_text(encoding="utf-8"))  # the oracle
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; CPO | Q1</p>" in rendered
    assert "<p>&lt;b&gt;Ann&lt;/b&gt; owns it</p>" in rendered
    assert rendered.startswith("<h1>Decision record: &lt;i&gt;T&lt;/i&gt;</h1>\n")
    assert "<script" not in rendered and "<b>" not in rendered and "<i>" not in rendered
    page = html.read_text(encoding="utf-8")
    assert "<script" not in page.lower() and "<b>" not in page and "<i>" not in page
    assert "<title>Decision record: &lt;i&gt;T&lt;/i&gt;</title>" in page


def test_formula_decision_is_neutralised_in_csv(capsys, tmp_path):
    out = tmp_path / "r.csv"
    assert report(capsys, "--decision", "=1+1", "--format", "csv", "--out", str(out))[0] == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert ["record", "decision", "", "'=1+1"] in rows


def test_model_file_changes_the_ranking(capsys, tmp_path, model):
    edited = model
    for factor_id in model.factor_ids:
        edited = editing.set_score(edited, "head_of_product", factor_id, -2)
    path = tmp_path / "edited.json"
    path.write_text(modelfile.to_json(edited), encoding="utf-8")
    shipped, changed = tmp_path / "shipped.csv", tmp_path / "changed.csv"
    assert report(capsys, "--preset", "author", "--format", "csv", "--out", str(shipped))[0] == 0
    code, _, stderr = report(
        capsys, "--model", str(path), "--preset", "author", "--format", "csv", "--out", str(changed)
    )
    assert code == 0, stderr
    before, after = ranking(shipped.read_text(encoding="utf-8")), ranking(changed.read_text(encoding="utf-8"))
    head = model.placement("head_of_product").name
    assert before[head] == (1, pytest.approx(75.0, abs=0.01))  # 25 * (2 + 38/38)
    assert after[head] == (len(model.placements), 0.0)  # every cell -2: the bottom of the scale
    weights = normalise(model.presets["author"].weights, model.factor_ids)
    assert after == {r.name: (r.rank, round(r.score, 2)) for r in rank(edited, weights)}


def test_model_file_weights_are_used_without_a_preset(capsys, tmp_path, model):
    path = tmp_path / "weighted.json"
    path.write_text(modelfile.to_json(model, {"ops_empathy": 1.0}), encoding="utf-8")
    out = tmp_path / "r.md"
    assert report(capsys, "--model", str(path), "--out", str(out))[0] == 0
    text = out.read_text(encoding="utf-8")
    assert "| Ops empathy | 100.0% |" in text
    assert "| 1 | Rolls up into Operations |" in text


def assert_one_error_line(stderr: str, *words: str) -> None:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: ")
    for word in words:
        assert word in lines[0]


@pytest.mark.parametrize("target", ["missing/record.md", "."])
def test_unwritable_path_exits_2_with_one_error_line(capsys, tmp_path, target):
    out = tmp_path / target
    code, stdout, stderr = report(capsys, "--preset", "author", "--out", str(out))
    assert code == 2
    assert stdout == ""
    assert_one_error_line(stderr, "cannot write", str(out))
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("fmt", ["docx", "MD", ""])
def test_bad_format_exits_2_with_one_error_line(capsys, tmp_path, fmt):
    out = tmp_path / "record.pdf"
    code, stdout, stderr = report(capsys, "--format", fmt, "--out", str(out))
    assert code == 2
    assert stdout == ""
    assert_one_error_line(stderr, "--format", "invalid choice")
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--preset", "nobody"], ["unknown preset 'nobody'"]),
        (["--weight", "speed=3"], ["unknown factor 'speed'"]),
        (["--preset", "author", "--weight", "pm_alignment=1"], ["not allowed with argument"]),
    ],
)
def test_bad_weights_exit_2_before_writing(capsys, tmp_path, args, words):
    out = tmp_path / "record.md"
    code, _, stderr = report(capsys, *args, "--out", str(out))
    assert code == 2
    assert_one_error_line(stderr, *words)
    assert not out.exists()


def test_out_is_required(capsys):
    code, _, stderr = report(capsys, "--format", "md")
    assert code == 2
    assert_one_error_line(stderr, "--out")


def test_bad_model_file_exits_2(capsys, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    out = tmp_path / "record.md"
    code, _, stderr = report(capsys, "--model", str(path), "--out", str(out))
    assert code == 2
    assert_one_error_line(stderr, "broken.json")
    assert not out.exists()


def test_report_through_the_real_entry_point(tmp_path):
    out = tmp_path / "record.md"
    done = subprocess.run(
        [sys.executable, "-m", "placement", "report", "--preset", "author", "--format", "md", "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"wrote {out}"
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Decision record:") and "| 1 | Reports to the Head of Product | 75.0 |" in text
