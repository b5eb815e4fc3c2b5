"""The loss plot's scales, pure numpy: decade labels on the log loss axis, room for
the floor's note under the floor, a step axis' ticks, a series' points."""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt

from scenes.clock import log_step
from scenes.geometry import PlotBox, Points, nice_range
from scenes.numbers import format_lr, power_of_ten

MAX_DECADE_LABELS = 5
PLAIN_DECADES = (-2, 3)  # 0.01 to 1000 are written out
FLOOR_GAP = 0.08  # from the dashed floor to its note
FLOOR_INSET = 0.1  # a note by the floor's left end keeps off the y axis
FLOOR_ROOM = 0.3  # under the floor: its note (0.215 high at tick size) and the gap
CURVE_CLEARANCE = 0.08  # from a note to a curve: the curve's head is 0.06 wide
NOTE_GAP = 0.12  # from a curve's head to the note beside it


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
