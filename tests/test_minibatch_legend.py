"""minibatch's legend names every state a point can be in, in both themes: this
step's mini-batch, used earlier this epoch, not yet used (the data's own dimmed
dots); the lines' keys sit on the points' last two baselines."""

from __future__ import annotations

import pytest
from manim import ManimColor, Text, VMobject

from scenes.minibatch import DIMMED, Minibatch
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
    scene = Minibatch(*runs_of("minibatch"), pace=1.0, palette=palette)
    points, lines = scene.make_batch_legend()
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
    assert [row[0].get_y() for row in lines] == pytest.approx(heights[1:])
    assert lines.get_left()[0] > points.get_right()[0]
