"""The facilitator's guide: the timing of the session's steps and the step timer.

Time is always passed in (seconds since any fixed origin, e.g. time.time()); nothing
here reads the clock, so every state can be worked out by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from placement.data.guide import Step


def total_minutes(steps: list[Step]) -> int:
    return sum(s.minutes for s in steps)


def countdown(minutes: int, elapsed_seconds: float) -> tuple[str, float, bool]:
    """(time left as m:ss, or +m:ss over; share of the step used, capped at 1; whether it overran)."""
    left = minutes * 60 - int(elapsed_seconds)
    over = left < 0
    shown = abs(left)
    text = f"{'+' if over else ''}{shown // 60}:{shown % 60:02d}"
    return text, min(1.0, max(0.0, elapsed_seconds / (minutes * 60))), over


@dataclass(frozen=True)
class Timer:
    """Which step the session is on and how long it has run: paused when `started_at` is None."""

    step: int = 0
    started_at: float | None = None  # when the timer was last started
    elapsed_before: float = 0.0  # time used before the last pause

    @property
    def running(self) -> bool:
        return self.started_at is not None

    def elapsed(self, now: float) -> float:
        return self.elapsed_before + (now - self.started_at if self.running else 0.0)

    def start(self, now: float) -> Timer:
        return self if self.running else replace(self, started_at=now)

    def pause(self, now: float) -> Timer:
        return replace(self, started_at=None, elapsed_before=self.elapsed(now)) if self.running else self

    def toggle(self, now: float) -> Timer:
        """The Start/Pause button."""
        return self.pause(now) if self.running else self.start(now)

    def go_to(self, index: int) -> Timer:
        """Another step, with its timer reset and paused."""
        return Timer(index)
