"""The loss plot: loss by step on a log axis, curves growing with the replay, the floor.

A long run's steps can go on a log axis too (`log_steps`, scenes.clock.log_step): the
first few steps, where most of the learning happens, as wide as the last nine hundred.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import (
    DL,
    DOWN,
    LEFT,
    RIGHT,
    UP,
    UR,
    DashedLine,
    Dot,
    Line,
    Mobject,
    VGroup,
    VMobject,
)

from scenes.camera import KeptPath
from scenes.clock import StepClock, log_step
from scenes.geometry import PlotBox, Points
from scenes.least_squares import quadratic_form
from scenes.numbers import format_number
from scenes.panels.axes import AxesDrawing, plot_axes
from scenes.panels.loss_scale import (
    CURVE_CLEARANCE,
    FLOOR_GAP,
    FLOOR_INSET,
    FLOOR_ROOM,
    curve_points,
    decade_labels,
    note_beside,
    read_scale,
    room_under_floor,
    step_break,
    step_labels,
    step_range,
)
from scenes.placement import Ink, Rect, clearest, grown, within
from scenes.text import label, one_path, safe_right
from scenes.theme import Palette
from sgdcore.trace import Trace

ROOM_ABOVE_STEPS = 21  # tenths of a decade a plot's top may rise for its keys, and 1
# The losses a plot may draw: on each step's batch, on all points, on held-out points
SERIES = ("loss", "full_loss", "valid_loss")


class LossPlot:
    """Loss by step (log scale) spanning every trace's losses, bottom-left at `corner`.
    `log_steps`: the steps on a log axis too (broken between steps 0 and 1), its losses
    read on marks at 1 and 3 of each decade. `floor_words` name the floor in its note,
    its value on the axis. `series`: the trace's losses the plot may draw."""

    note_right: float | None = None  # how far right a note may reach (None: safe area)

    def __init__(
        self,
        palette: Palette,
        traces: Sequence[Trace],
        corner: tuple[float, float],
        size: tuple[float, float],
        caption: str = "loss by step (log scale)",
        log_steps: bool = False,
        floor_words: str = "minimum",
        series: Sequence[str] = SERIES,
    ) -> None:
        self.palette, self.traces, self.caption = palette, tuple(traces), caption
        self.floor_words, self.series = floor_words, tuple(series)
        self.log_steps = log_steps
        # Every loss shown, and the least-squares floor they approach
        fits = [t for t in self.traces if t.problem == "linear_regression"]
        floors = [quadratic_form(t)[2] for t in fits]
        loss = np.concatenate([*(self.losses(t) for t in self.traces), floors])
        finite = loss[np.isfinite(loss) & (loss > 0)]
        low = math.floor(math.log10(finite.min())) if finite.size else -1
        high = max(math.ceil(math.log10(finite.max())) if finite.size else 1, low + 1)
        last = max(*(t.n_steps for t in self.traces), 1)
        x_range = step_range(last, log_steps)
        self.notes: dict[str, VMobject] = {}
        self.axes = AxesDrawing(palette)  # none drawn yet: says no floor's value
        # room under the floor for its note, if no place by the floor is clear
        least, bottom, self.floors = min(floors, default=0.0), float(low), floors
        _, crossed = self.floor_spot(
            PlotBox(x_range, (low, high, 1), corner, size), least
        )
        if crossed:  # room under the lowest loss: a batch's may dip below the floor
            lowest = min(least, float(finite.min())) if finite.size else least
            room = max(FLOOR_ROOM, self.floor_note(least).height + 1.5 * FLOOR_GAP)
            bottom = room_under_floor(lowest, low, high, size[1], room)
        read = read_scale(finite, size[1]) if log_steps and not floors else None
        bottom, top, labels = read or (bottom, high, decade_labels(low, high))
        self.axes_args = (x_range, bottom, corner, size, labels)
        self.x_labels = step_labels(last) if log_steps else None
        self.box, self.axes = self.make_axes(top)

    def make_axes(self, top: float) -> tuple[PlotBox, AxesDrawing]:
        """The plot's box and axes, its log axis up to 10 to the `top`; no gridline
        by a floor (its dashes and the gridline would read as one line drawn twice)."""
        x_range, bottom, corner, size, labels = self.axes_args
        y_range, floors = (bottom, top, 1), [f for f in self.floors if f > 0]
        clear_of = {math.log10(f): format_number(f, 3) for f in floors}
        return plot_axes(
            self.palette,
            x_range,
            y_range,
            corner,
            size,
            labels,
            self.x_labels,
            clear_of,
        )

    def hold_top_right(self, keys: VGroup) -> VGroup:
        """`keys` in the plot's top right corner, the axis raised by tenths of a
        decade (at most two decades) until no curve passes under them."""
        box = self.box
        top = box.y_span[1]
        for _ in range(ROOM_ABOVE_STEPS):
            keys.move_to(box.c2p(box.x_span[1], box.y_span[1]), aligned_edge=UR)
            (x0, y0, _), (x1, y1, _) = keys.get_corner(DL), keys.get_corner(UR)
            clear = (float(x0), float(y0), float(x1), float(y1))
            if not self.ink(box).crowding(grown(clear, CURVE_CLEARANCE)):
                break
            top += 0.1
            box = PlotBox(box.x_range, (box.y_span[0], top, 1), box.corner, box.size)
        self.box, self.axes = self.make_axes(box.y_span[1])
        return keys

    def losses(self, trace: Trace) -> npt.NDArray[np.float64]:
        """Every loss of `trace` this plot may draw, end to end."""
        return np.concatenate([getattr(trace, name) for name in self.series])

    def step_x(self, steps: npt.ArrayLike) -> npt.NDArray[np.float64]:
        """The x coordinate (data units) of each step on this plot's step axis."""
        values = np.asarray(steps, dtype=np.float64)
        return log_step(values) if self.log_steps else values

    def points(self, values: npt.NDArray[np.float64]) -> Points:
        """A loss series' scene points, step by step, on this plot."""
        xs = self.step_x(np.arange(len(values)))
        return curve_points(self.box, values, xs)

    def static(self) -> VGroup:
        """The axes, the caption above them, and a log step axis' break."""
        box, palette = self.box, self.palette
        top_left = box.c2p(box.x_span[0], box.y_span[1])
        caption = label(palette, self.caption, palette.label_size, palette.muted)
        caption.next_to(top_left, UP, buff=0.25).align_to(top_left, LEFT)
        caption.shift(min(0.0, safe_right() - caption.get_right()[0]) * RIGHT)
        ends = step_break(box) if self.log_steps else []
        slashes = [Line(*end, color=palette.muted, stroke_width=2) for end in ends]
        return VGroup(self.axes, caption, *slashes)

    def floor(self, trace: Trace) -> VGroup:
        """A dashed line at the least-squares loss, the floor every full-batch loss nears."""
        _, _, floor = quadratic_form(trace)
        box = self.box
        level = math.log10(floor) if floor > 0 else -math.inf
        if not box.y_span[0] <= level <= box.y_span[1]:
            return VGroup()  # the runs stay far above it: nothing to compare here
        left, right = box.c2p(box.x_span[0], level), box.c2p(box.x_span[1], level)
        line = DashedLine(left, right, dash_length=0.1, stroke_width=2)
        line.set_stroke(self.palette.ink, opacity=0.6)
        note = self.floor_note(floor)
        spot, _ = self.floor_spot(box, floor)
        if spot is None:  # a plot too low for the note by the floor: under its end
            note.next_to(right, DOWN, FLOOR_GAP, aligned_edge=RIGHT)
            return VGroup(line, note)
        return VGroup(line, note.move_to(np.array([spot[0], spot[1], 0.0]), DL))

    def floor_note(self, floor: float) -> VMobject:
        """`minimum 0.0746`, or `minimum` where the axis says the floor's value: the
        floor's note (made once each)."""
        words = f"{self.floor_words} {format_number(floor, 3)}".replace("\n ", "\n")
        if math.log10(floor) in self.axes.said:
            words = self.floor_words.strip()
        if words not in self.notes:
            palette = self.palette
            self.notes[words] = label(palette, words, palette.tick_size, palette.muted)
        return self.notes[words]

    def floor_spot(self, box: PlotBox, floor: float) -> tuple[Rect | None, int]:
        """Where the floor's note goes in `box`, and how many curve marks come near it
        there: under the floor's right end (full-batch losses approach the floor from
        above), under its left end, above its right end or above its left end, the
        first that no curve of any run passes over the whole clip, else the least
        crossed; a note under the floor may go lower, under a batch's loss that dips
        below it. Each keeps FLOOR_GAP from the floor and the x axis; last, under
        either end with half that, for a plot whose raised top leaves the floor
        little room above the axis. None (and 1) if the note fits at none of them."""
        if floor <= 0:
            return None, 0
        note, level = self.floor_note(floor), math.log10(floor)
        bounds = box.scene_bounds
        left = box.c2p(box.x_span[0], level) + FLOOR_INSET * RIGHT
        right = box.c2p(box.x_span[1], level)
        spots = []
        for side, end, edge in (
            (DOWN, right, RIGHT),
            (DOWN, left, LEFT),
            (UP, right, RIGHT),
            (UP, left, LEFT),
        ):
            note.next_to(end, side, buff=FLOOR_GAP, aligned_edge=edge)
            depths = np.arange(0.0, box.size[1], FLOOR_GAP) if side is DOWN else [0.0]
            for depth in depths:
                (x0, y0, _), (x1, y1, _) = note.get_corner(DL), note.get_corner(UR)
                y0, y1 = y0 - depth, y1 - depth
                # a gap over the x axis too
                if not within((x0, y0 - FLOOR_GAP, x1, y1), bounds):
                    break
                spots.append((float(x0), float(y0), float(x1), float(y1)))
        for end, edge in ((right, RIGHT), (left, LEFT)):
            # in a squeezed plot: under the floor, half the gaps over and under it
            note.next_to(end, DOWN, buff=FLOOR_GAP / 2, aligned_edge=edge)
            (x0, y0, _), (x1, y1, _) = note.get_corner(DL), note.get_corner(UR)
            if within((x0, y0 - FLOOR_GAP / 2, x1, y1), bounds):
                spots.append((float(x0), float(y0), float(x1), float(y1)))
        if not spots:
            return None, 1
        ink = self.ink(box)
        best = spots[clearest(spots, ink, CURVE_CLEARANCE)]
        return best, ink.crowding(grown(best, CURVE_CLEARANCE))

    def ink(self, box: PlotBox) -> Ink:
        """Every loss curve this plot can draw (each run's `series`), drawn in `box`."""
        ink = Ink()
        for trace in self.traces:
            for values in (getattr(trace, name) for name in self.series):
                if len(values):
                    xs = self.step_x(np.arange(len(values)))
                    ink.add_polyline(curve_points(box, values, xs))
        return ink

    def curve(
        self,
        clock: StepClock,
        values: npt.NDArray[np.float64],
        color: str,
        width: float = 3,
        radius: float = 0.06,
        stepwise: bool = False,
    ) -> list[VMobject]:
        """A loss series up to the current step, and a dot of `radius` on its head;
        `stepwise`: each value whole from its step's start (a batch's loss)."""
        points = self.points(values)
        # KeptPath: the finished part is traced once per step, not per frame
        finished = KeptPath(stroke_color=color, stroke_width=width)
        leg = VMobject(stroke_color=color, stroke_width=width)
        head = Dot(points[0], radius=radius, color=color)
        last = len(points) - 1  # a run that diverged early stops there

        def grow(mob: Mobject) -> None:
            value = min(max(clock.value, 0.0), float(last))
            value = float(math.floor(value + 1e-9)) if stepwise else value
            index = math.floor(value)
            tip = points[index]
            if index < last:
                tip = tip + (value - index) * (points[index + 1] - tip)
            cast(VMobject, mob).set_points_as_corners(points[: index + 1])  # finished
            leg.set_points_as_corners(np.vstack([points[index], tip]))
            head.move_to(tip)

        return [finished.add_updater(grow, call_updater=True), leg, head]

    def diverged_mark(
        self, clock: StepClock, trace: Trace, head: VMobject
    ) -> list[VGroup]:
        """`diverged at step k` beside a curve's last point, once the replay is there
        (on two lines where one line finds no clear spot)."""
        if trace.diverged_at is None:
            return []
        palette, at = self.palette, trace.diverged_at
        notes = [
            one_path(label(palette, words, palette.tick_size, palette.warning))
            for words in (f"diverged at step {at}", f"diverged\nat step {at}")
        ]

        def place(holder: Mobject) -> None:  # once, where the curve's head has stopped
            if not holder.submobjects and clock.index(trace) >= trace.n_steps:
                right = self.note_right or safe_right()
                ink = self.ink(self.box)
                at = head.get_center()
                holder.add(
                    note_beside(notes, at, (self.box.scene_bounds[0], right), ink)
                )

        return [VGroup().add_updater(place, call_updater=True)]
