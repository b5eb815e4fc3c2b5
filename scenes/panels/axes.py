"""Axes for every 2-D plot: an L of two lines, ticks, tick labels and faint gridlines.

Drawn as three paths (grid, strokes, labels) that can be redrawn in place when a
plot's view follows the run (scenes/view.py).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Mobject, VGroup, VMobject

from scenes.camera import KeptPath
from scenes.clock import StepClock
from scenes.geometry import PlotBox, Points, segment_curves, tick_values
from scenes.numbers import format_tick
from scenes.text import label, tick_label
from scenes.theme import Palette
from scenes.view import View

TICK = 0.08  # tick length


class TickLabels(KeptPath):
    """Every tick label of a plot as one path; `boxes` keeps each label's extent."""

    boxes: list[tuple[float, float, float, float]]  # (left, bottom, right, top)
    version: int = 0  # bumped by every redraw: the kept Cairo path must follow it

    def path_key(self) -> tuple[object, ...]:
        """What fixes these labels' outline: which drawing they are, and where."""
        return (self.version, *super().path_key())


class AxesDrawing(VGroup):
    """A plot's gridlines, axes with ticks, and tick labels: three paths, redrawable.

    `draw(box)` replaces their points in place, so axes that follow a run rescale
    without changing the scene's structure mid-animation.
    """

    def __init__(self, palette: Palette) -> None:
        self.palette = palette
        self.grid = VMobject(stroke_color=palette.grid, stroke_width=1)
        self.strokes = VMobject(stroke_color=palette.muted, stroke_width=2)
        self.labels = TickLabels(
            fill_color=palette.muted, fill_opacity=1.0, stroke_width=0
        )
        self.labels.boxes = []
        super().__init__(self.grid, self.strokes, self.labels)

    def draw(
        self, box: PlotBox, y_labels: dict[float, str] | None = None
    ) -> AxesDrawing:
        """Draw the axes of `box`; `y_labels` replaces the y ticks (a log axis' decades)."""
        (x_low, x_high, _), (y_low, y_high, _) = box.x_range, box.y_range
        corner, x_end, y_end = (
            box.c2p(x_low, y_low),
            box.c2p(x_high, y_low),
            box.c2p(x_low, y_high),
        )
        strokes: list[tuple[Points, Points]] = [(corner, x_end), (corner, y_end)]
        grid: list[tuple[Points, Points]] = []
        labels = []
        for value in tick_values(box.x_range):
            at = box.c2p(value, y_low)
            strokes.append((at, at + TICK * DOWN))
            labels.append(
                tick_label(self.palette, format_tick(value)).next_to(
                    at, DOWN, buff=0.14
                )
            )
        y_ticks = y_labels or {v: format_tick(v) for v in tick_values(box.y_range)}
        for value, text in y_ticks.items():
            at = box.c2p(x_low, value)
            strokes.append((at, at + TICK * LEFT))
            grid.append((at, box.c2p(x_high, value)))
            labels.append(tick_label(self.palette, text).next_to(at, LEFT, buff=0.14))
        for path, segments in ((self.strokes, strokes), (self.grid, grid)):
            starts, ends = (np.array([s[i] for s in segments]) for i in (0, 1))
            path.set_points(
                segment_curves(starts, ends)
            ) if segments else path.clear_points()
        self.labels.set_points(np.vstack([label.points for label in labels]))
        self.labels.version += 1
        self.labels.boxes = [
            (
                label.get_left()[0],
                label.get_bottom()[1],
                label.get_right()[0],
                label.get_top()[1],
            )
            for label in labels
        ]
        return self


def plot_axes(
    palette: Palette,
    x_range: tuple[float, float, float],
    y_range: tuple[float, float, float],
    corner: tuple[float, float],
    size: tuple[float, float],
    y_labels: dict[float, str] | None = None,
) -> tuple[PlotBox, AxesDrawing]:
    """A plot box with its bottom-left corner at `corner`, and its axes drawn.

    `y_labels` replaces the y ticks' positions and texts (a log axis labels decades).
    """
    box = PlotBox(x_range, y_range, corner, size)
    return box, AxesDrawing(palette).draw(box, y_labels)


def axis_names(
    palette: Palette, box: PlotBox, x_name: str, y_name: str, y_beside: bool = False
) -> VGroup:
    """The axes' names: x's right of the x axis' end, y's above the y axis' top.

    `y_beside`: y's name left of the y axis' top instead (when the title sits above).
    """
    x_label = label(palette, x_name, palette.label_size, palette.muted)
    y_label = label(palette, y_name, palette.label_size, palette.muted)
    x_label.next_to(box.c2p(box.x_span[1], box.y_span[0]), RIGHT, buff=0.2)
    top = box.c2p(box.x_span[0], box.y_span[1])
    y_label.next_to(top, LEFT, buff=0.5) if y_beside else y_label.next_to(
        top, UP, buff=0.15
    )
    return VGroup(x_label, y_label)


def follow_view(
    view: View, clock: StepClock, mobject: Mobject, draw: Callable[[PlotBox], object]
) -> Mobject:
    """`mobject` drawn by `draw(box)`; redrawn in place whenever the view moves.

    A fixed view draws it once and adds no updater, so it stays static (R9).
    """
    draw(view.box(0))
    if view.fixed:
        return mobject
    drawn: list[object] = [None]

    def redraw(_: Mobject) -> None:
        box = view.box(clock.value)
        if (box.x_range, box.y_range) != drawn[0]:
            drawn[0] = (box.x_range, box.y_range)
            draw(box)

    return mobject.add_updater(redraw, call_updater=True)
