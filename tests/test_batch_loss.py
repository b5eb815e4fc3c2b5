"""minibatch's loss plot tells plain gradient descent's curve from the model's: it
is dashed, in ink, as its key beside the readout is, and both curves stand out
against the background in either theme; its log axis spans the losses drawn."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.clock import StepClock
from scenes.minibatch import (
    FLOOR_WORDS,
    FULL_LOSS_WIDTHS,
    LOSS_CORNER,
    LOSS_SIZE,
)
from scenes.panels.axes import GRID_CLEARANCE
from scenes.panels.batch_loss import (
    axis_marks,
    dashed_key,
    fit_axis,
    sleeved_dashes,
    step_name,
)
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


# Runs the loss axis is fitted to: the default, a lecturer's own points, and a
# faster, noisier run (lr 0.3, batches of 5)
FITTED = ["minibatch", "minibatch_user_data", "lr 0.3, batches of 5"]


@pytest.mark.parametrize("runs", FITTED)
def test_the_loss_axis_ends_at_the_mark_nearest_the_losses_clear_of_the_floor(
    runs: str,
) -> None:
    if runs in FITTED[:2]:
        traces = runs_of(runs)
    else:
        from sgd_anim.registry import SCENES
        from sgdcore.config import RunOptions

        options = RunOptions(learning_rate=0.3, batch_size=5)
        traces = SCENES["minibatch"].train(options)
    loss = LossPlot(
        PALETTES["dark"], traces, LOSS_CORNER, LOSS_SIZE, floor_words=FLOOR_WORDS
    )
    fit_axis(loss)
    values = np.concatenate([*(loss.losses(t) for t in traces), loss.floors])
    values = values[np.isfinite(values) & (values > 0)]
    lowest, highest = np.log10(values.min()), np.log10(values.max())
    bottom, top = loss.box.y_span
    height = LOSS_SIZE[1]

    def margin(end: float) -> float:
        """Scene units from an axis ending at `end` up to the lowest loss."""
        return float((lowest - end) * height / (top - end))

    marks = axis_marks(lowest, highest)
    assert bottom in marks and top in marks
    # the lowest loss and the floor a gridline's clearance over the bottom, and the
    # next mark up would not leave that
    assert margin(bottom) >= GRID_CLEARANCE
    higher = min(m for m in marks if m > bottom)
    assert higher >= lowest or margin(higher) < GRID_CLEARANCE
    # the top the first mark at or over the highest loss
    assert top >= highest - 1e-9 and max(m for m in marks if m < top) < highest
    # no gridline within a gridline's clearance of the floor
    floor_y = loss.points(np.array(loss.floors))[0][1]
    grid_ys = loss.axes.grid.points[:, 1]
    assert np.all(np.abs(grid_ys - floor_y) >= GRID_CLEARANCE - 1e-9)
