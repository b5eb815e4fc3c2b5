"""The loss plot's floor: the least-squares loss as a dashed line, its value on the
axis where no decade's label stands by it, and room under it for its note."""

from __future__ import annotations

import math
from pathlib import Path
from typing import cast

import numpy as np
import pytest
from manim import Text

from scenes import fit_line
from scenes.panels.axes import GRID_CLEARANCE
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import FLOOR_ROOM, room_under_floor
from scenes.theme import DARK
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA

CORNER, SIZE = (-5.0, -3.0), (6.0, 4.0)


def run(name: str) -> Trace:
    """A committed golden-frame run, e.g. `fit_line/fit_line_final`."""
    return Trace.load(CONTROL_DATA / Path(f"{name}-run0.npz"))


def test_loss_floor_is_the_least_squares_loss() -> None:
    trace = run("landscape/landscape_zigzag")  # reaches the floor: the axis spans it
    loss = LossPlot(DARK, [trace], CORNER, SIZE)
    line, _ = loss.floor(trace)
    best, *_ = np.linalg.lstsq(trace.x, trace.y, rcond=None)
    level = math.log10(float(np.mean((trace.x @ best - trace.y) ** 2)))
    assert line.get_center()[1] == pytest.approx(loss.box.c2p(0, level)[1], abs=1e-6)


def test_no_decade_stands_by_the_floor_which_says_its_own_value_on_the_axis() -> None:
    # a 0.1 label by the floor's line named it; no label left the decade unread
    trace = run("fit_line/fit_line_final")  # 0.0746: fit_line's 0.1 line sat 0.07 off
    loss = LossPlot(DARK, [trace], fit_line.LOSS_CORNER, fit_line.LOSS_SIZE)
    line, note = loss.floor(trace)
    gridlines = loss.axes.grid.points[::4, 1]  # one straight cubic per gridline
    away = np.abs(gridlines - line.get_center()[1])
    assert len(gridlines) == len(loss.axes_args[4]) - 1 and away.min() >= GRID_CLEARANCE
    words, boxes = loss.axes.labels.words, loss.axes.labels.boxes
    assert "0.1" not in words and "1" in words and "0.0746" in words
    value = boxes[words.index("0.0746")]
    assert value[1] < line.get_center()[1] < value[3]  # level with its line
    assert value[2] < line.get_left()[0]  # left of the axis
    assert cast(Text, note).text == "minimum"  # the value said once, on the axis
    strokes = loss.axes.strokes.points.reshape(-1, 4, 3)  # one cubic per stroke
    y_ticks = strokes[strokes[:, 3, 0] < strokes[:, 0, 0], 0, 1]  # drawn leftwards
    assert len(y_ticks) == len(gridlines) + 1  # 10, 1 and the floor's
    assert np.sort(np.abs(y_ticks - line.get_center()[1]))[1] >= GRID_CLEARANCE


def test_the_loss_axis_reaches_under_the_floor_until_its_note_fits() -> None:
    assert room_under_floor(0.5, -1, 1, SIZE[1]) == -1.0  # room enough already
    floor, height = 0.0746, 1.0  # 0.87 of 3 decades under it: 0.29 high, short
    bottom = room_under_floor(floor, -2, 1, height)
    assert -2.1 <= bottom < -2.0  # a tenth of a decade more
    assert (math.log10(floor) - bottom) / (1 - bottom) * height >= FLOOR_ROOM
