"""surface_3d's floor marks: the shadow marks early steps that shrink, the outer
contours carry their losses, and the ball at rest lets the minimum's × show."""

from __future__ import annotations

import numpy as np

from scenes.clock import StepClock
from scenes.panels.bowl import LossBowl
from scenes.panels.bowl_marks import (
    LABELLED_LEVELS,
    SHADOW_GAP,
    hollow_at_rest,
    level_marks,
    shadow_steps,
)
from scenes.theme import PALETTES
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA


def default_run() -> Trace:
    """surface_3d's committed default run (the lesson's, 100 steps)."""
    return Trace.load(CONTROL_DATA / "surface_3d" / "default-run0.npz")


def test_the_shadow_marks_steps_while_they_stand_apart_and_shrink() -> None:
    trace = default_run()
    bowl, clock = LossBowl(PALETTES["dark"], trace), StepClock([trace])
    group, dots = shadow_steps(bowl, clock)
    clock.tracker.set_value(trace.n_steps)
    group.update()
    assert 3 <= len(group.submobjects) == len(dots) < trace.n_steps
    centres = np.array([dot.get_center() for dot in dots])
    gaps = np.linalg.norm(np.diff(centres, axis=0), axis=1)
    assert (gaps >= SHADOW_GAP - 1e-9).all()
    assert (np.diff(gaps) < 0).all()  # each stride shorter than the one before


def test_the_outer_contours_say_their_losses() -> None:
    bowl = LossBowl(PALETTES["dark"], default_run())
    marks = level_marks(bowl)
    assert len(marks) == LABELLED_LEVELS
    assert marks[0].shown.startswith("loss ")


def test_the_ball_at_rest_is_a_ring() -> None:
    trace = default_run()
    bowl, clock = LossBowl(PALETTES["dark"], trace), StepClock([trace])
    _, ball = bowl.path(clock)
    hollow_at_rest(bowl, clock, ball)
    assert ball.get_fill_opacity() == 1.0
    clock.tracker.set_value(trace.n_steps)
    ball.update()
    assert ball.get_fill_opacity() == 0.0
