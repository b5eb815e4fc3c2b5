"""minibatch's loss plot rings the first batch whose loss, as the readout writes it,
is below the all-points minimum as the floor's note writes it: from that step on,
labelled with the readout's own text, clear of every curve of the clip (in the scene:
above the curves, the floor's note alone under the floor)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DL, UR

from scenes.clock import StepClock
from scenes.columns import clip_rows
from scenes.least_squares import quadratic_form
from scenes.minibatch import (
    DIP_ROOM,
    FLOOR_WORDS,
    LOSS_CORNER,
    LOSS_SIZE,
    READOUT_CHARS,
)
from scenes.panels.batch_dip import BatchDip, first_dip, make_room, marked_floor
from scenes.panels.loss_plot import LossPlot
from scenes.theme import PALETTES
from sgdcore.trace import Trace
from tests.layout_snapshots import runs_of


def scene_dip(
    theme: str,
) -> tuple[list[Trace], Trace, LossPlot, list[str], BatchDip]:
    """The default minibatch run's loss plot and its dip, made room for as the
    scene does."""
    palette = PALETTES[theme]
    traces = runs_of("minibatch")
    trace = traces[0]
    loss = LossPlot(palette, traces, LOSS_CORNER, LOSS_SIZE, floor_words=FLOOR_WORDS)
    [batch_texts] = clip_rows([trace.loss[:-1]], READOUT_CHARS)
    dip = BatchDip(palette, loss, trace, batch_texts)
    assert dip.step is not None
    make_room(loss, dip.floor, DIP_ROOM)
    return traces, trace, loss, batch_texts, dip


def test_a_dip_is_below_the_floor_in_the_shown_digits() -> None:
    # 0.0746 shown is not below a floor shown as 0.0746, however the values compare
    assert first_dip(["0.0800", " 0.0746", "", "0.0745"], "0.0746") == 3
    assert first_dip(["1.2×10³", "0.0800"], "0.0746") is None
    assert first_dip(["0.0100"], "") is None


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_first_dip_is_ringed_with_the_readouts_text_from_its_step(
    theme: str,
) -> None:
    traces, trace, loss, batch_texts, dip = scene_dip(theme)
    assert dip.step is not None
    floor = quadratic_form(trace)[2]
    assert dip.step == int(np.flatnonzero(trace.loss[:-1] < floor)[0])
    clock = StepClock(traces)
    [holder] = dip.moving(clock, None)
    assert not holder.submobjects  # not before the curve gets there
    clock.tracker.set_value(dip.step)
    holder.update()
    [leader, ring, words] = holder.submobjects[0]
    assert (
        words.words
        == f"batch at\nstep {dip.step}:\nloss {batch_texts[dip.step].strip()}"
    )
    left, bottom, right, top = loss.box.scene_bounds
    assert left <= words.get_left()[0] and words.get_right()[0] <= right
    assert bottom <= words.get_bottom()[1] and words.get_top()[1] <= top
    (x0, y0, _), (x1, y1, _) = words.get_corner(DL), words.get_corner(UR)
    assert loss.ink(loss.box).crowding((x0, y0, x1, y1)) == 0
    # beside the ring, under the floor, and a leader across to them over no curve
    assert words.get_right()[0] < ring.get_left()[0]
    assert words.get_top()[1] < loss.points(np.array([dip.floor]))[0][1]
    (x0, y0, _), (x1, y1, _) = leader.get_corner(DL), leader.get_corner(UR)
    assert loss.ink(loss.box).crowding((x0, y0, x1, y1)) == 0
    # the ring round the batch's loss where its curve draws it
    assert ring.get_center()[:2] == pytest.approx(loss.points(trace.loss)[dip.step][:2])


def test_no_ring_when_no_batch_dips_below_the_floor() -> None:
    palette = PALETTES["dark"]
    traces = runs_of("minibatch_user_data")
    trace = traces[0]
    loss = LossPlot(palette, traces, LOSS_CORNER, LOSS_SIZE, floor_words=FLOOR_WORDS)
    [batch_texts] = clip_rows([trace.loss[:-1]], READOUT_CHARS)
    dip = BatchDip(palette, loss, trace, batch_texts)
    assert dip.step is None
    assert dip.moving(StepClock(traces), None) == []


@pytest.mark.parametrize("theme", ["dark", "light"])
def test_the_scenes_dip_words_stand_above_the_curves_apart_from_the_floors_note(
    theme: str,
) -> None:
    palette = PALETTES[theme]
    traces, trace, loss, batch_texts, dip = scene_dip(theme)
    assert dip.step is not None
    note = marked_floor(palette, loss, trace, 2.5, stacked=True)[1]
    clock = StepClock(traces)
    [holder] = dip.moving(clock, note, above=True)
    clock.tracker.set_value(dip.step)
    holder.update()
    [_, ring, words] = holder.submobjects[0]
    assert (
        words.words
        == f"batch at step {dip.step}:\nloss {batch_texts[dip.step].strip()}"
    )
    # above the floor and the ring, the floor's note under the floor: apart
    floor_y = loss.points(np.array([dip.floor]))[0][1]
    assert words.get_bottom()[1] > max(floor_y, ring.get_top()[1])
    assert note.get_top()[1] < floor_y
    (x0, y0, _), (x1, y1, _) = words.get_corner(DL), words.get_corner(UR)
    assert loss.ink(loss.box).crowding((x0, y0, x1, y1)) == 0
    left, bottom, right, top = loss.box.scene_bounds
    assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top
