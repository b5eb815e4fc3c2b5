"""surface_3d's floor marks: the shadow marks early steps that shrink, the outer
contours carry their losses."""

from __future__ import annotations

import numpy as np

from scenes.bowl_geometry import broken_ring
from scenes.clock import StepClock
from scenes.panels.bowl import LossBowl
from scenes.panels.bowl_marks import (
    LABELLED_LEVELS,
    SHADOW_GAP,
    label_gaps,
    level_marks,
    shadow_steps,
)
from scenes.theme import PALETTES
from sgdcore.trace import Trace
from tests.conftest import CONTROL_DATA


def default_run() -> Trace:
    """surface_3d's committed default run (the lesson's, 100 steps)."""
    return Trace.load(CONTROL_DATA / "surface_3d" / "default-run0.npz")


def test_the_shadow_marks_steps_while_they_stand_apart_and_shrink() -> None:
    trace = default_run()
    bowl, clock = LossBowl(PALETTES["dark"], trace), StepClock([trace])
    group, dots = shadow_steps(bowl, clock)
    clock.tracker.set_value(trace.n_steps)
    group.update()
    assert 3 <= len(group.submobjects) == len(dots) < trace.n_steps
    centres = np.array([dot.get_center() for dot in dots])
    gaps = np.linalg.norm(np.diff(centres, axis=0), axis=1)
    assert (gaps >= SHADOW_GAP - 1e-9).all()
    assert (np.diff(gaps) < 0).all()  # each stride shorter than the one before


def test_the_outer_contours_say_their_losses() -> None:
    bowl = LossBowl(PALETTES["dark"], default_run())
    marks = level_marks(bowl)
    assert len(marks) == LABELLED_LEVELS
    assert marks[0].shown.startswith("loss ")


def test_each_labelled_contour_breaks_for_its_loss_and_no_other_does() -> None:
    # a loss set on its ring, the ring cut round it: read as that ring's, not as
    # the one beside it
    bowl = LossBowl(PALETTES["dark"], default_run())
    marks = level_marks(bowl)
    gaps = label_gaps(marks)

    def opened(rings: list[np.ndarray]) -> int:
        return sum(not np.allclose(ring[0], ring[-1]) for ring in rings)

    assert opened(bowl.contours().get_subpaths()) == 0
    broken = bowl.contours(gaps=gaps).get_subpaths()
    assert len(broken) == len(bowl.floor_excesses())
    assert opened(broken) == LABELLED_LEVELS  # one cut in each labelled ring
    points = np.vstack(broken)
    for mark, (centre, radius) in zip(marks, gaps, strict=True):
        assert radius > mark.width / 2
        assert np.linalg.norm(points - centre, axis=1).min() > radius - 0.05
        # the label's centre lies on its ring: the cut ends sit either side of it
        near = points[np.linalg.norm(points - centre, axis=1) < radius + 0.1]
        assert near[:, 0].min() < centre[0] < near[:, 0].max()


def test_a_ring_with_no_gap_near_it_stays_whole() -> None:
    angles = np.linspace(0, 2 * np.pi, 13)
    ring = np.stack([np.cos(angles), np.sin(angles), 0 * angles], axis=1)
    assert len(broken_ring(ring, [(np.array([5.0, 0.0, 0.0]), 0.5)])) == 1
    runs = broken_ring(ring, [(np.array([1.0, 0.0, 0.0]), 0.3)])
    assert len(runs) == 1 and len(runs[0]) == 11  # the point at angle 0 cut out
    assert len(broken_ring(ring, [(np.array([1.0, 0.0, 0.0]), 0.3)] * 2)) == 1
    two = [(np.array([1.0, 0.0, 0.0]), 0.3), (np.array([-1.0, 0.0, 0.0]), 0.3)]
    assert len(broken_ring(ring, two)) == 2
