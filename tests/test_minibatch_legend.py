"""minibatch's legend names every state a point can be in, in both themes: this
step's mini-batch, used earlier this epoch, not yet used (the data's own dimmed
dots); the points' keys sit in the data plot, clear of the points, and the lines'
keys in one row on one baseline inside the safe area."""

from __future__ import annotations

import pytest
from manim import ManimColor, Text, VMobject

from scenes.minibatch import (
    DATA_CORNER,
    DATA_SIZE,
    DIMMED,
    GHOST_WIDTH,
    LEGEND_TOPS,
    MODEL_WIDTH,
)
from scenes.panels.batch_legend import BatchLegend
from scenes.panels.data_plot import DataPlot
from scenes.theme import PALETTES
from tests.layout_snapshots import runs_of


def mark_fill(mark: VMobject) -> tuple[str, float]:
    """A key's mark's fill colour ("#RRGGBB") and opacity."""
    return mark.get_fill_color().to_hex().upper(), float(mark.get_fill_opacity())


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_legend_keys_each_state_of_the_points_as_the_plot_draws_it(
    theme: str,
) -> None:
    palette = PALETTES[theme]
    trace, full_batch = runs_of("minibatch")
    keys = BatchLegend(palette, DIMMED, MODEL_WIDTH, GHOST_WIDTH)
    data = DataPlot(palette, trace, DATA_CORNER, DATA_SIZE)
    assert keys.place(data, [trace, full_batch], *LEGEND_TOPS)
    points, lines = keys.points, keys.lines
    expected = [
        (palette.highlight, 1.0, "this step's mini-batch"),
        (palette.muted, 1.0, "used earlier this epoch"),
        (palette.data, DIMMED, "not yet used this epoch"),
    ]
    assert len(points) == len(expected)
    for (mark, words), (color, opacity, text) in zip(points, expected, strict=True):
        assert mark_fill(mark) == (ManimColor(color).to_hex().upper(), opacity)
        assert isinstance(words, Text)
        assert words.text.replace(" ", "") == text.replace(" ", "")
    # one line apart: the marks sit at one height over their baselines
    heights = [row[0].get_y() for row in points]
    assert heights[0] - heights[1] == pytest.approx(heights[1] - heights[2])
    # the points' keys inside the data plot, the lines' row under it, on one height
    left, bottom, right, top = data.box.scene_bounds
    assert left < points.get_left()[0] and points.get_right()[0] < right
    assert bottom < points.get_bottom()[1] and points.get_top()[1] < top
    assert lines[0][0][0].get_y() == pytest.approx(lines[1][0][0].get_y())
    assert lines.get_top()[1] < bottom
    # a row's height and more above the bottom of the safe area (5% of 8 units)
    assert lines.get_bottom()[1] > -4 + 0.4 + 0.25
