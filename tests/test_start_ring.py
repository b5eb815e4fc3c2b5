"""The dashed ring left where a run on the parabola started: round the start's place
in whatever view is showing, once the point has left it, and not outside the plot."""

from __future__ import annotations

import numpy as np
import pytest
from manim import VMobject

from scenes.clock import StepClock
from scenes.panels.parabola import MINIMUM_RADIUS, Parabola, run_view
from scenes.panels.start_ring import APART, RING_RADIUS, start_ring
from scenes.theme import DARK
from tests.conftest import quadratic_trace
from tests.test_panels import CORNER, SIZE, at_step


def ring_at(ring: VMobject) -> np.ndarray | None:
    """The ring's centre, or None where none of it is drawn."""
    drawn = [dash for dash in ring.submobjects if len(dash.points)]
    if not drawn:
        return None
    points = np.vstack([dash.points for dash in drawn])
    return (points.min(axis=0) + points.max(axis=0)) / 2


@pytest.mark.parametrize(("rate", "steps"), [(1.1, 14), (0.02, 8)])
def test_the_ring_stays_on_the_start_in_every_view(rate: float, steps: int) -> None:
    trace = quadratic_trace(steps, learning_rate=rate)
    view = run_view(trace, CORNER, SIZE, 4)
    parabola = Parabola(DARK, trace, view, DARK.fit)
    clock = StepClock([trace])
    ring = start_ring(parabola, clock)
    at_step(clock, 0.0, ring)
    assert ring_at(ring) is None  # the point sits on it
    widened, hidden = False, []
    for step in np.arange(1.0, trace.n_steps + 0.01, 0.5):
        at_step(clock, float(step), ring)
        box = view.box(float(step))
        start = box.c2p(float(trace.params[0, 0]), float(trace.loss[0]))
        widened |= box.x_span[1] - box.x_span[0] > view.box(0).x_span[1] * 2.5
        # where it would touch the minimum's ring, it is not drawn
        gap = float(np.linalg.norm(start - box.c2p(0.0, 0.0)))
        near = gap < RING_RADIUS + MINIMUM_RADIUS
        if ring_at(ring) is None:
            hidden.append(step)
            assert gap < RING_RADIUS + MINIMUM_RADIUS + APART, step
        else:
            assert not near
            assert np.allclose(ring_at(ring), start, atol=1e-6), step  # type: ignore[arg-type]
    assert widened == (rate > 1)  # the runaway's view widened round it
    assert len(hidden) < trace.n_steps  # shown for most of the run
    assert bool(hidden) == (rate > 1)  # only far out does it meet the minimum


def test_the_ring_leaves_with_the_start_when_the_view_zooms_in() -> None:
    trace = quadratic_trace(6, learning_rate=0.4)
    view = run_view(trace, CORNER, SIZE, 5)
    clock = StepClock([trace])
    ring = start_ring(Parabola(DARK, trace, view, DARK.fit), clock)
    shown = []
    for value in np.linspace(0.0, 1.0, 21):
        at_step(clock, float(value), ring)
        shown.append(ring_at(ring) is not None)
    assert not shown[0] and any(shown)  # as the point leaves, before the zoom
    last = trace.n_steps - 1  # the last step in close-up
    at_step(clock, float(last), ring)
    box = view.box(float(last))
    assert float(trace.params[0, 0]) > box.x_span[1]  # the start is out of view...
    assert ring_at(ring) is None  # ...and so is its ring
    at_step(clock, float(trace.n_steps), ring)  # the close opens out on the start
    box = view.box(float(trace.n_steps))
    start = box.c2p(float(trace.params[0, 0]), float(trace.loss[0]))
    assert np.allclose(ring_at(ring), start, atol=1e-6)  # type: ignore[arg-type]
