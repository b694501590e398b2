"""The decision record: one session's decision, its numbers and its reasons, as Markdown, HTML or CSV.

Everything here comes from the same functions the pages use, with the same robustness
settings as "How sure are we?", so the record matches the screen. Text typed by people is escaped in HTML and Markdown, and CSV cells a
spreadsheet would run as formulas are neutralised.
"""

from __future__ import annotations

import csv
import html
import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import vl_convert

from placement.analysis import robustness
from placement.analysis.explain import explain
from placement.analysis.robustness import Settings
from placement.analysis.scoring import Result, points_per_unit, rank
from placement.analysis.staffing import Estimate
from placement.data.model import Model
from placement.data.modelfile import neutralise
from placement.data.staffing import COVERAGES
from placement.present import charts, tables
from placement.settings import DEFAULT_TITLE, WEIGHT_METHOD_DESCRIPTIONS

if TYPE_CHECKING:
    from placement.workshop.group import GroupWeights


@dataclass(frozen=True)
class Details:
    """What the facilitator adds to the numbers."""

    title: str = DEFAULT_TITLE
    decision: str = ""
    notes: str = ""
    method: str = "sliders"
    participants: int | None = None  # set when a workshop room was used
    staffing: Estimate | None = None
    staffing_pms: int | None = None
    day: date = field(default_factory=date.today)


@dataclass(frozen=True)
class Record:
    model: Model
    weights: dict[str, float]
    details: Details
    results: list[Result]
    verdict: str
    explanation: list[str]
    settings: Settings

    @property
    def setting(self) -> str:
        """The robustness setting the verdict was reached with, in words."""
        return self.settings.describe()


def build(model: Model, weights: dict[str, float], details: Details, settings: Settings) -> Record:
    """The record, its verdict from `settings` (the ones "How sure are we?" uses in the same session)."""
    results = rank(model, weights)
    analysis = robustness.analyse(model, weights, settings)
    return Record(
        model,
        weights,
        details,
        results,
        robustness.verdict(model, analysis),
        explain(model, results).sentences(model),
        settings,
    )


def room_participants(group: GroupWeights | None, weights: Mapping[str, float]) -> tuple[int | None, str | None]:
    """How many took part, if the weights are still a room's; and a note when they were changed since its vote."""
    if group is None:
        return None, None
    if group.still_in_effect(weights):
        return group.participants, None
    return None, (
        f"The weights were changed after room {group.room}'s vote, so the record does not present them as the group's."
    )


def evidence_gaps(model: Model) -> list[str]:
    gaps = [
        f"No documented {kind} for {p.name}." for kind in ("risk", "benefit") for p in model.placements_without(kind)
    ]
    doubtful = int(model.doubtful.sum())
    gaps.append(
        f"{doubtful} of {model.doubtful.size} score cells are not documented by the source (inferred, no evidence or set by the team)."
    )
    return gaps


def staffing_line(details: Details) -> str | None:
    e = details.staffing
    if e is None or details.staffing_pms is None:
        return None
    return f"{e.headline(details.staffing_pms)} ({COVERAGES[e.coverage].lower()}); rules of thumb, no survey benchmark."


def to_markdown(record: Record) -> str:
    s, model = record.details, record.model
    # Typed text stays text: no HTML, and no '|' that would split a table cell.
    text = lambda value: _no_headings(html.escape(value, quote=False).replace("|", "&#124;"))  # noqa: E731
    lines = [
        f"# Decision record: {text(s.title)}",
        "",
        f"Date: {s.day.isoformat()}  ",
        f"Weighting method: {WEIGHT_METHOD_DESCRIPTIONS[s.method]}  ",
    ]
    if s.participants is not None:
        lines.append(f"Participants: {s.participants} (weights below are the group's mean)  ")
    lines += [
        "",
        "## Decision",
        "",
        text(s.decision) or "_No decision recorded._",
        "",
        "## Notes",
        "",
        text(s.notes) or "_None._",
        "",
    ]
    lines += ["## Weights", "", "| factor | weight |", "|---|---|"]
    lines += [f"| {text(f.name)} | {record.weights[f.id]:.1%} |" for f in model.factors]
    lines += [
        "",
        "## Ranking",
        "",
        "| rank | placement | score | benefits (points) | risks (points) |",
        "|---|---|---|---|---|",
    ]
    ranking = tables.ranking_table(model, record.results)
    lines += [
        f"| {r['rank']} | {text(r['placement'])} | {r['score']:.1f} | {r['benefit_points']:+.1f} | {r['risk_points']:+.1f} |"
        for r in ranking.to_dict("records")
    ]
    lines += [
        "",
        "### Contributions by factor (points above or below the neutral 50)",
        "",
        "| placement | " + " | ".join(text(f.name) for f in model.factors) + " |",
    ]
    lines.append("|---" * (len(model.factors) + 1) + "|")
    for r in record.results:
        lines.append(
            f"| {text(r.name)} | "
            + " | ".join(f"{r.contributions[f.id] * points_per_unit():+.1f}" for f in model.factors)
            + " |"
        )
    lines += ["", "### Why it leads", ""] + [f"- {text(x)}" for x in record.explanation]
    lines += ["", "## Robustness", "", text(record.verdict), "", f"Setting: {text(record.setting)}."]
    lines += ["", "## Evidence gaps", ""] + [f"- {text(g)}" for g in evidence_gaps(model)]
    staffing = staffing_line(s)
    if staffing:
        lines += ["", "## Staffing", "", text(staffing)]
    lines += ["", "## Source", "", text(model.sources["source"]) + ". Statements in the app are paraphrases.", ""]
    return "\n".join(lines)


def to_html(record: Record) -> str:
    """A self-contained page: the Markdown sections as HTML, with the charts inlined as SVG."""
    model = record.model
    ranking = tables.ranking_table(model, record.results)
    contributions = tables.contributions_table(model, record.results, record.weights)
    svgs = [
        vl_convert.vegalite_to_svg(charts.to_json({**spec, "width": 720}))
        for spec in (charts.ranking_chart(model, ranking), charts.contributions_chart(model, contributions))
    ]
    body = _markdown_to_html(to_markdown(record))
    figures = "".join(f"<figure>{svg}</figure>" for svg in svgs)
    style = "body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;font-size:18px;line-height:1.5}table{border-collapse:collapse}td,th{border:1px solid #bbb;padding:.3rem .6rem}figure{margin:1.5rem 0}"
    title = html.escape(record.details.title)
    return f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Decision record: {title}</title><style>{style}</style></head><body>{body.replace('<h2>Ranking</h2>', '<h2>Ranking</h2>' + figures, 1)}</body></html>"


def to_csv(record: Record) -> str:
    """The numbers, one per row: section, item, detail, value."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "item", "detail", "value"])
    rows = [
        ("record", "title", "", record.details.title),
        ("record", "date", "", record.details.day.isoformat()),
        ("record", "decision", "", record.details.decision),
    ]
    rows += [("weights", f.name, "", f"{record.weights[f.id]:.6f}") for f in record.model.factors]
    for r in record.results:
        rows.append(("ranking", r.name, "score", f"{r.score:.2f}"))
        rows.append(("ranking", r.name, "rank", str(r.rank)))
        rows += [
            ("contribution", r.name, record.model.factor(f).name, f"{c * points_per_unit():.3f}")
            for f, c in r.contributions.items()
        ]
    rows.append(("robustness", "verdict", "", record.verdict))
    rows.append(("robustness", "setting", "", record.setting))
    if record.details.staffing:
        rows += [
            ("staffing", "low", "", str(record.details.staffing.low.headcount)),
            ("staffing", "high", "", str(record.details.staffing.high.headcount)),
        ]
    for row in rows:
        writer.writerow([neutralise(cell) if i < 3 or not _is_number(cell) else cell for i, cell in enumerate(row)])
    return out.getvalue()


def _no_headings(text: str) -> str:
    """A '#' opening a line of typed text would start a new section: make it a literal '#'."""
    return re.sub(r"(?m)^(\s*)#", r"\1&#35;", text)


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _markdown_to_html(markdown: str) -> str:
    """The small Markdown subset to_markdown writes: headings, paragraphs, bullets, tables."""
    out, in_list, in_table = [], False, False
    for line in markdown.splitlines():
        stripped = line.rstrip()
        if in_list and not stripped.startswith("- "):
            out.append("</ul>")
            in_list = False
        if in_table and not stripped.startswith("|"):
            out.append("</table>")
            in_table = False
        if stripped.startswith("#"):
            level = len(stripped) - len(stripped.lstrip("#"))
            out.append(f"<h{level}>{stripped[level:].strip()}</h{level}>")
        elif stripped.startswith("- "):
            out.append(("<ul>" if not in_list else "") + f"<li>{stripped[2:]}</li>")
            in_list = True
        elif stripped.startswith("|"):
            cells = [c.strip() for c in stripped.strip("|").split("|")]
            if set("".join(cells)) <= {"-"}:
                continue
            tag = "th" if not in_table else "td"
            out.append(
                ("<table>" if not in_table else "") + "<tr>" + "".join(f"<{tag}>{c}</{tag}>" for c in cells) + "</tr>"
            )
            in_table = True
        elif stripped:
            out.append(
                f"<p>{stripped.replace('_No decision recorded._', '<em>No decision recorded.</em>').replace('_None._', '<em>None.</em>')}</p>"
            )
    out.append("</ul>" if in_list else "")
    out.append("</table>" if in_table else "")
    return "\n".join(out)
