"""Plot geometry: the data-to-scene map, containment, clamping, clipping, ticks, steps."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scenes.geometry import (
    PlotBox,
    between_steps,
    nice_range,
    polyline_curves,
    segment_curves,
    step_position,
    tick_values,
)

EXACT = 1e-12
BOX = PlotBox((-1.0, 1.0, 0.5), (0.0, 10.0, 2.0), corner=(2.0, -3.0), size=(4.0, 5.0))
finite = st.floats(-1e3, 1e3, allow_nan=False)


def scene(x: float, y: float) -> np.ndarray:
    """A scene point (z = 0)."""
    return np.array([x, y, 0.0])


def test_corners_of_the_data_range_map_to_the_corners_of_the_box() -> None:
    np.testing.assert_allclose(BOX.c2p(-1, 0), scene(2, -3), atol=EXACT)
    np.testing.assert_allclose(BOX.c2p(1, 10), scene(6, 2), atol=EXACT)
    np.testing.assert_allclose(BOX.c2p(0, 5), scene(4, -0.5), atol=EXACT)
    assert BOX.scene_bounds == (2.0, -3.0, 6.0, 2.0)


@given(finite, finite)
def test_to_points_is_affine_with_the_boxs_scale(x: float, y: float) -> None:
    point = BOX.to_points(np.array([x]), np.array([y]))[0]
    np.testing.assert_allclose(
        point, [2 + (x + 1) * 2, -3 + y * 0.5, 0], rtol=1e-9, atol=1e-9
    )


def test_contains_includes_edges_and_excludes_outside_and_non_finite() -> None:
    inside = [scene(2, -3), scene(6, 2), scene(4, 0)]
    outside = [scene(6.01, 0), scene(4, -3.01), scene(math.nan, 0), scene(4, math.inf)]
    points = np.array([*inside, *outside])
    assert BOX.contains(points).tolist() == [
        True,
        True,
        True,
        False,
        False,
        False,
        False,
    ]


def test_clamp_pulls_points_onto_the_nearest_edge_and_non_finite_to_top_right() -> None:
    points = np.array(
        [scene(9, 0), scene(0, -9), scene(math.nan, math.nan), scene(-math.inf, 1)]
    )
    expected = np.array([scene(6, 0), scene(2, -3), scene(6, 2), scene(2, 1)])
    np.testing.assert_array_equal(BOX.clamp(points), expected)


def test_clip_segment_crossing_the_box_keeps_the_inside_part() -> None:
    start, end = BOX.clip_segment(scene(0, 0), scene(8, 0))  # type: ignore[misc]
    np.testing.assert_allclose(start, scene(2, 0), atol=EXACT)
    np.testing.assert_allclose(end, scene(6, 0), atol=EXACT)


def test_clip_segment_diagonal_through_a_corner() -> None:
    clipped = BOX.clip_segment(scene(0, -5), scene(8, 3))
    assert clipped is not None
    np.testing.assert_allclose(clipped[0], scene(2, -3), atol=EXACT)
    np.testing.assert_allclose(clipped[1], scene(6, 1), atol=EXACT)


def test_clip_rays_cut_each_segment_from_an_inside_point_at_the_edge() -> None:
    ends = np.array([scene(8, 0), scene(4, 5), scene(5, 1), scene(0, -4)])
    cut = BOX.clip_rays(scene(4, 0), ends)
    expected = [scene(6, 0), scene(4, 2), scene(5, 1), scene(2, -2)]
    np.testing.assert_allclose(cut, np.array(expected), atol=EXACT)
    for end, clipped in zip(ends, cut, strict=True):  # as clip_segment cuts them
        np.testing.assert_allclose(BOX.clip_segment(scene(4, 0), end)[1], clipped)  # type: ignore[index]


@pytest.mark.parametrize(
    ("start", "end"),
    [((0, 0), (1, 5)), ((7, -5), (7, 5)), ((0, 3), (8, 3)), ((math.nan, 0), (3, 0))],
)
def test_clip_segment_outside_the_box_is_none(
    start: tuple[float, float], end: tuple[float, float]
) -> None:
    assert BOX.clip_segment(scene(*start), scene(*end)) is None


@given(finite, finite, finite, finite)
def test_clipped_segment_lies_inside_and_on_the_original(
    x0: float, y0: float, x1: float, y1: float
) -> None:
    start, end = scene(x0, y0), scene(x1, y1)
    clipped = BOX.clip_segment(start, end)
    if clipped is None:
        return
    for point in clipped:
        left, bottom, right, top = BOX.scene_bounds
        assert (
            left - 1e-9 <= point[0] <= right + 1e-9
            and bottom - 1e-9 <= point[1] <= top + 1e-9
        )
        # on the segment: collinear with start and end
        cross = (end - start)[0] * (point - start)[1] - (end - start)[1] * (
            point - start
        )[0]
        assert abs(cross) <= 1e-6 * (1 + np.linalg.norm(end - start) ** 2)


def test_line_span_is_where_the_line_is_inside_the_y_range() -> None:
    # y = 10 x + 5 is inside 0..10 for x in [-0.5, 0.5]
    assert BOX.line_span(10.0, 5.0) == pytest.approx((-0.5, 0.5), abs=EXACT)
    assert BOX.line_span(0.0, 5.0) == (-1.0, 1.0)
    assert BOX.line_span(0.0, 11.0) is None
    assert BOX.line_span(1.0, 100.0) is None
    assert BOX.line_span(math.nan, 1.0) is None


def test_inside_runs_split_a_polyline_where_it_leaves_the_box() -> None:
    points = np.array(
        [
            scene(3, 0),
            scene(4, 0),
            scene(9, 0),
            scene(5, 1),
            scene(5.5, 1),
            scene(5.8, 1),
        ]
    )
    runs = BOX.inside_runs(points)
    assert [len(run) for run in runs] == [2, 3]
    np.testing.assert_array_equal(runs[1][0], scene(5, 1))


def test_clip_polyline_carries_each_run_to_the_edge_it_crosses() -> None:
    left, bottom, right, top = BOX.scene_bounds
    middle = (bottom + top) / 2
    points = np.array(
        [
            [left - 1, middle, 0],
            [left + 1, middle, 0],
            [left + 2, middle, 0],
            [right + 1, middle, 0],
        ]
    )
    (run,) = BOX.clip_polyline(points)
    np.testing.assert_allclose(run[:, 0], [left, left + 1, left + 2, right])
    np.testing.assert_allclose(run[:, 1], middle)
    assert BOX.clip_polyline(points[:1]) == []


def test_tick_values_include_both_ends() -> None:
    assert tick_values((-1.0, 1.0, 0.5)) == [-1.0, -0.5, 0.0, 0.5, 1.0]
    assert tick_values((0.0, 0.3, 0.1)) == [0.0, 0.1, 0.2, 0.3]


@given(finite, st.floats(1e-3, 1e3))
def test_nice_range_covers_the_interval_with_a_1_2_5_step(
    low: float, width: float
) -> None:
    start, stop, step = nice_range(low, low + width, max_ticks=7)
    assert start <= low and stop >= low + width
    assert len(tick_values((start, stop, step))) <= 8  # outward rounding may add one
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m) for m in (1, 2, 2.5, 5, 10))


def test_nice_range_of_an_empty_or_non_finite_interval_is_usable() -> None:
    assert nice_range(3.0, 3.0)[0] < 3.0 < nice_range(3.0, 3.0)[1]
    assert nice_range(math.nan, 1.0) == nice_range(-1.0, 1.0)


def test_segment_curves_are_straight_cubics() -> None:
    curves = segment_curves(np.array([scene(0, 0)]), np.array([scene(3, 6)]))
    np.testing.assert_allclose(
        curves, [scene(0, 0), scene(1, 2), scene(2, 4), scene(3, 6)], atol=EXACT
    )
    assert polyline_curves(np.array([scene(0, 0), scene(1, 0), scene(1, 1)])).shape == (
        8,
        3,
    )


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (-1.0, (0, 0.0)),
        (0.0, (0, 0.0)),
        (2.25, (2, 0.25)),
        (5.0, (5, 0.0)),
        (9.0, (5, 0.0)),
    ],
)
def test_step_position_is_clamped_to_the_run(
    value: float, expected: tuple[int, float]
) -> None:
    assert step_position(value, n_steps=5) == expected


def test_between_steps_interpolates_linearly_and_stops_at_the_last_row() -> None:
    rows = np.array([[0.0, 10.0], [1.0, 20.0], [3.0, 0.0]])
    np.testing.assert_allclose(between_steps(rows, 0.5), [0.5, 15.0], atol=EXACT)
    np.testing.assert_allclose(between_steps(rows, 1.75), [2.5, 5.0], atol=EXACT)
    np.testing.assert_array_equal(between_steps(rows, 7.0), rows[2])


def test_cut_runs_carry_a_path_in_from_the_edge_and_across_the_box() -> None:
    left, bottom, right, top = BOX.scene_bounds
    middle = (bottom + top) / 2
    inside = [left + 1, middle, 0]
    # in from far outside, then out across the right edge and back, then right across
    points = np.array(
        [
            [left - 5, middle, 0],
            inside,
            [right + 1, middle, 0],
            [right + 1, middle + 0.1, 0],
            [left + 2, middle + 0.1, 0],
            [left - 1, middle + 0.2, 0],
            [right + 1, middle + 0.2, 0],
        ]
    )
    runs = BOX.cut_runs(points)
    assert [len(run) for run in runs] == [3, 3, 2]
    np.testing.assert_allclose(runs[0][:, 0], [left, left + 1, right])
    np.testing.assert_allclose(runs[1][[0, -1], 0], [right, left])
    np.testing.assert_allclose(runs[2][:, 0], [left, right])
    assert BOX.cut_runs(points[:1]) == []
    assert BOX.cut_runs(np.array([[np.nan, 0, 0], inside])) == []
