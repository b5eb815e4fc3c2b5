"""Where gradient_noise puts its numbers and keys, measured, for several batch sizes,
point counts and seeds: the spread plot's numbers and keys clear of its curves, its
dots and each other; the plane's keys in columns apart; the batch sizes' beats
at one scale, each ellipse smaller; the verdict's ratio worked out from the spreads the plot shows.
"""

from __future__ import annotations

import itertools
import re
from decimal import Decimal

import numpy as np
import numpy.typing as npt
import pytest
from manim import DL, UR, Mobject, VMobject

from scenes.gradient_noise import (
    KEYS_GAP,
    SPREAD_CORNER,
    SPREAD_SIZE,
    GradientNoise,
)
from scenes.noise_geometry import NoiseLevel, ellipse, noise_levels
from scenes.noise_story import NoiseStory
from scenes.numbers import ratio_shown
from scenes.panels.gradient_cloud import HEAD_RING, GradientCloud
from scenes.panels.parameter_plane import ParameterPlane
from scenes.panels.spread_plot import DOT_RADIUS, SpreadPlot
from scenes.theme import PALETTES
from sgdcore.config import NOISE_RUNS, RunOptions
from sgdcore.gradient_noise import noise_traces
from sgdcore.trace import Trace
from tests.conftest import PLANS
from tests.test_beats import default_runs
from tests.test_caption_rules import planned

pytestmark = pytest.mark.xdist_group(PLANS)

Box = tuple[float, float, float, float]
SAFE_RIGHT = 6.4  # the frame's right edge less its 5% margin
ROOM = 0.03  # scene units every number and key keeps clear of ink and of each other
SHRINK = 0.9  # each ellipse at most this share of the one before across, on screen
RING_CLEAR = 1.5  # each ellipse's narrowest half-width, in the ring's radii at least

# "B = 50's steps scatter 10× less than B = 1's but read 50× the points (1500 to
# 30).", or with what 1/√B says where they scatter less still, then
# whether the runs' losses fell ("Both runs still went downhill.")
VERDICT = re.compile(
    r"^(?:Both runs fell, this time\. )?"
    r"B = (\d+)(?:'s steps)? scatters? ([\d.]+)× less than "
    r"B = (\d+)(?:'s)?,? but reads? ([\d.]+)× the points(?: \(\d+ to \d+\))?\."
    r"(?: [A-Z][^.]*\.)?$"
)
# (batch sizes, points, seed): the default's, and sizes bunched, spread wide, few
VARIANTS = {
    "2,20,100 of 200": ((2, 20, 100), 200, 42),
    "1,50": ((1, 50), None, 42),
    "1 to 8": ((1, 2, 3, 4, 5, 6, 7, 8), None, 42),
    "1,2": ((1, 2), None, 42),
    "1,5,10,20 of 40, seed 7": ((1, 5, 10, 20), 40, 7),
}


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


def grown(box: Box, pad: float) -> Box:
    return box[0] - pad, box[1] - pad, box[2] + pad, box[3] + pad


def meet(one: Box, other: Box) -> bool:
    across = one[0] < other[2] and other[0] < one[2]
    return across and one[1] < other[3] and other[1] < one[3]


def ink_of(curve: VMobject) -> npt.NDArray[np.float64]:
    """Points along every cubic piece the curve draws, 16 to a piece: (m, 2)."""
    pieces = curve.points[: len(curve.points) // 4 * 4, :2].reshape(-1, 4, 2)
    t = np.linspace(0.0, 1.0, 16)[None, :, None]
    a, b, c, d = (pieces[:, k, None, :] for k in range(4))
    along = (1 - t) ** 3 * a + 3 * (1 - t) ** 2 * t * b + 3 * (1 - t) * t**2 * c
    return (along + t**3 * d).reshape(-1, 2)


def touches_ink(box: Box, ink: npt.NDArray[np.float64]) -> bool:
    left, bottom, right, top = grown(box, ROOM)
    return bool(
        (
            (ink[:, 0] > left)
            & (ink[:, 0] < right)
            & (ink[:, 1] > bottom)
            & (ink[:, 1] < top)
        ).any()
    )


def spread_plot(traces: list[Trace]) -> tuple[SpreadPlot, list[NoiseLevel]]:
    levels = noise_levels(traces[0])
    n = len(traces[0].train_index)
    return SpreadPlot(PALETTES["dark"], levels, n, SPREAD_CORNER, SPREAD_SIZE), levels


def test_the_spread_plots_numbers_sit_clear_beside_their_own_dots(
    runs: list[Trace],
) -> None:
    plot, _ = spread_plot(runs)
    ink = np.vstack([ink_of(curve) for curve in plot.curves])
    dots = [
        (x - DOT_RADIUS, y - DOT_RADIUS, x + DOT_RADIUS, y + DOT_RADIUS)
        for x, y, _ in plot.spots
    ]
    # each key's row: a number may stand over a short row, under the line
    keys, name = [box_of(row) for row in plot.keys], box_of(plot.name)
    left, bottom, right, top = plot.box.scene_bounds
    # the smallest and largest sizes' numbers always show: the verdict compares them
    assert plot.labels[0] is not None and plot.labels[-1] is not None
    shown = [(k, box_of(m)) for k, m in enumerate(plot.labels) if m is not None]
    for k, box in shown:
        words = f"B = {plot.levels[k].size}'s {plot.numbers[k]} at {box}"
        assert not touches_ink(box, ink), f"{words} lies on a curve"
        assert not any(meet(grown(box, ROOM), dot) for dot in dots), f"{words}: dot"
        assert not any(meet(grown(box, ROOM), row) for row in keys), f"{words}: keys"
        assert not meet(grown(box, ROOM), name), f"{words} meets the axis name"
        assert box[0] >= left and box[2] <= right, words  # inside the plot's box
        assert box[1] >= bottom and box[3] <= top, words
        # nearer its own dot than any other
        centre = np.array([(box[0] + box[2]) / 2, (box[1] + box[3]) / 2])
        distances = np.linalg.norm(plot.spots[:, :2] - centre, axis=1)
        assert int(np.argmin(distances)) == k, f"{words} is nearer another dot"
    for (_, one), (_, other) in itertools.pairwise(shown):
        assert not meet(grown(one, ROOM), other)


def test_the_spread_plots_keys_stand_in_one_row_under_it(runs: list[Trace]) -> None:
    plot, _ = spread_plot(runs)
    keys = box_of(plot.keys)
    # under the axes and their tick labels, clear of everything in the plot
    assert keys[3] + ROOM <= box_of(plot.axes)[1], keys
    assert keys[0] >= plot.box.scene_bounds[0] and keys[2] <= SAFE_RIGHT, keys
    first, second = (box_of(row) for row in plot.keys)
    assert first[2] + ROOM <= second[0], (first, second)  # side by side, apart
    assert abs(first[3] - second[3]) < 0.1  # one row


def test_the_verdicts_ratio_is_worked_from_the_spreads_the_plot_shows(
    runs: list[Trace],
) -> None:
    plot, levels = spread_plot(runs)
    story = NoiseStory(runs, levels)
    verdict = story.verdict()
    found = VERDICT.match(verdict)
    assert found, verdict
    big, times, small, cost = found.groups()
    assert (int(big), int(small)) == (levels[-1].size, levels[0].size)
    # what the steadier steps cost: the points a step, as many times
    assert cost == ratio_shown(Decimal(int(big)) / Decimal(int(small)))
    # where the measured ratio differs from 1/√B's, the last size's note says so
    square = Decimal(int(big)) / Decimal(int(small))
    beyond = ratio_shown(square.sqrt()) != times
    assert (
        f"≈ {ratio_shown(square.sqrt())}×" in story.batches(len(levels) - 1)
    ) == beyond
    assert plot.numbers[-1] == story.spreads[-1]
    exact = Decimal(plot.numbers[0]) / Decimal(plot.numbers[-1])
    places = Decimal(times).as_tuple().exponent
    assert abs(exact - Decimal(times)) <= Decimal(5).scaleb(places - 1), verdict
    # one precision for every spread the clip shows, plot and notes alike
    decimals = {len(text.partition(".")[2]) for text in story.spreads + story.expected}
    assert len(decimals) == 1 and plot.numbers == story.spreads


@pytest.mark.parametrize(
    ("ratio", "shown"),
    [("10.03", "10"), ("1.31", "1.3"), ("9.96", "10"), ("9.94", "9.9"), ("22.5", "23")],
)
def test_a_ratio_shows_two_significant_digits_whole_from_ten(
    ratio: str, shown: str
) -> None:
    assert ratio_shown(Decimal(ratio)) == shown


def test_the_default_verdict_reads_as_a_sentence() -> None:
    runs = default_runs("gradient_noise")
    story = NoiseStory(runs, noise_levels(runs[0]))
    # the lesson first; why B = 50 scatters more than 1/√B less is in its note
    assert story.verdict() == (
        "Both runs fell, this time. B = 50 scatters 10× less than B = 1, but reads 50× "
        "the points."
    )
    assert "√50 ≈ 7.1×" in story.batches(len(story.levels) - 1)


def test_the_planes_keys_stand_in_columns_apart(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[list[Mobject]] = []
    build = GradientNoise.make_keys

    def record(scene: GradientNoise, *args: object) -> list[Mobject]:
        keys = build(scene, *args)  # type: ignore[arg-type]
        made.append(keys)
        return keys

    monkeypatch.setattr(GradientNoise, "make_keys", record)
    scene = planned("gradient_noise", default_runs("gradient_noise"))
    scene.move_to_step(2)  # the second size's beat: the earlier ellipses' key shows
    first, second, *earlier = made[0]
    assert len(earlier) == 1, "no key to the earlier sizes' ellipses"
    gap = box_of(second)[0] - box_of(first)[2]
    assert gap >= KEYS_GAP - 1e-6, gap
    assert box_of(earlier[0])[3] < box_of(second)[1], "not under the second column"
    # no row's mark or words comes within ROOM of another row's
    rows = [*first, *second, *earlier]
    parts = [box_of(part) for row in rows for part in row]
    for i, one in enumerate(parts):
        for other in parts[i + 1 :]:
            assert not meet(grown(one, ROOM), other), (one, other)


def test_every_batch_sizes_beat_shares_one_scale_so_the_ellipses_shrink(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[tuple[GradientCloud, ParameterPlane, list[NoiseLevel]]] = []
    build = GradientCloud.__init__

    def record(cloud: GradientCloud, *args: object) -> None:
        build(cloud, *args)  # type: ignore[arg-type]
        made.append((cloud, args[1], args[2]))  # type: ignore[arg-type]

    monkeypatch.setattr(GradientCloud, "__init__", record)
    traces = default_runs("gradient_noise")
    planned("gradient_noise", traces)
    cloud, plane, levels = made[0]
    box = plane.view.box(1.0)
    left, bottom, right, top = box.scene_bounds
    x_span, y_span = np.diff(box.x_span)[0], np.diff(box.y_span)[0]
    np.testing.assert_allclose((right - left) / x_span, (top - bottom) / y_span)
    # B = 1's ellipse and the full step in view, and no beat zooms in from there
    first = cloud.scene(
        ellipse(cloud.start + levels[0].mean, levels[0].covariance), box
    )
    tip = cloud.scene((cloud.start + levels[0].full)[None, :], box)
    assert box.contains(np.vstack([first, tip])).all()
    for k in range(2, len(levels) + 1):
        later = plane.view.box(float(k))
        assert (later.x_range, later.y_range) == (box.x_range, box.y_range)
    # each ellipse drawn inside the one before, visibly smaller; the last one's
    # narrowest half-width still well past the ring on the full step
    widths = []
    for level in levels:
        oval = cloud.scene(ellipse(cloud.start + level.mean, level.covariance), box)
        widths.append(np.ptp(oval[:, :2], axis=0))
    for wider, narrower in itertools.pairwise(widths):
        assert (narrower <= SHRINK * wider).all(), (wider, narrower)
    last = len(levels) - 1
    smallest = np.sqrt(np.linalg.eigvalsh(levels[last].covariance)[0])
    across = smallest * (right - left) / x_span
    assert across >= RING_CLEAR * cloud.ring_radius(last, box), across
    assert cloud.ring_radius(0, box) == HEAD_RING
    # then, from a few updates in, every path and the minimum are in view
    for step in range(len(levels) + 3, len(plane.view.x)):
        box = plane.view.box(float(step))
        for trace in traces:
            params = trace.params[: step - len(levels) + 1]
            assert box.contains(box.to_points(params[:, 0], params[:, 1])).all()
        assert box.contains(box.c2p(*plane.best)[None, :]).all()
