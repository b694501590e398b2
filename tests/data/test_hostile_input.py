"""Issue 12: hostile input is refused early with a located message naming the limit, and text stays text.

The reproduced cases are fixtures; hypothesis adds arbitrary text and bytes. Each class of attack is
refused by a Problem (or made inert), never a crash, never work proportional to the attack's size.
"""

from __future__ import annotations

import json
import time
import tracemalloc

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from placement import settings as limits
from placement.analysis import smaa
from placement.analysis.weights import normalise
from placement.cli import main
from placement.data import editing, modelfile
from placement.data.model import Model, load_model
from placement.data.problems import InputError
from placement.data.text import BIDI_CONTROLS, clean_text
from placement.present import record

NAME = "upload.json"
RLO = "\u202e"


@pytest.fixture(scope="module")
def model() -> Model:
    return load_model()


@pytest.fixture(scope="module")
def document(model) -> dict:
    return json.loads(modelfile.to_json(model))


def refused(data: bytes | str, name: str = NAME, base: Model | None = None) -> list:
    """The problems a file is refused with (it must be refused, with InputError only)."""
    with pytest.raises(InputError) as caught:
        modelfile.load_file(data if isinstance(data, bytes) else data.encode("utf-8", "surrogatepass"), name, base)
    return caught.value.problems


def widened(document: dict, placements: int = 0, factors: int = 0) -> bytes:
    """The model with many extra placements or factors, every cell scored: a valid-looking attack file."""
    doc = json.loads(json.dumps(document))
    for i in range(placements):
        doc["placements"].append({"id": f"p{i}", "name": f"P {i}", "short_name": f"P{i}", "description": "x"})
    for i in range(factors):
        doc["factors"].append({"id": f"f{i}", "name": f"F {i}", "definition": "x", "question": "x"})
    pids = [p["id"] for p in doc["placements"]]
    fids = [f["id"] for f in doc["factors"]]
    have = {(c["placement"], c["factor"]) for c in doc["scores"]}
    doc["scores"] += [
        {"placement": p, "factor": f, "score": "0", "provenance": "neutral", "evidence": "", "rationale": "x"}
        for p in pids
        for f in fids
        if (p, f) not in have
    ]
    presets = {w["preset"] for w in doc["preset_weights"]}
    doc["preset_weights"] += [{"preset": p, "factor": f"f{i}", "weight": "1"} for p in presets for i in range(factors)]
    return json.dumps(doc).encode("utf-8")


# --- 1. bounded work: limits checked before anything big is built ---------------------------------------


def test_300_placements_are_refused_naming_the_limit(document):
    start = time.perf_counter()
    problems = refused(widened(document, placements=300))
    assert time.perf_counter() - start < 5
    [problem] = [p for p in problems if "placements" in p.where]
    assert "304 rows" in problem.message and f"at most {limits.MAX_PLACEMENTS} placements" in problem.fix
    largest = widened(document, placements=limits.MAX_PLACEMENTS - 4, factors=limits.MAX_FACTORS - 8)
    loaded, _ = modelfile.from_json(largest, NAME)  # the limits still let the largest allowed model in
    assert (len(loaded.placements), len(loaded.factors)) == (limits.MAX_PLACEMENTS, limits.MAX_FACTORS)


def test_2508_factors_are_refused_naming_the_limit(document):
    problems = refused(widened(document, factors=2500))
    assert problems and all("(the limit)" in p.fix for p in problems), problems


def test_a_header_only_csv_with_262638_columns_is_refused_at_once_in_a_short_message(model):
    data = (",".join(f"c{i}" for i in range(262_638)) + "\n").encode()[: limits.MAX_FILE_BYTES]
    start = time.perf_counter()
    [problem] = refused(data, "scores.csv", model)
    assert time.perf_counter() - start < 1
    assert "columns" in problem.message and f"at most {limits.MAX_COLUMNS} columns" in problem.fix
    assert len(str(problem)) < 200


def test_a_csv_with_too_many_lines_is_refused_before_parsing(model):
    data = b"placement,factor,score,provenance,evidence,rationale\n" + b"a,b,0,neutral,,x\n" * 5000
    [problem] = refused(data, "scores.csv", model)
    assert "lines" in problem.message and "(the limit)" in problem.fix


def test_a_file_over_the_size_limit_is_refused(model):
    [problem] = refused(b" " * (limits.MAX_FILE_BYTES + 1))
    assert "bytes" in problem.message and f"{limits.MAX_FILE_BYTES:,} bytes (the limit)" in problem.fix


def test_a_section_with_too_many_columns_is_refused(document):
    doc = json.loads(json.dumps(document))
    doc["sources"][0].update({f"extra{i}": "x" for i in range(100)})
    [problem] = refused(json.dumps(doc))
    assert (problem.where, problem.row) == (f"{NAME} › sources", 1)
    assert f"at most {limits.MAX_COLUMNS}" in problem.fix


# --- 5. crashes become refusals ----------------------------------------------------------------------


@pytest.mark.parametrize("depth", [limits.MAX_JSON_DEPTH + 1, 100_000])
def test_deep_nesting_is_refused(document, depth):
    doc = json.loads(json.dumps(document))
    doc["weights"] = "@"
    text = json.dumps(doc).replace('"@"', "[" * depth + "]" * depth)
    [problem] = refused(text)
    assert f"more than {limits.MAX_JSON_DEPTH} deep" in problem.message


def test_an_integer_of_5000_digits_is_refused(document):
    doc = json.loads(json.dumps(document))
    doc["weights"] = {doc["factors"][0]["id"]: "@"}
    [problem] = refused(json.dumps(doc).replace('"@"', "9" * 5000))
    assert "5,000 characters long" in problem.message and f"{limits.MAX_NUMBER_LENGTH}" in problem.fix


def test_a_long_number_in_a_cell_is_refused_with_its_place(document):
    doc = json.loads(json.dumps(document))
    doc["scores"][0]["score"] = "1" * 5000
    problems = refused(json.dumps(doc))
    assert [(p.row, p.column) for p in problems] == [(1, "score")]
    assert "too long for a number (5,000 characters)" in problems[0].message
    assert f"at most {limits.MAX_NUMBER_LENGTH} characters (the limit)" in problems[0].fix


def test_a_lone_surrogate_escape_is_refused(document):
    text = json.dumps(document).replace(document["factors"][0]["name"], "Bad \\ud800 name", 1)
    [problem] = refused(text)
    assert (problem.where, problem.row, problem.column) == (f"{NAME} › factors", 1, "name")
    assert "lone surrogate" in problem.message


@pytest.mark.parametrize("column", ["name", "definition"])
def test_a_nul_character_is_refused_with_its_place(document, column):
    doc = json.loads(json.dumps(document))
    doc["factors"][1][column] = "Bad\x00name"
    [problem] = refused(json.dumps(doc))
    assert (problem.where, problem.row, problem.column) == (f"{NAME} › factors", 2, column)
    assert "NUL" in problem.message


@pytest.mark.parametrize(
    ("section", "column"), [("placements", "name"), ("placements", "short_name"), ("factors", "name")]
)
def test_duplicate_display_names_are_refused_with_their_rows(document, section, column):
    doc = json.loads(json.dumps(document))
    doc[section][1][column] = doc[section][0][column].upper()
    problems = refused(json.dumps(doc))
    assert [(p.where, p.row, p.column) for p in problems] == [(f"{NAME} › {section}", 2, column)]
    assert "row 1" in problems[0].message
    load_model(include_optional=True)  # the shipped data still validates


# --- 8. control characters and direction overrides -----------------------------------------------------


def test_newlines_and_overrides_are_removed_from_loaded_names(document):
    doc = json.loads(json.dumps(document))
    doc["factors"][0]["name"] = f"Ops\nVOTE CLOSED{RLO}evil\u2066"
    loaded, _ = modelfile.from_json(json.dumps(doc), NAME)
    assert loaded.factors[0].name == "Ops VOTE CLOSEDevil"
    assert clean_text("Héllo 👩‍💻 – “ok”") == "Héllo 👩‍💻 – “ok”"  # what people type is kept
    assert clean_text("a\r\nb\tc", multiline=True) == "a\nb c"


def test_added_items_and_record_text_are_cleaned_or_refused(model):
    added = editing.add_factor(model, f"Spe{RLO}ed\r\nx", "Def\x07", dict.fromkeys(model.placement_ids, 0))
    assert (added.factors[-1].name, added.factors[-1].definition) == ("Speed x", "Def")
    with pytest.raises(InputError, match="NUL"):
        editing.add_placement(model, "Nul\x00l", "x", dict.fromkeys(model.factor_ids, 0))
    with pytest.raises(InputError, match="NUL"):
        record.Details(decision="a\x00b")
    assert record.Details(title=f"T{RLO}\nitle").title == "T itle"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=st.text(min_size=1, max_size=60))
def test_any_factor_name_loads_clean_or_is_refused(document, name):
    doc = json.loads(json.dumps(document))
    doc["factors"][0]["name"] = name
    try:
        loaded, _ = modelfile.from_json(json.dumps(doc), NAME)
    except InputError as error:
        assert all(p.where.startswith(NAME) for p in error.problems)
        return
    shown = loaded.factors[0].name
    assert not any(c in shown for c in BIDI_CONTROLS) and "\n" not in shown and "\x00" not in shown
    assert clean_text(shown) == shown


ATTACKS = st.one_of(
    st.binary(max_size=400),
    st.text(max_size=400).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.integers(1, 200_000).map(lambda depth: ("[" * depth + "]" * depth).encode()),  # deep nesting
    st.integers(1, 20_000).map(lambda digits: ('{"weights": ' + "7" * digits + "}").encode()),  # huge numbers
    st.text('\\ud800\\udfffx"[]{}', max_size=40).map(lambda t: f'["{t}"]'.encode()),  # escapes, surrogates
)


@settings(max_examples=200, deadline=None)
@given(data=ATTACKS)
def test_any_bytes_are_loaded_or_refused_never_crash(data):
    for name in (NAME, "scores.csv"):
        try:
            modelfile.load_file(data, name, load_model())
        except InputError as error:
            assert error.problems


# --- 4. the Markdown record ----------------------------------------------------------------------------

HOSTILE_LINES = [
    "```",
    "Fake",
    "===",
    "---",
    "![img](http://127.0.0.1:9/x.png)",
    "[link](http://127.0.0.1:9/)",
    "http://127.0.0.1:9/bare",
    "    indented code",
    "1. listed",
    "* starred *",
    "> quoted",
    "<b>html</b>",
    "`code`",
]


def test_typed_text_cannot_escape_the_markdown_record(model):
    markdown_it = pytest.importorskip("markdown_it")
    weights = normalise(model.presets["author"].weights, model.factor_ids)
    details = record.Details(title="![t](http://127.0.0.1:9/t.png)", decision="\n".join(HOSTILE_LINES), notes="```")
    md = record.to_markdown(record.build(model, weights, details, record.Settings(samples=200)))
    page = markdown_it.MarkdownIt("commonmark").enable("table").render(md)
    assert "<img" not in page and "<a " not in page and "<code" not in page and "<pre" not in page
    assert "<b>" not in page and "<blockquote" not in page and "<ol" not in page and "<em>" not in page
    assert page.count("<h1>") == 1 and "<h1>Fake" not in page and "<h2>Fake" not in page
    assert page.count("<hr") == 0
    for line in ("```", "Fake", "===", "![img](http://127.0.0.1:9/x.png)", "* starred *", "1. listed"):
        assert line in _text_of(page), line


def _text_of(page: str) -> str:
    import html  # noqa: PLC0415
    import re  # noqa: PLC0415

    return html.unescape(re.sub(r"<[^>]+>", "", page)).replace("\u2060", "")  # the joiners that unlink addresses


# --- 1. SMAA-2 memory and the command line -------------------------------------------------------------


def test_smaa_memory_does_not_grow_with_placements_squared():
    rng = np.random.default_rng(1)
    m = n = limits.MAX_PLACEMENTS
    matrix = rng.integers(-2, 3, (m, n)).astype(float)
    weights = rng.dirichlet(np.ones(n))
    tracemalloc.start()
    try:
        smaa.smaa(
            matrix,
            weights,
            limits.SMAA_SAMPLES,
            1,
            50.0,
            groups=np.where(rng.random((m, n)) < 0.5, np.arange(m * n).reshape(m, n), -1),
            spread=1.0,
        )
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 60e6  # the old code took about 440 MB here (samples x placements^2 booleans and cells)
    with pytest.raises(ValueError, match="samples"):
        smaa.smaa(matrix, weights, limits.MAX_SMAA_SAMPLES + 1, 1, 50.0)


@pytest.mark.parametrize(
    ("options", "words"),
    [
        (["--seed", "-1"], "--seed: '-1' must be a whole number from 0"),
        (["--seed", "1" * 5000], "--seed"),
        (["--samples", "²"], "--samples: '²' must be a whole number from 1"),
        (["--samples", "9" * 5000], "--samples"),
        (["--samples", str(limits.MAX_SMAA_SAMPLES + 1)], "--samples"),
        (["--kappa", "1e308"], "--kappa"),
        (["--weight", "pm_alignment=" + "1" * 5000], "is not a number"),
    ],
)
def test_cli_options_are_validated_with_plain_messages(capsys, options, words):
    assert main(["sensitivity", "--samples", "50", *options]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("error: ") and err.count("\n") == 1
    assert words in err and "_positive" not in err and "Traceback" not in err and len(err) < 300
