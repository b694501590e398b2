"""The facilitator's guide: the timing of the session's steps."""

from __future__ import annotations

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
