"""Readouts and plots agree at every beat boundary, frame by frame as played.

Each scene is planned from its committed default runs; every moving beat is handed
to `play_beat` with `play` caught, so the clock's value on each frame comes from the
animation the video would play (its rate function at Manim's frame times). At the
last frame of every beat, where a caption cue starts or ends, the clock must stand on
the beat's end step: the plot is drawn there, and every readout shows that step.
"""

from __future__ import annotations

from typing import Any

import pytest
from manim import Mobject, config, tempconfig

from scenes.beats import frame_steps
from scenes.readout import Readout
from scenes.replay import ReplayScene
from scenes.schedule import Beat
from sgd_anim.registry import SCENES
from tests.conftest import PLANS
from tests.planned import planned_default
from tests.test_beats import FPS

pytestmark = pytest.mark.xdist_group(PLANS)


def played_steps(scene: ReplayScene, beat: Beat) -> list[float]:
    """The clock's value on each frame of a moving `beat`, from the animation
    `play_beat` hands to `play`."""
    caught: list[Any] = []
    scene.play = lambda *animations, **_: caught.extend(animations)  # type: ignore[method-assign]
    assert scene.schedule is not None
    clock_tracker = scene.movers[0]
    with tempconfig({"frame_rate": FPS}):
        try:
            scene.play_beat(_Clock(clock_tracker), beat)
        finally:
            del scene.play  # the scene is shared (tests/planned.py): its own again
        (builder,) = caught
        animation = builder.build()
        fps = config.frame_rate
    run_time, rate = animation.run_time, animation.rate_func
    span = beat.end - beat.start
    # Manim draws a play's frames at t = 0, 1/fps, ... while t < run_time
    times = [i / fps for i in range(beat.frames) if i / fps < run_time]
    assert len(times) == beat.frames
    return [beat.start + span * rate(t / run_time) for t in times]


class _Clock:
    """Just what play_beat reads of a StepClock."""

    def __init__(self, tracker: Mobject) -> None:
        self.tracker = tracker


def readouts_at(scene: ReplayScene, step: float) -> list[tuple[str, str]]:
    """Every readout's row and text with the clock at `step`."""
    scene.move_to_step(step)
    return [
        (member.row, member.shown or "")
        for mobject in scene.movers[1:]
        for member in mobject.get_family()
        if isinstance(member, Readout)
    ]


# Planning every scene takes most of a minute: the quick loop checks three
FAST = ("fit_line", "minibatch", "lr_too_low")


@pytest.mark.parametrize(
    "name",
    [
        pytest.param(name, marks=() if name in FAST else pytest.mark.slow)
        for name in sorted(SCENES)
    ],
)
def test_readouts_show_the_plots_step_at_every_beat_boundary(name: str) -> None:
    scene = planned_default(name)
    assert scene.schedule is not None
    moving = [beat for beat in scene.schedule.beats if beat.moves]
    assert moving
    for beat in moving:
        steps = played_steps(scene, beat)
        # the beat's last frame: the plot stands on its end step, so must the numbers
        assert steps[-1] == beat.end, (beat.name, steps[-1], beat.end)
        assert readouts_at(scene, steps[-1]) == readouts_at(scene, round(beat.end))
        # its first has left the previous beat's last frame (no frame shown twice)
        assert steps[0] > beat.start
        # and in between the numbers show the latest step the plot has reached
        assert all(step <= beat.end for step in steps)
        assert steps == pytest.approx(frame_steps(beat), abs=1e-9)
