"""Room on screen, every scene, both themes, at several steps: what reads crowded.

Read off the same snapshots as tests/test_layout.py (default runs, diverging runs
and a lecturer's own data), five rules:

- no two tick labels come closer than TICK_LABEL_GAP, within one plot or between
  plots: not the x axis' first and the y axis' first at a plot's corner either;
- no tick label comes within AXIS_GAP of a plot's axis line, or across it (a
  label pushed in off the frame's edge sits on its axis);
- every 2-D plot is at least 220 px tall at 1080p;
- the closing verdict keeps VERDICT_CLEARANCE from every other text (axis names and
  tick labels included) and from data graphics, and PLOT_CLEARANCE from every
  plot's box, unless it sits inside one, VERDICT_CLEARANCE from its axes;
- a curve fit's axes hold every curve it draws, at every step, whole (a curve cut
  at the plot's edge reads as one that leaves it); plots side by side share them.
"""

from __future__ import annotations

import itertools

import pytest

from scenes.panels.curve_fit import CurveFit
from scenes.panels.notes import VERDICT, verdict_lines
from scenes.theme import PALETTES
from tests.built_panels import panels_built
from tests.conftest import PLANS
from tests.layout_snapshots import (
    CASES,
    TICK_LABEL,
    Box,
    Mark,
    note,
    report,
    snapshots,
)
from tests.test_text_on_data import data_paints, is_data

pytestmark = pytest.mark.xdist_group(PLANS)

TICK_LABEL_GAP = 0.08  # scene units: 11 px at 1080p between any two tick labels
AXIS_GAP = 0.05  # scene units: 7 px at 1080p from a tick label to any axis line
PLOT_HEIGHT = 1.63  # scene units: 220 px of a 1080-px frame 8 units high
VERDICT_CLEARANCE = 0.2  # scene units: 27 px at 1080p around the verdict
PLOT_CLEARANCE = 0.3  # scene units: 40 px at 1080p from a plot the verdict is beside
CURVE_SCENES = ("underfit_overfit", "validation", "regularization")

CASE_THEMES = [
    pytest.param(case, theme, id=f"{case}-{theme}")
    for case in CASES
    for theme in ("dark", "light")
]


def gap(first: Box, second: Box) -> float:
    """How far apart two boxes are (the larger of the gaps across and up); negative
    when they overlap."""
    across = max(first[0], second[0]) - min(first[2], second[2])
    up = max(first[1], second[1]) - min(first[3], second[3])
    return max(across, up)


def test_gap_measures_the_space_between_boxes_and_overlap_is_negative() -> None:
    assert gap((0, 0, 1, 1), (1.5, 0, 2, 1)) == pytest.approx(0.5)
    assert gap((0, 0, 1, 1), (1.5, 1.2, 2, 2)) == pytest.approx(0.5)
    assert gap((0, 0, 1, 1), (0.5, 0.5, 2, 2)) < 0


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_no_two_tick_labels_crowd_each_other(case: str, theme: str) -> None:
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        ticks = [m for m in shot.marks if m.role == TICK_LABEL and m.flat]
        for first, second in itertools.combinations(ticks, 2):
            if gap(first.box, second.box) < TICK_LABEL_GAP:
                note(problems, f"{first} crowds {second}", shot.step)
    assert not problems, report(case, theme, problems)


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_no_tick_label_crosses_an_axis(case: str, theme: str) -> None:
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, theme):
        ticks = [m for m in shot.marks if m.role == TICK_LABEL and m.flat]
        for tick, plot in itertools.product(ticks, shot.plots):
            if crosses_an_axis(tick.box, plot):
                note(problems, f"{tick} crosses an axis of {plot}", shot.step)
    assert not problems, report(case, theme, problems)


def crosses_an_axis(label: Box, plot: Box) -> bool:
    """Whether a label's box comes within AXIS_GAP of a plot's y axis (its left
    edge) or x axis (its bottom edge), or across it, where the axis runs."""
    left, bottom, right, top = label
    x_low, y_low, x_high, y_high = plot
    on_y = right > x_low - AXIS_GAP and left < x_low + AXIS_GAP
    on_x = top > y_low - AXIS_GAP and bottom < y_low + AXIS_GAP
    return (on_y and bottom < y_high and top > y_low) or (
        on_x and left < x_high and right > x_low
    )


def test_a_label_on_an_axis_line_crosses_it_and_one_beside_it_does_not() -> None:
    plot = (0.0, 0.0, 4.0, 3.0)
    assert crosses_an_axis((-0.3, 2.9, -0.02, 3.1), plot)  # "10" pushed onto it
    assert not crosses_an_axis((-0.45, 2.9, -0.14, 3.1), plot)  # beside it
    assert not crosses_an_axis((-0.45, -0.1, -0.14, 0.1), plot)  # "0" at the corner
    assert not crosses_an_axis((-0.1, -0.4, 0.1, -0.14), plot)  # x axis' "0"
    assert not crosses_an_axis((1.0, 1.0, 1.5, 1.2), plot)  # a contour's label
    assert crosses_an_axis((1.0, -0.1, 1.4, 0.1), plot)


@pytest.mark.parametrize("case", CASES)
def test_every_plot_is_at_least_220_px_tall_at_1080p(case: str) -> None:
    problems: dict[str, list[float]] = {}
    for shot in snapshots(case, "dark"):
        for left, bottom, right, top in shot.plots:
            if top - bottom < PLOT_HEIGHT - 1e-6:
                where = f"x {left:.2f}..{right:.2f}, y {bottom:.2f}..{top:.2f}"
                height = (top - bottom) / shot.frame[1] * 1080
                note(problems, f"plot [{where}] is {height:.0f} px tall", shot.step)
    assert not problems, report(case, "dark", problems)


@pytest.mark.parametrize(("case", "theme"), CASE_THEMES)
def test_the_verdict_keeps_clear_of_other_text_and_plot_frames(
    case: str, theme: str
) -> None:
    problems: dict[str, list[float]] = {}
    paints = data_paints(PALETTES[theme])
    for shot in snapshots(case, theme):
        flat = [mark for mark in shot.marks if mark.flat]
        verdicts = [mark for mark in flat if mark.role == VERDICT]
        others = [mark for mark in flat if mark.is_text and mark.role != VERDICT]
        for verdict in verdicts:
            for other in others:
                if gap(verdict.box, other.box) < VERDICT_CLEARANCE:
                    note(problems, f"{verdict} crowds {other}", shot.step)
            for plot in shot.plots:
                if gap(verdict.box, plot) < PLOT_CLEARANCE and not inside(
                    verdict.box, plot
                ):
                    note(problems, f"{verdict} crowds the plot {plot}", shot.step)
            for graphic in flat:
                if is_data(graphic, paints) and near(verdict.box, graphic):
                    note(problems, f"{verdict} crowds {graphic.words}", shot.step)
    assert not problems, report(case, theme, problems)


def inside(box: Box, plot: Box) -> bool:
    """Whether `box` lies inside `plot`, clear of its axes (left and bottom) by the
    clearance."""
    return (
        box[0] >= plot[0] + VERDICT_CLEARANCE
        and box[1] >= plot[1] + VERDICT_CLEARANCE
        and box[2] <= plot[2]
        and box[3] <= plot[3]
    )


def near(box: Box, graphic: Mark) -> bool:
    """Whether a point of `graphic`'s outline comes within the clearance of `box`."""
    points = graphic.outline
    left, bottom, right, top = box
    pad = VERDICT_CLEARANCE / 2
    return bool(
        (
            (points[:, 0] > left - pad)
            & (points[:, 0] < right + pad)
            & (points[:, 1] > bottom - pad)
            & (points[:, 1] < top + pad)
        ).any()
    )


@pytest.mark.parametrize("scene", CURVE_SCENES)
def test_a_curve_fits_axes_hold_every_curve_it_draws(
    scene: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    panels = panels_built(scene, CurveFit, monkeypatch)
    assert panels
    for panel in panels:
        low, high = panel.box.y_span
        curves = panel.trace.curve
        assert low <= curves.min() and curves.max() <= high, (scene, low, high)
    # side by side, the plots share their scale
    assert len({panel.box.y_range for panel in panels}) == 1


@pytest.mark.parametrize(
    ("sentence", "width", "lines"),
    [
        (  # wrapped greedily by words, "25." would stand alone on the last line
            "Momentum 0.7 is within 1% of the minimum loss first, at step 25.",
            31,
            ["Momentum 0.7 is within 1%", "of the minimum loss first,", "at step 25."],
        ),
        # lines end with a clause where that takes no more lines
        ("After 10 steps, at the minimum.", 30, ["After 10 steps,", "at the minimum."]),
        (
            "B = 50 spreads 10× less than B = 1, not just √50 ≈ 7.1×.",
            51,
            ["B = 50 spreads 10× less than B = 1,", "not just √50 ≈ 7.1×."],
        ),
        (  # not "validation loss 0.1027; at" / "step 1000, 0.1863."
            "Stop at step 7: validation loss 0.1027; at step 1000, 0.1863.",
            24,
            ["Stop at step 7:", "validation loss 0.1027;", "at step 1000, 0.1863."],
        ),
        ("With weight decay: loss 0.0755.", 30, ["With weight decay:", "loss 0.0755."]),
    ],
)
def test_a_verdicts_last_line_never_holds_a_number_alone(
    sentence: str, width: int, lines: list[str]
) -> None:
    assert verdict_lines(sentence, width) == lines
