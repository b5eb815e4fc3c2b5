"""Where a step made the loss go up: a small triangle over the loss curve at each such
step (but the last, where the curve's head dot stays), in the run's colour, shown
once the replay has reached it, and its key."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import Mobject, Triangle, VGroup, VMobject

from scenes.clock import StepClock
from scenes.panels.legend import legend
from scenes.panels.loss_plot import LossPlot
from scenes.text import while_true
from scenes.theme import Palette
from sgdcore.trace import Trace

MARK_HEIGHT = 0.13  # scene units: about 18 px at 1080p
MARK_CASING = 3.0  # the background round a mark, off the curve under it
KEY_WORDS = "loss rose"


def uphill_steps(values: npt.NDArray[np.float64]) -> list[int]:
    """Each step k whose loss is above step k − 1's (both finite), but the last: the
    curve's head dot stays there at the end, beside the other runs' heads."""
    rise = np.diff(values) > 0
    finite = np.isfinite(values[1:]) & np.isfinite(values[:-1])
    return [int(k) + 1 for k in np.flatnonzero(rise & finite) if k + 2 < len(values)]


def uphill_mark(color: str) -> VMobject:
    """A small filled triangle pointing up, in `color`."""
    mark = Triangle(stroke_width=0, fill_color=color, fill_opacity=1.0)
    return mark.scale_to_fit_height(MARK_HEIGHT)


def uphill_marks(
    loss: LossPlot,
    clock: StepClock,
    values: npt.NDArray[np.float64],
    color: str,
    after: float = 0.0,
) -> list[Mobject]:
    """A mark over the curve of `values` at each step that raised it, from that step
    on (and from step `after`, when their key shows); none for a run whose loss
    never rose."""
    points, background = loss.points(values), loss.palette.background
    marks: list[Mobject] = []
    for k in uphill_steps(values):
        mark = uphill_mark(color).move_to(points[k])  # on the curve, at its step
        mark.set_stroke(background, MARK_CASING, background=True)

        def reached(k: int = k) -> bool:
            return clock.value >= max(k, after) - 1e-9

        marks.append(while_true(mark, reached))
    return marks


def uphill_key(
    palette: Palette, traces: Sequence[Trace], colors: Sequence[str]
) -> VGroup:
    """The marks' key, for the plot they are in: a mark in the colour of the one run
    whose loss rose (muted if more did) and KEY_WORDS; empty if no run's rose."""
    rose = [c for t, c in zip(traces, colors, strict=True) if uphill_steps(t.full_loss)]
    if not rose:
        return VGroup()
    entry = (uphill_mark(rose[0] if len(rose) == 1 else palette.muted), KEY_WORDS)
    return legend(palette, [entry], 0.0, None, palette.tick_size)
