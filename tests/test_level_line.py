"""The landscape's contour through the point each first step leaves from: the loss
is the same all along it, and the step's gradient, read off the torch run, is
square to it there."""

from __future__ import annotations

import numpy as np

from scenes.clock import StepClock
from scenes.geometry import PlotBox
from scenes.landscape import CONTOUR_CORNER, CONTOUR_SIZE, minimum_room
from scenes.panels.level_line import level_line, level_runs
from scenes.panels.parameter_plane import ParameterPlane
from scenes.schedule import FIRST_STEPS
from scenes.theme import DARK
from tests.planned import planned_default


def plane_of_landscape() -> ParameterPlane:
    scene = planned_default("landscape")
    trace = scene.trace
    return ParameterPlane(
        DARK,
        scene.traces,
        CONTOUR_CORNER,
        CONTOUR_SIZE,
        minimum_room(trace),
        zoom=False,
    )


def box_params(box: PlotBox, points: np.ndarray) -> np.ndarray:
    """The parameters, shape (m, 2), that scene points in `box` stand for."""
    (x_low, x_high, _), (y_low, y_high, _) = box.x_range, box.y_range
    shares = (points[:, :2] - np.array(box.corner)) / np.array(box.size)
    return np.array([x_low, y_low]) + shares * np.array(
        [x_high - x_low, y_high - y_low]
    )


def test_the_contour_holds_the_steps_loss_and_the_gradient_is_square_to_it() -> None:
    plane = plane_of_landscape()
    trace = plane.traces[0]
    box = plane.view.box(0)
    for step in range(FIRST_STEPS):
        runs = [box_params(box, run) for run in level_runs(plane, trace, step, box)]
        assert runs  # cut at the plane's edges, in pieces
        # the full-batch loss on the contour: the step's own, all along it
        x, y = np.asarray(trace.x, dtype=np.float64), np.asarray(trace.y)
        for params in runs:
            losses = ((params @ x.T - y) ** 2).mean(axis=1)
            # (to the chords between its 181 samples)
            assert np.allclose(losses, trace.full_loss[step], rtol=1e-3)
        # where it passes through the step's point, its tangent is square to the
        # gradient the run recorded there
        params = min(
            runs, key=lambda p: np.linalg.norm(p - trace.params[step], axis=1).min()
        )
        here = int(np.argmin(np.linalg.norm(params - trace.params[step], axis=1)))
        assert np.linalg.norm(params[here] - trace.params[step]) < 0.05
        assert 0 < here < len(params) - 1
        tangent = params[here + 1] - params[here - 1]
        grad = np.asarray(trace.grad[step], dtype=np.float64)
        cosine = tangent @ grad / np.linalg.norm(tangent) / np.linalg.norm(grad)
        assert abs(cosine) < 0.05


def test_the_contour_is_drawn_for_the_first_steps_only() -> None:
    plane = plane_of_landscape()
    trace = plane.traces[0]
    clock = StepClock([trace])
    line = level_line(plane, clock, trace, DARK.highlight, FIRST_STEPS)
    for value, drawn in ((0.0, True), (FIRST_STEPS - 0.5, True), (FIRST_STEPS, False)):
        clock.tracker.set_value(value)
        line.update()
        assert bool(len(line.points)) is drawn
