"""The command line's certainty options (placement/cli.py): the same defaults as the app, and
`sensitivity` and `report` agree for the same settings."""

from __future__ import annotations

import csv
import io
import json

import pytest
from streamlit.testing.v1 import AppTest

from placement.cli import build_parser, main
from placement.settings import CERTAINTY_LEVELS
from tests.app.conftest import APP
from ui import registry

CERTAINTY_OPTIONS = [
    [],
    ["--uniform"],
    ["--kappa", "4"],
    ["--kappa", "200", "--doubt-cells"],
    ["--doubt-cells", "--seed", "3"],
    ["--doubt-statements"],
]


def run(capsys, *args: str) -> str:
    code = main(list(args))
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


@pytest.mark.parametrize("command", ["sensitivity", "report"])
def test_defaults_are_fairly_sure_exact_scores(command):
    extra = ["--out", "x.md"] if command == "report" else []
    args = build_parser().parse_args([command, *extra])
    assert (args.kappa, args.uniform, args.doubt_cells, args.samples, args.seed) == (50.0, False, False, 20_000, 2024)


def test_cli_default_kappa_is_the_pages_default():
    """The page's certainty control, as first drawn, samples with the CLI's default kappa."""
    at = AppTest.from_file(APP, default_timeout=30).run().switch_page(registry.page("how_sure").file).run()
    assert not at.exception
    page_level = at.select_slider(key="certainty").value
    assert CERTAINTY_LEVELS[page_level] == build_parser().parse_args(["sensitivity"]).kappa
    assert at.toggle(key="doubt_cells").value is build_parser().parse_args(["sensitivity"]).doubt_cells


@pytest.mark.parametrize("options", CERTAINTY_OPTIONS, ids=lambda o: " ".join(o) or "defaults")
def test_sensitivity_share_and_report_verdict_agree(capsys, tmp_path, options):
    common = ["--preset", "author", "--samples", "3000", *options]
    data = json.loads(run(capsys, "sensitivity", "--json", *common))
    share = data["acceptability"][data["leader"]][0]
    verdict = run(capsys, "sensitivity", *common).splitlines()[0]

    out = tmp_path / "record.csv"
    run(capsys, "report", "--format", "csv", "--out", str(out), *common)
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    [reported] = [r[3] for r in rows if r[:3] == ["robustness", "verdict", ""]]
    [setting] = [r[3] for r in rows if r[:3] == ["robustness", "setting", ""]]

    assert reported == verdict
    assert f"stays first in {share:.0%} " in reported
    assert ("uniform" in setting) == ("--uniform" in options)
    assert ("doubted" in setting) == ("--doubt-cells" in options or "--doubt-statements" in options)
    assert data["doubt_statements"] == ("--doubt-statements" in options)
    assert (data["kappa"], data["doubt_cells"]) == (
        None
        if "--uniform" in options
        else float(options[options.index("--kappa") + 1])
        if "--kappa" in options
        else 50.0,
        "--doubt-cells" in options,
    )


def test_report_verdict_follows_the_certainty(tmp_path, capsys):
    """Uniform sampling gives the leader under 'Our reading of the author's priorities' a smaller share than 'sure' does."""
    verdicts = []
    for options in (["--uniform"], ["--kappa", "200"]):
        out = tmp_path / "record.md"
        run(capsys, "report", "--preset", "author", "--samples", "3000", "--out", str(out), *options)
        verdicts.append(next(line for line in out.read_text().splitlines() if "stays first in" in line))
    assert verdicts[0] != verdicts[1]
    assert "of all possible weightings" in verdicts[0]
    assert "of plausible weightings near these" in verdicts[1]


def test_report_refuses_uniform_with_kappa(capsys, tmp_path):
    code = main(["report", "--uniform", "--kappa", "3", "--out", str(tmp_path / "x.md")])
    assert code == 2
    assert "not allowed with" in capsys.readouterr().err


def test_confidence_of_a_placement_never_first_is_undefined_not_zero(capsys):
    """At a huge concentration every sample sits on the weights of 'Our reading of the author's priorities', where only the Head of
    Product ranks first: the others have no central weights, so SMAA-2 leaves their confidence undefined."""
    common = ["--preset", "author", "--kappa", "1000000", "--samples", "500"]
    data = json.loads(run(capsys, "sensitivity", "--json", *common))
    assert data["confidence"] == {"head_of_product": 1.0, "operations": None, "biz_ops": None, "product_areas": None}
    lines = run(capsys, "sensitivity", *common).splitlines()
    table = {line[:34].strip(): line[34:].split() for line in lines[3:7]}
    assert table == {
        "Reports to the Head of Product": ["100.0%", "100.0%"],
        "Rolls up into Operations": ["0.0%", "n/a"],
        "Rolls up into central Biz Ops": ["0.0%", "n/a"],
        "Within Product Areas / Verticals": ["0.0%", "n/a"],
    }
