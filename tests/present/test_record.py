"""Decision record (placement/present/record.py): Markdown, HTML and CSV of one session's decision."""

from __future__ import annotations

import csv
import html
import io
import re
from datetime import date

import pytest
from markdown_it import MarkdownIt

from placement.analysis import robustness, staffing
from placement.analysis.robustness import Settings
from placement.analysis.scoring import points_per_unit, rank
from placement.analysis.weights import normalise
from placement.data import editing
from placement.data.staffing import load_staffing
from placement.present import record
from placement.workshop.group import GroupWeights

DAY = date(2001, 2, 3)
SETTINGS = Settings(samples=2000)
FEW = Settings(samples=200)
HOSTILE = "<script>alert(1)</script> <b>bold</b> a | b"
SECTIONS = [
    "## Decision",
    "## Notes",
    "## Weights",
    "## Ranking",
    "### Contributions by factor",
    "### Why it leads",
    "## Robustness",
    "## Evidence gaps",
    "## Source",
]


@pytest.fixture(scope="module")
def weights(model) -> dict[str, float]:
    return normalise(model.presets["author"].weights, model.factor_ids)


@pytest.fixture(scope="module")
def built(model, weights) -> record.Record:
    details = record.Details(decision="Report to the CPO from Q1.", notes="Owner: Ann.", day=DAY)
    return record.build(model, weights, details, SETTINGS)


@pytest.fixture(scope="module")
def markdown(built) -> str:
    return record.to_markdown(built)


@pytest.fixture(scope="module")
def estimate(model) -> staffing.Estimate:
    data = load_staffing(model.sources)
    return staffing.estimate(data, 20, 4, 2, "central", list(staffing.PILLARS))


@pytest.fixture(scope="module")
def hostile_record(model, weights) -> record.Record:
    details = record.Details(title=f"Title {HOSTILE} & co", decision=HOSTILE, notes=f"Notes {HOSTILE}", day=DAY)
    return record.build(model, weights, details, SETTINGS)


@pytest.fixture(scope="module")
def hostile_html(hostile_record) -> str:
    return record.to_html(hostile_record)


MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])  # the oracle: an independent renderer


def shown(markdown: str) -> str:
    """What a reader sees of `markdown`: rendered, tags dropped, entities and word joiners undone."""
    return html.unescape(re.sub(r"<[^>]+>", "", MARKDOWN.render(markdown))).replace("\u2060", "").strip()


def csv_rows(built) -> list[list[str]]:
    return list(csv.reader(io.StringIO(record.to_csv(built))))


def section(markdown: str, heading: str) -> str:
    """The text under one heading, up to the next heading."""
    start = markdown.index(heading + "\n") + len(heading) + 1
    following = re.search(r"^#", markdown[start:], flags=re.MULTILINE)
    return markdown[start : start + following.start() if following else None].strip()


# --- Markdown ----------------------------------------------------------------------------------


def test_markdown_has_every_section_in_order(markdown):
    positions = [markdown.index(h) for h in SECTIONS]
    assert positions == sorted(positions)
    assert markdown.startswith("# Decision record: Where should Product Ops report?\n")
    assert all(markdown.count(h + "\n") == 1 for h in SECTIONS if h.startswith("## "))


def test_markdown_has_no_staffing_or_participants_unless_given(markdown):
    assert "## Staffing" not in markdown
    assert "Participants:" not in markdown


def test_markdown_shows_the_session_text_and_date(markdown):
    assert section(markdown, "## Decision") == "Report to the CPO from Q1."
    assert section(markdown, "## Notes") == "Owner: Ann."
    assert "Date: 2001-02-03" in markdown
    assert date.today().isoformat() not in markdown
    assert "Weighting method: Direct weights (sliders, normalised)" in markdown


def test_markdown_says_when_text_was_left_empty(model, weights):
    md = record.to_markdown(record.build(model, weights, record.Details(day=DAY), FEW))
    assert section(md, "## Decision") == "_No decision recorded._"
    assert section(md, "## Notes") == "_None._"


def test_markdown_weights_are_percentages(model, markdown, weights):
    rows = section(markdown, "## Weights").splitlines()
    assert rows[:2] == ["| factor | weight |", "|---|---|"]
    assert rows[2:] == [f"| {f.name} | {weights[f.id]:.1%} |" for f in model.factors]
    # Hand-computed from 'Our reading of the author's priorities': 8, 2, 3, 2, 10, 5, 5, 3 of 38.
    assert "| PM alignment | 21.1% |" in rows
    assert "| Visibility and global trade-offs | 26.3% |" in rows
    assert "| Ops empathy | 5.3% |" in rows


def test_markdown_ranking_matches_scoring(model, markdown, weights):
    results = rank(model, weights)
    rows = section(markdown, "## Ranking").splitlines()[2:]
    assert len(rows) == len(model.placements)
    for row, r in zip(rows, results, strict=True):
        assert row.startswith(f"| {r.rank} | {r.name} | {r.score:.1f} | ")
        benefits = sum(c for c in r.contributions.values() if c > 0) * points_per_unit()
        risks = sum(c for c in r.contributions.values() if c < 0) * points_per_unit()
        assert row.endswith(f" | {round(benefits, 1):+.1f} | {round(risks, 1):+.1f} |")
    assert rows[0].startswith("| 1 | Reports to the Head of Product | 75.0 |")  # 25 * (2 + 38/38)


def test_markdown_contributions_match_scoring(model, markdown, weights):
    rows = section(markdown, "### Contributions by factor (points above or below the neutral 50)").splitlines()
    assert rows[0] == "| placement | " + " | ".join(f.name for f in model.factors) + " |"
    for row, r in zip(rows[2:], rank(model, weights), strict=True):
        cells = [c.strip() for c in row.strip("|").split("|")]
        assert cells[0] == r.name
        assert cells[1:] == [f"{r.contributions[f.id] * 25:+.1f}" for f in model.factors]


def test_markdown_robustness_matches_the_verdict_and_states_its_setting(model, markdown, built, weights):
    expected = robustness.verdict(model, robustness.analyse(model, weights, SETTINGS))
    assert built.verdict == expected
    assert section(markdown, "## Robustness") == (
        f"{expected}\n\nSetting: fairly sure (kappa = 50); scores as given; 2,000 samples, seed 2024."
    )
    assert expected.startswith("Reports to the Head of Product leads")


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        (Settings(None, samples=2000), "of all possible weightings"),
        (Settings(4.0, samples=2000), "of plausible weightings near these"),
        (Settings(200.0, True, samples=2000), "of plausible weightings near these"),
    ],
)
def test_the_record_uses_the_settings_it_is_given(model, weights, settings, words):
    """The bug: the record always sampled with kappa 30 and exact scores, whatever the page said."""
    built = record.build(model, weights, record.Details(day=DAY), settings)
    assert built.verdict == robustness.verdict(model, robustness.analyse(model, weights, settings))
    assert words in built.verdict
    assert built.settings == settings
    md = record.to_markdown(built)
    assert f"Setting: {settings.describe()}." in section(md, "## Robustness")
    assert ["robustness", "setting", "", settings.describe()] in csv_rows(built)


def test_uniform_and_sure_settings_give_different_shares(model, weights):
    shares = {
        record.build(model, weights, record.Details(day=DAY), Settings(kappa, samples=2000)).verdict.split(
            "stays first in "
        )[1][:4]
        for kappa in (None, 200.0)
    }
    assert len(shares) == 2


def test_markdown_explains_the_leader(markdown, built):
    lines = section(markdown, "### Why it leads").splitlines()
    assert lines == [f"- {x}" for x in built.explanation]
    assert lines[0].startswith("- Reports to the Head of Product leads by ")


def test_markdown_lists_the_evidence_gaps(model, markdown):
    gaps = section(markdown, "## Evidence gaps").splitlines()
    assert "- No documented risk for Reports to the Head of Product." in gaps
    # Eight documented cells (tests/data/test_source_claims.py) of 4 x 8.
    assert "- 24 of 32 score cells are not documented" in "\n".join(gaps)
    assert gaps == [f"- {g}" for g in record.evidence_gaps(model)]


def test_evidence_gaps_follow_the_model(model):
    assert "No documented risk for Reports to the Head of Product." in record.evidence_gaps(model)
    without_hop = model.only(placement_ids=["operations", "biz_ops", "product_areas"])
    assert not any("Head of Product" in g for g in record.evidence_gaps(without_hop))


def test_markdown_names_the_source(model, markdown):
    assert model.sources["source"] in section(markdown, "## Source")


def test_markdown_staffing_section_when_an_estimate_is_given(model, weights, estimate):
    details = record.Details(staffing=estimate, staffing_pms=20, day=DAY)
    md = record.to_markdown(record.build(model, weights, details, FEW))
    text = section(md, "## Staffing")
    # central: ceil(20/50) = 1 to a team of two (7 to 50 PMs)
    assert text.startswith("1 to 2 Product Ops people for 20 PMs (central team")
    assert "no survey benchmark" in text
    assert md.index("## Staffing") > md.index("## Evidence gaps")


def test_staffing_line_with_a_single_number(model):
    data = load_staffing(model.sources)
    single = staffing.estimate(data, 3, 1, 1, "embedded", list(staffing.PILLARS))
    assert (single.low.headcount, single.high.headcount) == (1, 1)
    line = record.staffing_line(record.Details(staffing=single, staffing_pms=3))
    assert line.startswith("1 Product Ops person for 3 PMs (embedded in pods or product areas)")
    assert record.staffing_line(record.Details()) is None


def test_the_record_labels_a_published_rule_beyond_its_stated_sizes_our_extrapolation(model, weights):
    large = staffing.estimate(load_staffing(model.sources), 2000, 0, 0, "central", list(staffing.PILLARS))
    details = record.Details(staffing=large, staffing_pms=2000, day=DAY)
    text = section(record.to_markdown(record.build(model, weights, details, FEW)), "## Staffing")
    # ceil(2000/50) = 40, but the source describes teams of 7 to 50 PMs only.
    assert text.startswith(
        "At least 40 Product Ops people for 2000 PMs (no published upper bound at this size) (central team"
    )
    assert "no survey benchmark. Our extrapolation: the rule's source states it for 7 to 50 PMs." in text
    assert "Low (40, our extrapolation):" in text and "2000 PMs is outside that" in text


def room(weights, participants=12, method="sliders") -> GroupWeights:
    """A round as the board hands it over: worked-out figures, not computed by the code under test."""
    return GroupWeights(
        "ABCD2345",
        2,
        participants,
        dict(weights),
        kendall_w=0.4237,
        consensus="moderate agreement",
        model_note="edited: 1 cell changed",
        spread=(("Ops empathy", 0.05, 0.125, 0.25), ("PM alignment", 0.1, 0.15, 0.2)),
        winners=(
            ("Reports to the Head of Product", 8, 1),
            ("Rolls up into Operations", 3, 0),
            ("Within Product Areas / Verticals", 0, 1),
        ),
        comments=(("Ana", "Ops needs us <b>now</b>"), ("Ben", "CPO, clearly")),
        method=method,
    )


@pytest.mark.parametrize("participants", [1, 12])
def test_markdown_names_the_room_round_and_participants(model, weights, participants):
    details = record.Details(room=room(weights, participants, method="rank"), day=DAY)
    md = record.to_markdown(record.build(model, weights, details, FEW))
    assert f"Participants: {participants} in room ABCD2345, round 2 (the weights below are the group's)" in md
    assert (
        "Weighting method: Ranked factors (rank-order centroid), each participant on their own; "
        "the group's weights are the mean of the participants' normalised weights"
    ) in md


def test_a_pairwise_room_is_recorded_as_ahp_with_the_geometric_mean(model, weights):
    """The page's own method (the sliders the group's weights were put on) is not the room's."""
    details = record.Details(room=room(weights, method="pairwise"), method="sliders", day=DAY)
    built = record.build(model, weights, details, FEW)
    md = record.to_markdown(built)
    assert "Weighting method: Pairwise comparisons (AHP" in md
    assert "the group's weights are the normalised geometric mean of the participants' AHP priority vectors" in md
    assert "Direct weights" not in md and "group's mean" not in md
    assert "Each participant weighed by pairwise comparisons (ahp" in section(md, "## Workshop room")
    rows = {(r[0], r[1]): r[3] for r in csv_rows(built)}
    assert rows["room", "method"].startswith("Pairwise comparisons (AHP")
    assert rows["room", "group weights"] == "the normalised geometric mean of the participants' AHP priority vectors"


def test_csv_carries_the_room_round(model, weights):
    built = record.build(model, weights, record.Details(room=room(weights), day=DAY), FEW)
    rows = csv_rows(built)
    room_rows = {(r[1], r[2]): r[3] for r in rows if r[0] == "room"}
    assert room_rows["code", ""] == "ABCD2345"
    assert room_rows["round", ""] == "2"
    assert room_rows["participants", ""] == "12"
    assert room_rows["Kendall's W", "moderate agreement"] == "0.4237"
    assert room_rows["scored with", ""] == "edited: 1 cell changed"
    spread = {(r[1], r[2]): float(r[3]) for r in rows if r[0] == "room spread"}
    assert spread["Ops empathy", "median"] == 0.125 and spread["PM alignment", "q3"] == 0.2
    assert len(spread) == 6
    winners = {(r[1], r[2]): r[3] for r in rows if r[0] == "room winners"}
    assert winners["Reports to the Head of Product", "first for"] == "8"
    assert winners["Within Product Areas / Verticals", "tied first for"] == "1"
    assert [r[1:] for r in rows if r[0] == "room comment"] == [
        ["Ana", "", "Ops needs us <b>now</b>"],
        ["Ben", "", "CPO, clearly"],
    ]
    assert not [r for r in csv_rows(record.build(model, weights, record.Details(), FEW)) if r[0].startswith("room")]


def test_csv_carries_the_edited_cells_and_added_items(model, weights):
    cell = model.cells["operations", "pm_alignment"]
    edited = editing.set_score(model, "operations", "pm_alignment", cell.score + 1)
    edited = editing.add_placement(edited, "Hybrid", "A mix.", dict.fromkeys(edited.factor_ids, 1))
    built = record.build(edited, weights, record.Details(day=DAY), FEW, baseline=model)
    rows = csv_rows(built)
    name = f"{model.placement('operations').name} x {model.factor('pm_alignment').name}"
    assert [r[1:] for r in rows if r[0] == "edited cell"] == [
        [name, f"source baseline ({cell.provenance})", str(cell.score)],
        [name, "now", str(cell.score + 1)],
    ]
    assert [r[1:] for r in rows if r[0] == "added"] == [["placement", "", "Hybrid"]]


def test_the_room_section_carries_everything_needed_to_audit_the_group_weights(model, weights):
    details = record.Details(room=room(weights), day=DAY)
    md = record.to_markdown(record.build(model, weights, details, FEW))
    text = section(md, "## Workshop room")
    assert "Room ABCD2345, round 2, 12 participants; scored with edited: 1 cell changed." in text
    assert "Kendall's W = 0.42 (moderate agreement) over 12 participants' factor rankings." in text
    assert "| Ops empathy | 5.0% | 12.5% | 25.0% |" in text
    winners = section(md, "### Whose weights make which placement win")
    assert "| Reports to the Head of Product | 8 | 1 |" in winners
    assert "| Within Product Areas / Verticals | 0 | 1 |" in winners
    assert "counted as tied for each" in winners
    comments = section(md, "### Comments")
    assert "<b>" not in MARKDOWN.render(comments)
    assert shown(comments) == "Ana: Ops needs us <b>now</b>\nBen: CPO, clearly"
    assert "## Workshop room" not in record.to_markdown(record.build(model, weights, record.Details(), FEW))


def test_the_record_weights_are_the_groups_exact_weights(model):
    exact = normalise({"pm_alignment": 0.1471, "ops_empathy": 0.1093, "global_tradeoffs": 0.1271}, model.factor_ids)
    exact = {f: exact[f] for f in model.factor_ids}
    details = record.Details(room=room(exact), day=DAY)
    built = record.build(model, exact, details, FEW)
    assert built.weights == exact  # not rounded to slider positions
    rows = {r[1]: float(r[3]) for r in csv_rows(built) if r[0] == "weights"}
    assert rows[model.factor("pm_alignment").name] == pytest.approx(exact["pm_alignment"], abs=1e-6)


def test_markdown_escapes_typed_text(hostile_record):
    md = record.to_markdown(hostile_record)
    rendered = MARKDOWN.render(md)
    assert "<script" not in rendered and "<b>" not in rendered
    assert MARKDOWN.render(section(md, "## Decision")).startswith("<p>")  # a paragraph, not a table
    assert shown(section(md, "## Decision")) == HOSTILE
    assert shown(section(md, "## Notes")) == f"Notes {HOSTILE}"
    assert shown(md.splitlines()[0]) == f"Decision record: Title {HOSTILE} & co"
    assert MARKDOWN.render(md.splitlines()[0]).startswith("<h1>")


def test_markdown_tables_survive_names_with_bars_and_tags(model):
    placement, factor = "<b>Ours</b> | =cmd", "=Risk | <i>x</i>"
    edited = editing.add_placement(model, placement, "A custom placement.", dict.fromkeys(model.factor_ids, 1))
    edited = editing.add_factor(edited, factor, "A custom factor.", dict.fromkeys(edited.placement_ids, 1))
    w = normalise({**model.presets["author"].weights, edited.factor_ids[-1]: 5}, edited.factor_ids)
    md = record.to_markdown(record.build(edited, w, record.Details(day=DAY), FEW))
    for heading, columns in (
        ("## Weights", 2),
        ("## Ranking", 5),
        ("### Contributions by factor (points above or below the neutral 50)", 1 + len(edited.factors)),
    ):
        table = MARKDOWN.render(section(md, heading))
        rows = re.findall(r"<tr>(.*?)</tr>", table, flags=re.DOTALL)
        assert rows and all(len(re.findall(r"<t[dh]\b", row)) == columns for row in rows), heading
    cells = {html.unescape(cell) for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", MARKDOWN.render(md))}
    assert placement in cells and factor in cells
    assert "<b>" not in MARKDOWN.render(md) and "<i>" not in MARKDOWN.render(md)


def test_typed_lines_cannot_add_headings(model, weights):
    details = record.Details(notes="Owners:\n## Ranking\n# Big", day=DAY)
    built = record.build(model, weights, details, FEW)
    rendered = MARKDOWN.render(record.to_markdown(built))
    assert rendered.count("<h2>Ranking</h2>") == 1 and "<h1>Big</h1>" not in rendered
    assert "<p>## Ranking</p>" in rendered and "<p># Big</p>" in rendered
    html = record.to_html(built)
    assert html.index("<figure>") > html.index("<h2>Weights</h2>")


# --- HTML --------------------------------------------------------------------------------------


def test_html_is_a_full_document(hostile_html):
    assert hostile_html.startswith('<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">')
    assert hostile_html.rstrip().endswith("</body>\n</html>")
    assert hostile_html.count("<body>") == hostile_html.count("</body>") == 1
    assert hostile_html.count("<title>") == 1


def test_html_has_exactly_two_inline_svg_charts_in_the_ranking_section(hostile_html):
    assert hostile_html.count("<svg") == 2
    assert hostile_html.count("</svg>") == 2
    assert hostile_html.count("<figure>") == 2
    ranking, weights_table = hostile_html.index("<h2>Ranking</h2>"), hostile_html.index("<h2>Weights</h2>")
    first = hostile_html.index("<figure>")
    assert weights_table < ranking < first < hostile_html.index("<h3>Contributions by factor")
    assert "Score (0-100, 50 = neutral)" in hostile_html  # the ranking chart's axis
    assert "Points below (risks) and above (benefits) neutral" in hostile_html  # the contributions chart


def test_html_sections_and_tables(hostile_html, model):
    for heading in SECTIONS:
        level = heading.count("#")
        assert f"<h{level}>{heading.lstrip('# ')}" in hostile_html, heading
    assert hostile_html.count("<table>") == hostile_html.count("</table>") == 3
    assert "<th>factor</th><th>weight</th>" in hostile_html
    assert "<td>Reports to the Head of Product</td><td>75.0</td>" in hostile_html.replace("<td>1</td>", "")
    assert "<li>No documented risk for Reports to the Head of Product.</li>" in hostile_html


def test_html_escapes_typed_text_and_title(hostile_html):
    lowered = hostile_html.lower()
    assert "<script" not in lowered
    assert "<b>" not in hostile_html
    assert (
        "<title>Decision record: Title &lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; a | b &amp; co</title>"
        in hostile_html
    )
    assert "<p>&lt;script&gt;alert(1)&lt;/script&gt; &lt;b&gt;bold&lt;/b&gt; a | b</p>" in hostile_html
    assert "<h1>Decision record: Title &lt;script&gt;" in hostile_html


def test_html_emphasises_the_empty_text_notes(model, weights):
    html = record.to_html(record.build(model, weights, record.Details(day=DAY), FEW))
    assert "<p><em>No decision recorded.</em></p>" in html
    assert "<p><em>None.</em></p>" in html
    assert "_None._" not in html
    assert "<p>Date: 2001-02-03</p>" in html


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_header_and_record_rows(built):
    rows = csv_rows(built)
    assert rows[0] == ["section", "item", "detail", "value"]
    assert all(len(r) == 4 for r in rows)
    assert rows[1:4] == [
        ["record", "title", "", "Where should Product Ops report?"],
        ["record", "date", "", "2001-02-03"],
        ["record", "decision", "", "Report to the CPO from Q1."],
    ]


def test_csv_has_a_row_per_weight(model, built, weights):
    found = {r[1]: float(r[3]) for r in csv_rows(built) if r[0] == "weights"}
    assert list(found) == [f.name for f in model.factors]
    for f in model.factors:
        assert found[f.name] == pytest.approx(weights[f.id], abs=5e-7)
    assert found["Visibility and global trade-offs"] == pytest.approx(10 / 38, abs=5e-7)


def test_csv_has_a_score_and_rank_per_placement(model, built, weights):
    rows = csv_rows(built)
    scores = {r[1]: r[3] for r in rows if r[0] == "ranking" and r[2] == "score"}
    ranks = {r[1]: r[3] for r in rows if r[0] == "ranking" and r[2] == "rank"}
    results = rank(model, weights)
    assert list(scores) == [r.name for r in results]
    assert scores == {r.name: f"{r.score:.2f}" for r in results}
    assert ranks == {r.name: str(r.rank) for r in results}
    assert scores["Reports to the Head of Product"] == "75.00"


def test_csv_contributions_and_verdict(model, built, weights):
    rows = csv_rows(built)
    contributions = [r for r in rows if r[0] == "contribution"]
    assert len(contributions) == len(model.placements) * len(model.factors)
    result = next(r for r in rank(model, weights) if r.placement == "operations")
    mine = {r[2]: float(r[3]) for r in contributions if r[1] == result.name}
    assert mine == {model.factor(f).name: pytest.approx(c * 25, abs=5e-4) for f, c in result.contributions.items()}
    assert ["robustness", "verdict", "", built.verdict] in rows
    assert not any(r[0] == "staffing" for r in rows)


def test_csv_staffing_rows(model, weights, estimate):
    built = record.build(model, weights, record.Details(staffing=estimate, staffing_pms=20, day=DAY), FEW)
    rows = csv_rows(built)
    assert [r for r in rows if r[0] == "staffing"] == [["staffing", "low", "", "1"], ["staffing", "high", "", "2"]]


@pytest.mark.parametrize(
    ("decision", "written"),
    [
        ('=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'),
        ("+1+cmd", "'+1+cmd"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("-2+3", "'-2+3"),
        ("'quoted", "''quoted"),
        ("Report to the CPO", "Report to the CPO"),
    ],
)
def test_csv_neutralises_formulas_in_typed_text(model, weights, decision, written):
    built = record.build(model, weights, record.Details(decision=decision, title=decision, day=DAY), FEW)
    rows = csv_rows(built)
    assert ["record", "decision", "", written] in rows
    assert ["record", "title", "", written] in rows


def test_csv_keeps_negative_numbers_as_numbers(model):
    # operations / pm_alignment scores -2: at weight 1% it contributes -2 * 0.01 * 25 = -0.5 points.
    assert model.cells["operations", "pm_alignment"].score == -2
    rest = dict.fromkeys(model.factor_ids, 0.99 / (len(model.factor_ids) - 1))
    w = {**rest, "pm_alignment": 0.01}
    built = record.build(model, w, record.Details(day=DAY), FEW)
    rows = csv_rows(built)
    operations = model.placement("operations").name
    assert ["contribution", operations, "PM alignment", "-0.500"] in rows
    assert ["weights", "PM alignment", "", "0.010000"] in rows
    negatives = [r[3] for r in rows if r[0] == "contribution" and r[3].lstrip("'").startswith("-")]
    assert negatives and all(v.startswith("-") for v in negatives)


def test_csv_neutralises_names_from_the_model(model):
    edited = editing.add_factor(model, "=Risk | x", "A custom factor.", dict.fromkeys(model.placement_ids, 1))
    edited = editing.add_placement(edited, "+Ours", "A custom placement.", dict.fromkeys(edited.factor_ids, 1))
    w = normalise(dict.fromkeys(edited.factor_ids, 1.0), edited.factor_ids)
    rows = csv_rows(record.build(edited, w, record.Details(day=DAY), FEW))
    assert ["weights", "'=Risk | x", "", f"{1 / len(edited.factor_ids):.6f}"] in rows
    assert any(r[:3] == ["ranking", "'+Ours", "score"] for r in rows)
    assert any(r[0] == "contribution" and r[2] == "'=Risk | x" for r in rows)
    assert not any(cell.startswith(("=", "+", "@")) for r in rows for cell in r)


def test_csv_round_trips_through_the_csv_module_with_hostile_text(hostile_record):
    rows = csv_rows(hostile_record)
    assert ["record", "decision", "", HOSTILE] in rows  # CSV is data: no HTML escaping needed
    assert len({len(r) for r in rows}) == 1


def test_record_uses_today_by_default(model, weights):
    before = date.today()
    built = record.build(model, weights, record.Details(), FEW)
    after = date.today()
    assert built.details.day in (before, after)
    assert f"Date: {built.details.day.isoformat()}" in record.to_markdown(built)
    assert ["record", "date", "", built.details.day.isoformat()] in csv_rows(built)


def test_the_room_is_named_only_while_its_weights_are_in_effect(weights):
    group = GroupWeights(room="ABC123", round=2, participants=7, weights=dict(weights))
    assert record.room_in_effect(None, weights) == (None, None)
    assert record.room_in_effect(group, weights) == (group, None)
    moved = {**weights, "pm_alignment": weights["pm_alignment"] + 0.1}
    in_effect, note = record.room_in_effect(group, moved)
    assert in_effect is None
    assert (
        note == "The weights were changed after room ABC123's vote, so the record does not present them as the group's."
    )


def test_staffing_line_uses_the_estimate_headline(model, estimate):
    line = record.staffing_line(record.Details(staffing=estimate, staffing_pms=20))
    assert line.startswith(estimate.headline(20) + " (central team")
    assert record.staffing_line(record.Details(staffing=estimate)) is None  # no PM count, no line


# --- one structured record, every format ---------------------------------------------------------


def test_model_section_says_the_baseline_was_used_unchanged(model, weights):
    md = record.to_markdown(record.build(model, weights, record.Details(day=DAY), FEW, baseline=model))
    assert section(md, "## Model used") == "The source baseline, unchanged."


def test_model_section_lists_every_edited_cell_and_added_item(model, weights):
    edited = editing.set_score(model, "operations", "pm_alignment", 2)
    edited = editing.set_score(edited, "biz_ops", "flexibility", -2)
    edited = editing.add_factor(edited, "Speed", "How fast it moves.", dict.fromkeys(edited.placement_ids, 1))
    w = normalise({**model.presets["author"].weights, edited.factor_ids[-1]: 5}, edited.factor_ids)
    md = record.to_markdown(record.build(edited, w, record.Details(day=DAY), FEW, baseline=model))
    text = section(md, "## Model used")
    ops, pm = model.placement("operations").name, model.factor("pm_alignment").name
    was = model.cells["operations", "pm_alignment"]
    assert text.startswith("The source baseline with 2 edited cell(s) and 1 added item(s).")
    assert f"| {ops} x {pm} | {was.score:+d} ({was.provenance}) | +2 |" in text
    assert f"| {model.placement('biz_ops').name} x {model.factor('flexibility').name} |" in text
    assert "- Added factor: Speed" in text


def test_staffing_section_names_the_rule_behind_each_bound(model, weights, estimate):
    details = record.Details(staffing=estimate, staffing_pms=20, day=DAY)
    md = record.to_markdown(record.build(model, weights, details, FEW))
    text = section(md, "## Staffing")
    low, high = estimate.low, estimate.high
    assert f"Low (1, published): {low.reason} Source: {model.sources[low.rule.citation]}." in shown(text)
    assert f"- High (2, our reading): {high.reason}" in text  # the range we apply 'seven or more' to is ours


def test_markdown_html_and_pdf_hold_the_same_sections(built):
    pypdf = pytest.importorskip("pypdf")  # a dev requirement; the import names the missing package if absent
    titles = [s.title for s in record.sections(built)]
    md, page = record.to_markdown(built), record.to_html(built)
    pdf_text = " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(record.to_pdf(built))).pages)
    flat = " ".join(pdf_text.split())
    for title in titles:
        assert re.search(rf"^#+ {re.escape(title)}$", md, flags=re.MULTILINE), title
        assert f">{title}</h" in page, title
        assert " ".join(title.split()) in flat, title
    assert "Decision record: Where should Product Ops report?" in flat


def test_html_runs_no_script_and_loads_nothing_from_elsewhere(hostile_html):
    lowered = hostile_html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered
    assert not re.search(r"""(src|href)=["']?https?:""", lowered)


def test_the_company_profile_is_on_the_record_only_when_answered(model, weights, markdown):
    assert "## Company profile" not in markdown
    profile = (
        ("How many Product Managers do you have?", "40"),
        ("What hurts most right now?", "Every PM works differently"),
    )
    details = record.Details(profile=profile, day=DAY)
    md = record.to_markdown(record.build(model, weights, details, FEW))
    text = section(md, "## Company profile")
    assert "How many Product Managers do you have?" in text and "40" in text
    assert "Every PM works differently" in text
    assert md.index("## Company profile") < md.index("## Weights")


def test_the_record_states_the_weights_with_and_without_inconsistent_votes_and_the_resampling_share(model, weights):
    checked = GroupWeights(
        **{
            **room(weights).__dict__,
            "checks": (
                "2 of 12 votes have a consistency ratio above 0.10: their answers contradict each other. "
                "Without them, Rolls up into Operations still leads.",
                "Would a similar group agree? In 87% of 2,000 rooms resampled from these 12 participants "
                "(drawn with replacement), Rolls up into Operations is still first.",
            ),
            "without_inconsistent": (("Ops empathy", 0.2, 0.25), ("PM alignment", 0.3, 0.275)),
        }
    )
    md = record.to_markdown(record.build(model, weights, record.Details(room=checked, day=DAY), FEW))
    text = section(md, "### How solid the room's result is")
    assert "2 of 12 votes have a consistency ratio above 0.10" in text
    assert "In 87% of 2,000 rooms resampled" in text
    assert "| Ops empathy | 20.0% | 25.0% |" in text and "without votes above CR 0.10" in text
    plain = record.to_markdown(record.build(model, weights, record.Details(room=room(weights), day=DAY), FEW))
    assert section(plain, "### How solid the room's result is") == "_Not checked._"
