"""The curve scenes (validation, regularization, underfit_overfit) as a lecturer sees them.

- everything inside the frame's 5% margin: 5% of the width at each side, 5% of the
  height at top and bottom (a stricter check than the one every scene passes);
- validation's loss plot is at least 220 px tall at 1080p, its steps on a log axis
  whose ticks are plain digits, and the stop line stands where the validation loss
  is lowest, its words clear of every gridline and curve (regularization's too);
- the loss plots' step labels keep their spacing, none moved in off its tick;
- regularization keys each curve as it is drawn: its models solid, the plain
  model's validation loss dashed;
- underfit_overfit's curves, at every step, end clear of their plot's axes: degree
  18's spikes at the grid's ends and at their furthest swing stop inside the plot;
- on log time every decade of steps takes the same screen time, and the step counter
  shows every step, one by one, through the run's first fifty steps.
"""

from __future__ import annotations

import math
from itertools import pairwise

import numpy as np
import pytest
from manim import DL, UR, DashedVMobject, ManimColor, VMobject

from scenes.clock import ZERO_GAP, StepClock, log_step, log_time
from scenes.panels.axes import GRID_CLEARANCE
from scenes.panels.curve_fit import MODEL_WIDTH, CurveFit
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import step_labels
from scenes.panels.stop_mark import gridlines, step_mark
from scenes.panels.tick_room import LABEL_SPACE
from scenes.placement import grown, within
from scenes.regularization import Regularization
from scenes.theme import DARK, PALETTES
from tests.built_panels import panels_built, planned_with_panels
from tests.conftest import PLANS
from tests.layout_snapshots import outside, snapshots
from tests.planned import PLANNED_FPS, planned_default

pytestmark = pytest.mark.xdist_group(PLANS)

CURVE_SCENES = ("validation", "regularization", "underfit_overfit")
MARGIN = 0.05  # of the frame's width at each side, of its height at top and bottom
FRAME_PIXELS = 1080  # a 1080p frame's height
TALLEST_SMALL_PLOT = 220  # pixels at 1080p: a loss plot at least this tall
HIGH_FPS = PLANNED_FPS  # the scenes are planned at 60 fps
COUNTED_STEPS = 50  # each of the first this many steps gets a frame of its own
COUNTED_SECONDS = 0.1  # validation: each step up to the stop, on screen this long
CURVE_CLEARANCE = 0.04  # of a plot's span: underfit_overfit's curves end this far in


@pytest.mark.parametrize("theme", sorted(PALETTES))
@pytest.mark.parametrize("name", CURVE_SCENES)
def test_everything_keeps_five_percent_of_the_frame_clear(
    name: str, theme: str
) -> None:
    problems = set()
    for shot in snapshots(name, theme):
        width, height = shot.frame
        safe = (
            -(0.5 - MARGIN) * width,
            -(0.5 - MARGIN) * height,
            (0.5 - MARGIN) * width,
            (0.5 - MARGIN) * height,
        )
        problems |= {str(m) for m in shot.marks if m.flat and outside(m.box, safe)}
    assert not problems, "\n".join(sorted(problems))


def test_validation_loss_plot_is_tall_enough() -> None:
    scene = planned_default("validation")
    (_, _, _, curve_top), (_, bottom, _, top) = (
        box.scene_bounds for box, _ in scene.regions
    )
    frame_height = 8.0  # scene units
    assert (top - bottom) / frame_height * FRAME_PIXELS >= TALLEST_SMALL_PLOT
    assert top < curve_top  # the loss plot is the lower one


def test_underfit_overfits_curves_end_clear_of_their_axes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    panels = panels_built("underfit_overfit", CurveFit, monkeypatch)
    assert len(panels) == 3
    for panel in panels:
        trace, box = panel.trace, panel.box
        for (low, high), values in (
            (box.x_span, trace.grid),
            (box.y_span, trace.curve),
        ):
            spare = CURVE_CLEARANCE * (high - low)
            assert low + spare <= values.min() and values.max() <= high - spare, (
                trace.meta["degree"],
                (low, high),
                (values.min(), values.max()),
            )


def test_log_step_puts_decades_evenly_and_step_zero_half_a_decade_before_one() -> None:
    np.testing.assert_allclose(
        log_step([0, 0.5, 1, 2, 10, 100, 1000]),
        [-ZERO_GAP, -ZERO_GAP / 2, 0, math.log10(2), 1, 2, 3],
        atol=1e-12,
    )
    fine = log_step(np.linspace(0, 1000, 20001))
    assert np.all(np.diff(fine) > 0)


def test_step_ticks_are_plain_digits_at_their_steps() -> None:
    assert step_labels(1000) == {-ZERO_GAP: "0", 0: "1", 1: "10", 2: "100", 3: "1000"}
    assert step_labels(800) == {-ZERO_GAP: "0", 0: "1", 1: "10", 2: "100"}
    for at, text in step_labels(100_000).items():
        assert text.isdigit() and float(log_step(int(text))) == at


def test_log_time_gives_every_decade_the_same_seconds() -> None:
    seconds = log_time(1000, 2.5)
    assert seconds[0] == pytest.approx(2.5 * ZERO_GAP)
    for first, last in ((1, 10), (10, 100), (100, 1000)):
        assert seconds[first:last].sum() == pytest.approx(2.5)


def test_the_stop_line_stands_at_the_lowest_validation_loss() -> None:
    scene = planned_default("validation")
    (trace,) = scene.traces
    best = int(np.argmin(trace.valid_loss))
    assert 0 < best < trace.n_steps
    plot = LossPlot(DARK, [trace], (-5.6, -3.2), (7.1, 2.15), log_steps=True)
    clock = StepClock([trace])
    (mark,) = step_mark(DARK, plot, clock, best, "lowest")
    clock.tracker.set_value(trace.n_steps)
    mark.update()
    line = mark.submobjects[0].submobjects[0]  # the dashed line, then its words
    xs = np.concatenate([dash.points[:, 0] for dash in line.submobjects])
    lowest = plot.points(trace.valid_loss)[best]
    np.testing.assert_allclose(xs, lowest[0], atol=1e-6)
    # on the log axis: between the ticks of 1 and 10, where log10(best) says
    one, ten = (plot.box.c2p(x, 0)[0] for x in (0.0, 1.0))
    assert lowest[0] == pytest.approx(one + math.log10(best) * (ten - one))


@pytest.mark.parametrize("name", CURVE_SCENES)
def test_the_step_counter_shows_each_of_the_first_steps(name: str) -> None:
    schedule = planned_default(name).schedule
    assert schedule is not None
    times = [schedule.time_at(k) for k in range(COUNTED_STEPS + 1)]
    shortest = min(np.diff(times))
    assert shortest >= 1 / HIGH_FPS, f"a step lasts {shortest * HIGH_FPS:.2f} frames"


def test_validation_counts_the_steps_to_the_stop_one_by_one() -> None:
    scene = planned_default("validation")
    schedule = scene.schedule
    assert schedule is not None
    best = int(np.argmin(scene.trace.valid_loss))
    times = [schedule.time_at(k) for k in range(best + 1)]
    assert min(np.diff(times)) >= COUNTED_SECONDS


def test_regularization_verdict_names_each_models_best_and_last() -> None:
    scene = planned_default("regularization")
    verdict = scene.schedule.beats[-1].sentence  # type: ignore[union-attr]
    said = []
    for trace in scene.traces:
        best = int(np.argmin(trace.valid_loss))
        assert 0 < best < trace.n_steps
        lowest, last = (f"{trace.valid_loss[k]:.4f}" for k in (best, -1))
        if lowest == last:  # no turn up to show: its last is its lowest
            said.append(f"{last} at the end, its lowest.")
        else:
            said.append(f"{lowest} at best (step {best}), {last} at the end.")
    plain, decayed = said
    (plain_train, decayed_train) = (f"{t.full_loss[-1]:.4f}" for t in scene.traces)
    (plain_valid, decayed_valid) = (f"{t.valid_loss[-1]:.4f}" for t in scene.traces)
    assert verdict == f"Weight decay: validation {decayed} No decay: {plain}"
    # the readouts: higher training loss, lower validation loss at the end
    assert float(decayed_train) > float(plain_train)
    assert float(decayed_valid) < float(plain_valid)
    caption = scene.schedule.beats[-1].caption  # type: ignore[union-attr]
    # ... against what early stopping would have kept of the plain run: its lowest
    lowest = float(np.min(scene.traces[0].valid_loss))
    assert abs(float(decayed_valid) / lowest - 1) < 0.05
    assert caption == "Weight decay ends about as low as stopping early."


def test_validation_draws_the_kept_model_dashed_over_the_model() -> None:
    scene = planned_default("validation")
    best = int(np.argmin(scene.trace.valid_loss))
    palette = scene.palette

    def kept_shown() -> list[int]:
        return [
            index
            for index, mover in enumerate(scene.movers)
            for child in mover.submobjects
            if isinstance(child, DashedVMobject)
            and child.get_stroke_color() == ManimColor(palette.accent)
        ]

    scene.move_to_step(best - 1)
    assert not kept_shown()
    scene.move_to_step(best)
    (kept,) = kept_shown()
    model = next(
        index
        for index, mover in enumerate(scene.movers)
        if isinstance(mover, VMobject)
        and mover.get_stroke_color() == ManimColor(palette.fit)
        and mover.get_stroke_width() == 5
    )
    assert model < kept  # drawn first: the dashes lie over it


@pytest.mark.parametrize("name", ["validation", "regularization"])
def test_the_lowest_steps_words_cross_no_gridline_and_no_curve(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    scene, (plot,) = planned_with_panels(name, LossPlot, monkeypatch)
    trace = scene.traces[0]
    best = int(np.argmin(trace.valid_loss))
    clock = StepClock(list(scene.traces))
    (mark,) = step_mark(scene.palette, plot, clock, best, f"lowest: step {best}")
    clock.tracker.set_value(trace.n_steps)
    mark.update()
    words = mark.submobjects[0].submobjects[1]
    (left, bottom, _), (right, top, _) = words.get_corner(DL), words.get_corner(UR)
    # room round the words: validation's gridlines leave less than the clearance
    room = grown((left, bottom, right, top), GRID_CLEARANCE / 4)
    assert not gridlines(plot.axes).crowding(room)
    assert not plot.ink(plot.box).crowding((left, bottom, right, top))
    assert within((left, bottom, right, top), plot.box.scene_bounds)


def test_regularization_keys_each_curve_as_it_is_drawn(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    scene, panels = planned_with_panels("regularization", CurveFit, monkeypatch)
    assert isinstance(scene, Regularization)
    looks = scene.looks()
    # each model's name: after a solid stroke as wide as its curve
    for panel, look in zip(panels, looks, strict=True):
        mark, _ = scene.keyed_name(panel, look)
        assert len(mark.get_subpaths()) == 1
        assert mark.get_stroke_width() == MODEL_WIDTH
    # the loss plot's key: each validation loss's stroke, solid, as wide as drawn
    key = scene.loss_key()
    for mark, (color, width) in zip(key.submobjects[::2], looks, strict=True):
        assert len(mark.get_subpaths()) == 1
        assert mark.get_stroke_width() == width
        assert mark.get_stroke_color() == ManimColor(color)
    assert looks[1][1] > looks[0][1]  # the decayed run's wider, drawn under


@pytest.mark.parametrize("name", ["validation", "regularization"])
def test_the_step_labels_keep_their_spacing_inside_the_frame(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, (plot,) = planned_with_panels(name, LossPlot, monkeypatch)
    below = plot.box.scene_bounds[1]
    steps = sorted(box for box in plot.axes.labels.boxes if box[3] < below)
    assert len(steps) == len(step_labels(plot.traces[0].n_steps))
    gaps = [right[0] - left[2] for left, right in pairwise(steps)]
    assert min(gaps) >= LABEL_SPACE
