"""Input problems reported to people, all at once, each with its fix."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the input, located as precisely as we can."""

    where: str
    message: str
    fix: str
    row: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        place = self.where
        if self.row is not None:
            place += f", row {self.row}"
        if self.column is not None:
            place += f", column '{self.column}'"
        return f"{place}: {self.message}. Fix: {self.fix}"


class InputError(ValueError):
    """Raised with every problem found, so a user can fix them in one pass."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))
