"""The decision record: one session's decision, its numbers and its reasons, as Markdown, HTML, PDF or CSV.

Everything here comes from the same functions the pages use, with the same robustness
settings as "How sure are we?", so the record matches the screen. One list of sections
feeds every format: Markdown escapes typed text, HTML comes from a Jinja2 template with
autoescaping (and the PDF from that HTML), and CSV cells a spreadsheet would run as
formulas are neutralised.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import vl_convert
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from placement.analysis import robustness
from placement.analysis.ahp import CR_LIMIT
from placement.analysis.explain import explain
from placement.analysis.robustness import Settings
from placement.analysis.scoring import Result, points_per_unit, rank
from placement.analysis.staffing import Estimate
from placement.data.model import Model
from placement.data.modelfile import neutralise
from placement.data.problems import InputError, Problem
from placement.data.staffing import COVERAGES
from placement.data.text import clean_text, plain, text_problem
from placement.present import charts, tables
from placement.settings import DEFAULT_TITLE, GROUP_WEIGHTS_RULES, WEIGHT_METHOD_DESCRIPTIONS
from placement.workshop.group import GroupWeights

_TEMPLATES = Environment(
    loader=FileSystemLoader(Path(__file__).with_name("templates")), autoescape=select_autoescape(default=True)
)
CHART_WIDTH = 640  # px of plot area; the SVG adds its labels and legend around it
EXPORT_FONT = "DejaVu Sans"  # Debian's fonts-dejavu-core (see .ci/run)


@dataclass(frozen=True)
class Details:
    """What the facilitator adds to the numbers."""

    title: str = DEFAULT_TITLE
    decision: str = ""
    notes: str = ""
    method: str = "sliders"
    room: GroupWeights | None = None  # the workshop round whose group weights are in effect
    staffing: Estimate | None = None
    staffing_pms: int | None = None
    profile: tuple[tuple[str, str], ...] = ()  # (question, answer) from "start from your company"
    profile_effects: tuple[tuple[str, str, str, str, str], ...] = ()  # factor, answer, effect, basis, reason
    day: date = field(default_factory=date.today)

    def __post_init__(self) -> None:
        """Typed text enters here: a NUL is refused; control characters and direction overrides are removed."""
        typed = {"title": self.title, "decision": self.decision, "notes": self.notes}
        problems = [
            Problem(name, refused, "retype it without that character")
            for name, value in typed.items()
            if (refused := text_problem(value))
        ]
        if problems:
            raise InputError(problems)
        object.__setattr__(self, "title", clean_text(self.title).strip())
        object.__setattr__(self, "decision", clean_text(self.decision, multiline=True))
        object.__setattr__(self, "notes", clean_text(self.notes, multiline=True))


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[tuple[str, ...]]


@dataclass(frozen=True)
class Section:
    """One part of the record, in plain text; each format escapes and lays it out its own way."""

    title: str
    level: int = 2
    paragraphs: tuple[str, ...] = ()
    bullets: tuple[str, ...] = ()
    table: Table | None = None
    empty: str = ""  # said, in italics, when the section has nothing else to say
    figures: tuple[str, ...] = ()  # charts, in the formats that draw them

    @property
    def says_empty(self) -> bool:
        return bool(self.empty) and not (self.paragraphs or self.bullets or self.table)


class PdfUnavailable(RuntimeError):
    """The PDF cannot be made on this machine; the message says what is missing."""


@dataclass(frozen=True)
class Record:
    model: Model
    weights: dict[str, float]
    details: Details
    results: list[Result]
    verdict: str
    explanation: list[str]
    settings: Settings
    baseline: Model | None = None  # the source model, to list what the team changed

    @property
    def setting(self) -> str:
        """The robustness setting the verdict was reached with, in words."""
        return self.settings.describe()


def build(
    model: Model, weights: dict[str, float], details: Details, settings: Settings, baseline: Model | None = None
) -> Record:
    """The record, its verdict from `settings` (the ones "How sure are we?" uses in the same session).

    `baseline` (the source model) lets the record list every cell and item the team changed.
    """
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
        baseline,
    )


def room_in_effect(group: GroupWeights | None, weights: Mapping[str, float]) -> tuple[GroupWeights | None, str | None]:
    """The room whose group weights are in effect, if they still are; and a note when they were changed since."""
    if group is None:
        return None, None
    if group.still_in_effect(weights):
        return group, None
    return None, (
        f"The weights were changed after room {group.room}'s vote, so the record does not present them as the group's."
    )


def _room_sections(group: GroupWeights) -> list[Section]:
    """What the room said: agreement, spread, who prefers what, and the comments, to audit the group's weights."""
    agreement = (
        f"Kendall's W = {group.kendall_w:.2f} ({group.consensus}) over {group.participants} participants' factor rankings."
        if group.kendall_w is not None
        else f"{group.consensus.capitalize()}."
    )
    spread = Table(
        ("factor", "lower quartile", "median", "upper quartile"),
        [(name, f"{q1:.1%}", f"{median:.1%}", f"{q3:.1%}") for name, q1, median, q3 in group.spread],
    )
    return [
        Section(
            "Workshop room",
            paragraphs=(
                f"Room {group.room}, round {group.round}, {group.participants} participants; "
                f"scored with {group.model_note or 'the room model'}.",
                f"Each participant weighed by {WEIGHT_METHOD_DESCRIPTIONS[group.method].lower()}; "
                f"the group's weights are {GROUP_WEIGHTS_RULES[group.method]}.",
                agreement,
                "Spread of the participants' weights, most divisive factor first:",
            ),
            table=spread,
        ),
        _room_checks(group),
        Section(
            "Whose weights make which placement win",
            level=3,
            paragraphs=(
                "A participant whose weights tie two or more placements for first is counted as tied for each.",
            ),
            table=Table(
                ("placement", "first for", "tied first for"),
                [(name, str(alone), str(tied)) for name, alone, tied in group.winners],
            ),
        ),
        Section("Comments", level=3, bullets=tuple(f"{name}: {text}" for name, text in group.comments), empty="None."),
    ]


def _room_checks(group: GroupWeights) -> Section:
    """How solid the room's result is: votes whose answers contradict themselves (the group's weights with and
    without them) and the share of resampled rooms that keep the leader first."""
    without = (
        Table(
            ("factor", "group weight", f"without votes above CR {CR_LIMIT:.2f}"),
            [(name, f"{both:.1%}", f"{kept:.1%}") for name, both, kept in group.without_inconsistent],
        )
        if group.without_inconsistent
        else None
    )
    return Section(
        "How solid the room's result is", level=3, paragraphs=group.checks, table=without, empty="Not checked."
    )


def evidence_gaps(model: Model) -> list[str]:
    gaps = [
        f"No documented {kind} for {p.name}.{_room_named(model, p.id, kind)}"
        for kind in ("risk", "benefit")
        for p in model.placements_without(kind)
    ]
    undocumented = sum(c.provenance != "documented" for c in model.cells.values())
    gaps.append(
        f"{undocumented} of {len(model.cells)} score cells are not documented by the source"
        " (inferred, no evidence, set by the team or raised by the room)."
    )
    return gaps


def _room_named(model: Model, placement_id: str, kind: str) -> str:
    """' The room named 1 (see Raised by the room).' when a workshop room filled the gap, else ''."""
    named = [c for c in model.cells.values() if c.placement == placement_id and c.provenance == "room"]
    named = [c for c in named if (c.score < 0) == (kind == "risk")]
    return f" The room named {len(named)} (see Raised by the room)." if named else ""


def _profile_sections(profile: tuple[tuple[str, str], ...], effects: tuple[tuple[str, ...], ...]) -> list[Section]:
    """The answers, then what each did to a factor's points and what that rests on (the source or our judgement)."""
    return [
        Section(
            "Company profile",
            paragraphs=("The answers the starting weights were derived from (the method is in docs/methods.md).",),
            table=Table(("question", "answer"), list(profile)),
        ),
        Section(
            "Because you said",
            level=3,
            table=Table(("factor", "answer", "effect", "basis", "reason"), list(effects)) if effects else None,
            empty="No answer moved a weight from the base.",
        ),
    ]


def staffing_line(details: Details) -> str | None:
    e = details.staffing
    if e is None or details.staffing_pms is None:
        return None
    line = f"{e.headline(details.staffing_pms)} ({COVERAGES[e.coverage].lower()})"
    return f"{line}; rules of thumb, no survey benchmark. {e.extrapolation}".rstrip()


def staffing_section(details: Details, model: Model) -> Section | None:
    """The headcount estimate with the rule of thumb behind each bound."""
    line = staffing_line(details)
    if line is None:
        return None
    bounds = []
    for name, bound in (("Low", details.staffing.low), ("High", details.staffing.high)):
        source = f" Source: {model.sources[bound.rule.citation]}." if bound.rule and bound.rule.citation else ""
        count = "no published guidance" if bound.headcount is None else bound.headcount
        bounds.append(f"{name} ({count}, {bound.label}): {bound.reason}{source}")
    return Section("Staffing", paragraphs=(line,), bullets=tuple(bounds))


def _model_section(record: Record) -> Section:
    """Which model the numbers come from: the source baseline, or every change the team made to it."""
    model, baseline = record.model, record.baseline
    edited = [c for c in model.cells.values() if c.edited and c.provenance != "room"]  # the room's: their own section
    rows = [
        (
            f"{model.placement(c.placement).name} x {model.factor(c.factor).name}",
            f"{c.original_score:+d} ({c.original_provenance})",
            f"{c.score:+d}",
        )
        for c in edited
    ]
    added = [f"Added factor: {f.name}" for f in model.factors if baseline and f.id not in baseline.factor_ids]
    added += [f"Added placement: {p.name}" for p in model.placements if baseline and p.id not in baseline.placement_ids]
    if not rows and not added:
        return Section("Model used", paragraphs=("The source baseline, unchanged.",))
    summary = f"The source baseline with {len(rows)} edited cell(s) and {len(added)} added item(s)."
    table = Table(("cell", "source baseline", "now"), rows) if rows else None
    return Section("Model used", paragraphs=(summary,), table=table, bullets=tuple(added))


def room_cells_section(model: Model) -> Section | None:
    """The cells a workshop room added ("name what is missing"), with what the room said and who raised it,
    beside the source's value they replace."""
    added = [c for c in model.cells.values() if c.provenance == "room"]
    if not added:
        return None
    rows = [
        (
            f"{model.placement(c.placement).name} x {model.factor(c.factor).name}",
            "risk" if c.score < 0 else "benefit",
            f"{c.score:+d}",
            c.room_text,
            f"round {c.room_round}, {c.room_people} {'person' if c.room_people == 1 else 'people'}",
            f"{c.original_score:+d} ({c.original_provenance})" if c.edited else "none",
        )
        for c in added
    ]
    return Section(
        "Raised by the room",
        paragraphs=(
            f"{len(rows)} cell(s) the workshop room proposed and the facilitator accepted (provenance 'room'); "
            "they are scored in the ranking above, beside the source's documented statements.",
        ),
        table=Table(("cell", "kind", "score", "what the room said", "raised in", "source's cell before"), rows),
    )


def sections(record: Record) -> list[Section]:
    """The record's content, in order, once: every format (Markdown, HTML, PDF) renders these."""
    d, model = record.details, record.model
    ranking = tables.ranking_table(model, record.results)
    points = points_per_unit()
    found = [
        Section("Decision", paragraphs=_lines(d.decision), empty="No decision recorded."),
        Section("Notes", paragraphs=_lines(d.notes), empty="None."),
        *(_profile_sections(d.profile, d.profile_effects) if d.profile else []),
        Section(
            "Weights",
            table=Table(("factor", "weight"), [(f.name, f"{record.weights[f.id]:.1%}") for f in model.factors]),
        ),
        Section(
            "Ranking",
            figures=("ranking", "contributions"),
            table=Table(
                ("rank", "placement", "score", "benefits (points)", "risks (points)"),
                [
                    (
                        str(r["rank"]),
                        r["placement"],
                        f"{r['score']:.1f}",
                        f"{r['benefit_points']:+.1f}",
                        f"{r['risk_points']:+.1f}",
                    )
                    for r in ranking.to_dict("records")
                ],
            ),
        ),
        Section(
            "Contributions by factor (points above or below the neutral 50)",
            level=3,
            table=Table(
                ("placement", *(f.name for f in model.factors)),
                [(r.name, *(f"{r.contributions[f.id] * points:+.1f}" for f in model.factors)) for r in record.results],
            ),
        ),
        Section("Why it leads", level=3, bullets=tuple(record.explanation)),
        Section("Robustness", paragraphs=(record.verdict, f"Setting: {record.setting}.")),
        *(_room_sections(d.room) if d.room else []),
        _model_section(record),
        *filter(None, [room_cells_section(model)]),
        Section("Evidence gaps", bullets=tuple(evidence_gaps(model))),
    ]
    staffing = staffing_section(d, model)
    if staffing:
        found.append(staffing)
    found.append(Section("Source", paragraphs=(model.sources["source"] + ". Statements in the app are paraphrases.",)))
    return found


def method_line(details: Details) -> str:
    """How the weights were reached: this session's method, or the room's and how its votes were combined."""
    room = details.room
    if room is None:
        return f"Weighting method: {WEIGHT_METHOD_DESCRIPTIONS[details.method]}"
    return (
        f"Weighting method: {WEIGHT_METHOD_DESCRIPTIONS[room.method]}, each participant on their own; "
        f"the group's weights are {GROUP_WEIGHTS_RULES[room.method]}"
    )


def meta(record: Record) -> list[str]:
    """The lines under the title: date, weighting method, participants."""
    d = record.details
    lines = [f"Date: {d.day.isoformat()}", method_line(d)]
    if d.room is not None:
        lines.append(
            f"Participants: {d.room.participants} in room {d.room.room}, round {d.room.round} "
            "(the weights below are the group's)"
        )
    return lines


def to_markdown(record: Record) -> str:
    """Markdown whose typed text stays text (see `plain`): no construct can start inside it."""
    text = plain
    lines = [f"# Decision record: {text(record.details.title)}", ""]
    lines += [f"{text(line)}  " for line in meta(record)]
    for item in sections(record):
        lines += ["", f"{'#' * item.level} {text(item.title)}", ""]
        for paragraph in item.paragraphs:
            lines += [text(paragraph), ""]
        if item.says_empty:
            lines += [f"_{item.empty}_", ""]
        if item.table:
            lines.append("| " + " | ".join(text(c, cell=True) for c in item.table.columns) + " |")
            lines.append("|---" * len(item.table.columns) + "|")
            lines += ["| " + " | ".join(text(c, cell=True) for c in row) + " |" for row in item.table.rows]
            lines.append("")
        lines += [f"- {text(b)}" for b in item.bullets]
        while lines[-1] == "":
            lines.pop()
    return "\n".join(lines) + "\n"


def to_html(record: Record) -> str:
    """A self-contained page from a template that escapes every text; the charts inlined as SVG."""
    model = record.model
    specs = {  # the charts read plain columns, as on Explore: no data frame needed
        "ranking": charts.ranking_chart(model, tables.ranking_columns(model, record.results)),
        "contributions": charts.contributions_chart(
            model, tables.contributions_columns(model, record.results, record.weights)
        ),
    }
    figures = {name: Markup(_svg(spec)) for name, spec in specs.items()}  # vl-convert's SVG, from our own specs
    return _TEMPLATES.get_template("record.html.j2").render(
        title=record.details.title, meta=meta(record), sections=sections(record), figures=figures
    )


def pdf_available() -> str | None:
    """None when PDFs can be made here; otherwise what is missing, in words."""
    try:
        import weasyprint  # noqa: F401, PLC0415 - only to know whether it loads
    except (ImportError, OSError) as error:
        return f"PDF export needs WeasyPrint and the Pango library, which this server lacks ({type(error).__name__})."
    return None


def to_pdf(record: Record) -> bytes:
    """The HTML record printed to PDF by WeasyPrint; PdfUnavailable when WeasyPrint or its libraries are missing."""
    missing = pdf_available()
    if missing:
        raise PdfUnavailable(missing)
    return html_to_pdf(to_html(record))


def html_to_pdf(page: str) -> bytes:
    """A record's HTML (`to_html`) printed to PDF by WeasyPrint (see `pdf_available`)."""
    from weasyprint import HTML  # noqa: PLC0415 - heavy to import: only the PDF needs it

    return HTML(string=page).write_pdf()


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
    rows += [
        (
            "room cell",
            f"{record.model.placement(c.placement).name} x {record.model.factor(c.factor).name}",
            c.room_text,
            str(c.score),
        )
        for c in record.model.cells.values()
        if c.provenance == "room"
    ]
    rows += _model_rows(record)
    if record.details.room is not None:
        rows += _room_rows(record.details.room)
    rows.append(("robustness", "verdict", "", record.verdict))
    rows.append(("robustness", "setting", "", record.setting))
    if record.details.staffing:
        rows += [
            *(
                ("staffing", name, "", "" if bound.headcount is None else str(bound.headcount))  # blank: no guidance
                for name, bound in (("low", record.details.staffing.low), ("high", record.details.staffing.high))
            ),
        ]
    for row in rows:
        writer.writerow([neutralise(cell) if i < 3 or not _is_number(cell) else cell for i, cell in enumerate(row)])
    return out.getvalue()


def _model_rows(record: Record) -> list[tuple[str, str, str, str]]:
    """The team's changes to the source model: each edited cell (source value, now) and each added item."""
    model, baseline = record.model, record.baseline
    rows = []
    for c in model.cells.values():
        if c.edited and c.provenance != "room":  # the room's cells: their own rows
            cell = f"{model.placement(c.placement).name} x {model.factor(c.factor).name}"
            rows.append(("edited cell", cell, f"source baseline ({c.original_provenance})", str(c.original_score)))
            rows.append(("edited cell", cell, "now", str(c.score)))
    if baseline is not None:
        rows += [("added", "factor", "", f.name) for f in model.factors if f.id not in baseline.factor_ids]
        rows += [("added", "placement", "", p.name) for p in model.placements if p.id not in baseline.placement_ids]
    return rows


def _room_rows(group: GroupWeights) -> list[tuple[str, str, str, str]]:
    """The workshop round behind the group's weights: who, how, how much they agreed, and what they said."""
    rows = [
        ("room", "code", "", group.room),
        ("room", "round", "", str(group.round)),
        ("room", "participants", "", str(group.participants)),
        ("room", "method", "", WEIGHT_METHOD_DESCRIPTIONS[group.method]),
        ("room", "group weights", "", GROUP_WEIGHTS_RULES[group.method]),
        ("room", "Kendall's W", group.consensus, "" if group.kendall_w is None else f"{group.kendall_w:.4f}"),
        ("room", "scored with", "", group.model_note),
    ]
    for name, q1, median, q3 in group.spread:
        rows += [
            ("room spread", name, part, f"{value:.6f}") for part, value in (("q1", q1), ("median", median), ("q3", q3))
        ]
    for name, alone, tied in group.winners:
        rows += [("room winners", name, "first for", str(alone)), ("room winners", name, "tied first for", str(tied))]
    rows += [("room comment", name, "", text) for name, text in group.comments]
    return rows


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line for line in text.splitlines() if line.strip())


def _svg(spec: dict) -> str:
    """The chart as SVG, its text in a font installed with the app's system packages, so that the widths
    vl-convert measures to lay out labels are the widths a browser or the PDF draws."""
    # One legend column on the page's narrow width, and lines that never touch.
    legend = {**spec["config"].get("legend", {}), "columns": 1, "rowPadding": 8}
    config = {**spec["config"], "font": EXPORT_FONT, "legend": legend}
    return vl_convert.vegalite_to_svg(charts.to_json({**spec, "config": config, "width": CHART_WIDTH}))


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True
