"""While a parabola plot's axes rescale, its point stays on the curve and on its
tangent: point, curve and tangent move together through every rescale frame, in
the axes of that frame. Checked on the lr scenes' committed runs, nothing rendered."""

from __future__ import annotations

import numpy as np
import pytest

from scenes.clock import StepClock
from scenes.geometry import PlotBox
from scenes.panels.parabola import Parabola, run_view
from scenes.parabola_geometry import quadratic
from scenes.theme import DARK
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA

RUNS = sorted(
    path
    for name in ("lr_too_high", "lr_too_low", "lr_just_right", "lr_compare")
    for path in (CONTROL_DATA / name).glob("*-run*.npz")
)
FRACTIONS = np.linspace(0.02, 0.98, 25)  # of each update
ON = 2e-3  # scene units: a quarter pixel at 1080p (a sampled f is interpolated)


def dot_on_curve(box: PlotBox, trace: Trace, centre: np.ndarray) -> float:
    """How far (scene units, upright) `centre` is from the curve at its own w."""
    left, right = box.x_span
    w = left + (centre[0] - box.corner[0]) / box.size[0] * (right - left)
    on_curve = box.c2p(w, float(quadratic(trace, np.array([w]))[0]))
    return abs(float(centre[1] - on_curve[1]))


def off_line(centre: np.ndarray, line: np.ndarray) -> float:
    """How far `centre` is from the straight line through the ends of `line`."""
    start, end = line[0, :2], line[-1, :2]
    along = (end - start) / np.linalg.norm(end - start)
    offset = centre[:2] - start
    return abs(float(offset[0] * along[1] - offset[1] * along[0]))


@pytest.mark.parametrize("zoom_in", [True, False])
@pytest.mark.parametrize(
    "path", RUNS, ids=lambda path: f"{path.parent.name}-{path.stem}"
)
def test_point_and_tangent_stay_on_the_curve_while_the_axes_rescale(
    path: object, zoom_in: bool
) -> None:
    trace = Trace.load(path)  # type: ignore[arg-type]
    view = run_view(trace, (-5.5, -3.2), (6.1, 5.2), zoom_in=zoom_in)
    parabola = Parabola(DARK, trace, view, DARK.fit)
    clock = StepClock([trace])
    moving = parabola.moving(clock)
    tangent, point = moving[4], parabola.point
    assert point is not None
    rescaled = 0
    for k in range(trace.n_steps):
        ends = (view.box(k), view.box(k + 1))
        ranges = {(box.x_range, box.y_range) for box in ends}
        for fraction in FRACTIONS:
            box = view.box(k + fraction)
            if len(ranges) == 1 or (box.x_range, box.y_range) in ranges:
                continue  # the axes hold still here
            clock.tracker.set_value(k + fraction)
            moving[2].update()
            if not np.isfinite(trace.params[k + 1, 0]) or point.get_fill_opacity() == 0:
                continue  # a runaway point: hidden, its marker on the edge
            rescaled += 1
            centre = point.get_center()
            assert dot_on_curve(box, trace, centre) < ON, (k, fraction)
            if len(tangent.points):
                assert off_line(centre, tangent.points) < ON, (k, fraction)
    if view.fixed:
        assert rescaled == 0


@pytest.mark.parametrize("learning_rate", [None, 0.3, 0.45, 0.6])
def test_marks_and_finished_hops_stay_clear_of_the_plots_sides(
    learning_rate: float | None,
) -> None:
    # a visited w on the end of the w axis (or a hop from the plot's corner) reads
    # as on the frame of the plot, not in it: lr_just_right's and other rates' runs
    from scenes.learning_rate import PLOT_CORNER, PLOT_SIZE
    from scenes.panels.parabola import EDGE
    from sgd_anim.registry import SCENES
    from sgdcore.config import RunOptions

    options = RunOptions(learning_rate=learning_rate)
    (trace,) = SCENES["lr_just_right"].train(options)
    view = run_view(trace, PLOT_CORNER, PLOT_SIZE, 5)
    parabola = Parabola(DARK, trace, view, DARK.fit)
    clock = StepClock([trace])
    marks, faded, trail = parabola.moving(clock)[:3]
    for value in np.arange(0.0, trace.n_steps + 0.01, 0.25):
        clock.tracker.set_value(float(value))
        trail.update()
        left, _, right, _ = view.box(float(value)).scene_bounds
        for drawn in (marks, faded, trail):
            if len(drawn.points):
                xs = drawn.points[:, 0]
                assert xs.min() >= left + EDGE - 1e-9, (value, learning_rate)
                assert xs.max() <= right - EDGE + 1e-9, (value, learning_rate)


def test_the_tangent_leaves_only_where_the_point_rests_on_the_ring() -> None:
    # at the minimum the slope is flat: drawn, it would lie along the w axis
    for name, rests in (("lr_just_right", True), ("lr_too_low", False)):
        trace = Trace.load(CONTROL_DATA / name / "default-run0.npz")
        view = run_view(trace, (-5.5, -3.2), (6.1, 5.2), zoom_in=True)
        parabola = Parabola(DARK, trace, view, DARK.fit)
        clock = StepClock([trace])
        moving = parabola.moving(clock)
        tangent = moving[4]
        for step, drawn in ((1, True), (trace.n_steps, not rests)):
            clock.tracker.set_value(step)
            moving[2].update()
            assert bool(len(tangent.points)) == drawn, (name, step)
