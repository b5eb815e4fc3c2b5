"""The step clock: one ValueTracker drives every panel of a replay (R10, R11).

Its value is the replay's position in steps: 3.25 is a quarter of the way through
update 3, from recorded step 3 to step 4. Panels ask it where each run is; they never
read time, so a frame depends on the step alone.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt
from manim import ValueTracker

from scenes.geometry import between_steps, step_position
from sgdcore.trace import Trace


class StepClock:
    """Where the replay is, for any of the runs it replays."""

    def __init__(self, traces: Sequence[Trace]) -> None:
        self.tracker = ValueTracker(0)
        self.traces = tuple(traces)
        self.last_step = max(trace.n_steps for trace in self.traces)

    @property
    def value(self) -> float:
        """The replay's position, in steps."""
        return float(self.tracker.get_value())

    def index(self, trace: Trace) -> int:
        """The latest recorded step of `trace` the replay has reached."""
        return min(math.floor(self.value + 1e-9), trace.n_steps)

    def position(self, trace: Trace) -> tuple[int, float]:
        """The update of `trace` in progress, `(index, fraction done)`."""
        return step_position(self.value, trace.n_steps)

    def params(self, trace: Trace) -> npt.NDArray[np.float64]:
        """`trace`'s parameters at the replay's position, interpolated between steps."""
        return between_steps(trace.params, self.value)

    def finished(self) -> bool:
        """True once the replay has reached the last recorded step of every run."""
        return self.value >= self.last_step - 1e-6
