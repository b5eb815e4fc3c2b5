"""The step that ends an epoch shows that epoch complete: every point it used marked,
and the numbers of its last update (the one that made the line), whose batch stays
lit as the numbers name it; a highlight closed at the run's end leaves the points
plain."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.clock import StepClock
from scenes.panels.batch import (
    BatchHighlight,
    EpochEndClock,
    epoch_ended_at,
    used_by_epoch,
)
from scenes.panels.data_plot import DataPlot
from scenes.theme import DARK
from tests.test_panels import CORNER, SIZE, at_step, run

RUN = "minibatch/minibatch_final"  # 2 epochs of 10 batches of 10 of 100 points


@pytest.mark.parametrize(
    ("value", "ended"),
    [(0.0, None), (5.0, None), (9.5, None), (10.0, 0), (10.5, None), (20.0, 1)],
)
def test_epoch_ends_exactly_on_its_last_updates_step(
    value: float, ended: int | None
) -> None:
    assert epoch_ended_at(run(RUN), value) == ended


def test_every_point_of_the_epoch_is_used_once_and_its_last_batch_lit_at_its_end() -> (
    None
):
    trace = run(RUN)
    assert sorted(used_by_epoch(trace, 0).tolist()) == list(range(100))
    data, clock = DataPlot(DARK, trace, CORNER, SIZE), StepClock([trace])
    residuals, lit = BatchHighlight(data).moving(clock)
    at_step(clock, 9.5, residuals)
    last = lit.get_all_points().copy()
    # the batch the numbers name (EpochEndClock), lit; its residuals to a line that
    # has since taken its update, left out
    at_step(clock, 10.0, residuals)
    assert EpochEndClock(clock).index(trace) == 9
    np.testing.assert_array_equal(lit.get_all_points(), last)
    assert not residuals.has_points()
    at_step(clock, 20.0, residuals)  # the run's last step: its last batch
    assert lit.has_points() and not residuals.has_points()
    at_step(clock, 10.5, residuals)  # epoch 2's first batch, under way
    assert len(lit.get_family()) and lit.has_points()


def test_a_closed_highlight_leaves_the_points_plain_at_the_close() -> None:
    trace = run(RUN)
    data, clock = DataPlot(DARK, trace, CORNER, SIZE), StepClock([trace])
    batch = BatchHighlight(data, closed=clock.finished)
    used, (residuals, lit) = batch.used(clock), batch.moving(clock)
    at_step(clock, 19.5, residuals, used)  # the last update under way: lit, marked
    assert lit.has_points() and used.has_points()
    at_step(clock, 20.0, residuals, used)  # the run over, its keys gone: nothing
    assert not lit.has_points() and not residuals.has_points()
    assert not used.has_points()


def test_numbers_at_an_epochs_end_are_its_last_updates() -> None:
    trace = run(RUN)
    clock = StepClock([trace])
    finished = EpochEndClock(clock)
    assert finished.tracker is clock.tracker
    for value, update in [(9.5, 9), (10.0, 9), (10.5, 10), (15.0, 15), (20.0, 19)]:
        clock.tracker.set_value(value)
        assert finished.index(trace) == update
        np.testing.assert_array_equal(finished.params(trace), clock.params(trace))


# A cloud of more than LAYER_FROM dots is painted from raster layers (DotLayer) and its
# big batch's residuals traced as lines (Segments): the same picture as Manim's own
# paths but for anti-aliased edges (measured: 0.3% of values past 2, 0.02% past 16)
LAYER_EDGE_BUDGET = (0.006, 0.001)  # fractions of values past 2 and past 16


@pytest.mark.slow
def test_a_big_cloud_drawn_from_layers_looks_as_when_traced(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from scenes.panels import batch, data_plot
    from sgd_anim.registry import SCENES
    from sgdcore.config import RunOptions
    from tests.stills import render_frame_at

    spec = SCENES["minibatch"]
    traces = spec.train(RunOptions(n=1000, batch_size=300, n_steps=12))
    steps = (2.5, 7.5)  # mid-epoch: every layer shows dots (cloud, used, lit)

    def frames() -> list[np.ndarray]:
        return [
            render_frame_at(spec.scene_class(), traces, 854, 480, s, pace=spec.pace)
            for s in steps
        ]

    layered = frames()
    monkeypatch.setattr(batch, "LAYER_FROM", 10**9)
    monkeypatch.setattr(data_plot, "LAYER_FROM", 10**9)
    for drawn, traced in zip(layered, frames(), strict=True):
        difference = np.abs(drawn.astype(np.int16) - traced.astype(np.int16))
        assert np.mean(difference > 2) <= LAYER_EDGE_BUDGET[0]
        assert np.mean(difference > 16) <= LAYER_EDGE_BUDGET[1]
