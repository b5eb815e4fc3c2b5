"""Where a run on the parabola started: a dashed ring in its colour, left behind once
the point has hopped off it.

A view that widens for a runaway keeps the parabola's shape (w k×, f k²×), so the
point is drawn about as far out after a zoom as before it: the ring, at the start's
place in every view, shows how far it has really gone.
"""

from __future__ import annotations

import numpy as np
from manim import Circle, DashedVMobject, Mobject, VMobject

from scenes.clock import StepClock
from scenes.panels.parabola import MINIMUM_RADIUS, POINT_RADIUS, Parabola
from scenes.parabola_geometry import lowest_point

RING_GAP = 0.05  # from the point's edge out to the ring
RING_WIDTH = 2.5
DASHES = 10
AWAY = 0.5  # of the first hop flown: the point has left the ring
# the ring's radius, and the least gap from it to the minimum's ring: a view so wide
# that the start sits on the minimum says nothing of where the run began
RING_RADIUS = POINT_RADIUS + RING_GAP
APART = 0.05


def start_ring(parabola: Parabola, clock: StepClock) -> VMobject:
    """The ring round the run's first point, where the view shows it, once the point
    is half way through its first hop (it covers the ring before), and not where it
    would touch the minimum's ring (a view widened that far out)."""
    trace = parabola.trace
    lowest = lowest_point(trace)
    ring = dashed_ring(parabola.color)
    dashes = [(dash, dash.points.copy()) for dash in ring.submobjects]

    def follow(_: Mobject) -> None:
        box = parabola.view.box(clock.value)
        start = parabola.points(box)[0]
        index, fraction = clock.position(trace)
        away = index >= 1 or parabola.view.travel(index, fraction) >= AWAY
        apart = np.linalg.norm(start - box.c2p(*lowest)) >= (
            RING_RADIUS + MINIMUM_RADIUS + APART
        )
        shown = away and apart and bool(box.contains(start[None])[0])
        for dash, points in dashes:
            dash.set_points(points + start) if shown else dash.clear_points()

    ring.add_updater(follow, call_updater=True)
    return ring


def dashed_ring(color: str) -> VMobject:
    """The ring, centred on the origin: for the plot, and for a key."""
    circle = Circle(RING_RADIUS, color=color).set_stroke(width=RING_WIDTH)
    return DashedVMobject(circle, num_dashes=DASHES).move_to(np.zeros(3))
