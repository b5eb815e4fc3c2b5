"""Room between tick labels: an axis' labels spaced, kept in the frame, and the
corner where the x axis' first label meets the y axis' lowest left uncrowded."""

from __future__ import annotations

from itertools import pairwise

from manim import RIGHT

from scenes.readout import Readout
from scenes.text import safe_right

LABEL_SPACE = 0.3  # at least this between neighbouring labels of an axis: ~two digits
CORNER_GAP = 0.1  # at least this between an x axis' label and a y axis' label


def spaced(labels: list[Readout], values: list[float]) -> list[Readout]:
    """Every label of an axis, or every second (third, ...) one, the first that leaves
    LABEL_SPACE between neighbours; 0 keeps its label."""
    anchor = values.index(0.0) if 0.0 in values else 0
    for stride in range(1, len(labels) + 1):
        kept = [label for i, label in enumerate(labels) if (i - anchor) % stride == 0]
        gaps = [b.get_left()[0] - a.get_right()[0] for a, b in pairwise(kept)]
        if all(gap >= LABEL_SPACE for gap in gaps):
            return kept
    return labels[anchor : anchor + 1]


Tick = tuple[float, Readout]  # a tick's value and its label


def in_frame(labels: list[Readout]) -> list[Readout]:
    """`labels`, each at the frame's edge moved in off its tick."""
    edge = safe_right()
    for tick in labels:
        tick.shift(max(-edge - tick.get_left()[0], 0.0) * RIGHT)
        tick.shift(min(edge - tick.get_right()[0], 0.0) * RIGHT)
    return labels


def clear_corner(
    x_ticks: list[Tick], y_ticks: list[Tick], y_linear: bool
) -> tuple[list[Tick], list[Tick]]:
    """The labels of both axes, less the one at the plot's corner that would crowd
    the other axis' first label: each keeps CORNER_GAP from every label of the other.

    The one dropped is, of the first that crowd, the y axis' lowest on a linear axis
    unless it says 0, else the x axis' first unless it says 0, else the y axis'
    lowest (a log axis keeps its decades while it can); an axis keeps two labels.
    A label that says 0 counts as 0 wherever it stands: a log step axis draws step 0
    at its left end.
    """

    def says_zero(tick: Tick) -> bool:
        return tick[0] == 0.0 or tick[1].shown == "0"

    def crowded(x_tick: Tick, y_tick: Tick) -> bool:
        x_box, y_box = x_tick[1], y_tick[1]
        across = max(x_box.get_left()[0], y_box.get_left()[0]) - min(
            x_box.get_right()[0], y_box.get_right()[0]
        )
        up = max(x_box.get_bottom()[1], y_box.get_bottom()[1]) - min(
            x_box.get_top()[1], y_box.get_top()[1]
        )
        return bool(max(across, up) < CORNER_GAP)

    while True:
        pairs = [(x, y) for x in x_ticks for y in y_ticks if crowded(x, y)]
        if not pairs:
            return x_ticks, y_ticks
        x_tick, y_tick = pairs[0]
        choices = [
            (y_ticks, y_tick, y_linear and not says_zero(y_tick)),
            (x_ticks, x_tick, not says_zero(x_tick)),
            (y_ticks, y_tick, True),
            (x_ticks, x_tick, True),
        ]
        ticks, tick = next(
            ((ticks, tick) for ticks, tick, ok in choices if ok and len(ticks) > 2),
            (y_ticks, y_tick),
        )
        if len(ticks) < 2:
            return x_ticks, y_ticks  # one label each, kept: nothing else to read
        if ticks is x_ticks:
            x_ticks = [t for t in x_ticks if t is not tick]
        else:
            y_ticks = [t for t in y_ticks if t is not tick]
