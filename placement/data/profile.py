"""The "start from your company" questionnaire, read and checked from data/profile_*.csv.

A question is a choice among answers, or a count whose answer is the band it falls in. Every
answer's effects on the factors' weights carry the reason shown to the user and what it rests on:
the source's statement, a published fact (each with its citation), or our judgement.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from placement.data import schema
from placement.data.model import DATA_DIR
from placement.data.problems import InputError, Problem


@dataclass(frozen=True)
class Answer:
    id: str
    label: str
    low: int | None  # a count question's band, inclusive
    high: int | None


@dataclass(frozen=True)
class Question:
    id: str
    prompt: str
    kind: str  # "choice" or "count"
    low: int | None
    high: int | None
    default: int | None
    help: str
    answers: tuple[Answer, ...]

    def answer(self, value: str | int) -> Answer | None:
        """The answer a choice id or a count picks; None when it picks none."""
        if self.kind == "count":
            return next((a for a in self.answers if a.low <= value <= a.high), None)
        return next((a for a in self.answers if a.id == value), None)


BASIS_LABELS = {"source": "the source", "published": "published", "judgement": "our judgement"}


@dataclass(frozen=True)
class Effect:
    question: str
    answer: str
    factor: str
    effect: int
    reason: str
    basis: str  # source | published | judgement
    citation: str  # the citation as people read it (sources.csv); '' for our judgement

    @property
    def basis_label(self) -> str:
        """'the source', 'published: <citation>' or 'our judgement', shown beside the reason."""
        return f"published: {self.citation}" if self.basis == "published" else BASIS_LABELS[self.basis]


@dataclass(frozen=True)
class Questionnaire:
    questions: tuple[Question, ...]
    effects: tuple[Effect, ...]

    def question(self, question_id: str) -> Question:
        return next(q for q in self.questions if q.id == question_id)


def load_questionnaire(factor_ids: list[str], directory: Path | str = DATA_DIR) -> Questionnaire:
    """Read the three tables; every answer must belong to a question, every effect to an answer and a factor."""
    problems: list[Problem] = []
    folder = Path(directory)
    question_rows = schema.read_table(folder, schema.PROFILE_QUESTIONS, problems)
    answer_rows = schema.read_table(folder, schema.PROFILE_ANSWERS, problems)
    effect_rows = schema.read_table(folder, schema.PROFILE_EFFECTS, problems)
    sources = {s["id"]: s["citation"] for s in schema.read_table(folder, schema.SOURCES, problems)}
    if problems:  # a table that could not be read would make every reference to it look wrong
        raise InputError(problems)
    problems += _answer_problems(answer_rows, {q["id"]: q for q in question_rows})
    problems += _count_problems(question_rows, answer_rows)
    answers = {(a["question"], a["answer"]) for a in answer_rows}
    for e in effect_rows:
        if (e["question"], e["answer"]) not in answers:
            problems.append(
                _problem(
                    "profile_effects.csv",
                    e,
                    "answer",
                    f"unknown answer '{e['question']}/{e['answer']}'",
                    "use a question and answer from profile_answers.csv",
                )
            )
        if e["factor"] not in factor_ids:
            problems.append(
                _problem(
                    "profile_effects.csv",
                    e,
                    "factor",
                    f"unknown factor '{e['factor']}'",
                    f"use one of {', '.join(factor_ids)}",
                )
            )
        problems += _basis_problems(e, sources)
    if problems:
        raise InputError(problems)
    return Questionnaire(
        tuple(_question(q, answer_rows) for q in question_rows),
        tuple(
            Effect(
                e["question"],
                e["answer"],
                e["factor"],
                e["effect"],
                e["reason"],
                e["basis"],
                sources.get(e["citation"], ""),
            )
            for e in effect_rows
        ),
    )


def _basis_problems(effect: dict, sources: dict[str, str]) -> list[Problem]:
    """The source's statement or a published fact cites a known source (the source itself for the first); our
    judgement cites none, so that no judgement passes for a citation."""
    basis, citation = effect["basis"], effect["citation"]
    cited = f"cites '{citation}'" if citation else "has no citation"
    if basis == "judgement" and citation is not None:
        message, fix = f"the basis is our judgement but the row {cited}", "leave citation blank, or change the basis"
    elif basis == "source" and citation != "source":
        message, fix = f"the basis is the source but the row {cited}", "set citation to source"
    elif basis == "published" and (citation not in sources or citation == "source"):
        message, fix = (
            f"the basis is a published fact but the row {cited}",
            "cite its publication's id from sources.csv",
        )
    else:  # a blank or unknown basis is reported by the schema
        return []
    return [_problem("profile_effects.csv", effect, "citation", message, fix)]


def _question(row: dict, answer_rows: list[dict]) -> Question:
    answers = tuple(
        Answer(a["answer"], a["label"], a["low"], a["high"]) for a in answer_rows if a["question"] == row["id"]
    )
    return Question(
        row["id"], row["prompt"], row["kind"], row["low"], row["high"], row["default"], row["help"], answers
    )


def _answer_problems(answer_rows: list[dict], questions: dict[str, dict]) -> list[Problem]:
    problems = []
    for a in answer_rows:
        question = questions.get(a["question"])
        if question is None:
            problems.append(
                _problem(
                    "profile_answers.csv",
                    a,
                    "question",
                    f"unknown question '{a['question']}'",
                    "use an id from profile_questions.csv",
                )
            )
        elif (question["kind"] == "count") != (a["low"] is not None and a["high"] is not None):
            need = "a low and a high count" if question["kind"] == "count" else "no low or high (it is a choice)"
            problems.append(
                _problem(
                    "profile_answers.csv",
                    a,
                    "low",
                    f"'{a['question']}' is a {question['kind']} question",
                    f"give this answer {need}",
                )
            )
    return problems


def _count_problems(question_rows: list[dict], answer_rows: list[dict]) -> list[Problem]:
    """A count question's bands must cover low..high with no gap or overlap, so every count has one answer."""
    problems = []
    for q in question_rows:
        if q["kind"] != "count":
            continue
        if q["low"] is None or q["high"] is None or q["default"] is None or not q["low"] <= q["default"] <= q["high"]:
            problems.append(
                _problem(
                    "profile_questions.csv",
                    q,
                    "low",
                    f"count question '{q['id']}' needs low <= default <= high",
                    "fill in low, high and default",
                )
            )
            continue
        bands = sorted(
            (a["low"], a["high"])
            for a in answer_rows
            if a["question"] == q["id"] and a["low"] is not None and a["high"] is not None
        )
        expected = q["low"]
        for low, high in bands:
            if low != expected or high < low:
                break
            expected = high + 1
        if expected != q["high"] + 1:
            problems.append(
                _problem(
                    "profile_questions.csv",
                    q,
                    "id",
                    f"the answers to '{q['id']}' do not cover {q['low']} to {q['high']} once each",
                    "make the bands in profile_answers.csv follow each other without gaps or overlaps",
                )
            )
    return problems


def _problem(file: str, row: dict, column: str, message: str, fix: str) -> Problem:
    return Problem(file, message, fix, row["_row"], column)
