"""scenes/panels/path_labels.py: where a run's name goes beside its path's end."""

from __future__ import annotations

import numpy as np

from scenes.panels.path_labels import Crossed, clear_spot
from scenes.placement import Ink
from scenes.text import label
from scenes.theme import DARK

INSIDE = (0.0, 0.0, 6.0, 4.0)  # left, bottom, right, top
END = np.array([3.0, 2.0, 0.0])
WALL = 1.7  # a path running across the whole plot under the end


def test_a_name_goes_where_its_leader_crosses_no_path_over_one_as_near() -> None:
    # names straight above and straight below the end lie as near it; below, the
    # leader would cross the path (the grid is searched from the bottom up)
    starts, ends = np.array([[0.0, WALL]]), np.array([[6.0, WALL]])
    ink = Ink().add_segments(starts, ends)
    text = label(DARK, "Adam", DARK.tick_size)
    spot = clear_spot(text, END, ink, [], [], INSIDE, Crossed(starts, ends))
    assert spot is not None
    rect, start, crossed, _ = spot
    assert crossed == 0 and rect[1] > WALL and start[1] > END[1]


def test_a_leader_crossing_a_path_is_taken_when_nothing_else_is_clear() -> None:
    # the end boxed in by a path all round, too close for a name inside: every
    # leader crosses it once
    corners = np.array([[2.7, 1.7], [3.3, 1.7], [3.3, 2.3], [2.7, 2.3], [2.7, 1.7]])
    ink = Ink().add_polyline(corners)
    text = label(DARK, "Adam", DARK.tick_size)
    crossed = Crossed(corners[:-1], corners[1:])
    spot = clear_spot(text, END, ink, [], [], INSIDE, crossed)
    assert spot is not None and spot[2] == 1
