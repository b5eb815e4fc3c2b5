"""The first mini-batch whose loss dips below the minimum for all points, ringed on
the loss plot and labelled with its step and loss, from the step the curve gets there.

The batch's loss is written as the readout writes it and compared with the floor as
its note writes it, so the ringed point is below the floor in the shown digits too.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import DL, Circle, Line, Mobject, VGroup

from scenes.clock import StepClock
from scenes.least_squares import quadratic_form
from scenes.numbers import format_number, parse_shown
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import CURVE_CLEARANCE, curve_points
from scenes.placement import Ink, Rect, clearest, grown, within
from scenes.text import label, one_path, shown_while
from scenes.theme import Palette
from sgdcore.trace import Trace

RING_RADIUS, RING_WIDTH = 0.09, 3  # round the dip's point, over the curves
# the background round the ring: where a curve's head, in ink as the ring is, passes
# under it, the two stay apart
RING_CASING = 3
LEADER_WIDTH = 1.5  # from the ring up to its label
RISE = 0.35  # the least height of the label's bottom over the ring's centre
RISE_STEP = 0.05  # the label rises (or moves left) in steps of this until clear
BESIDE_GAP = 0.12  # from the ring to the words beside it


def shown_value(text: str) -> float | None:
    """The number a readout's text shows, None for a blank or a power of ten."""
    if "×10" in text:
        return None
    try:
        return float(parse_shown(text))
    except ValueError:
        return None


def first_dip(batch_texts: Sequence[str], floor_text: str) -> int | None:
    """The first step whose batch loss, as shown, is below the floor, as shown."""
    floor = shown_value(floor_text)
    if floor is None:
        return None
    for step, text in enumerate(batch_texts):
        value = shown_value(text)
        if value is not None and value < floor:
            return step
    return None


def marked_floor(
    palette: Palette, loss: LossPlot, trace: Trace, width: float, stacked: bool = False
) -> VGroup:
    """The loss plot's floor, its dashes `width` wide and in ink, its note in ink:
    the line the batches' losses dip below. `stacked`: the note a word a line, its
    number last, narrow enough to leave the dip's words room beside it."""
    least = quadratic_form(trace)[2]
    if stacked and least > 0:
        lines = [*loss.floor_words.split(), format_number(least, 3)]
        words = label(palette, "\n".join(lines), palette.tick_size, palette.muted)
        loss.notes[least] = words
    floor = loss.floor(trace)
    if stacked and len(floor) > 1:  # under the floor's right end, the dips' side
        floor[1].set_x(loss.box.scene_bounds[2] - floor[1].width / 2)
    for part in floor:
        part.set_color(palette.ink)
    if len(floor):
        floor[0].set_stroke(width=width, opacity=1.0)
    return floor


class BatchDip:
    """A ring on the batch-loss curve at its first dip below the floor, and
    `batch at step k: loss v` above it, kept clear of every curve of the clip."""

    def __init__(
        self,
        palette: Palette,
        loss: LossPlot,
        trace: Trace,
        batch_texts: Sequence[str],
    ) -> None:
        self.palette, self.loss, self.trace = palette, loss, trace
        floor = quadratic_form(trace)[2]
        self.floor = floor
        floor_text = format_number(floor, 3) if floor > 0 else ""
        self.step = first_dip(batch_texts, floor_text)
        self.text = batch_texts[self.step].strip() if self.step is not None else ""

    def point(self) -> npt.NDArray[np.float64] | None:
        """The dip's point on the plot, None if there is none or it lies outside."""
        if self.step is None:
            return None
        box = self.loss.box
        x = self.loss.step_x([self.step])
        values = np.array([self.trace.loss[self.step]], dtype=np.float64)
        point: npt.NDArray[np.float64] = np.asarray(
            curve_points(box, values, x)[0], dtype=np.float64
        )
        if not values[0] > 0:
            return None  # no place for it on a log axis
        level = math.log10(float(values[0]))
        if not box.y_span[0] <= level <= box.y_span[1]:
            return None
        return point

    def moving(
        self, clock: StepClock, floor_note: Mobject | None, above: bool = False
    ) -> list[Mobject]:
        """The ring, its leader and its label, shown from the dip's step on; none if
        no batch's shown loss dips below the shown floor inside the plot. The label
        goes beside the ring under the floor if it can, or `above` the curves: clear
        of the floor's note under the floor."""
        point, step = self.point(), self.step
        if point is None or step is None:
            return []
        palette = self.palette
        # three narrow lines beside the ring, two wider ones above the curves
        lines = (
            ("batch at", f"step {step}:") if not above else (f"batch at step {step}:",)
        )
        words = label(
            palette, "\n".join([*lines, f"loss {self.text}"]), palette.tick_size
        )
        ring = Circle(RING_RADIUS, color=palette.ink, stroke_width=RING_WIDTH)
        ring.set_stroke(
            palette.background, RING_WIDTH + 2 * RING_CASING, background=True
        )
        ring.move_to(point)
        if not above and self.place_beside(
            words, point, floor_note
        ):  # a leader across to them
            level = min(point[1], words.get_top()[1] - words.height / 6)
            foot = np.array([words.get_right()[0] + 0.04, level, 0.0])
        else:  # above, a leader up to them
            self.place(words, point, floor_note)
            left, right = words.get_left()[0], words.get_right()[0]
            foot = np.array(
                [np.clip(point[0], left, right), words.get_bottom()[1] - 0.04, 0.0]
            )
        leader = Line(
            point + RING_RADIUS * (foot - point) / np.linalg.norm(foot - point),
            foot,
            color=palette.ink,
            stroke_width=LEADER_WIDTH,
        )
        marked = VGroup(leader, ring, one_path(words))
        return [shown_while(marked, lambda: clock.value >= step - 1e-9)]

    def ink(self, note: Mobject | None) -> Ink:
        """Every curve of the clip on the plot, and the floor's note if any."""
        ink = self.loss.ink(self.loss.box)
        if note is not None:
            left, bottom = note.get_corner(DL)[:2]
            grid = np.mgrid[
                left : left + note.width : 12j, bottom : bottom + note.height : 4j
            ]
            ink = Ink().extend(ink).add_points(grid.reshape(2, -1).T)
        return ink

    def place_beside(
        self, words: Mobject, point: npt.NDArray[np.float64], note: Mobject | None
    ) -> bool:
        """`words` left of `point`, their first line level with it, under the floor
        (where no batch went before the dip), as near as clear of every curve and
        the floor's note, the leader across to them too; False if nowhere is."""
        left_end, bottom_end = self.loss.box.scene_bounds[:2]
        floor_y = self.loss.points(np.array([self.floor]))[0][1]
        ink = self.ink(note)
        top = min(point[1] + words.height / 6, floor_y - 2 * CURVE_CLEARANCE)
        level = min(point[1], top - words.height / 6)  # the leader's
        if top - words.height - CURVE_CLEARANCE < bottom_end:
            return False
        right = point[0] - RING_RADIUS - BESIDE_GAP
        while right - words.width >= left_end:
            spot = (right - words.width, top - words.height, right, top)
            lead = (right, level - 0.02, point[0] - RING_RADIUS, level + 0.02)
            if not ink.crowding(grown(spot, CURVE_CLEARANCE)) and not ink.crowding(
                grown(lead, CURVE_CLEARANCE)
            ):
                words.move_to(np.array([spot[0], spot[1], 0.0]), aligned_edge=DL)
                return True
            right -= RISE_STEP
        return False

    def place(
        self, words: Mobject, point: npt.NDArray[np.float64], note: Mobject | None
    ) -> None:
        """`words` above `point`: centred on it, else ending or starting there, at the
        least rise where no curve and not the floor's note comes near them."""
        bounds, ink = self.loss.box.scene_bounds, self.ink(note)
        width, height = words.width, words.height
        spots: list[Rect] = []
        rise = RISE
        while point[1] + rise + height <= bounds[3]:
            for left in (point[0] - width / 2, point[0] - width + 0.2, point[0] - 0.2):
                left = min(max(left, bounds[0]), bounds[2] - width)
                bottom = point[1] + rise
                spot = (left, bottom, left + width, bottom + height)
                if within(spot, bounds):
                    spots.append(spot)
            rise += RISE_STEP
        if not spots:
            return
        clear = [s for s in spots if not ink.crowding(grown(s, CURVE_CLEARANCE))]
        best = clear[0] if clear else spots[clearest(spots, ink, CURVE_CLEARANCE)]
        words.move_to(np.array([best[0], best[1], 0.0]), aligned_edge=DL)


def make_room(loss: LossPlot, floor: float, room: float) -> None:
    """Lower `loss`'s log axis (by tenths of a decade) until `room` scene units fit
    under `floor`: the dip's words go there, beside the ring."""
    x_range, bottom, corner, size, labels = loss.axes_args
    top, share = loss.box.y_span[1], room / size[1]
    if floor <= 0 or share >= 1:
        return
    need = (math.log10(floor) - share * top) / (1 - share)
    if need < bottom:  # no decade's gridline under the floor: the words' room
        kept = {k: v for k, v in labels.items() if k >= math.log10(floor)}
        loss.axes_args = (x_range, math.floor(need * 10) / 10, corner, size, kept)
        loss.box, loss.axes = loss.make_axes(top)
