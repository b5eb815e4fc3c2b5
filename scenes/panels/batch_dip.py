"""The first mini-batch whose loss dips below the minimum for all points, ringed on
the loss plot and labelled with its step and loss, from the step the curve gets
there on (one ring, standing still: lower dips later are the speaker notes' to name).

The batch's loss is written as the readout writes it and compared with the floor as
its key writes it, so the ringed point is below the floor in the shown digits too;
and the floor itself, keyed in the plot's top right corner.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import cast

import numpy as np
import numpy.typing as npt
from manim import DL, LEFT, ORIGIN, Circle, DashedLine, Line, Mobject, Text, VGroup

from scenes.clock import StepClock
from scenes.geometry import Points
from scenes.least_squares import quadratic_form
from scenes.numbers import format_number, parse_shown
from scenes.panels.batch_legend import backed
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import CURVE_CLEARANCE, curve_points
from scenes.placement import Ink, Rect, clearest, grown, points_inside, within
from scenes.text import label, one_path, while_true
from scenes.theme import Palette
from sgdcore.trace import Trace

RING_RADIUS, RING_WIDTH = 0.09, 3  # round the dip's point, over the curves
# the background round the ring: where a curve's head, in ink as the ring is, passes
# under it, the two stay apart
RING_CASING = 3
LEADER_WIDTH = 1.5  # from the ring up to its label
RISE = 0.35  # the least height of the label's bottom over the ring's centre
RISE_STEP = 0.05  # the label rises (or leans right) in steps of this until clear
LEAN = 1.0  # the furthest the label's left end goes right of the ring
# The floor dotted: a dot every FLOOR_DOT, DOT_RATIO of it inked; its key a stretch
# of it KEY_LENGTH long, KEY_GAP before its words, KEY_INSET in from the plot's top
# right corner
FLOOR_DOT, DOT_RATIO = 0.06, 0.4
KEY_LENGTH, KEY_GAP, KEY_INSET = 0.4, 0.12, 0.06
DIP_WORDS = "batch below minimum:"
NEAR_WORDS = "minimum"  # the floor's note by its line, where its own words crowd


def shown_value(text: str) -> float | None:
    """The number a readout's text shows, None for a blank or a power of ten."""
    if "×10" in text:
        return None
    try:
        return float(parse_shown(text))
    except ValueError:
        return None


def lowest_dip(batch_texts: Sequence[str], floor_text: str) -> int | None:
    """The step whose batch loss, as shown, is the lowest below the floor, as shown
    (the first of equals): the deepest dip, not one the clip then shows beaten."""
    records = record_dips(batch_texts, floor_text)
    return records[-1] if records else None


def record_dips(batch_texts: Sequence[str], floor_text: str) -> list[int]:
    """Each step whose batch loss, as shown, is below the floor, as shown, and below
    every batch's before it: the lowest dip so far, as the replay reaches it."""
    least = shown_value(floor_text)
    records = []
    for step, text in enumerate(batch_texts):
        value = shown_value(text)
        if least is not None and value is not None and value < least:
            least = value
            records.append(step)
    return records


def dotted(start: Points, end: Points, width: float, color: str) -> DashedLine:
    """A dotted line of `color`, `width` wide: the floor, and its key's mark."""
    return DashedLine(
        start, end, dash_length=FLOOR_DOT, dashed_ratio=DOT_RATIO, stroke_width=width
    ).set_stroke(color, opacity=1.0)


def marked_floor(
    palette: Palette,
    loss: LossPlot,
    trace: Trace,
    width: float,
    ring: Points | None = None,
) -> VGroup:
    """The loss plot's floor, dotted in the muted grey `width` wide (apart from
    full-batch GD's dashed curve in ink that nears it), and what it is: a note by
    the line where no curve of the clip passes and clear of the dip's `ring`
    (`LossPlot.floor_spot`; its own words, else NEAR_WORDS in one line or two),
    else a key (a stretch of it, its words, its value if not on the axis) in the
    plot's top right corner, the axis raised if a curve passes there: the line the
    batches' losses dip below."""
    least = quadratic_form(trace)[2]

    def line() -> DashedLine | None:
        """The floor dotted where the axis, raised or not, puts it (None if off it)."""
        floor = loss.floor(trace)
        ends = (floor[0].get_start(), floor[0].get_end()) if len(floor) else None
        return dotted(*ends, width, palette.muted) if ends else None

    drawn = line() if least > 0 else None
    if drawn is None:
        return VGroup()
    named = loss.floor_words
    for said in dict.fromkeys((named, NEAR_WORDS, f"{NEAR_WORDS}\n")):
        loss.floor_words = said
        spot, crossed = loss.floor_spot(loss.box, least)
        room = grown(spot, RING_RADIUS + CURVE_CLEARANCE) if spot else None
        if ring is not None and room and points_inside(room, ring[None, :]).any():
            continue
        if spot is not None and not crossed:
            note = cast(Text, loss.floor_note(least))
            return VGroup(drawn, one_path(note.move_to(np.array([*spot[:2], 0.0]), DL)))
    loss.floor_words = named
    on_axis = math.log10(least) in loss.axes.said  # the axis says the floor's value
    lines = [named] if on_axis else [named, format_number(least, 3)]
    size = palette.tick_size
    words = label(palette, "\n".join(lines), size, palette.muted)
    mark = dotted(KEY_LENGTH * LEFT, ORIGIN, width, palette.muted)
    mark.next_to(words, LEFT, buff=KEY_GAP)
    # level with the middle of the words' first line
    mark.set_y(words.get_top()[1] - label(palette, lines[0], size).height / 2)
    key = VGroup(mark, one_path(words))
    loss.hold_top_right(key)
    key.shift(KEY_INSET * DL)  # off the top gridline and the plot's right end
    drawn = line()
    return VGroup(drawn, VGroup(backed(key, palette), key)) if drawn else VGroup()


class BatchDip:
    """A ring on the batch-loss curve at its first dip below the floor, and `batch
    below minimum: step k, loss v` (DIP_WORDS) above it, kept clear of every curve
    of the clip, from that step on."""

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
        self.steps = record_dips(batch_texts, floor_text)[:1]  # the first
        self.step = self.steps[0] if self.steps else None
        self.texts = {step: batch_texts[step].strip() for step in self.steps}

    def point(self, step: int | None = None) -> npt.NDArray[np.float64] | None:
        """A dip's point on the plot (the ringed one's by default), None if there is
        none or it lies outside."""
        step = self.step if step is None else step
        if step is None:
            return None
        box = self.loss.box
        x = self.loss.step_x([step])
        values = np.array([self.trace.loss[step]], dtype=np.float64)
        point: npt.NDArray[np.float64] = np.asarray(
            curve_points(box, values, x)[0], dtype=np.float64
        )
        if not values[0] > 0:
            return None  # no place for it on a log axis
        level = math.log10(float(values[0]))
        if not box.y_span[0] <= level <= box.y_span[1]:
            return None
        return point

    def moving(self, clock: StepClock, floor_key: Mobject | None) -> list[Mobject]:
        """The ring, its leader and its label above the curves (clear of the floor's
        key), shown from its step on; none if no batch's shown loss dips below the
        shown floor inside the plot."""
        return [
            mark for step in self.steps for mark in self.marked(clock, floor_key, step)
        ]

    def marked(
        self, clock: StepClock, floor_key: Mobject | None, step: int
    ) -> list[Mobject]:
        """The dip at `step` ringed and labelled, from `step` on."""
        point = self.point(step)
        if point is None:
            return []
        palette = self.palette
        words = label(
            palette,
            f"{DIP_WORDS}\nstep {step}, loss {self.texts[step]}",
            palette.tick_size,
        )
        ring = Circle(RING_RADIUS, color=palette.ink, stroke_width=RING_WIDTH)
        ring.set_stroke(
            palette.background, RING_WIDTH + 2 * RING_CASING, background=True
        )
        ring.move_to(point)
        self.place(words, point, floor_key)
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
        # backed: the plot's grid lines do not run through the words
        marked = VGroup(leader, ring, backed(words, palette), one_path(words))
        # taken away, not off screen, before its step: the replay's first frames
        return [while_true(marked, lambda: step - 1e-9 <= clock.value)]

    def ink(self, note: Mobject | None) -> Ink:
        """Every curve of the clip on the plot, and the floor's key if any."""
        ink = self.loss.ink(self.loss.box)
        if note is not None:
            left, bottom = note.get_corner(DL)[:2]
            grid = np.mgrid[
                left : left + note.width : 12j, bottom : bottom + note.height : 4j
            ]
            ink = Ink().extend(ink).add_points(grid.reshape(2, -1).T)
        return ink

    def place(
        self, words: Mobject, point: npt.NDArray[np.float64], note: Mobject | None
    ) -> None:
        """`words` above `point`: centred on it, else ending or starting there, else
        starting up to LEAN right of it (where a steep curve leaves no room over
        the point), at the least rise where no curve and not the floor's key comes
        near them."""
        bounds, ink = self.loss.box.scene_bounds, self.ink(note)
        width, height = words.width, words.height
        spots: list[Rect] = []
        rise = RISE
        leans = np.arange(RISE_STEP, LEAN + 1e-9, RISE_STEP)
        while point[1] + rise + height <= bounds[3]:
            lefts = [point[0] - width / 2, point[0] - width + 0.2, point[0] - 0.2]
            for left in [*lefts, *(point[0] - 0.2 + leans)]:
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
