"""minibatch's loss plot tells plain gradient descent's curve from the model's: it
is dashed, in ink, as its key beside the readout is, and both curves stand out
against the background in either theme."""

from __future__ import annotations

import pytest

from scenes.clock import StepClock
from scenes.minibatch import (
    FLOOR_WORDS,
    FULL_LOSS_WIDTHS,
    LOSS_CORNER,
    LOSS_SIZE,
)
from scenes.panels.batch_loss import dashed_key, sleeved_dashes, step_name
from scenes.panels.loss_plot import LossPlot
from scenes.theme import PALETTES
from tests.contrast import contrast_ratio
from tests.layout_snapshots import runs_of

GRAPHIC = 3.0  # the least contrast of a mark against the background


def subpaths(mob: object) -> int:
    """How many separate strokes a VMobject draws."""
    return len(mob.get_subpaths())  # type: ignore[attr-defined]


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_full_batch_loss_is_dashed_on_the_plot_and_in_its_key(theme: str) -> None:
    palette = PALETTES[theme]
    traces = runs_of("minibatch")
    loss = LossPlot(palette, traces, LOSS_CORNER, LOSS_SIZE, floor_words=FLOOR_WORDS)
    clock = StepClock(traces)
    clock.tracker.set_value(traces[1].n_steps)
    sleeve, ink, head = sleeved_dashes(
        loss, clock, traces[1].full_loss, palette, *FULL_LOSS_WIDTHS
    )
    for part in (sleeve, ink):
        part.update()
    # many dashes, the sleeve's each round an ink one; the head at the curve's end
    assert subpaths(ink) > 20 and subpaths(sleeve) == subpaths(ink)
    assert head.get_center()[:2] == pytest.approx(
        loss.points(traces[1].full_loss)[-1][:2]
    )
    assert subpaths(dashed_key(palette.ink, FULL_LOSS_WIDTHS[0])) > 1
    for color in (palette.ink, palette.fit, palette.accent):
        assert contrast_ratio(color, palette.background) >= GRAPHIC


def test_the_loss_plots_x_axis_is_named_step_under_its_tick_labels() -> None:
    palette = PALETTES["dark"]
    traces = runs_of("minibatch")
    loss = LossPlot(palette, traces, LOSS_CORNER, LOSS_SIZE, floor_words=FLOOR_WORDS)
    name = step_name(palette, loss)
    assert name.text == "step"
    assert name.get_top()[1] < loss.axes.get_bottom()[1]
