"""Axes for every 2-D plot: an L of two lines, ticks, tick labels and faint gridlines."""

from __future__ import annotations

from manim import DOWN, LEFT, RIGHT, UP, Line, VGroup

from scenes.geometry import PlotBox, Points, tick_values
from scenes.numbers import format_tick
from scenes.text import label, tick_label
from scenes.theme import Palette


def plot_axes(
    palette: Palette,
    x_range: tuple[float, float, float],
    y_range: tuple[float, float, float],
    corner: tuple[float, float],
    size: tuple[float, float],
    y_labels: dict[float, str] | None = None,
) -> tuple[PlotBox, VGroup]:
    """A plot box with its bottom-left corner at `corner`, and its axes drawn.

    `y_labels` replaces the y ticks' positions and texts (a log axis labels decades).
    """
    box = PlotBox(x_range, y_range, corner, size)
    (x_low, x_high, _), (y_low, y_high, _) = x_range, y_range

    def axis_line(start: Points, end: Points) -> Line:
        """An axis or a tick, in the muted colour."""
        return Line(start, end, color=palette.muted, stroke_width=2)

    frame = VGroup(
        axis_line(box.c2p(x_low, y_low), box.c2p(x_high, y_low)),
        axis_line(box.c2p(x_low, y_low), box.c2p(x_low, y_high)),
    )
    for value in tick_values(x_range):
        at = box.c2p(value, y_low)
        frame.add(axis_line(at, at + 0.08 * DOWN))
        frame.add(tick_label(palette, format_tick(value)).next_to(at, DOWN, buff=0.14))
    y_ticks = y_labels or {value: format_tick(value) for value in tick_values(y_range)}
    for value, text in y_ticks.items():
        at = box.c2p(x_low, value)
        frame.add(axis_line(at, at + 0.08 * LEFT))
        frame.add(Line(at, box.c2p(x_high, value), color=palette.grid, stroke_width=1))
        frame.add(tick_label(palette, text).next_to(at, LEFT, buff=0.14))
    return box, frame


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
