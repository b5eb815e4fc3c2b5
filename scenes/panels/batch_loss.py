"""minibatch's loss curves: the batch's, the model's on all points, and plain
gradient descent's in dashes (as on the data plot), each keyed beside its readout;
the plot's log axis fitted to them; and the name of the plot's x axis.

Plain gradient descent's curve lies on the model's for most of the run: drawn in
short dashes of ink, each in a longer dash of the background, it reads as a dashed
line of its own over the model's wide one, in both themes.
"""

from __future__ import annotations

import math
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import DOWN, LEFT, RIGHT, Dot, Mobject, VGroup, VMobject

from scenes.clock import StepClock
from scenes.panels.axes import AXIS_NAME, GRID_CLEARANCE
from scenes.panels.dots import dash_spans, dashed_corners, dashes
from scenes.panels.legend import line_mark
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import MAX_DECADE_LABELS, decade_labels
from scenes.text import label
from scenes.theme import Palette

# Plain gradient descent's loss: dashes of ink (length, gap) in dashes of the
# background reaching SLEEVE_PAD past both their ends
DASH, GAP, SLEEVE_PAD = 0.1, 0.1, 0.025
KEY_DASHES = (0.1, 0.1)  # its key's dashes, as long as the curve's
NAME_UNDER = 0.04  # from the x tick labels to the axis' name
END_GAP = 0.12  # from the x axis' end to its name
MARK_HALF = 0.16  # half a key's stroke
HEAD_RADIUS = 0.06  # the dot at a curve's head, as LossPlot.curve draws it
# The loss axis ends at a mark, 1 or 3 of a decade, the lowest loss and the floor
# at least a gridline's clearance over its bottom (so no gridline, the x axis'
# included, runs along the floor)
AXIS_MARKS = (1.0, 3.0)


def dashed_curve(
    loss: LossPlot,
    clock: StepClock,
    values: npt.NDArray[np.float64],
    color: str,
    width: float,
    pad: float = 0.0,
    radius: float | None = None,
) -> list[Mobject]:
    """A loss series drawn in dashes up to the current step (dashes `pad` longer at
    both ends: a sleeve), and a dot of `radius` at its head, if any."""
    points = loss.points(values)
    steps = np.linalg.norm(np.diff(points, axis=0), axis=1)
    arc = np.concatenate([[0.0], np.cumsum(steps)])
    spans = dash_spans(float(arc[-1]), DASH, GAP, pad)
    last = len(points) - 1
    curve = VMobject(stroke_color=color, stroke_width=width)
    head = Dot(points[0], radius=radius or 0.0, color=color)

    def grow(mob: Mobject) -> None:
        value = min(max(clock.value, 0.0), float(last))
        index = math.floor(value)
        reach = float(arc[index])
        if index < last:
            reach += (value - index) * float(steps[index])
        shown = spans[spans[:, 0] < reach]
        shown = np.stack([shown[:, 0], np.minimum(shown[:, 1], reach)], axis=1)
        corners = dashed_corners(points, arc, shown)
        mob = cast(VMobject, mob)
        mob.set_points(corners) if len(corners) else mob.clear_points()
        head.move_to(np.array([np.interp(reach, arc, points[:, i]) for i in range(3)]))

    curve.add_updater(grow, call_updater=True)
    return [curve, head] if radius else [curve]


def sleeved_dashes(
    loss: LossPlot,
    clock: StepClock,
    values: npt.NDArray[np.float64],
    palette: Palette,
    width: float,
    sleeve: float,
) -> list[Mobject]:
    """A loss series in dashes of ink `width` wide, each in a dash of the background
    `sleeve` wide, and its head: a dashed line over whatever curve it lies on."""
    return [
        *dashed_curve(loss, clock, values, palette.background, sleeve, SLEEVE_PAD),
        *dashed_curve(loss, clock, values, palette.ink, width, radius=HEAD_RADIUS),
    ]


def dashed_key(color: str, width: float, half: float = MARK_HALF) -> VMobject:
    """A short dashed stroke: the key to a dashed curve."""
    return VMobject(stroke_color=color, stroke_width=width).set_points(
        dashes(half * LEFT, half * RIGHT, *KEY_DASHES)
    )


def loss_keys(
    keys: dict[float, tuple[str, float, bool]], x: float, half: float = MARK_HALF
) -> VGroup:
    """Each curve's stroke (its colour, width, and whether dashed) centred at `x`
    and at the height it is keyed by: the key to which curve is which."""
    marks = VGroup()
    for y, (color, width, dashed) in keys.items():
        mark = (
            dashed_key(color, width, half) if dashed else line_mark(color, width, half)
        )
        marks.add(mark.move_to(np.array([x, y, 0.0])))
    return marks


def axis_marks(lowest: float, highest: float) -> list[float]:
    """The log10 of each mark that may end a loss axis spanning log10 values
    `lowest` to `highest`, rising: 1 and 3 of each decade over a few decades, the
    decades alone over more."""
    low, high = math.floor(lowest) - 2, math.ceil(highest) + 1
    short = math.ceil(highest) - math.floor(lowest) < MAX_DECADE_LABELS
    steps = AXIS_MARKS if short else (1.0,)
    return [k + math.log10(m) for k in range(low, high + 1) for m in steps]


def fit_axis(loss: LossPlot) -> None:
    """`loss`'s log axis from the highest mark at least GRID_CLEARANCE under its
    lowest loss and its floor, to the lowest mark at or over its highest loss."""
    x_range, _, corner, size, _ = loss.axes_args
    values = np.concatenate([*(loss.losses(t) for t in loss.traces), loss.floors])
    finite = values[np.isfinite(values) & (values > 0)]
    if not finite.size:
        return
    lowest, highest = (math.log10(v) for v in (finite.min(), finite.max()))
    marks = axis_marks(lowest, highest)
    top = min(m for m in marks if m >= highest - 1e-9)
    bottoms = [
        m
        for m in reversed(marks)
        if m < lowest and (lowest - m) * size[1] / (top - m) >= GRID_CLEARANCE
    ]
    if not bottoms:  # a plot too low for any margin: LossPlot's own axis
        return
    # labelled at its decades: an end between two goes unnamed, no label crowding
    # the next decade's
    labels = decade_labels(math.ceil(bottoms[0]), math.floor(top + 1e-9))
    loss.axes_args = (x_range, bottoms[0], corner, size, labels)
    loss.box, loss.axes = loss.make_axes(top)


def axis_name(palette: Palette, words: str) -> VMobject:
    """An x axis' name in the muted tick type, in the role layout checks know."""
    name = label(palette, words, palette.tick_size, palette.muted)
    name.role = AXIS_NAME  # type: ignore[attr-defined]
    return name


def step_name(palette: Palette, loss: LossPlot, words: str = "step") -> VMobject:
    """What the loss plot's x axis counts, centred under its tick labels."""
    left, _, right, _ = loss.box.scene_bounds
    under = np.array([(left + right) / 2, loss.axes.get_bottom()[1], 0.0])
    return axis_name(palette, words).next_to(under, DOWN, buff=NAME_UNDER)


def end_name(palette: Palette, loss: LossPlot, words: str = "step") -> VMobject:
    """What the loss plot's x axis counts, right of its end, as a plane's a₁ is: for
    a plot whose row under its tick labels is taken (a key, a legend)."""
    _, bottom, right, _ = loss.box.scene_bounds
    end = np.array([right, bottom, 0.0])
    return axis_name(palette, words).next_to(end, RIGHT, buff=END_GAP)
