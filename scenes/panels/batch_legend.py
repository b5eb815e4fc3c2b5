"""minibatch's keys: the points' three states in a corner of the data plot that the
replay leaves clear, and the two lines' keys in one row under the plot, each drawn
as its line is: the model's solid, full-batch gradient descent's in dashes."""

from __future__ import annotations

import numpy as np
from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UL,
    UP,
    BackgroundRectangle,
    Circle,
    Mobject,
    VGroup,
    VMobject,
)

from scenes.panels.data_plot import DataPlot
from scenes.panels.dots import dashes
from scenes.panels.legend import legend, line_mark
from scenes.text import label
from scenes.theme import Palette
from sgdcore.trace import Trace

ROW_GAP = 0.1  # between the points' keys' rows
LINES_GAP = 0.5  # between the model's key and the full-batch line's, in their row
HALO = 6  # the points' keys' casing, stroke width
BACKING_PAD = 0.05  # the points' keys' backing in the plot, beyond their words


class BatchLegend:
    """The points' keys (this step's batch, used earlier this epoch, not yet used)
    and the lines' (the model, full-batch gradient descent); and `data`, the plain
    points' key, for a closing frame without the points' keys."""

    def __init__(
        self,
        palette: Palette,
        dimmed: float,
        model_width: float,
        reference_width: float,
    ) -> None:
        self.palette = palette
        size = palette.tick_size
        dot = {"fill_opacity": 1.0, "stroke_width": 0}
        self.points = legend(
            palette,
            [
                (
                    Circle(0.08, color=palette.highlight, **dot),
                    "this step's mini-batch",
                ),
                (Circle(0.06, color=palette.muted, **dot), "used earlier this epoch"),
                (
                    Circle(0.06, color=palette.data, **dot).set_fill(opacity=dimmed),
                    "not yet used this epoch",
                ),
            ],
            row_gap=ROW_GAP,
            size=size,
        )
        # cased in the background's colour: the plot's grid lines stop short of the
        # words, which sit in the plot
        for _, words in self.points:
            words.set_stroke(palette.background, HALO, background=True)
        model, reference = (
            legend(palette, [entry], row_gap=ROW_GAP, size=size)
            for entry in (
                (line_mark(palette.fit, model_width), "the model (SGD)"),
                (
                    VMobject(
                        stroke_color=palette.ink, stroke_width=reference_width
                    ).set_points(dashes(0.22 * LEFT, 0.22 * RIGHT, 0.12, 0.08)),
                    "full-batch GD",
                ),
            )
        )
        # one row: the marks sit at one height over their baselines
        reference.next_to(model, RIGHT, buff=LINES_GAP)
        reference.shift(UP * (model[0][0].get_y() - reference[0][0].get_y()))
        self.lines = VGroup(model, reference)
        # the plain points' key, after the lines' (`place`): a closing frame's points
        self.data = legend(
            palette,
            [
                (
                    Circle(0.06, color=palette.data, **dot).set_fill(opacity=dimmed),
                    "data",
                )
            ],
            row_gap=ROW_GAP,
            size=size,
        )
        self.pitch = label(palette, "Mgy", size, palette.muted).height + ROW_GAP
        self.backing: VMobject = VGroup()  # behind the points' keys when in the plot

    def place(
        self,
        data: DataPlot,
        ink_traces: list[Trace],
        below: tuple[float, float],
        under: tuple[float, float] | None = None,
    ) -> bool:
        """The points' keys into the data plot's first corner that the whole replay
        leaves clear (points, lines, residuals), the lines' row with its top left at
        `under` (right under the plot), else at `below`; else the points' keys at
        `below`, the lines' beside them. True if the points' keys went into the
        plot."""
        spot = data.clear_corner(self.points, data.ink(ink_traces, residuals=True))
        model, reference = self.lines
        if spot is not None:
            self.points.move_to(spot, aligned_edge=UL)
            self.lines.move_to(np.array([*(under or below), 0.0]), aligned_edge=UL)
            self.backing = backed(self.points, self.palette)
            self.data.next_to(reference, RIGHT, buff=LINES_GAP)
            self.data.shift(UP * (model[0][0].get_y() - self.data[0][0].get_y()))
        else:
            # no room in the plot: the lines' keys in a column beside the points'
            self.points.move_to(np.array([*below, 0.0]), aligned_edge=UL)
            reference.align_to(model, LEFT)
            drop = model[0][0].get_y() - self.pitch - reference[0][0].get_y()
            reference.shift(UP * drop)
            self.lines.next_to(self.points, RIGHT, buff=LINES_GAP)
            self.lines.shift(UP * (self.points[0][0].get_y() - model[0][0].get_y()))
            self.data.next_to(reference, DOWN, buff=ROW_GAP).align_to(model, LEFT)
        return spot is not None


def backed(words: Mobject, palette: Palette) -> VMobject:
    """A box in the background's colour behind `words` in a plot: no grid line runs
    through them."""
    return BackgroundRectangle(
        words, color=palette.background, fill_opacity=1.0, buff=BACKING_PAD
    )
