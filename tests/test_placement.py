"""scenes/placement.py: which candidate box the drawn points and segments leave clear."""

from __future__ import annotations

import numpy as np

from scenes.placement import (
    Ink,
    clearest,
    crossings,
    grown,
    points_inside,
    replay_values,
    segments_through,
    within,
)

UNIT = (0.0, 0.0, 1.0, 1.0)  # left, bottom, right, top


def segments(*pairs: tuple[tuple[float, float], tuple[float, float]]) -> Ink:
    """An ink of straight segments, each (start, end)."""
    starts = np.array([start for start, _ in pairs], dtype=np.float64)
    ends = np.array([end for _, end in pairs], dtype=np.float64)
    return Ink().add_segments(starts, ends)


def test_a_segment_meets_a_box_it_crosses_even_with_both_ends_outside() -> None:
    starts = np.array([[-1.0, 0.5], [-1.0, 2.0], [0.5, 0.5], [-1.0, -1.0], [2, 0.5]])
    ends = np.array([[2.0, 0.5], [2.0, 2.0], [0.6, 0.6], [2.0, 2.0], [3, 0.5]])
    through = segments_through(UNIT, starts, ends)
    assert through.tolist() == [True, False, True, True, False]


def test_a_segment_along_an_edge_meets_it_and_one_beside_it_does_not() -> None:
    starts = np.array([[0.0, -1.0], [-0.01, -1.0]])
    ends = np.array([[0.0, 2.0], [-0.01, 2.0]])
    assert segments_through(UNIT, starts, ends).tolist() == [True, False]


def test_non_finite_points_and_segments_lie_nowhere() -> None:
    points = np.array([[np.nan, 0.5], [0.5, np.inf], [0.5, 0.5]])
    assert points_inside(UNIT, points).tolist() == [False, False, True]
    starts, ends = np.array([[np.nan, 0.5]]), np.array([[0.5, 0.5]])
    assert not segments_through(UNIT, starts, ends).any()


def test_crowding_counts_points_inside_and_segments_through() -> None:
    ink = segments(((-1, 0.5), (2, 0.5)), ((5, 5), (6, 6)))
    ink.add_points(np.array([[0.2, 0.2], [3.0, 3.0]])).add_polyline(
        np.array([[-1.0, 0.9], [0.5, 0.9], [0.5, 3.0]])
    )
    assert ink.crowding(UNIT) == 1 + 1 + 2


def test_crossings_count_the_segments_a_segment_cuts_or_touches() -> None:
    start, end = np.array([0.0, 0.0]), np.array([2.0, 2.0])
    starts = np.array(
        [[0, 2], [0, 1], [1.5, 0], [3, 0], [0.5, 0.5], [1, 1], [0, np.nan], [5, 5]]
    )
    ends = np.array(
        [[2, 0], [1, 0], [3, 1.0], [3, 5], [0.9, 0.9], [2.0, 0], [9, 9], [5, 5]]
    )
    # cut; cut nearer its start; beside it; beyond its end; along it; starting on
    # it; not a number; a point, no segment
    cut = [True, True, False, False, True, True, False, False]
    assert crossings(start, end, starts, ends) == sum(cut)
    for k, expected in enumerate(cut):
        assert crossings(start, end, starts[k : k + 1], ends[k : k + 1]) == expected


def test_the_clearest_candidate_is_the_first_that_nothing_crosses() -> None:
    ink = segments(((0.5, -1), (0.5, 2)))  # a vertical line at x = 0.5
    candidates = [(0.0, 0.0, 1.0, 1.0), (2.0, 0.0, 3.0, 1.0), (4.0, 0.0, 5.0, 1.0)]
    assert clearest(candidates, ink) == 1
    # kept `pad` away: the second is too close to a line at x = 1.9
    near = segments(((1.9, -1), (1.9, 2)))
    assert clearest(candidates, near) == 0
    assert clearest(candidates[1:], near, pad=0.2) == 1


def test_grown_and_within() -> None:
    assert grown(UNIT, 0.5) == (-0.5, -0.5, 1.5, 1.5)
    assert within(UNIT, grown(UNIT, 0.1)) and not within(grown(UNIT, 0.1), UNIT)


def test_replay_values_are_every_half_step_or_spread_over_a_long_run() -> None:
    np.testing.assert_allclose(replay_values(2), [0.0, 0.5, 1.0, 1.5, 2.0])
    long = replay_values(10_000, most=50)
    assert len(long) == 50 and long[0] == 0.0 and long[-1] == 10_000.0
