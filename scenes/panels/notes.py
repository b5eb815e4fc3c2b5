"""Notes that appear when the run gets there: divergence, verdicts."""

from __future__ import annotations

import numpy as np
from manim import RIGHT, VGroup

from scenes.clock import StepClock
from scenes.text import label, shown_while
from scenes.theme import Palette
from sgdcore.trace import Trace


def diverged_note(
    palette: Palette, clock: StepClock, trace: Trace, right: float, y: float
) -> list[VGroup]:
    """ "diverged at step k", right edge at (right, y), from step k on; none if it never did."""
    at = trace.diverged_at
    if at is None:
        return []
    note = label(palette, f"diverged at step {at}", color=palette.warning)
    note.move_to(np.array([right, y, 0.0]), aligned_edge=RIGHT)
    return [shown_while(note, lambda: clock.index(trace) >= at)]
