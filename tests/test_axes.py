"""Axes: each axis' tick labels share their decimals, count in 10ⁿ from 10⁴ up and
say so beside the axis, and leave room between neighbours."""

from __future__ import annotations

from itertools import pairwise

from scenes.panels.axes import LABEL_SPACE, plot_axes
from scenes.theme import DARK

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
