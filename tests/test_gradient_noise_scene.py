"""gradient_noise as it plays: each batch size's zoomed-in beat still says which
loss its contours stand for, clear of the cloud, for several batch sizes, point
counts and seeds; the loss plot waits for the runs it plots."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DL, UR, Mobject

from scenes.clock import LeadClock
from scenes.gradient_noise import PLANE_CORNER, PLANE_SIZE
from scenes.noise_geometry import noise_levels
from scenes.panels.gradient_cloud import GradientCloud
from scenes.panels.parameter_plane import ParameterPlane
from scenes.placement import within
from scenes.theme import PALETTES
from sgdcore.config import NOISE_RUNS, RunOptions
from sgdcore.gradient_noise import noise_traces
from sgdcore.trace import Trace
from tests.test_beats import default_runs
from tests.test_caption_rules import planned
from tests.test_gradient_noise_layout import VARIANTS

LOSS_CAPTION = "lossonallpoints(log)"  # as Text keeps it: without its spaces
Box = tuple[float, float, float, float]


@pytest.fixture(scope="module", params=["default", *VARIANTS])
def runs(request: pytest.FixtureRequest) -> list[Trace]:
    if request.param == "default":
        return default_runs("gradient_noise")
    sizes, n, seed = VARIANTS[request.param]
    options = RunOptions(n=n, seed=seed, n_steps=5)
    return noise_traces("linear_regression", NOISE_RUNS, options, sizes)


def box_of(mobject: Mobject) -> Box:
    (left, bottom, _), (right, top, _) = mobject.get_corner(DL), mobject.get_corner(UR)
    return float(left), float(bottom), float(right), float(top)


def test_the_zoomed_in_beats_label_a_contour_clear_of_the_cloud(
    runs: list[Trace],
) -> None:
    levels = noise_levels(runs[0])
    clock = LeadClock(runs, len(levels))
    tips = np.vstack([runs[0].params[0] + level.steps for level in levels])
    plane = ParameterPlane(
        PALETTES["dark"], runs, PLANE_CORNER, PLANE_SIZE, tips, zoom=False
    )
    starts = runs[0].params[0] + np.vstack([np.zeros(2), levels[0].full])
    frames = [starts] + [np.vstack([starts, starts[0] + lv.steps]) for lv in levels]
    plane.lead_with(frames)
    cloud = GradientCloud(PALETTES["dark"], plane, levels)
    drawn = cloud.ink(clock)
    for value in range(len(levels) + 1):
        clock.tracker.set_value(value)
        box = plane.view.box(float(value))
        ink = drawn(box)
        assert ink is not None
        labels = plane.shown_levels(box, ink)
        assert labels, f"no contour's loss at beat {value}"
        for text in labels:
            assert not ink.crowding(box_of(text)), (value, box_of(text))
            assert all(within(box_of(text), box.scene_bounds) for text in labels)
    clock.tracker.set_value(len(levels) + 1)
    assert drawn(plane.view.box(float(len(levels) + 1))) is None  # the paths, then


def test_the_loss_plot_shows_only_once_the_runs_start() -> None:
    scene = planned("gradient_noise", default_runs("gradient_noise"))

    def loss_caption_shown() -> bool:
        family = [m for top in scene.movers for m in top.get_family()]
        return any(getattr(m, "text", "") == LOSS_CAPTION for m in family)

    lead = len(noise_levels(scene.trace))
    for step, shown in [(0, False), (lead / 2, False), (lead, False), (lead + 1, True)]:
        scene.move_to_step(step)
        assert loss_caption_shown() == shown, step
