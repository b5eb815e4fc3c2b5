"""minibatch's loss plot rings the first batch whose loss, as the readout writes it,
is below the all-points minimum as the floor's key writes it: from its step on,
labelled with the readout's own text above the curves,
clear of every curve of the clip and of the floor's key; the key, in the plot's top
right corner, clear too."""

from __future__ import annotations

import numpy as np
import pytest
from manim import DL, UR, VGroup

from scenes.clock import StepClock
from scenes.columns import clip_rows
from scenes.least_squares import quadratic_form
from scenes.minibatch import (
    FLOOR_WIDTH,
    FLOOR_WORDS,
    LOSS_CORNER,
    LOSS_SIZE,
    READOUT_CHARS,
)
from scenes.numbers import format_number
from scenes.panels.batch_dip import (
    NEAR_WORDS,
    RING_RADIUS,
    BatchDip,
    lowest_dip,
    marked_floor,
    record_dips,
)
from scenes.panels.batch_loss import fit_axis
from scenes.panels.loss_plot import LossPlot
from scenes.theme import PALETTES
from sgdcore.trace import Trace
from tests.conftest import PLANS
from tests.layout_snapshots import runs_of

pytestmark = pytest.mark.xdist_group(PLANS)


def scene_dip(
    theme: str,
) -> tuple[list[Trace], Trace, LossPlot, list[str], BatchDip, VGroup]:
    """The default minibatch run's loss plot, its axis fitted and its floor keyed,
    and its dip, as the scene makes them."""
    palette = PALETTES[theme]
    traces = runs_of("minibatch")
    trace = traces[0]
    loss = LossPlot(palette, traces, LOSS_CORNER, LOSS_SIZE, floor_words=FLOOR_WORDS)
    fit_axis(loss)
    [batch_texts] = clip_rows([trace.loss[:-1]], READOUT_CHARS)
    dip = BatchDip(palette, loss, trace, batch_texts)
    floor = marked_floor(palette, loss, trace, FLOOR_WIDTH, dip.point())
    assert dip.step is not None
    return traces, trace, loss, batch_texts, dip, floor


def test_a_dip_is_below_the_floor_in_the_shown_digits() -> None:
    # 0.0746 shown is not below a floor shown as 0.0746, however the values compare
    assert lowest_dip(["0.0800", " 0.0746", "", "0.0745"], "0.0746") == 3
    # the deepest dip, the first of equals: not one that a later batch beats
    assert lowest_dip(["0.0700", "0.0600", "0.0650", "0.0600"], "0.0746") == 1
    assert lowest_dip(["1.2×10³", "0.0800"], "0.0746") is None
    assert lowest_dip(["0.0100"], "") is None
    # the lowest so far, each time the replay reaches a lower one
    texts = ["0.0800", "0.0700", "0.0720", "0.0600", "0.0600", " 0.0746"]
    assert record_dips(texts, "0.0746") == [1, 3]
    assert record_dips(texts, "") == []


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
def test_the_first_dip_is_ringed_above_the_curves_apart_from_the_floors_key(
    theme: str,
) -> None:
    traces, trace, loss, batch_texts, dip, floor = scene_dip(theme)
    assert dip.step is not None
    # the first batch below the floor as both are shown, and only it: one ring that
    # stands still while lower dips come (the notes name the lowest)
    assert dip.steps == [dip.step] == record_dips(batch_texts, "0.0746")[:1]
    assert dip.step < int(np.argmin(trace.loss[:-1]))  # lower ones follow
    key = floor[1]
    clock = StepClock(traces)
    [mark] = dip.moving(clock, key)
    for value, drawn in (
        (dip.step - 0.5, False),
        (dip.step, True),
        (trace.n_steps, True),
    ):
        clock.tracker.set_value(value)
        mark.update()
        assert any(len(part.points) for part in mark.get_family()) is drawn
    clock.tracker.set_value(dip.step)
    [_, ring, backing, words] = mark.submobjects
    # a box in the background's colour behind the words: no grid line through them
    assert backing.get_center()[:2] == pytest.approx(words.get_center()[:2])
    assert words.words == (
        f"batch below minimum:\nstep {dip.step}, loss {batch_texts[dip.step].strip()}"
    )
    # the ring round the batch's loss where its curve draws it, under the floor
    assert ring.get_center()[:2] == pytest.approx(loss.points(trace.loss)[dip.step][:2])
    floor_y = loss.points(np.array([dip.floor]))[0][1]
    assert ring.get_center()[1] < floor_y
    # the words above the floor and the ring, clear of every curve and of the key
    assert words.get_bottom()[1] > max(floor_y, ring.get_top()[1])
    ink = loss.ink(loss.box)
    left, bottom, right, top = loss.box.scene_bounds
    for part in (words, key):
        (x0, y0, _), (x1, y1, _) = part.get_corner(DL), part.get_corner(UR)
        assert ink.crowding((x0, y0, x1, y1)) == 0
        assert left <= x0 and x1 <= right and bottom <= y0 and y1 <= top
    (x0, y0, _), (x1, y1, _) = words.get_corner(DL), words.get_corner(UR)
    (k0, l0, _), (k1, l1, _) = key.get_corner(DL), key.get_corner(UR)
    assert x1 < k0 or k1 < x0 or y1 < l0 or l1 < y0


def test_the_floor_is_named_by_its_line_clear_of_the_curves_and_the_ring() -> None:
    # its key far from the line was misread: a note under or over the line itself,
    # shorter words where the scene's own would cross a curve
    _, trace, loss, _, dip, floor = scene_dip("dark")
    line, note = floor
    least = float(quadratic_form(trace)[2])
    assert note.words == NEAR_WORDS  # its value on the axis, by the line's end
    assert format_number(least, 3) in loss.axes.labels.words
    floor_y = line.get_center()[1]
    assert (
        min(abs(note.get_top()[1] - floor_y), abs(note.get_bottom()[1] - floor_y)) < 0.2
    )
    (x0, y0, _), (x1, y1, _) = note.get_corner(DL), note.get_corner(UR)
    assert loss.ink(loss.box).crowding((x0, y0, x1, y1)) == 0
    ring = dip.point()
    assert ring is not None and not x0 - RING_RADIUS <= ring[0] <= x1 + RING_RADIUS


def test_a_floor_with_no_room_by_its_line_is_keyed_in_the_corner() -> None:
    # a ring at every spot by the line: the key, its words and value, top right
    palette = PALETTES["dark"]
    traces = runs_of("minibatch")
    loss = LossPlot(palette, traces, LOSS_CORNER, LOSS_SIZE, floor_words=FLOOR_WORDS)
    fit_axis(loss)
    probe = LossPlot(palette, traces, LOSS_CORNER, LOSS_SIZE, floor_words=NEAR_WORDS)
    fit_axis(probe)
    spot, _ = probe.floor_spot(probe.box, float(quadratic_form(traces[0])[2]))
    assert spot is not None
    ring = np.array([(spot[0] + spot[2]) / 2, (spot[1] + spot[3]) / 2, 0.0])
    floor = marked_floor(palette, loss, traces[0], FLOOR_WIDTH, ring)
    [_, [_, words]] = floor[1]
    least = float(quadratic_form(traces[0])[2])
    assert words.words == FLOOR_WORDS  # its value on the axis
    assert format_number(least, 3) in loss.axes.labels.words
    assert words.get_right()[0] > ring[0]  # in the top right corner


def test_the_dip_caption_starts_on_the_first_batch_below_the_floor() -> None:
    # said from the epoch's start it ran ahead of the dip it speaks of
    from tests.planned import planned_default

    scene = planned_default("minibatch")
    assert scene.schedule is not None
    trace = scene.trace
    first = int(np.flatnonzero(trace.loss[:-1] < quadratic_form(trace)[2])[0])
    # that a batch's loss can lie below the least loss on all the points
    caption = "A batch's loss can dip below the 100-point minimum."
    said = [b for b in scene.schedule.beats if b.caption == caption]
    assert [b.start for b in said] == [first]
    assert first % int(trace.meta["batches_per_epoch"]) != 0  # mid-epoch: 38
