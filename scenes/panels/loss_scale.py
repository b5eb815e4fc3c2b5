"""The loss plot's scales, pure numpy: decade labels on the log loss axis (or marks
at 1 and 3 of each decade), room for the floor's note under the floor, a step axis'
ticks, a series' points."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import DL, DOWN, LEFT, RIGHT, UL, UR, VMobject

from scenes.clock import log_step
from scenes.geometry import PlotBox, Points, nice_range
from scenes.numbers import format_lr, power_of_ten
from scenes.placement import Ink, Rect, clearest, grown

MAX_DECADE_LABELS = 5
PLAIN_DECADES = (-2, 3)  # 0.01 to 1000 are written out
FLOOR_GAP = 0.08  # from the dashed floor to its note
FLOOR_INSET = 0.1  # a note by the floor's left end keeps off the y axis
FLOOR_ROOM = 0.3  # under the floor: its note (0.215 high at tick size) and the gap
CURVE_CLEARANCE = 0.08  # from a note to a curve: the curve's head is 0.06 wide
NOTE_GAP = 0.12  # from a curve's head to the note beside it
# A long run's loss axis (LossPlot's log_steps) is read, not only seen: marked at 1
# and 3 of each decade, a loss under 0.1 is read between its two nearest marks
READ_MARKS = (1.0, 3.0)
READ_MARK_GAP = 0.3  # scene units, at least, between neighbouring marks
CORNER_LIFT = 0.3  # the lowest mark this far above the step axis: its label clear
# of the step axis' `0` and over the axis' break
# A log step axis is broken halfway from step 0 to step 1 (log10 starts at 1): two
# slashes across it, each SLASH from its centre either way, BREAK_GAP apart
SLASH, BREAK_GAP = np.array([0.05, 0.1, 0.0]), 0.09


def decade_labels(low: int, high: int) -> dict[float, str]:
    """Labels of the decades 10^low … 10^high, at most five of them.

    Plain numbers if every one is (0.01 to 1000: at most four characters), else
    all as powers (`10⁻⁶`, `10⁰`, `10⁴`), so none overflows the frame's left edge.
    """
    stride = math.ceil((high - low + 1) / MAX_DECADE_LABELS)
    decades = range(low, high + 1, stride)
    if all(PLAIN_DECADES[0] <= k <= PLAIN_DECADES[1] for k in decades):
        return {float(k): format_lr(10.0**k) for k in decades}
    return {float(k): power_of_ten(k) for k in decades}


def read_scale(
    losses: npt.NDArray[np.float64], height: float
) -> tuple[float, float, dict[float, str]] | None:
    """A log loss axis `height` tall marked at 1 and 3 of each decade (0.01, 0.03,
    0.1 …), from the mark at or under the least of `losses` (finite, > 0) to the one
    at or over the greatest.

    Returns its bottom and top (log10) and its labels; the bottom lies CORNER_LIFT
    under the lowest mark, so that mark's label clears the step axis' first one.
    None if there are no losses, if the marks would stand closer than READ_MARK_GAP,
    or if one of them would not be written out (outside 0.01 to 3000).
    """
    if not losses.size:
        return None
    lowest, highest = float(losses.min()), float(losses.max())
    first, last = math.floor(math.log10(lowest)), math.ceil(math.log10(highest))
    if first < PLAIN_DECADES[0] or last > PLAIN_DECADES[1]:
        return None
    marks = [k + math.log10(m) for k in range(first, last + 2) for m in READ_MARKS]
    slack = 1e-9  # a loss of exactly 0.1 sits on its mark
    low = max(m for m in marks if m <= math.log10(lowest) + slack)
    high = min(m for m in marks if m >= math.log10(highest) - slack and m > low)
    shown = [m for m in marks if low <= m <= high]
    lift = CORNER_LIFT * (high - low) / max(height - CORNER_LIFT, CORNER_LIFT)
    bottom = low - lift
    if min(np.diff(shown)) * height / (high - bottom) < READ_MARK_GAP:
        return None
    return bottom, high, {m: format_lr(10.0**m) for m in shown}


def room_under_floor(
    floor: float, low: int, high: int, height: float, room: float = FLOOR_ROOM
) -> float:
    """The log axis' lowest value: decade `low`, or lower (by tenths of a decade)
    until `room` (scene units: the floor's note and its gap) fits under the floor,
    where no full-batch loss goes."""
    share = room / height  # of the plot's height, under the floor
    if floor <= 0 or share >= 1:
        return float(low)  # no floor, or a plot too low to make room in
    level = math.log10(floor)
    if level - low >= share * (high - low):
        return float(low)
    return math.floor((level - share * high) / (1 - share) * 10) / 10


def step_range(last: int, log_steps: bool = False) -> tuple[float, float, float]:
    """A step axis up to step `last`: on a log axis (`log_step`) decade by decade,
    else ticks whole steps apart (0, 5, 10, not 0, 2.5 … 10), every step on a short
    run's."""
    if log_steps:
        return (float(log_step(0)), math.log10(last), 1.0)
    ticks = 5
    steps = nice_range(0, last, max_ticks=ticks)
    while steps[2] >= 1 and steps[2] % 1 and ticks > 2:
        ticks -= 1
        steps = nice_range(0, last, max_ticks=ticks)
    whole = steps[2] >= 1 and not steps[2] % 1
    return (0.0, steps[1], steps[2]) if whole else (0.0, float(last), 1.0)


def step_break(box: PlotBox) -> list[tuple[Points, Points]]:
    """The ends of the two slashes across a log step axis, between steps 0 and 1."""
    at = box.c2p(float(log_step(0.5)), box.y_span[0])
    centres = (
        at + offset * BREAK_GAP * np.array([1.0, 0.0, 0.0]) for offset in (-0.5, 0.5)
    )
    return [(centre - SLASH, centre + SLASH) for centre in centres]


def step_labels(n_steps: int) -> dict[float, str]:
    """A log-step axis' ticks: `0`, then `1`, `10`, `100` … up to `n_steps`, in
    plain digits, each where `log_step` puts it."""
    labels = {float(log_step(0)): "0"}
    decade = 0
    while 10**decade <= n_steps:
        labels[float(decade)] = str(10**decade)
        decade += 1
    return labels


def curve_points(
    box: PlotBox,
    values: npt.NDArray[np.float64],
    xs: npt.NDArray[np.float64] | None = None,
) -> Points:
    """A loss series' points on a log plot: non-finite at the top, clipped to the
    plot's height. `xs`: where each step goes across (default: the step itself)."""
    low, high = box.y_span
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.log10(values)
    logs = np.clip(np.nan_to_num(logs, nan=high, posinf=high, neginf=low), low, high)
    if xs is None:
        xs = np.arange(len(logs), dtype=np.float64)
    points: Points = box.to_points(xs[: len(logs)], logs)
    return points


# A note beside a curve's head (note_beside): right of it, left, under to either side
BESIDE = ((RIGHT, LEFT), (LEFT, RIGHT), (DOWN + RIGHT, UL), (DOWN + LEFT, UR))


def note_beside(
    notes: Sequence[VMobject], head: Points, across: tuple[float, float], ink: Ink
) -> VMobject:
    """Of `notes` (one wording, wrapped ever narrower), the first that finds a spot
    right of `head`, else left of it, else under it to the right or the left,
    within `across` (left, right), that no mark of `ink` comes near, placed there;
    else the one whose spot the fewest marks come near."""
    left, right = across
    placed = []
    for note in notes:
        spots: list[Rect] = []
        for direction, corner in BESIDE:
            note.move_to(head + NOTE_GAP * direction, aligned_edge=corner)
            note.shift(max(left - note.get_left()[0], 0.0) * RIGHT)
            note.shift(min(right - note.get_right()[0], 0.0) * RIGHT)
            (x0, y0, _), (x1, y1, _) = note.get_corner(DL), note.get_corner(UR)
            spots.append((float(x0), float(y0), float(x1), float(y1)))
        best = spots[clearest(spots, ink, CURVE_CLEARANCE)]
        note.move_to(np.array([best[0], best[1], 0.0]), aligned_edge=DL)
        placed.append((ink.crowding(grown(best, CURVE_CLEARANCE)), note))
    return min(placed, key=lambda count_note: count_note[0])[1]
