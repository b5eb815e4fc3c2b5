"""Layout of every scene, both themes, at several steps: no text on text, all inside.

Each scene is built with `plan_only` from committed runs (its default runs, and runs
that diverge), the replay is moved to a few steps, and the bounding boxes of what is
drawn are read off the mobjects: no video is rendered. Three rules:

- no text overlaps another text or a tick label (Text, Readout, TextPath, and each
  label of a TickLabels path);
- everything lies inside the frame's safe margin: 5% of its width in from either
  side (x within ±6.40 of a 14.2-wide frame), 5% of its height in from top and
  bottom (y within ±3.60 of an 8-high frame);
- what a scene declares with `keep_inside` stays inside its plot's box.

A 3-D scene's flat parts (fixed in the frame) are checked; its 3-D parts are not.
"""

from __future__ import annotations

import itertools

import pytest

from scenes.panels.loss_plot import LossPlot
from scenes.theme import PALETTES
from sgd_anim.registry import SCENES
from tests.built_panels import panels_built
from tests.conftest import PLANS
from tests.layout_snapshots import (
    CASES,
    EDGE_INK,
    SAFE_HEIGHT,
    SIDE_MARGIN,
    note,
    outside,
    overlap,
    report,
    snapshots,
)

pytestmark = pytest.mark.xdist_group(PLANS)

LOSS_PLOT_HEIGHT = 1.63  # scene units: 220 px of a 1080-px frame 8 units high

CASE_THEMES = [
    pytest.param(case, theme, id=f"{case}-{theme}")
    for case in CASES
    for theme in PALETTES
]


@pytest.mark.parametrize("case", CASES)
def test_the_walk_finds_titles_tick_labels_and_graphics(case: str) -> None:
    for shot in snapshots(case, "dark"):
        words = [mark.words for mark in shot.marks if mark.is_text]
        assert len(words) >= 3 and any(not mark.is_text for mark in shot.marks)
        assert shot.three_d or "tick label" in words, words


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_no_text_overlaps_another_text_or_tick_label(case: str, theme: str) -> None:
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        # a 3-D scene's labels in the world are checked as projected, in its own tests
        texts = [mark for mark in shot.marks if mark.is_text and mark.flat]
        for first, second in itertools.combinations(texts, 2):
            if overlap(first.box, second.box):
                note(problems, f"{first} overlaps {second}", shot.step)
    assert not problems, report(case, theme, problems)


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_everything_lies_inside_the_safe_margin(case: str, theme: str) -> None:
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        width, height = shot.frame
        half_width, half_height = (0.5 - SIDE_MARGIN) * width, SAFE_HEIGHT * height / 2
        safe = (-half_width, -half_height, half_width, half_height)
        where = f"outside the safe area x ±{half_width:.2f}, y ±{half_height:.2f}"
        for mark in shot.marks:
            if mark.flat and outside(mark.box, safe):
                note(problems, f"{mark} {where}", shot.step)
    assert not problems, report(case, theme, problems)


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_what_a_plot_keeps_inside_stays_in_its_box(case: str, theme: str) -> None:
    shots = snapshots(case, theme)
    problems: dict[str, list[float]] = {}
    if not shots[0].three_d and not shots[0].regions:
        note(problems, "the scene declares nothing it keeps in a plot (keep_inside)", 0)
    for shot in shots:
        for bounds, marks in shot.regions:
            left, bottom, right, top = bounds
            box = f"x {left:.2f}..{right:.2f}, y {bottom:.2f}..{top:.2f}"
            for mark in marks:
                if mark.flat and outside(mark.box, bounds, EDGE_INK):
                    note(problems, f"{mark} leaves its plot [{box}]", shot.step)
    assert not problems, report(case, theme, problems)


@pytest.mark.parametrize("scene", sorted(SCENES))
def test_every_loss_plot_is_at_least_220_px_tall_at_1080p(
    scene: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    plots = panels_built(scene, LossPlot, monkeypatch)
    if not plots:
        pytest.skip(f"{scene} draws no loss plot")
    for plot in plots:
        assert plot.box.size[1] >= LOSS_PLOT_HEIGHT, (scene, plot.box.size)
