"""A loss plot's mark at one step: a dashed line up the plot, named beside it.

It appears once the replay reaches that step (the lowest validation loss, so far).
Its words go beside the line, as high as they can where nothing the plot draws over
the whole clip comes near them: no curve, no gridline, no other mark's words.
"""

from __future__ import annotations

import numpy as np
from manim import DL, DOWN, LEFT, RIGHT, DashedLine, VGroup, VMobject

from scenes.clock import StepClock
from scenes.panels.axes import GRID_CLEARANCE, AxesDrawing
from scenes.panels.loss_plot import LossPlot
from scenes.panels.loss_scale import CURVE_CLEARANCE
from scenes.placement import Ink, Rect, grown, within
from scenes.text import label, shown_while
from scenes.theme import DRAWN, Palette

LINE_OPACITY = DRAWN["stop mark"].opacity
WORDS_GAP = 0.1  # from the line to its words
LINE_GAP = 0.08  # between the lines of words written in two
WORDS_STEP = 0.02  # between the heights tried for the words, down the plot
ROOM_SHARES = 11  # of the clearances, the shares tried: all, nine tenths, ..., none


def step_mark(
    palette: Palette,
    loss: LossPlot,
    clock: StepClock,
    step: int,
    words: str,
    color: str | None = None,
    taken: list[Rect] | None = None,
) -> list[VMobject]:
    """A dashed line at `step` and `words` beside it, both in `color` (the run's
    whose step it marks; the line faint ink and the words ink if None), the words
    clear of the plot's curves and gridlines and of the words in `taken` (other
    marks' boxes, to which this one's is added), shown from `step` on."""
    box = loss.box
    at = float(loss.step_x(step))
    bottom, top = box.c2p(at, box.y_span[0]), box.c2p(at, box.y_span[1])
    line = DashedLine(bottom, top, dash_length=0.08, stroke_width=2.5)
    if color is None:
        line.set_stroke(palette.ink, opacity=LINE_OPACITY)
    else:
        line.set_stroke(color, opacity=1.0)
    # words in lines (`\n` between them), left-aligned
    name = VGroup(
        *(
            label(palette, line, palette.tick_size, color or palette.ink)
            for line in words.split("\n")
        )
    ).arrange(DOWN, aligned_edge=LEFT, buff=LINE_GAP)
    spot = words_spot(loss, float(top[0]), (name.width, name.height), taken or [])
    if spot is None:  # a plot too small for the words: by the line's top
        name.next_to(top, RIGHT, buff=WORDS_GAP).shift(0.15 * DOWN)
    else:
        name.move_to(np.array([spot[0], spot[1], 0.0]), aligned_edge=DL)
        if taken is not None:
            taken.append(spot)
    return [shown_while(VGroup(line, name), lambda: clock.value >= step)]


def words_spot(
    loss: LossPlot, x: float, size: tuple[float, float], taken: list[Rect]
) -> Rect | None:
    """Where words of `size` go beside a line at scene x `x`: right of it, else left,
    at the highest spot in the plot that no curve comes within CURVE_CLEARANCE of, no
    gridline or axis within GRID_CLEARANCE, and no box in `taken` overlaps; else (between
    gridlines closer than that) the highest with the largest share of those
    clearances, else the least crossed. None if they fit nowhere in the plot."""
    (width, height), bounds = size, loss.box.scene_bounds
    spots = []
    for left in (x + WORDS_GAP, x - WORDS_GAP - width):
        for top in np.arange(bounds[3], bounds[1] + height, -WORDS_STEP):
            spot = (left, float(top) - height, left + width, float(top))
            if within(spot, bounds):
                spots.append(spot)
    if not spots:
        return None
    curves, grid = loss.ink(loss.box), gridlines(loss.axes)
    left, bottom, right, top = bounds  # the axes, kept as clear as the gridlines
    corners = np.array([[left, top], [left, bottom], [right, bottom]])
    grid.add_polyline(corners)

    def crossings(spot: Rect, share: float) -> int:
        """How many marks come within `share` of each clearance of `spot`."""
        near = grown(spot, share * CURVE_CLEARANCE)
        return (
            curves.crowding(near)
            + grid.crowding(grown(spot, share * GRID_CLEARANCE))
            + sum(overlap(near, other) for other in taken)
        )

    for share in np.linspace(1.0, 0.0, ROOM_SHARES):
        clear = [spot for spot in spots if not crossings(spot, share)]
        if clear:
            return clear[0]
    return min(spots, key=lambda spot: crossings(spot, 0.0))


def gridlines(axes: AxesDrawing) -> Ink:
    """The plot's gridlines as drawn (each a straight cubic: its first and last
    control points are its ends)."""
    points = axes.grid.points
    return Ink().add_segments(points[0::4], points[3::4]) if len(points) else Ink()


def overlap(one: Rect, other: Rect) -> bool:
    """Whether two boxes share any area."""
    return (
        one[0] < other[2]
        and other[0] < one[2]
        and one[1] < other[3]
        and other[1] < one[3]
    )
