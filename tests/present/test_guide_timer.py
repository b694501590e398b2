"""The guide's countdown and step timer (placement/present/guide.py), with times worked out by hand."""

from __future__ import annotations

import dataclasses

import pytest

from placement.present.guide import Timer, countdown, total_minutes

# --- countdown ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "elapsed", "expected"),
    [
        (5, 30, ("4:30", 0.1, False)),
        (1, 75, ("+0:15", 1.0, True)),
        (2, 0, ("2:00", 0.0, False)),
        (10, 600, ("0:00", 1.0, False)),
        (10, 601, ("+0:01", 1.0, True)),
        (8, 29.9, ("7:31", 29.9 / 480, False)),
        (3, 3 * 60 + 125, ("+2:05", 1.0, True)),
        (60, 59, ("59:01", 59 / 3600, False)),
    ],
)
def test_countdown(minutes, elapsed, expected):
    text, used, over = countdown(minutes, elapsed)
    assert (text, over) == (expected[0], expected[2])
    assert used == pytest.approx(expected[1])
    assert 0.0 <= used <= 1.0


def test_total_minutes_of_no_steps_is_zero():
    assert total_minutes([]) == 0


# --- timer -------------------------------------------------------------------------------------


def test_a_new_timer_is_on_the_first_step_and_paused():
    timer = Timer()
    assert (timer.step, timer.running) == (0, False)
    assert timer.elapsed(now=1_000.0) == 0.0


def test_a_running_timer_counts_from_its_start():
    timer = Timer().start(now=100.0)
    assert timer.running
    assert timer.elapsed(now=100.0) == 0.0
    assert timer.elapsed(now=142.5) == 42.5


def test_pause_keeps_the_time_used_and_stops_counting():
    timer = Timer().start(now=100.0).pause(now=130.0)  # 30 s used
    assert not timer.running
    assert timer.elapsed(now=130.0) == 30.0
    assert timer.elapsed(now=999.0) == 30.0  # paused: time passing adds nothing


def test_restarting_adds_to_the_time_before_the_pause():
    timer = Timer().start(now=100.0).pause(now=130.0).start(now=200.0)  # 30 s, then a 70 s break
    assert timer.elapsed(now=245.0) == 75.0  # 30 + 45
    timer = timer.pause(now=260.0)
    assert timer.elapsed(now=500.0) == 90.0  # 30 + 60
    assert countdown(2, timer.elapsed(now=500.0)) == ("0:30", 0.75, False)


def test_toggle_is_start_then_pause():
    timer = Timer().toggle(now=10.0)
    assert timer.running and timer.started_at == 10.0
    timer = timer.toggle(now=25.0)
    assert not timer.running and timer.elapsed_before == 15.0


def test_start_while_running_and_pause_while_paused_change_nothing():
    running = Timer().start(now=10.0)
    assert running.start(now=50.0) == running
    paused = Timer(elapsed_before=12.0)
    assert paused.pause(now=50.0) == paused


def test_going_to_a_step_resets_and_pauses_the_timer():
    timer = Timer().start(now=0.0).pause(now=40.0).start(now=50.0)
    moved = timer.go_to(3)
    assert moved == Timer(3, None, 0.0)
    assert moved.elapsed(now=1_000.0) == 0.0
    assert moved.go_to(2).step == 2


def test_the_timer_is_immutable():
    timer = Timer().start(now=5.0)
    timer.pause(now=9.0)
    assert timer.running and timer.elapsed(now=9.0) == 4.0  # the original is unchanged
    with pytest.raises(dataclasses.FrozenInstanceError):
        timer.step = 2
