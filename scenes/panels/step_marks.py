"""A small dot on a path at each step the replay has passed, so the steps' lengths
show: long strides at the start, a crowd where the run slows down. A long run marks
only its first MARKS steps; later ones sit where the marks already crowd."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import Dot, Mobject, VGroup

from scenes.clock import StepClock
from scenes.geometry import Points
from scenes.theme import Palette
from scenes.view import View
from sgdcore.trace import Trace

MARKS = 200
PLANE_RADIUS = 0.04  # on the parameter plane
BOWL_RADIUS = 0.065  # on the 3-D bowl, seen at a slant


def step_dots(count: int, palette: Palette, color: str, radius: float) -> list[Dot]:
    """`count` marks in `color`, edged in the background's colour."""
    return [
        Dot(
            radius=radius,
            fill_color=color,
            stroke_color=palette.background,
            stroke_width=1.5,
        )
        for _ in range(count)
    ]


def marks_where(
    clock: StepClock, trace: Trace, dots: list[Dot], points: Callable[[int], Points]
) -> VGroup:
    """The marks of `trace`'s steps passed, each at its row of `points(passed)`
    (scene points of the steps 0..passed-1, NaN where one is not drawn)."""

    def place(mob: Mobject) -> None:
        passed = min(clock.index(trace) + 1, len(dots))
        where = points(passed)
        mob.submobjects = [
            dot.move_to(point)
            for dot, point in zip(dots, where, strict=False)
            if np.isfinite(point).all()
        ]

    return VGroup().add_updater(place, call_updater=True)


def plane_marks(
    view: View, palette: Palette, clock: StepClock, trace: Trace, color: str
) -> VGroup:
    """Marks of `trace`'s steps on the parameter plane, where its view holds them."""
    dots = step_dots(min(MARKS, trace.n_steps + 1), palette, color, PLANE_RADIUS)

    def points(passed: int) -> Points:
        box = view.box(clock.value)
        params = trace.params[:passed]
        with np.errstate(invalid="ignore", over="ignore"):
            where = box.to_points(params[:, 0], params[:, 1])
        where[~box.contains(where)] = np.nan
        return where

    return marks_where(clock, trace, dots, points)
