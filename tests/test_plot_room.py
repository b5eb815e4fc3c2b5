"""Data plots keep their points and curves off the axes, and the points on top.

- a data plot's x axis runs a little past the data at both ends, for the lesson's
  x in [-1, 1) and for a user's x in [0, 10), with the ticks of the data's range;
- a curve plot cuts its model inside an inner box clear of its axes on every side;
- the curve scenes draw the points after (over) every curve.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest
from manim import Mobject

from scenes.geometry import tick_values
from scenes.panels.curve_fit import CurveFit
from scenes.panels.data_plot import DataPlot
from scenes.theme import DARK
from sgdcore.trace import Trace
from tests.built_panels import planned_with_panels
from tests.conftest import CONTROL_DATA

CORNER, SIZE = (-5.0, -3.0), (6.0, 4.0)
ROOM = 0.03  # of the x axis' span: the least from a point to either end of it


def fit_line_run() -> Trace:
    return Trace.load(CONTROL_DATA / Path("fit_line/fit_line_final-run0.npz"))


@pytest.mark.parametrize(("scale", "shift", "ticks"), [(1.0, 0.0, 5), (5.0, 5.0, 6)])
def test_data_plot_points_stand_clear_of_both_ends_of_the_x_axis(
    scale: float, shift: float, ticks: int
) -> None:
    trace = fit_line_run()
    x = trace.x.copy()
    x[:, 0] = x[:, 0] * scale + shift  # the second column is the intercept's ones
    trace = dataclasses.replace(trace, x=x)
    box = DataPlot(DARK, trace, CORNER, SIZE).box
    low, high = box.x_span
    room = ROOM * (high - low)
    xs = trace.x[:, 0]
    assert low + room <= xs.min() and xs.max() <= high - room, (low, high)
    values = tick_values(box.x_range)
    assert len(values) == ticks  # -1 to 1 by 0.5; 0 to 10 by 2
    assert values[0] <= xs.min() and xs.max() <= values[-1]


@pytest.mark.parametrize("scene", ["validation", "regularization", "underfit_overfit"])
def test_curves_are_cut_clear_of_the_axes_and_drawn_under_the_points(
    scene: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: dict[str, list[Mobject]] = {"model": [], "points": []}
    for name, kept in made.items():
        method = getattr(CurveFit, name)

        def record(*args: Any, method: Any = method, kept: Any = kept) -> Any:
            kept.append(method(*args))
            return kept[-1]

        monkeypatch.setattr(CurveFit, name, record)
    built, panels = planned_with_panels(scene, CurveFit, monkeypatch)
    assert panels and len(made["model"]) == len(made["points"]) == len(panels)
    for panel, model, points in zip(panels, made["model"], made["points"], strict=True):
        left, bottom, right, top = panel.box.scene_bounds
        inner = panel.inner.scene_bounds
        gap = 0.03 * min(panel.box.size)
        assert inner[0] >= left + gap and inner[1] >= bottom + gap
        assert inner[2] <= right - gap and inner[3] <= top - gap
        assert built.movers.index(model) < built.movers.index(points)
