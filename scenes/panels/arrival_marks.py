"""Where each run's loss first comes within 1% of the minimum, marked on the loss
plot: a dot on its curve at that step, in the run's colour, and over it, on a thin
leader, the step, in the same colour; each once the replay reaches its step. A key
made apart (`● first step within 1% of the minimum`), for under the plot, says
what the dots mark: nothing but the marks themselves lies on the plot."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from manim import DOWN, RIGHT, UP, Circle, Dot, Line, Mobject, VGroup

from scenes.clock import StepClock
from scenes.geometry import Points
from scenes.least_squares import quadratic_form
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import CURVE_CLEARANCE
from scenes.panels.plane_layout import meet, rect_of
from scenes.placement import grown
from scenes.text import Holder, label, one_path, shown_while
from scenes.theme import Palette
from scenes.words import NEAR_FLOOR
from sgdcore.trace import Trace

NUMBER_GAP = 0.1  # round the dip's words, in from the plot's ends and others
STEPS_APART = 0.2  # between neighbouring step numbers: "35" "42", not "3542"
LIFT = 0.12  # the step numbers stand at least this far over the highest dot
RISE = 0.05  # and are tried this much higher each time, until no curve is under them
LEADER_GAP = 0.03  # between a leader's ends and its number and dot
DOT_RADIUS = 0.05
DOT_CASING = 2  # the background round each dot, over the curves it sits on
KEY_GAP = 0.12  # from the key's dot to its words
KEY_WORDS = f"first step within {NEAR_FLOOR:.0%} of the minimum"
# A run's dip before it arrives that a log axis draws on the floor (within this
# factor of it) though it is not within 1%: its loss written under it, below the
# floor, where no loss curve goes, so the dip is not read as an arrival
NEAR_MISS = 1.15
DIP_DROP = 0.08  # from the floor down to the dip's words
DIP_WORDS = "dip: {}"
DIP_RING = 0.075  # the ring round the dip, about a head's size


def near_miss(
    loss: npt.NDArray[np.float64], floor: float, arrival: int | None
) -> int | None:
    """The step of a run's lowest dip before `arrival` (a step lower than both its
    neighbours) within NEAR_MISS of `floor` but not within NEAR_FLOOR, or None."""
    end = len(loss) - 1 if arrival is None else arrival
    dips = [
        k
        for k in range(1, end)
        if loss[k] < loss[k - 1]
        and loss[k] < loss[k + 1]
        and floor * (1 + NEAR_FLOOR) < loss[k] <= floor * NEAR_MISS
    ]
    return min(dips, key=lambda k: loss[k]) if dips else None


def near_misses(
    traces: Sequence[Trace],
    arrivals: Sequence[int | None],
    shown: Sequence[Sequence[str]],
    colors: Sequence[str],
) -> list[tuple[int, str, str]]:
    """Each run's near miss: its step, its loss as `shown` writes it, its colour."""
    floor = quadratic_form(traces[0])[2]
    misses = [
        near_miss(t.loss, floor, step) for t, step in zip(traces, arrivals, strict=True)
    ]
    return [
        (step, shown[k][step].strip(), colors[k])
        for k, step in enumerate(misses)
        if step is not None
    ]


def dip_marks(
    plot: LossPlot,
    clock: StepClock,
    dips: Sequence[tuple[int, str, str]],
    clear_of: Mobject,
) -> list[Mobject]:
    """Each (step, shown loss, colour) dip's words under it below the floor (as
    near centred as the plot's ends allow) and a ring on the curve there, shown
    from its step on; none that would leave the plot or meet `clear_of` (the
    floor's note) or another's."""
    left, bottom, right, _ = plot.box.scene_bounds
    floor = quadratic_form(plot.traces[0])[2]
    level = plot.box.c2p(0.0, float(np.log10(floor)))[1]
    taken = [rect_of(clear_of)] if len(clear_of.get_family()) > 1 else []
    marks: list[Mobject] = []
    for step, shown, color in dips:
        words = label(plot.palette, DIP_WORDS.format(shown), plot.palette.tick_size)
        words.set_color(color)
        x = float(plot.box.c2p(float(plot.step_x([step])[0]), 0.0)[0])
        half = words.width / 2 + NUMBER_GAP  # in from the plot's ends
        x = min(max(x, left + half), right - half)
        words.move_to(np.array([x, level - DIP_DROP, 0.0]), aligned_edge=UP)
        rect = rect_of(words)
        inside = left < right - 2 * half and rect[1] >= bottom
        if inside and not any(meet(rect, other, NUMBER_GAP) for other in taken):
            taken.append(rect)
            # a ring on the curve where it dips: what the words under it name
            at = plot.box.c2p(float(plot.step_x([step])[0]), math.log10(float(shown)))
            ring = Circle(radius=DIP_RING, stroke_color=color, stroke_width=2.5)
            dip = VGroup(one_path(words), ring.move_to(at))
            marks.append(shown_while(dip, arrived(clock, step)))
    return marks


def arrival_marks(
    plot: LossPlot,
    clock: StepClock,
    traces: Sequence[Trace],
    arrivals: Sequence[int | None],
    colors: Sequence[str],
) -> tuple[VGroup, list[Holder]]:
    """The key (static, unplaced) and, per run that arrives, its dot, leader and step,
    each shown from its step on; none if no run arrives. The steps stand in one row
    over the dots, as low as no curve passes under them, each as near over its dot
    as its neighbours leave room for, in the order of the dots."""
    palette = plot.palette
    runs = [(step, k) for k, step in enumerate(arrivals) if step is not None]
    if not runs:
        return VGroup(), []
    spots = [plot.points(traces[k].loss)[step] for step, k in runs]
    numbers = [
        label(palette, str(step), palette.tick_size, colors[k]) for step, k in runs
    ]
    row_over(plot, numbers, spots)
    marks = []
    for (step, k), number, spot in zip(runs, numbers, spots, strict=True):
        dot = Dot(spot, radius=DOT_RADIUS, color=colors[k])
        dot.set_stroke(palette.background, DOT_CASING, background=True)
        top = number.get_bottom() - LEADER_GAP * UP
        along = (top - spot) / max(float(np.linalg.norm(top - spot)), 1e-9)
        leader = Line(
            spot + (DOT_RADIUS + LEADER_GAP) * along,
            top,
            stroke_color=palette.muted,
            stroke_width=1,
        )
        mark = VGroup(leader, dot, one_path(number))
        marks.append(shown_while(mark, arrived(clock, step)))
    return arrival_key(palette), marks


def row_over(plot: LossPlot, numbers: Sequence[Mobject], spots: list[Points]) -> None:
    """`numbers` moved into one row inside the plot, each centred over its spot as far
    as STEPS_APART to its neighbours allows, the row as low over the spots as keeps
    every curve clear of it (the highest tried, if none does)."""
    order = np.argsort([spot[0] for spot in spots], kind="stable")
    left, _, right, top = plot.box.scene_bounds
    centres = [float(spots[k][0]) for k in order]
    widths = [numbers[k].width for k in order]
    # pushed right past each left neighbour, then left inside the plot's right edge
    for i in range(1, len(order)):
        least = centres[i - 1] + (widths[i - 1] + widths[i]) / 2 + STEPS_APART
        centres[i] = max(centres[i], least)
    centres[-1] = min(centres[-1], right - widths[-1] / 2)
    for i in range(len(order) - 2, -1, -1):
        most = centres[i + 1] - (widths[i + 1] + widths[i]) / 2 - STEPS_APART
        centres[i] = max(min(centres[i], most), left + widths[i] / 2)
    ink = plot.ink(plot.box)
    base = max(float(spot[1]) for spot in spots) + DOT_RADIUS + LIFT
    height = max(number.height for number in numbers)
    while True:
        for k, centre in zip(order, centres, strict=True):
            numbers[k].move_to(np.array([centre, base, 0.0]), aligned_edge=DOWN)
        rects = [rect_of(number) for number in numbers]
        clear = not any(ink.crowding(grown(rect, CURVE_CLEARANCE)) for rect in rects)
        if clear or base + height + RISE > top:
            return
        base += RISE


def arrival_key(palette: Palette) -> VGroup:
    """A muted dot and what the dots on the curves mark, in small type."""
    dot = Dot(radius=DOT_RADIUS, color=palette.muted)
    words = label(palette, KEY_WORDS, palette.tick_size, palette.muted)
    return VGroup(dot, one_path(words)).arrange(RIGHT, buff=KEY_GAP)


def arrived(clock: StepClock, step: int) -> Callable[[], bool]:
    """Whether the replay has reached `step`."""
    return lambda: clock.value >= step
