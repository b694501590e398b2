"""Command line: `python -m placement model|rank ...` for scripting, reports and checks."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from placement.analysis.scoring import rank
from placement.analysis.weights import normalise
from placement.data import schema
from placement.data.model import Model, load_model
from placement.data.problems import InputError, Problem
from placement.data.text import clean_text
from placement.settings import (
    CERTAINTY_LEVELS,
    DEFAULT_CERTAINTY,
    DEFAULT_TITLE,
    MAX_NUMBER_LENGTH,
    MAX_SEED,
    MAX_SMAA_SAMPLES,
    ROOM_DAYS,
    SMAA_SAMPLES,
    SMAA_SEED,
)

# What only some commands need is imported by them: `rank` loads neither the robustness analysis, the
# model file reader, nor the report with its charts, Altair, Jinja and WeasyPrint (tests/test_cli.py).
if TYPE_CHECKING:
    from placement.analysis.robustness import Robustness, Settings

if TYPE_CHECKING:
    from placement.analysis.ahp import Ahp

MAX_KAPPA = 1e6  # concentration beyond this is certainty; larger values only overflow the sampler


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors as one `error:` line with exit status 2."""

    def error(self, message: str):
        raise UsageError(message)


class UsageError(Exception):
    pass


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m placement", description=f"{DEFAULT_TITLE} Score the placements.")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    model = commands.add_parser("model", help="print the decision model")
    model.add_argument("--json", action="store_true", help="print JSON (the only format)")
    model.add_argument(
        "--model", metavar="FILE", help="a model file (.json) or score matrix (.csv) exported by the app"
    )
    ranking = commands.add_parser("rank", help="rank the placements under some weights")
    _add_weight_options(ranking)
    ranking.add_argument("--json", action="store_true", help="print JSON instead of a table")
    report = commands.add_parser("report", help="write the decision record")
    _add_weight_options(report)
    report.add_argument(
        "--format",
        choices=["md", "html", "pdf", "csv"],
        default="md",
        help="Markdown, self-contained HTML, PDF (needs WeasyPrint) or CSV of the numbers",
    )
    report.add_argument("--out", required=True, metavar="FILE", help="where to write it")
    report.add_argument("--title", default=DEFAULT_TITLE)
    report.add_argument("--decision", default="", help="the decision, as text")
    report.add_argument("--notes", default="", help="notes, owners and open questions")
    _add_certainty_options(report)
    validate = commands.add_parser("validate", help="check a model file (.json) or score matrix (.csv)")
    validate.add_argument("file", metavar="FILE")
    sens = commands.add_parser("sensitivity", help="how robust the leader is (stability intervals and SMAA-2)")
    _add_weight_options(sens)
    _add_certainty_options(sens)
    sens.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    _add_rooms_commands(commands)
    pairwise = commands.add_parser("ahp", help="weights and consistency of a pairwise comparison matrix (AHP)")
    pairwise.add_argument("file", metavar="FILE", help="CSV: a header of factor ids, one row per factor; 1/3 allowed")
    pairwise.add_argument("--json", action="store_true", help="print JSON instead of a summary")
    return parser


def _add_certainty_options(parser: argparse.ArgumentParser) -> None:
    """How sure to be of the weights, as on "How sure are we?"; the defaults are robustness.Settings()'s."""
    parser.add_argument(
        "--samples", type=_positive_int, default=SMAA_SAMPLES, help="SMAA-2 samples (default %(default)s)"
    )
    parser.add_argument("--seed", type=_seed, default=SMAA_SEED, help="random seed (default %(default)s)")
    spread = parser.add_mutually_exclusive_group()
    spread.add_argument(
        "--kappa",
        type=_positive_float,
        default=CERTAINTY_LEVELS[DEFAULT_CERTAINTY],
        help="concentration around the weights (default %(default)s, the app's default certainty)",
    )
    spread.add_argument("--uniform", action="store_true", help="sample weights uniformly: 'we have no idea'")
    parser.add_argument(
        "--doubt-cells",
        action="store_true",
        help="let inferred and no-evidence score cells vary by +-1, each on its own",
    )
    parser.add_argument(
        "--doubt-statements",
        action="store_true",
        help="let the cells each statement drives (documented or inferred) vary by +-1 together",
    )


def certainty_settings(args: argparse.Namespace) -> Settings:
    """The robustness settings chosen by the certainty options."""
    from placement.analysis.robustness import Settings  # noqa: PLC0415 - see the imports above

    return Settings(
        None if args.uniform else args.kappa, args.doubt_cells, args.samples, args.seed, args.doubt_statements
    )


def _add_weight_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--model", metavar="FILE", help="a model file (.json) or score matrix (.csv) exported by the app"
    )
    weights = parser.add_mutually_exclusive_group()
    weights.add_argument("--preset", help="a preset id (see `model --json`)")
    weights.add_argument(
        "--weight",
        action="append",
        default=[],
        metavar="FACTOR=VALUE",
        help="a factor's weight, repeatable; unnamed factors weigh 0",
    )


def _whole(text: str, low: int, high: int) -> int:
    """A whole number typed in ASCII digits (no '²', no 5,000 digits), from `low` to `high`; a plain message otherwise."""
    digits = text.strip()
    value = int(digits) if digits.isascii() and digits.isdigit() and len(digits) <= MAX_NUMBER_LENGTH else None
    if value is None or not low <= value <= high:
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' must be a whole number from {low:,} to {high:,}")
    return value


def _positive_int(text: str) -> int:
    return _whole(text, 1, MAX_SMAA_SAMPLES)


def _seed(text: str) -> int:
    return _whole(text, 0, MAX_SEED)


def _positive_float(text: str) -> float:
    try:
        value = float(text) if len(text) <= MAX_NUMBER_LENGTH else -1.0
    except ValueError:
        value = -1.0
    if not 0 < value <= MAX_KAPPA:
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' must be a positive number up to {MAX_KAPPA:g}")
    return value


def _shown(text: str) -> str:
    """A typed value as quoted in a message: one line, clipped."""
    text = clean_text(text)
    return text if len(text) <= 40 else text[:39] + "…"


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        if args.command == "validate":
            return validate(args.file)
        if args.command == "rooms":
            return rooms_command(args)
        if args.command == "ahp":
            return ahp_command(args.file, args.json)
        model, file_weights = load(getattr(args, "model", None))
        if args.command == "model":
            print(json.dumps(model_json(model), indent=2))
            return 0
        weights = resolve_weights(model, args.preset, args.weight, file_weights)
        if args.command == "report":
            return write_report(model, weights, args)
        if args.command == "rank":
            print(json.dumps(rank_json(model, weights), indent=2) if args.json else rank_table(model, weights))
        else:
            from placement.analysis import robustness  # noqa: PLC0415 - see the imports above

            analysis = robustness.analyse(model, weights, certainty_settings(args))
            print(
                json.dumps(sensitivity_json(model, analysis), indent=2)
                if args.json
                else sensitivity_text(model, analysis)
            )
    except (UsageError, InputError) as error:
        print(f"error: {' | '.join(str(error).splitlines())}", file=sys.stderr)
        return 2
    return 0


def write_report(model: Model, weights: dict[str, float], args: argparse.Namespace) -> int:
    from placement.present import record  # noqa: PLC0415 - see the imports above

    details = record.Details(title=args.title, decision=args.decision, notes=args.notes)
    built = record.build(model, weights, details, certainty_settings(args), baseline=load_model())
    render = {"md": record.to_markdown, "html": record.to_html, "pdf": record.to_pdf, "csv": record.to_csv}
    try:
        content = render[args.format](built)
    except record.PdfUnavailable as error:
        raise UsageError(str(error)) from None
    write_atomically(Path(args.out), content if isinstance(content, bytes) else content.encode("utf-8"))
    print(f"wrote {args.out}")
    return 0


def write_atomically(path: Path, content: bytes) -> None:
    """Write beside the target, then rename: a failed write leaves the previous file as it was."""
    temporary = None
    try:
        with tempfile.NamedTemporaryFile(dir=path.parent, prefix=f".{path.name}.", delete=False) as handle:
            temporary = Path(handle.name)
            handle.write(content)
        os.replace(temporary, path)
    except OSError as error:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise UsageError(f"cannot write {path} ({error.strerror})") from None


def load(path: str | None) -> tuple[Model, dict[str, float]]:
    """The shipped model, or one from a file with any weights it carries.

    A score matrix applies to the shipped model plus the optional placements it scores (the Hybrid)."""
    if path is None:
        return load_model(), {}
    from placement.data import modelfile  # noqa: PLC0415 - see the imports above

    data, name = _read(path), Path(path).name
    return modelfile.load_file(data, name, modelfile.base_for_scores(load_model(include_optional=True), data))


# The other tables of data/, each checked by its own schema (scores.csv is a score matrix, as exported).
DATA_TABLES = {
    spec.file: spec
    for spec in (
        *schema.ALL_TABLES,
        schema.STAFFING_RULES,
        schema.START_SIGNALS,
        schema.STAFFING_POINTS,
        schema.GUIDE_STEPS,
        schema.PROFILE_QUESTIONS,
        schema.PROFILE_ANSWERS,
        schema.PROFILE_EFFECTS,
    )
    if spec is not schema.SCORES
}


def validate(path: str) -> int:
    """Exit 0 for a valid file; 1 with every problem, one per line, otherwise."""
    try:
        summary = _check_data_table(Path(path)) if Path(path).name in DATA_TABLES else _check_model_file(path)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    print(f"{path}: valid ({summary})")
    return 0


def _check_model_file(path: str) -> str:
    model, _ = load(path)
    return f"{len(model.placements)} placements, {len(model.factors)} factors"


def _check_data_table(path: Path) -> str:
    """One of data/'s tables by its schema; with every other table beside it, their references to each other too."""
    problems: list[Problem] = []
    rows = schema.read_table(path.parent, DATA_TABLES[path.name], problems)
    if problems:
        raise InputError(problems)
    if not all((path.parent / file).is_file() for file in (*DATA_TABLES, schema.SCORES.file)):
        return f"{len(rows)} rows; the other data files are not beside it, so its references were not checked"
    from placement.data.catalog import load_catalog  # noqa: PLC0415 - see the imports above

    load_catalog(path.parent)
    return f"{len(rows)} rows, and its references to the other data files"


def _read(path: str) -> bytes:
    try:
        return schema.read_bounded(path, Path(path).name)
    except OSError as error:
        raise InputError([Problem(path, f"cannot read the file ({error.strerror})", "check the path")]) from None


def resolve_weights(
    model: Model, preset: str | None, pairs: list[str], fallback: dict[str, float] | None = None
) -> dict[str, float]:
    """Normalised weights from a preset id, FACTOR=VALUE pairs, or the model file's weights (default: Balanced)."""
    if not pairs and preset is None and fallback and any(fallback.values()):
        return normalise(fallback, model.factor_ids)
    if preset is not None:
        if preset not in model.presets:
            raise UsageError(f"unknown preset '{_shown(preset)}'; use one of {', '.join(model.presets)}")
        return normalise(model.presets[preset].weights, model.factor_ids)
    if not pairs:
        return normalise({f: 1.0 for f in model.factor_ids}, model.factor_ids)
    raw: dict[str, float] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise UsageError(f"--weight '{_shown(pair)}' must look like FACTOR=VALUE")
        if name not in model.factor_ids:
            raise UsageError(f"unknown factor '{_shown(name)}'; use one of {', '.join(model.factor_ids)}")
        try:
            if len(value) > MAX_NUMBER_LENGTH:
                raise ValueError(value)
            raw[name] = float(value)
        except ValueError:
            raise UsageError(f"weight '{_shown(value)}' for '{name}' is not a number") from None
    return normalise(raw, model.factor_ids)


def model_json(model: Model) -> dict:
    return {
        "placements": [vars(p) for p in model.placements],
        "factors": [vars(f) for f in model.factors],
        "scores": [vars(c) for c in model.cells.values()],
        "evidence": [vars(e) for e in model.evidence.values()],
        "sources": model.sources,
        "presets": [vars(p) for p in model.presets.values()],
    }


def rank_json(model: Model, weights: dict[str, float]) -> dict:
    return {
        "weights": weights,
        "ranking": [
            {
                "placement": r.placement,
                "name": r.name,
                "score": r.score,
                "rank": r.rank,
                "contributions": r.contributions,
            }
            for r in rank(model, weights)
        ],
    }


def sensitivity_json(model: Model, analysis: Robustness) -> dict:
    result = analysis.smaa
    ids = model.placement_ids
    return {
        "leader": ids[analysis.leader],
        "stability": {
            model.factor_ids[s.factor]: {"current": s.current, "low": s.low, "high": s.high}
            for s in analysis.stabilities
        },
        "acceptability": {p: result.acceptability[i].tolist() for i, p in enumerate(ids)},
        # SMAA-2 leaves the confidence of a placement that never ranks first undefined: null, not 0.
        "confidence": {p: _defined(result.confidence[i]) for i, p in enumerate(ids)},
        "central_weights": {
            p: None
            if np.isnan(result.central_weights[i]).any()
            else dict(zip(model.factor_ids, result.central_weights[i].tolist(), strict=True))
            for i, p in enumerate(ids)
        },
        "samples": result.samples,
        "seed": result.seed,
        "kappa": analysis.settings.kappa,
        "doubt_cells": analysis.settings.doubt_cells,
        "doubt_statements": analysis.settings.doubt_statements,
    }


def _defined(value: float) -> float | None:
    return None if np.isnan(value) else float(value)


def sensitivity_text(model: Model, analysis: Robustness) -> str:
    """The verdict, then each placement's share of first places and confidence factor ('n/a' when undefined)."""
    from placement.analysis import robustness  # noqa: PLC0415 - see the imports above

    result = analysis.smaa
    width = max(len(p.name) for p in model.placements)
    lines = [robustness.verdict(model, analysis), "", f"{'placement':<{width}}  {'first':>6}  {'confidence':>10}"]
    for i, p in enumerate(model.placements):
        confidence = _defined(result.confidence[i])
        shown = "n/a" if confidence is None else f"{confidence:.1%}"
        lines.append(f"{p.name:<{width}}  {result.acceptability[i, 0]:>6.1%}  {shown:>10}")
    lines.append(f"({analysis.settings.describe()})")
    return "\n".join(lines)


def rank_table(model: Model, weights: dict[str, float]) -> str:
    lines = [f"{'rank':>4}  {'score':>5}  placement"]
    lines += [f"{r.rank:>4}  {r.score:5.1f}  {r.name}" for r in rank(model, weights)]
    lines.append("")
    lines.append("weights: " + ", ".join(f"{model.factor(f).name} {w:.0%}" for f, w in weights.items()))
    return "\n".join(lines)


# --- workshop rooms: the administrator's housekeeping ----------------------------------------------


def _add_rooms_commands(commands) -> None:
    rooms = commands.add_parser(
        "rooms", help="list, close or purge workshop rooms (database from PLACEMENT_DATABASE_URL / PLACEMENT_DB_PATH)"
    )
    actions = rooms.add_subparsers(dest="rooms_action", required=True, parser_class=_Parser)
    actions.add_parser("list", help="every room: code, created, state, participants, title")
    close = actions.add_parser("close", help="close a room (voting and joining stop)")
    close.add_argument("code", metavar="CODE")
    purge = actions.add_parser("purge", help="delete old rooms with their votes, listing each")
    purge.add_argument(
        "--older-than", type=_days, default=None, metavar="DAYS", help="age in days (default: the rooms' lifetime)"
    )
    purge.add_argument("--yes", action="store_true", help="also delete rooms that have not expired yet")


def _days(text: str) -> float:
    try:
        value = float(text) if len(text) <= MAX_NUMBER_LENGTH else -1.0
    except ValueError:
        value = -1.0
    if not 0 <= value <= 36500:
        raise argparse.ArgumentTypeError(f"'{_shown(text)}' must be a number of days from 0 to 36500")
    return value


def rooms_command(args: argparse.Namespace) -> int:
    """`rooms list|close CODE|purge [--older-than DAYS] [--yes]` on the database the environment names.

    A database it cannot use (a malformed URL, a driver not installed, a server that does not answer,
    a file that is not a database) is one `error:` line naming the setting and the fix, exit status 1.
    """
    import sqlalchemy as sa

    from placement.workshop.database import database_problem, database_source
    from placement.workshop.domain import RoomError
    from placement.workshop.schema import database_url
    from placement.workshop.store import RoomStore

    engine = None
    try:
        engine = sa.create_engine(database_url())
        store = RoomStore(engine)
        if args.rooms_action == "list":
            for room in store.list_rooms():
                created = room.created_at.strftime("%Y-%m-%d %H:%M")
                print(f"{room.code}  {created}  {_state(room):6}  {room.participants:4} joined  {_title(room)}")
        elif args.rooms_action == "close":
            store.close_as_admin(args.code)
            print(f"Closed room {args.code.upper()}.")
        else:
            return purge_rooms(store, args.older_than, args.yes)
    except (sa.exc.SQLAlchemyError, RoomError, OSError, ImportError) as error:
        problem = str(error) if isinstance(error, RoomError) else database_problem(error, database_source())
        print(f"error: {problem}", file=sys.stderr)
        return 1
    finally:
        if engine is not None:
            engine.dispose()
    return 0


def purge_rooms(store, older_than: float | None, confirmed: bool) -> int:
    """Delete the rooms older than `older_than` days (default: expired ones), each listed with its age.

    Rooms that have not expired are deleted only with --yes: without it nothing is deleted and the
    rooms are listed with the command to run."""
    days = ROOM_DAYS if older_than is None else older_than
    now = datetime.now(UTC)  # one moment for the listing and the deletion: a room made meanwhile is kept
    chosen = [r for r in store.list_rooms() if now - r.created_at > timedelta(days=days)]
    live = [r for r in chosen if now - r.created_at <= timedelta(days=ROOM_DAYS)]
    if live and not confirmed:
        print(f"Would delete {len(chosen)} room(s) older than {days:g} days:")
        print("\n".join(_aged(room, now) for room in chosen))
        print(
            f"error: {len(live)} of them {'has' if len(live) == 1 else 'have'} not expired (rooms expire "
            f"{ROOM_DAYS} days after they are created); nothing was deleted. "
            "Run the command again with --yes to delete them.",
            file=sys.stderr,
        )
        return 1
    purged = set(store.purge(days, now))
    print(f"Purged {len(purged)} room(s) older than {days:g} days{':' if purged else '.'}")
    print("\n".join(_aged(room, now) for room in chosen if room.code in purged), end="\n" if purged else "")
    return 0


def _aged(room, now: datetime) -> str:
    """A room as purge lists it: code, age, expired or not, state, title."""
    age = (now - room.created_at).total_seconds() / 86400
    expired = "expired" if age > ROOM_DAYS else "not expired"
    return f"{room.code}  {age:6.1f} days old  {expired:11}  {_state(room):6}  {_title(room)}"


def _state(room) -> str:
    return "closed" if room.closed else "open"


def _title(room) -> str:
    return clean_text(room.title)


# --- pairwise comparisons ---------------------------------------------------------------------------


def ahp_command(path: str, as_json: bool) -> int:
    """Weights, lambda_max, CI, CR and the most inconsistent judgement; exit 1 naming every problem."""
    from placement.analysis import ahp
    from placement.data.pairwise import read_matrix

    try:
        ids, matrix = read_matrix(_read(path), Path(path).name)
        result = ahp.analyse(ids, matrix)
    except InputError as error:
        for problem in error.problems:
            print(problem, file=sys.stderr)
        return 1
    summary = {
        "weights": result.weights,
        "lambda_max": result.lambda_max,
        "ci": result.ci,
        "cr": result.cr,
        "random_index": result.random_index.value,
        "cr_method": result.cr_source,
        "method": result.method,
        "most_inconsistent": [list(pair) for pair in result.most_inconsistent],  # every pair tied for furthest
    }
    print(json.dumps(summary, indent=2) if as_json else ahp_text(result))
    return 0


def ahp_text(result: Ahp) -> str:
    from placement.analysis import ahp

    lines = [f"{factor:<30} {weight:6.1%}" for factor, weight in result.weights.items()]
    lines.append(
        f"{result.method}, {result.comparisons} comparisons: lambda_max {result.lambda_max:.3f}, "
        f"CI {result.ci:.3f}, CR {result.cr:.3f}"
    )
    lines.append(result.cr_source)
    if result.too_inconsistent:
        pairs = ", ".join(f"{first} vs {second}" for first, second in result.most_inconsistent)
        lines.append(f"CR above {ahp.CR_LIMIT:.2f}: revisit {pairs} first.")
    return "\n".join(lines)
