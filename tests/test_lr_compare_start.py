"""lr_compare's three panels start on one view, its subtitle states the rule for the
function drawn, and its key names the minimum's ring."""

from __future__ import annotations

import numpy as np
from manim import Text, VGroup

from scenes.lr_compare import PANEL_HEIGHT, PANEL_WIDTH, common_start
from scenes.panels.hop_key import KEY, MINIMUM_WORDS
from scenes.panels.parabola import run_view
from scenes.parabola_geometry import quadratic_text
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA, quadratic_trace
from tests.planned import planned_default


def default_runs() -> list[Trace]:
    """lr_compare's committed default runs: too low, just right, too high."""
    folder = CONTROL_DATA / "lr_compare"
    return [Trace.load(folder / f"default-run{k}.npz") for k in range(3)]


def test_the_panels_start_on_one_view_then_each_follows_its_run() -> None:
    traces = default_runs()
    first = common_start(traces)
    views = [
        run_view(t, (0.0, 0.0), (PANEL_WIDTH, PANEL_HEIGHT), False, first=first)
        for t in traces
    ]
    for view in views[1:]:
        assert np.array_equal(view.x[0], views[0].x[0])
        assert np.array_equal(view.y[0], views[0].y[0])
    # the run that runs away still widens its own
    assert views[2].x[-1, 1] > views[0].x[-1, 1]


def test_the_subtitle_names_the_function_its_rule_holds_for() -> None:
    scene = planned_default("lr_compare")
    title = next(
        m
        for m in scene.statics
        if isinstance(m, VGroup) and len(m) == 2 and isinstance(m[1], Text)
    )
    words = title[1].text
    assert words.startswith("f(w)=w²:converges"), words
    (key,) = [m for m in scene.statics if getattr(m, "role", "") == KEY]
    said = [m.text for m in key if isinstance(m, Text)]
    assert MINIMUM_WORDS in said


def test_the_quadratic_is_written_with_the_traces_constants() -> None:
    assert quadratic_text(quadratic_trace(3)) == "w²"
    other = quadratic_trace(3, curvature=3.0, minimum=1.0)
    assert quadratic_text(other) == "3·(w − 1)²"
