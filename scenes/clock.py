"""The step clock: one ValueTracker drives every panel of a replay.

Its value is the replay's position in steps: 3.25 is a quarter of the way through
update 3, from recorded step 3 to step 4. Panels ask it where each run is; they never
read time, so a frame depends on the step alone.

A long run can be replayed on log time: every decade of steps (1 to 10, 10 to 100,
100 to 1000) takes the same screen time, so a plot with a log step axis is crossed at
an even speed and the first steps, one by one, are slow enough to count.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
from manim import Mobject, ValueTracker

from scenes.geometry import PlotBox, between_steps, step_position
from scenes.view import View
from sgdcore.trace import Trace

ZERO_GAP = 0.5  # decades: on log time, from step 0 to step 1
# a curve that morphs from step to step: the share of an update it moves in, then
# rests while its readouts (the nearest step's) say what it shows
MORPH_SHARE = 0.5


def log_step(steps: npt.ArrayLike) -> npt.NDArray[np.float64]:
    """Where (fractional) steps sit on log time, in decades: log10(step) from step 1
    on, step 0 ZERO_GAP decades before step 1 and the first update evenly between."""
    values = np.asarray(steps, dtype=np.float64)
    return np.where(
        values >= 1, np.log10(np.maximum(values, 1.0)), (values - 1.0) * ZERO_GAP
    )


def log_time(n_steps: int, seconds_per_decade: float) -> npt.NDArray[np.float64]:
    """Screen time of each update on log time: shape (n_steps,), update k taking
    `seconds_per_decade` times the decades from step k to step k + 1."""
    decades = np.diff(log_step(np.arange(n_steps + 1)))
    seconds: npt.NDArray[np.float64] = seconds_per_decade * decades
    return seconds


class StepClock:
    """Where the replay is, for any of the runs it replays."""

    def __init__(self, traces: Sequence[Trace], arrive: float = 1.0) -> None:
        """`arrive`: the share of each update's time in which what follows the clock
        moves to the next step, holding there for the rest (a curve that morphs from
        step to step then rests beside the readouts of the step it shows)."""
        self.tracker = ValueTracker(0)
        self.arrive = arrive
        self.traces = tuple(traces)
        self.last_step = max(trace.n_steps for trace in self.traces)
        # per run (by id), the share of each update after which its point has
        # landed, where a plot's view says so (scenes/view.py: `View.landing`)
        self.landings: dict[int, Callable[[int], float]] = {}

    @property
    def value(self) -> float:
        """The replay's position, in steps (at whole steps, the replay's own)."""
        raw = float(self.tracker.get_value())
        if self.arrive >= 1:
            return raw
        step = math.floor(raw + 1e-9)
        return step + min(1.0, max(0.0, raw - step) / self.arrive)

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


class LeadClock(StepClock):
    """A clip's clock that plays `lead` steps of its own (one per beat of something
    shown before the runs) and then the runs' steps: its last step is theirs + lead."""

    def __init__(self, traces: Sequence[Trace], lead: int) -> None:
        super().__init__(traces)
        self.lead = lead
        self.last_step += lead

    def runs(self) -> StepClock:
        """The same clock as the runs read it (RunsClock)."""
        return RunsClock(self)


class RunsClock(StepClock):
    """A LeadClock as the runs read it: at step 0 until the lead is over, then on."""

    def __init__(self, clip: LeadClock) -> None:
        vars(self).update(vars(clip))  # the same tracker: one clock, read differently
        self.lead: int = clip.lead
        self.last_step = clip.last_step - clip.lead

    @property
    def value(self) -> float:
        """The runs' position, in steps."""
        return max(0.0, float(self.tracker.get_value()) - float(self.lead))


def follow_view(
    view: View, clock: StepClock, mobject: Mobject, draw: Callable[[PlotBox], object]
) -> Mobject:
    """`mobject` drawn by `draw(box)`; redrawn in place whenever the view moves.

    A fixed view draws it once and adds no updater, so it stays static.
    """
    draw(view.box(0))
    if view.fixed:
        return mobject
    drawn: list[object] = [None]

    def redraw(_: Mobject) -> None:
        box = view.box(clock.value)
        if (box.x_range, box.y_range) != drawn[0]:
            drawn[0] = (box.x_range, box.y_range)
            draw(box)

    return mobject.add_updater(redraw, call_updater=True)
