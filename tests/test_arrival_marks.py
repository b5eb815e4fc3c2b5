"""The optimizers clip marks on its loss plot where each run first comes within 1% of
the minimum, read from the runs; its plane starts close in on the shared start and
widens, holding every step's arrow, until it is the whole walk's view."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
from manim import DL, UR

from scenes.clock import StepClock
from scenes.least_squares import quadratic_form
from scenes.optimizers import CONTOUR_CORNER, CONTOUR_SIZE, LOSS_CORNER, loss_size
from scenes.panels.arrival_marks import (
    NEAR_MISS,
    arrival_marks,
    dip_marks,
    near_miss,
    near_misses,
)
from scenes.panels.loss_plot import LossPlot
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.run_losses import shown_losses
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
    key, marks = arrival_marks(plot, clock, traces, firsts, COLORS)
    # the key says what the dots mark, made apart from the plot to go under it
    assert key[1].words == "first step within 1% of the minimum"
    assert firsts != sorted(firsts)  # whatever order they arrive in
    left, bottom, right, top = plot.box.scene_bounds
    ink = plot.ink(plot.box)
    numbers = []
    for mark, k in zip(marks, range(len(traces)), strict=True):
        at_step(clock, firsts[k] - 1, mark)
        assert not mark.submobjects  # not before the run gets there
        at_step(clock, firsts[k], mark)
        leader, dot, number = mark.submobjects[0]
        assert isinstance(number, TextPath) and number.words == str(firsts[k])
        spot = plot.points(traces[k].loss)[firsts[k]]
        np.testing.assert_allclose(dot.get_center(), spot, atol=PLACE)
        # the step over its dot, on a leader between the two, inside the plot and
        # clear of every curve
        assert number.get_bottom()[1] > dot.get_top()[1]
        assert leader.get_bottom()[1] >= dot.get_top()[1] - PLACE
        assert leader.get_top()[1] <= number.get_bottom()[1] + PLACE
        (x0, y0, _), (x1, y1, _) = number.get_corner(DL), number.get_corner(UR)
        assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top
        assert not ink.crowding((x0, y0, x1, y1))
        numbers.append(number)
    # one row, left to right as their dots are, none over another
    numbers.sort(key=lambda number: number.get_x())
    assert len({round(number.get_bottom()[1], 6) for number in numbers}) == 1
    for one, other in pairwise(numbers):
        assert one.get_right()[0] < other.get_left()[0]


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


def test_a_dip_the_log_axis_draws_on_the_floor_is_named_by_its_loss() -> None:
    loss = np.array([5.0, 1.1, 1.3, 1.2, 1.005, 1.002])
    assert near_miss(loss, 1.0, 4) == 1  # 10% over: drawn on the floor, not within 1%
    assert near_miss(loss, 1.0, 1) is None  # none before the arrival
    assert near_miss(loss * 1.1, 1.0, 4) is None  # 21% over: seen above the floor
    assert near_miss(np.array([5.0, 1.005, 1.3, 1.0]), 1.0, None) is None  # arrived
    # the default race: Adam dips towards the floor before it comes within 1%
    traces = planned_default("optimizers").traces
    floor = quadratic_form(traces[0])[2]
    arrivals = [
        int(np.flatnonzero(t.full_loss <= (1 + NEAR_FLOOR) * floor)[0]) for t in traces
    ]
    shown = shown_losses(traces, 7)
    dips = near_misses(traces, arrivals, shown, COLORS)
    assert dips, "the default race has a near miss to name"
    plot = LossPlot(DARK, traces, LOSS_CORNER, loss_size(DARK))
    clock = StepClock(traces)
    marks = dip_marks(plot, clock, dips, plot.floor(traces[0])[1])
    assert len(marks) == len(dips)
    level = plot.box.c2p(0.0, float(np.log10(floor)))[1]
    left, bottom, right, _ = plot.box.scene_bounds
    for (step, text, _), mark in zip(dips, marks, strict=True):
        k = next(k for k, t in enumerate(traces) if shown[k][step].strip() == text)
        value = traces[k].full_loss[step]
        assert (1 + NEAR_FLOOR) * floor < value <= NEAR_MISS * floor
        assert float(text) > float(f"{floor:.4f}")  # above the minimum as shown
        at_step(clock, step - 1, mark)
        assert not mark.submobjects  # not before the dip is drawn
        at_step(clock, step, mark)
        ((words, ring),) = (dip.submobjects for dip in mark.submobjects)
        assert words.words == f"dip: {text}"
        # the ring on the curve where it dips
        spot = plot.points(traces[k].loss)[step]
        assert np.linalg.norm(ring.get_center() - spot) < 0.02, (ring, spot)
        # under the floor, where no loss goes, inside the plot, near under its step
        assert words.get_top()[1] < level and words.get_bottom()[1] >= bottom
        assert left <= words.get_left()[0] and words.get_right()[0] <= right
        x = plot.box.c2p(float(plot.step_x([step])[0]), 0.0)[0]
        assert words.get_left()[0] <= x <= words.get_right()[0]
