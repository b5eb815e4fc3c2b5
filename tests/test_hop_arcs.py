"""A hop's arc stays in the plot and over the curve: under the top of the axes (the
zoom badge and f(w)'s name sit over it), over a sampled f's hills, and where one hop
lands and the next sets off the two are drawn apart, without a mitred spike. Checked on
the drawn hops of runs that diverge, crawl and settle, nothing rendered."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import sgd_anim
from scenes.clock import StepClock
from scenes.geometry import PlotBox, spaced_apart
from scenes.learning_rate import PLOT_CORNER, PLOT_SIZE
from scenes.panels.parabola import Parabola, run_view
from scenes.parabola_geometry import (
    HOP_HEIGHT,
    HOP_SAMPLES,
    curve_heights,
    hop_arcs,
)
from scenes.theme import DARK

RUNS = [
    ("lr_too_high", {}),
    ("lr_too_high", {"lr": 1.5, "steps": 25}),  # past what the view widens to
    ("lr_too_high", {"lr": 1.02, "steps": 40}),
    ("lr_too_low", {}),
    ("lr_just_right", {}),
    ("lr_too_high", {"function": "bumpy"}),  # hops over hills
    ("lr_too_high", {"function": "double_well"}),
    ("lr_just_right", {"function": "quartic"}),
]
SLACK = 1e-6  # scene units
ON = 2e-3  # scene units a hop's sampled points may sit under a sampled curve


@pytest.mark.parametrize(("scene", "options"), RUNS, ids=[f"{s}-{o}" for s, o in RUNS])
def test_every_drawn_hop_stays_in_the_plot_and_over_the_curve(
    scene: str, options: dict[str, Any]
) -> None:
    (trace,) = sgd_anim.train(scene, **options)
    view = run_view(trace, PLOT_CORNER, PLOT_SIZE)
    parabola = Parabola(DARK, trace, view, DARK.fit)
    clock = StepClock([trace])
    faded, trail, hop = parabola.moving(clock)[1:4]
    for value in np.arange(0.0, trace.n_steps + 0.01, 0.2):
        clock.tracker.set_value(float(value))
        trail.update()
        box = view.box(float(value))
        left, bottom, right, top = box.scene_bounds
        for drawn in (faded, trail, hop):
            if not len(drawn.points):
                continue
            xs, ys = drawn.points[:, 0], drawn.points[:, 1]
            assert xs.min() >= left - SLACK and xs.max() <= right + SLACK, value
            assert ys.min() >= bottom - SLACK and ys.max() <= top + SLACK, value
            ground = curve_heights(trace, box, xs)
            assert np.nanmin(ys - ground) >= -ON, (value, scene, options)


def test_a_hop_near_the_top_of_the_plot_flattens_under_it() -> None:
    box = PlotBox((-3.0, 3.0, 1.0), (0.0, 10.0, 2.0), (0.0, 0.0), (6.0, 5.0))
    starts, ends = np.array([[0.5, 4.9, 0.0]]), np.array([[5.5, 4.95, 0.0]])
    arc = hop_arcs(box, starts, ends, 1.0)[0]
    assert arc[:, 1].max() <= 5.0 + SLACK
    assert arc[:, 1].max() > 4.95  # it still rises: a hop, not a line
    # lower down, the same hop rises its full height over the line between its ends
    low = hop_arcs(box, starts - [0, 3, 0], ends - [0, 3, 0], 1.0)[0]
    line = np.linspace(starts[0, 1], ends[0, 1], len(low)) - 3
    assert np.isclose((low[:, 1] - line).max(), HOP_HEIGHT * 5.0, rtol=0.01)


def test_a_hop_between_two_valleys_clears_the_hill_between() -> None:
    box = PlotBox((-3.0, 3.0, 1.0), (0.0, 10.0, 2.0), (0.0, 0.0), (6.0, 5.0))

    def hill(xs: np.ndarray) -> np.ndarray:
        return 1.0 + 1.5 * np.exp(-(((xs - 3.0) / 0.6) ** 2))

    starts, ends = np.array([[1.0, 1.0, 0.0]]), np.array([[5.0, 1.0, 0.0]])
    arc = hop_arcs(box, starts, ends, 1.0, hill)[0]
    assert (arc[1:-1, 1] > hill(arc[1:-1, 0])).all()


def test_each_finished_hop_is_a_stroke_of_its_own() -> None:
    # joined where one hop lands and the next leaves, the sharp corner's mitre
    # spikes out past the curve
    (trace,) = sgd_anim.train("lr_too_high")
    view = run_view(trace, PLOT_CORNER, PLOT_SIZE)
    parabola = Parabola(DARK, trace, view, DARK.fit)
    clock = StepClock([trace])
    faded, trail = parabola.moving(clock)[1:3]
    clock.tracker.set_value(float(trace.n_steps))
    trail.update()
    per_hop = 4 * (HOP_SAMPLES - 1)
    for drawn in (faded, trail):
        paths = drawn.get_subpath_split_indices_from_points(drawn.points, n_dims=2)
        assert len(paths) == len(drawn.points) // per_hop > 1


def test_visited_marks_closer_than_the_spacing_to_an_earlier_one_are_left_out() -> None:
    # a slow run's marks 0.02 apart: every third kept, a row of ticks, not a bar;
    # a mark out of view neither shows nor keeps another out
    xs = np.array([0.0, 0.02, 0.04, 0.06, 0.08, 0.10, 0.12, 5.0])
    feet = np.stack([xs, np.zeros_like(xs), np.zeros_like(xs)], axis=1)
    shown = np.array([True] * 7 + [False])
    kept = spaced_apart(feet, shown, 0.06)
    assert kept.tolist() == [True, False, False, True, False, False, True, False]
    # whether a mark shows depends only on those before it: a run's prefix keeps
    # the same marks as the whole run does
    assert (spaced_apart(feet[:4], shown[:4], 0.06) == kept[:4]).all()
    hops = np.stack([[1.0, -0.9, 0.8, -0.7], np.zeros(4), np.zeros(4)], axis=1)
    assert spaced_apart(hops, np.ones(4, dtype=bool), 0.06).all()
