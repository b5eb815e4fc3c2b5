"""The first mini-batch whose loss dips below the minimum for all points, ringed on
the loss plot and labelled with its step and loss, from the step the curve gets there.

The batch's loss is written as the readout writes it and compared with the floor as
its note writes it, so the ringed point is below the floor in the shown digits too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import DL, Circle, Line, Mobject, VGroup

from scenes.clock import StepClock
from scenes.least_squares import quadratic_form
from scenes.numbers import format_number, parse_shown
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import CURVE_CLEARANCE, curve_points
from scenes.placement import Ink, Rect, clearest, grown, within
from scenes.text import label, one_path, shown_while
from scenes.theme import Palette
from sgdcore.trace import Trace

RING_RADIUS, RING_WIDTH = 0.09, 3  # round the dip's point, over the curves
LEADER_WIDTH = 1.5  # from the ring up to its label
RISE = 0.35  # the least height of the label's bottom over the ring's centre
RISE_STEP = 0.05  # the label rises in steps of this until it is clear of the curves


def shown_value(text: str) -> float | None:
    """The number a readout's text shows, None for a blank or a power of ten."""
    if "×10" in text:
        return None
    try:
        return float(parse_shown(text))
    except ValueError:
        return None


def first_dip(batch_texts: Sequence[str], floor_text: str) -> int | None:
    """The first step whose batch loss, as shown, is below the floor, as shown."""
    floor = shown_value(floor_text)
    if floor is None:
        return None
    for step, text in enumerate(batch_texts):
        value = shown_value(text)
        if value is not None and value < floor:
            return step
    return None


def marked_floor(
    palette: Palette, loss: LossPlot, trace: Trace, width: float
) -> VGroup:
    """The loss plot's floor, its dashes `width` wide and in ink, its note in ink:
    the line the batches' losses dip below."""
    floor = loss.floor(trace)
    for part in floor:
        part.set_color(palette.ink)
    if len(floor):
        floor[0].set_stroke(width=width, opacity=1.0)
    return floor


class BatchDip:
    """A ring on the batch-loss curve at its first dip below the floor, and
    `batch at step k: loss v` above it, kept clear of every curve of the clip."""

    def __init__(
        self,
        palette: Palette,
        loss: LossPlot,
        trace: Trace,
        batch_texts: Sequence[str],
    ) -> None:
        self.palette, self.loss, self.trace = palette, loss, trace
        floor = quadratic_form(trace)[2]
        self.floor = floor
        floor_text = format_number(floor, 3) if floor > 0 else ""
        self.step = first_dip(batch_texts, floor_text)
        self.text = batch_texts[self.step].strip() if self.step is not None else ""

    def point(self) -> npt.NDArray[np.float64] | None:
        """The dip's point on the plot, None if there is none or it lies outside."""
        if self.step is None:
            return None
        box = self.loss.box
        x = self.loss.step_x([self.step])
        values = np.array([self.trace.loss[self.step]], dtype=np.float64)
        point: npt.NDArray[np.float64] = np.asarray(
            curve_points(box, values, x)[0], dtype=np.float64
        )
        if not values[0] > 0:
            return None  # no place for it on a log axis
        level = math.log10(float(values[0]))
        if not box.y_span[0] <= level <= box.y_span[1]:
            return None
        return point

    def moving(self, clock: StepClock, floor_note: Mobject | None) -> list[Mobject]:
        """The ring, its leader and its label, shown from the dip's step on; none if
        no batch's shown loss dips below the shown floor inside the plot."""
        point, step = self.point(), self.step
        if point is None or step is None:
            return []
        palette = self.palette
        words = label(
            palette, f"batch at step {step}:\nloss {self.text}", palette.tick_size
        )
        ring = Circle(RING_RADIUS, color=palette.ink, stroke_width=RING_WIDTH)
        ring.move_to(point)
        self.place(words, point, floor_note)
        foot = np.array(
            [
                np.clip(point[0], words.get_left()[0], words.get_right()[0]),
                words.get_bottom()[1] - 0.04,
                0.0,
            ]
        )
        leader = Line(
            point + RING_RADIUS * (foot - point) / np.linalg.norm(foot - point),
            foot,
            color=palette.ink,
            stroke_width=LEADER_WIDTH,
        )
        marked = VGroup(leader, ring, one_path(words))
        return [shown_while(marked, lambda: clock.value >= step - 1e-9)]

    def place(
        self, words: Mobject, point: npt.NDArray[np.float64], note: Mobject | None
    ) -> None:
        """`words` above `point`: centred on it, else ending or starting there, at the
        least rise where no curve and not the floor's note comes near them."""
        box = self.loss.box
        bounds = box.scene_bounds
        ink = self.loss.ink(box)
        if note is not None:
            left, bottom = note.get_corner(DL)[:2]
            grid = np.mgrid[
                left : left + note.width : 12j, bottom : bottom + note.height : 4j
            ]
            ink = Ink().extend(ink).add_points(grid.reshape(2, -1).T)
        width, height = words.width, words.height
        spots: list[Rect] = []
        rise = RISE
        while point[1] + rise + height <= bounds[3]:
            for left in (point[0] - width / 2, point[0] - width + 0.2, point[0] - 0.2):
                left = min(max(left, bounds[0]), bounds[2] - width)
                bottom = point[1] + rise
                spot = (left, bottom, left + width, bottom + height)
                if within(spot, bounds):
                    spots.append(spot)
            rise += RISE_STEP
        if not spots:
            return
        clear = [s for s in spots if not ink.crowding(grown(s, CURVE_CLEARANCE))]
        best = clear[0] if clear else spots[clearest(spots, ink, CURVE_CLEARANCE)]
        words.move_to(np.array([best[0], best[1], 0.0]), aligned_edge=DL)
