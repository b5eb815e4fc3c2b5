"""Axes: each axis' tick labels share their decimals, count in 10ⁿ from 10⁴ up and
say so beside the axis, and leave room between neighbours."""

from __future__ import annotations

from itertools import combinations, pairwise

import numpy as np

from scenes.learning_rate import PLOT_CORNER, PLOT_SIZE
from scenes.lr_compare import (
    PANEL_BOTTOM,
    PANEL_HEIGHT,
    PANEL_LEFTS,
    PANEL_WIDTH,
    Y_LABEL_ROOM,
)
from scenes.numbers import shown_decimals, tick_labels
from scenes.panels.axes import GAP, AxesDrawing, plot_axes
from scenes.panels.parabola import run_view
from scenes.panels.tick_room import LABEL_SPACE
from scenes.text import safe_right
from scenes.theme import DARK
from tests.conftest import quadratic_trace

CORNER, SIZE = (-5.0, -3.0), (6.0, 4.0)


def test_an_axis_past_1e4_counts_in_a_power_of_ten_and_says_so() -> None:
    box, axes = plot_axes(DARK, (-3e3, 3e3, 1e3), (0.0, 1e7, 2e6), CORNER, SIZE)
    x_row, y_row = axes.labels.rows
    # a thousand is a unit apart: too close for "−3000" and "−2000", every other one
    assert x_row == ["−2000", "0", "2000"]
    assert y_row == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    assert "×10⁷" in axes.labels.words and "e" not in "".join(axes.labels.words)
    left, bottom, _, _ = axes.labels.boxes[axes.labels.words.index("×10⁷")]
    top_left = box.c2p(box.x_span[0], box.y_span[1])
    assert left > top_left[0] and bottom > top_left[1]  # above the plot, right of y


def test_an_axis_too_crowded_for_its_labels_labels_every_other_tick() -> None:
    _, axes = plot_axes(DARK, (-0.05, 0.15, 0.05), (0.0, 1.0, 0.5), CORNER, (1.5, 2.0))
    x_row = axes.labels.rows[0]
    assert "0.00" in x_row and 1 < len(x_row) < 5  # 0 keeps its label
    x_boxes = axes.labels.boxes[: len(x_row)]
    assert all(b[0] - a[2] >= LABEL_SPACE for a, b in pairwise(x_boxes))


def test_zoomed_in_tick_labels_fit_left_of_the_axis_and_in_the_frame() -> None:
    # lr_just_right's view follows its run in from 2.5 wide to under 0.001: every
    # frame's labels fit between the frame's safe edge and the y axis, apart, with
    # one number of decimals per axis and no e-notation
    trace = quadratic_trace(10, learning_rate=0.4)
    for corner, size, room in (
        (PLOT_CORNER, PLOT_SIZE, None),
        ((PANEL_LEFTS[1], PANEL_BOTTOM), (PANEL_WIDTH, PANEL_HEIGHT), Y_LABEL_ROOM),
    ):
        view, axes = run_view(trace, corner, size), AxesDrawing(DARK, room)
        widest = room or corner[0] - GAP + safe_right()
        for value in np.arange(0, trace.n_steps + 0.01, 0.125):
            axes.draw(view.box(float(value)))
            words, boxes = axes.labels.words, axes.labels.boxes
            x_row, y_row = axes.labels.rows
            y_boxes = boxes[len(x_row) : len(x_row) + len(y_row)]
            assert all(b[2] <= corner[0] - GAP + 1e-6 for b in y_boxes)  # off the ticks
            assert all(b[2] - b[0] <= widest for b in y_boxes), value
            assert all(-safe_right() <= b[0] and b[2] <= safe_right() for b in boxes)
            for first, second in combinations(boxes, 2):
                gap = max(
                    max(first[0], second[0]) - min(first[2], second[2]),
                    max(first[1], second[1]) - min(first[3], second[3]),
                )
                assert gap >= LABEL_SPACE / 4, (value, words)
            for row in axes.labels.rows:
                assert len({shown_decimals(text) for text in row}) == 1, row
            assert "e" not in "".join(words)


def test_short_tick_labels_count_whole_units_of_their_step_last_digit() -> None:
    assert tick_labels([0.0, 0.0025, 0.005], 0.0025, short=True) == (
        ["0", "25", "50"],
        -4,
    )
    assert tick_labels([0.0, 0.5, 1.0], 0.5, short=True) == (["0", "5", "10"], -1)
    assert tick_labels([0.0, 5.0, 10.0], 5.0, short=True) == (["0", "5", "10"], 0)
    # a step of 10 or more counts in its own power of ten: no room for the zeros
    assert tick_labels([-2000.0, -1000.0, 0.0], 1000.0, short=True) == (
        ["−2", "−1", "0"],
        3,
    )
    assert tick_labels([-1000.0, -500.0, 0.0], 500.0, short=True) == (
        ["−10", "−5", "0"],
        2,
    )
