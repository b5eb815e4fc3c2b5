"""The optimizers clip marks on its loss plot where each run first comes within 1% of
the minimum, read from the runs; its plane starts close in on the shared start and
widens, holding every step's arrow, until it is the whole walk's view."""

from __future__ import annotations

import numpy as np

from scenes.clock import StepClock
from scenes.least_squares import quadratic_form
from scenes.optimizers import CONTOUR_CORNER, CONTOUR_SIZE, LOSS_CORNER, loss_size
from scenes.panels.arrival_marks import arrival_marks
from scenes.panels.loss_plot import LossPlot
from scenes.panels.parameter_plane import ParameterPlane
from scenes.start_view import HELD, OUT, start_view
from scenes.text import TextPath
from scenes.theme import DARK
from scenes.words import NEAR_FLOOR
from tests.planned import planned_default
from tests.test_panels import PLACE, at_step

COLORS = [DARK.fit, DARK.lr_low, DARK.accent]


def test_each_run_is_marked_at_its_first_step_within_1_percent() -> None:
    traces = planned_default("optimizers").traces
    floor = quadratic_form(traces[0])[2]
    firsts = []
    for trace in traces:
        within = np.flatnonzero(trace.full_loss <= (1 + NEAR_FLOOR) * floor)
        firsts.append(int(within[0]))
    plot = LossPlot(DARK, traces, LOSS_CORNER, loss_size(DARK))
    clock = StepClock(traces)
    key, marks = arrival_marks(plot, clock, traces, firsts, COLORS, floor)
    assert [part.words for part in key] == ["within 1% at step"]
    # in the runs' order (the legend's), left to right, whatever order they arrive in
    assert firsts != sorted(firsts)
    lefts = []
    for mark, k in zip(marks, range(len(traces)), strict=True):
        at_step(clock, firsts[k] - 1, mark)
        assert not mark.submobjects  # not before the run gets there
        at_step(clock, firsts[k], mark)
        dot, number = mark.submobjects[0]
        assert isinstance(number, TextPath) and number.words == str(firsts[k])
        lefts.append(number.get_left()[0])
        spot = plot.points(traces[k].loss)[firsts[k]]
        np.testing.assert_allclose(dot.get_center(), spot, atol=PLACE)
    assert lefts == sorted(lefts)


def test_the_plane_starts_close_in_and_widens_to_the_walks_view() -> None:
    traces = planned_default("optimizers").traces
    walk = ParameterPlane(DARK, traces, CONTOUR_CORNER, CONTOUR_SIZE).view
    view = start_view(walk, [trace.params for trace in traces])
    widths = view.x[:, 1] - view.x[:, 0]
    assert widths[0] < walk.x[0, 1] - walk.x[0, 0]
    assert (np.diff(widths[: HELD + OUT + 1]) >= 0).all()
    np.testing.assert_array_equal(view.x[HELD + OUT :], walk.x[HELD + OUT :])
    # every step's arrow, from where a run is to where it goes next, is in view
    for step in range(HELD + OUT):
        box = view.box(step)
        for trace in traces:
            ends = trace.params[step : step + 2]
            assert box.contains(box.to_points(ends[:, 0], ends[:, 1])).all()
