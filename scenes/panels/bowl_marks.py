"""Marks on the bowl's floor that make the run readable on a paused frame: the
losses of the outer floor contours and a mark where the shadow passes each early
step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from manim import Dot, VGroup

from scenes.clock import StepClock
from scenes.geometry import spaced_apart
from scenes.numbers import level_labels
from scenes.panels.step_marks import BOWL_RADIUS, marks_where, step_dots
from scenes.readout import Readout
from scenes.text import tick_label

if TYPE_CHECKING:
    from scenes.bowl_geometry import Array
    from scenes.panels.bowl import LossBowl

# The outer floor contours that carry their loss (the inner ones crowd the ×)
LABELLED_LEVELS = 2
# Where on its ellipse a contour's loss sits: towards the viewer (−a₂, a little +a₁),
# where the rings lie furthest apart on screen, off the path from the low-a₁ side
LABEL_TOWARDS = np.array([0.3, -1.0])
LABEL_GAP = 0.08  # from the contour's broken ends to its loss
SHADOW_MARK = 0.07  # a step's mark on the shadow, scene units
# The shadow marks its steps while they stay this far apart (scene units): over two
# marks' widths, so each mark stands alone and their spacing reads
SHADOW_GAP = 0.16
# The path's marks of the steps at least EARLY_GAP long (scene units, on the bowl)
# are drawn EARLY_GROWTH times as large, so the long first strides read from afar
EARLY_GAP, EARLY_GROWTH = 0.2, 1.6


def level_marks(bowl: LossBowl) -> list[Readout]:
    """The losses of the LABELLED_LEVELS outer floor contours (`loss 5.7`, `2.0`),
    each on its ellipse where it reaches furthest towards LABEL_TOWARDS."""
    g, palette = bowl.geometry, bowl.palette
    excesses = list(bowl.floor_excesses()[:LABELLED_LEVELS])
    words = level_labels([g.least_loss + e for e in excesses], trim=False)
    words[0] = f"loss {words[0]}"  # the outermost says what the numbers are
    out: list[Readout] = []
    for excess, text in zip(excesses, words, strict=True):
        ellipse = g.ellipse(excess, 121)
        offsets = (ellipse - g.best) / np.sqrt(excess)
        at = ellipse[int(np.argmax(offsets @ LABEL_TOWARDS))]
        mark = tick_label(palette, text, "bowl levels")
        mark.set_stroke(palette.background, width=6, background=True)
        # on its ellipse, which breaks for it (`label_gaps`): read as that ring's
        out.append(mark.move_to(g.point(float(at[0]), float(at[1]))))
    return out


def label_gaps(marks: list[Readout]) -> list[tuple[Array, float]]:
    """Where the floor contours break for their losses: round each label's centre,
    half its width and LABEL_GAP more."""
    return [(mark.get_center(), mark.width / 2 + LABEL_GAP) for mark in marks]


def early_marks(dots: list[Dot], points: Array) -> None:
    """Grow the marks of the long first steps (`points`: one per step, in order);
    where the steps crowd, keep a mark each two of its widths apart (its point set
    to NaN, not drawn): a crowd of edged marks would read as a smear."""
    with np.errstate(invalid="ignore"):
        long = np.linalg.norm(np.diff(points, axis=0), axis=1) >= EARLY_GAP
    for dot, grow in zip(dots, long, strict=False):
        if grow:
            dot.scale(EARLY_GROWTH)
    finite = np.asarray(np.isfinite(points).all(axis=1), dtype=bool)
    points[~spaced_apart(points, finite, 2 * BOWL_RADIUS)] = np.nan


def shadow_steps(bowl: LossBowl, clock: StepClock) -> tuple[VGroup, list[Dot]]:
    """A mark on the floor at each step the shadow has passed, while the steps stay
    SHADOW_GAP apart: long strides first, closing up as the gradient shrinks; and
    the marks, to be drawn facing the camera."""
    g, params = bowl.geometry, bowl.trace.params
    floor = g.to_scene(params[:, 0], params[:, 1], np.zeros(len(params)))
    with np.errstate(invalid="ignore"):
        apart = np.linalg.norm(np.diff(floor, axis=0), axis=1) >= SHADOW_GAP
    count = int(np.argmin(apart)) if not apart.all() else len(apart)
    count += 1  # the step that starts the first short stride, too
    dots = step_dots(count, bowl.palette, bowl.palette.ink, SHADOW_MARK)
    marks = marks_where(clock, bowl.trace, dots, lambda passed: floor[:passed])
    return marks, dots
