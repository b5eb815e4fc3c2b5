"""Axes for every 2-D plot: an L of two lines, ticks, tick labels and faint gridlines.

Three paths (grid, strokes, labels), redrawn in place as a plot's view follows its run
(scenes/view.py); a y axis with no room for labels such as 0.0025 counts in 10ⁿ.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from manim import DOWN, DR, LEFT, RIGHT, UP, UR, VGroup, VMobject

from scenes.camera import KeptPath
from scenes.geometry import PlotBox, Points, coarser, segment_curves, tick_values
from scenes.numbers import power_of_ten, tick_labels
from scenes.panels.tick_room import LABEL_SPACE, Tick, clear_corner, in_frame, spaced
from scenes.readout import Readout
from scenes.text import label, safe_right, tick_label
from scenes.theme import Palette

TICK = 0.08  # tick length
GAP = 0.14  # from a tick to its label
NAME_GAP = 0.15  # from an axis' end to its name (axis_names), and to its scale
NAME_ROOM = 0.3  # past the y axis, room for the right half of its name above it
NAME_LIFT = 0.04  # x's name stands this far above its axis' line
AXIS_NAME = "axis name"  # the role an axis' name plays, for layout checks
GRID_CLEARANCE = 0.15  # from a y gridline to a line drawn across the plot (clear_of)


class TickLabels(KeptPath):
    """Every tick label of a plot as one path; `boxes` keeps each label's extent."""

    boxes: list[tuple[float, float, float, float]]  # (left, bottom, right, top)
    words: list[str]  # what each label says, in the order of `boxes`
    rows: list[list[str]]  # each linear axis' labels: one number of decimals each
    version: int = 0  # bumped by every redraw: the kept Cairo path must follow it

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.boxes, self.words, self.rows = [], [], []

    def path_key(self) -> tuple[object, ...]:
        """What fixes these labels' outline: which drawing they are, and where."""
        return (self.version, *super().path_key())


class AxesDrawing(VGroup):
    """A plot's gridlines, axes with ticks, and tick labels: three paths that
    `draw(box)` redraws in place, so axes that follow a run rescale without changing
    the scene's structure mid-animation. `x_gap`: from the x axis to its labels;
    `clear_of`: y values of lines across the plot (a loss plot's floor), each with
    its value's words. No tick or gridline comes near one (a label beside the line
    would name it, a bare tick reads as a value left out); the line's own value
    stands on the axis instead where it fits (`said` keeps which did)."""

    def __init__(
        self,
        palette: Palette,
        y_room: float | None = None,
        scale: float | None = None,
        clear_of: dict[float, str] | None = None,
    ) -> None:
        self.palette, self.scale_size, self.x_gap = palette, scale, GAP  # ×10ⁿ: tick's
        self.clear_of, self.said = clear_of or {}, set[float]()
        self.y_room = y_room  # the widest a y label may be (default: to the frame)
        self.box: PlotBox | None = None  # the box last drawn, for layout checks
        self.grid = VMobject(stroke_color=palette.grid, stroke_width=1)
        self.strokes = VMobject(stroke_color=palette.muted, stroke_width=2)
        self.labels = TickLabels(
            fill_color=palette.muted, fill_opacity=1.0, stroke_width=0
        )
        super().__init__(self.grid, self.strokes, self.labels)

    def draw(
        self,
        box: PlotBox,
        y_labels: dict[float, str] | None = None,
        x_labels: dict[float, str] | None = None,
    ) -> AxesDrawing:
        """Draw the axes of `box`; `y_labels` and `x_labels` replace an axis' ticks
        (a log axis' decades).

        Each axis' labels share one number of decimals; an axis whose ticks reach
        10⁴ counts them in a power of ten and says so (`×10⁶`) by its end.
        """
        self.box = box
        (x_low, x_high, _), (y_low, y_high, _) = box.x_range, box.y_range
        corner, x_end = box.c2p(x_low, y_low), box.c2p(x_high, y_low)
        y_end = box.c2p(x_low, y_high)
        strokes: list[tuple[Points, Points]] = [(corner, x_end), (corner, y_end)]
        grid: list[tuple[Points, Points]] = []
        if x_labels is None:
            x_values = tick_values(box.x_range)
            x_texts, x_power = tick_labels(x_values, box.x_range[2])
        else:
            x_values, x_texts, x_power = list(x_labels), list(x_labels.values()), 0
        x_marks = []
        for value, text in zip(x_values, x_texts, strict=True):
            at = box.c2p(value, y_low)
            strokes.append((at, at + TICK * DOWN))
            x_marks.append(
                tick_label(self.palette, text).next_to(at, DOWN, buff=self.x_gap)
            )
        x_shown = spaced(x_marks, x_values)
        x_pairs = [
            (value, mark)
            for value, mark in zip(x_values, x_marks, strict=True)
            if any(mark is shown for shown in x_shown)
        ]
        if y_labels is None:  # a linear axis, as the x axis
            y_values = tick_values(box.y_range)
            y_texts, y_power = tick_labels(y_values, box.y_range[2])
            if not self.fits_left(box, y_texts):  # half as many ticks, if they fit
                low, high, step = box.y_range
                wider = tick_values((low, high, coarser(step)))
                wider_texts, wider_power = tick_labels(wider, coarser(step))
                if len(wider) >= 2 and self.fits_left(box, wider_texts):
                    y_values, y_texts, y_power = wider, wider_texts, wider_power
            if not self.fits_left(box, y_texts):  # count in 10ⁿ: no room for zeros
                y_texts, y_power = tick_labels(y_values, box.y_range[2], short=True)
            y_ticks = dict(zip(y_values, y_texts, strict=True))
        else:
            y_ticks, y_power = y_labels, 0
        y_pairs = []
        for value, text in y_ticks.items():
            at = box.c2p(x_low, value)
            if self.grid_clear(box, value):
                strokes.append((at, at + TICK * LEFT))
                grid.append((at, box.c2p(x_high, value)))
                mark = tick_label(self.palette, text).next_to(at, LEFT, buff=GAP)
                y_pairs.append((value, mark))
        y_pairs += self.line_values(box, [mark for _, mark in y_pairs])
        in_frame([mark for _, mark in x_pairs + y_pairs])
        x_pairs, y_pairs = clear_corner(x_pairs, y_pairs, y_labels is None)
        self.said = {value for value, _ in y_pairs if value in self.clear_of}
        for value in self.said:
            at = box.c2p(x_low, value)
            strokes.append((at, at + TICK * LEFT))
        x_marks = [mark for _, mark in x_pairs]
        rows = [[mark.shown or "" for mark in x_marks]]
        if y_labels is None:
            rows.append([mark.shown or "" for _, mark in y_pairs])
        labels = [*x_marks, *(mark for _, mark in y_pairs)]
        labels += in_frame(self.scales(x_power, y_power, x_end, y_end, x_marks))
        for path, segments in ((self.strokes, strokes), (self.grid, grid)):
            starts, ends = (np.array([s[i] for s in segments]) for i in (0, 1))
            path.set_points(
                segment_curves(starts, ends)
            ) if segments else path.clear_points()
        self.labels.set_points(np.vstack([label.points for label in labels]))
        self.labels.version += 1
        self.labels.rows = rows
        self.labels.words = [label.shown or "" for label in labels]
        self.labels.boxes = [
            (m.get_left()[0], m.get_bottom()[1], m.get_right()[0], m.get_top()[1])
            for m in labels
        ]
        return self

    def grid_clear(self, box: PlotBox, value: float) -> bool:
        """Whether a gridline at `value` keeps GRID_CLEARANCE from every `clear_of`."""
        ys = [box.c2p(box.x_span[0], level)[1] for level in (value, *self.clear_of)]
        return all(abs(ys[0] - other) >= GRID_CLEARANCE for other in ys[1:])

    def line_values(self, box: PlotBox, taken: list[Readout]) -> list[Tick]:
        """The value of each `clear_of` line in the plot, left of the axis by it,
        that fits left of the axis and keeps LABEL_SPACE from the labels `taken`."""
        values: list[Tick] = []
        for value, text in self.clear_of.items():
            if not text or not box.y_span[0] <= value <= box.y_span[1]:
                continue
            at = box.c2p(box.x_span[0], value)
            mark = tick_label(self.palette, text).next_to(at, LEFT, buff=GAP)
            apart = [
                max(
                    mark.get_bottom()[1] - m.get_top()[1],
                    m.get_bottom()[1] - mark.get_top()[1],
                )
                for m in [*taken, *(m for _, m in values)]
            ]
            if (
                self.fits_left(box, [text])
                and min(apart, default=np.inf) >= LABEL_SPACE / 2
            ):
                values.append((value, mark))
        return values

    def fits_left(self, box: PlotBox, texts: list[str]) -> bool:
        """Whether y labels saying `texts` fit left of the axis (in `y_room`, frame)."""
        room = min(box.corner[0] - GAP + safe_right(), self.y_room or np.inf)
        return max(tick_label(self.palette, t).width for t in texts) <= room

    def scales(
        self,
        x_power: int,
        y_power: int,
        x_end: Points,
        y_end: Points,
        x_labels: list[Readout],
    ) -> list[Readout]:
        """`×10ⁿ` for each axis that counts its ticks in a power of ten: the x axis'
        under its name, right of its end and its last label (left of its first label
        if the frame ends there); the y axis' beside its name, above its top (inside
        the plot given a `y_room`)."""
        scales, size = [], self.scale_size
        if x_power:
            scale = tick_label(self.palette, f"×{power_of_ten(x_power)}", "", size)
            past = max(float(x_end[0]), x_labels[-1].get_right()[0]) + NAME_GAP
            scale.align_to(x_labels[-1], UP).shift((past - scale.get_left()[0]) * RIGHT)
            if scale.get_right()[0] > safe_right():
                scale.next_to(x_labels[0], LEFT, buff=NAME_GAP)
            scales.append(scale)
        if y_power:
            scale = tick_label(self.palette, f"×{power_of_ten(y_power)}", "", size)
            away = (y_end, DR) if self.y_room else (y_end + NAME_ROOM * RIGHT, UR)
            scale.next_to(*away, buff=NAME_GAP)
            scales.append(scale)
        return scales


def plot_axes(
    palette: Palette,
    x_range: tuple[float, float, float],
    y_range: tuple[float, float, float],
    corner: tuple[float, float],
    size: tuple[float, float],
    y_labels: dict[float, str] | None = None,
    x_labels: dict[float, str] | None = None,
    clear_of: dict[float, str] | None = None,
) -> tuple[PlotBox, AxesDrawing]:
    """A plot box with its bottom-left corner at `corner`, and its axes drawn;
    `y_labels` and `x_labels` replace an axis' ticks (a log axis' decades), and no
    tick comes near a line at a y in `clear_of` (AxesDrawing.clear_of)."""
    box = PlotBox(x_range, y_range, corner, size)
    return box, AxesDrawing(palette, clear_of=clear_of).draw(box, y_labels, x_labels)


def axis_names(
    palette: Palette, box: PlotBox, x_name: str, y_name: str, y_beside: bool = False
) -> VGroup:
    """Axis names: x's past the x axis' end, y's above (`y_beside`: left of) its top."""
    x_label = label(palette, x_name, palette.label_size, palette.muted)
    y_label = label(palette, y_name, palette.label_size, palette.muted)
    x_label.role = y_label.role = AXIS_NAME  # type: ignore[attr-defined]
    # x's name sits on the axis' line, clear of the last tick label hanging under it
    end = box.c2p(box.x_span[1], box.y_span[0])
    x_label.next_to(end, RIGHT, buff=0.2).align_to(end + NAME_LIFT * UP, DOWN)
    top = box.c2p(box.x_span[0], box.y_span[1])
    y_label.next_to(top, LEFT, buff=0.5) if y_beside else y_label.next_to(
        top, UP, buff=0.15
    )
    return VGroup(x_label, y_label)
