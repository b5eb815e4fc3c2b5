"""The step each of several runs takes on the parameter plane, as arrows that stay
told apart where they overlap (as they do at a shared start)."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import VGroup, VMobject

from scenes.clock import StepClock
from scenes.panels.parameter_plane import ParameterPlane
from scenes.text import while_true
from sgdcore.trace import Trace

# Widest first: the longest first step drawn widest, the shorter ones thinner over
# it, so first steps from one point and near one line each show: a longer one's
# shaft round the thinner ones over it, a shorter one's head on top of them
ARROW_WIDTHS = (8, 5, 2.5)
ARROW_SEEN = 0.25  # a step this long on screen (scene units) reads as an arrow


def step_arrows(
    plane: ParameterPlane,
    clock: StepClock,
    traces: Sequence[Trace],
    colors: Sequence[str],
) -> list[VGroup]:
    """Each run's arrow in its colour, from its parameters now to the trace's next
    ones, in the order to draw them: the longest first step first and widest, the
    shortest last and thinnest (a run that flies off at once counts as longest)."""
    first = [np.linalg.norm(trace.params[1] - trace.params[0]) for trace in traces]
    order = np.argsort(-np.nan_to_num(first, nan=np.inf), kind="stable")
    arrows = []
    for rank, k in enumerate(order):
        width = ARROW_WIDTHS[min(rank, len(ARROW_WIDTHS) - 1)]
        arrows.append(
            plane.update_arrow(clock, traces[k], colors[k], width, taken=True)
        )
    return arrows


def steps_seen(plane: ParameterPlane, traces: Sequence[Trace]) -> list[bool]:
    """Per update, whether some run's step is ARROW_SEEN long or more in the view
    (shorter, its arrow hides under the run's dot): while none is, the arrow's key
    says nothing."""
    longest = max(trace.n_steps for trace in traces)
    seen = [False] * (longest + 1)
    for trace in traces:
        for k in range(trace.n_steps):
            box = plane.view.box(k)
            with np.errstate(invalid="ignore", over="ignore"):
                ends = box.to_points(
                    trace.params[k : k + 2, 0], trace.params[k : k + 2, 1]
                )
                seen[k] |= bool(np.linalg.norm(ends[1] - ends[0]) >= ARROW_SEEN)
    return seen


def keyed_while_seen(
    key: VMobject, plane: ParameterPlane, clock: StepClock, traces: Sequence[Trace]
) -> VMobject:
    """The update arrow's `key`, drawn while some run's step can be seen
    (steps_seen): with no arrow left to see, it says nothing. Its points are taken
    away, not the key off screen: the arrows stop being seen within a long play."""
    seen = steps_seen(plane, traces)
    last = len(seen) - 1
    return while_true(key, lambda: seen[min(int(clock.value), last)])
