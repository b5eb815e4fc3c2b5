"""What the learning-rate scene says about a run on any f(w): read off the sampled curve.

For the lesson's w² the step factor 1 − 2·c·lr says everything; a non-convex f has no
single curvature, so the words come from the run and the curve the trace sampled
(`grid`, `curve`): its valleys (local minima), the lowest point drawn, and where the
run stopped. Plain numpy: the scene and its tests share it.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

import numpy as np
import numpy.typing as npt

from scenes.numbers import format_lr
from scenes.schedule import Moment
from scenes.words import STEADY, n, sentence, steps
from sgdcore.trace import Trace

NEAR = 0.01  # within this share of the drawn range of a valley's bottom: there
SAME_LEVEL = 1e-3  # valleys within this share of the curve's height are as low


@dataclass(frozen=True)
class Valleys:
    """The sampled curve's local minima, lowest first among equals by position."""

    w: npt.NDArray[np.float64]  # where each valley bottoms out, left to right
    f: npt.NDArray[np.float64]  # how low
    edges: npt.NDArray[np.float64]  # the crest between valley i and i + 1
    height: float  # the curve's drawn height (max − min), for "as low"

    @property
    def lowest(self) -> int:
        """Index of the lowest valley."""
        return int(np.argmin(self.f))

    def basin(self, w: float) -> int:
        """Index of the valley `w` lies in (between its crests)."""
        return int(np.searchsorted(self.edges, w))

    def is_lowest(self, index: int) -> bool:
        """Whether valley `index` is as low as the lowest (within SAME_LEVEL)."""
        return bool(self.f[index] - self.f[self.lowest] <= SAME_LEVEL * self.height)


def valleys_of(trace: Trace) -> Valleys:
    """The local minima of the trace's sampled f(w) (its ends count if lowest there)."""
    grid, f = trace.grid, trace.curve[0]
    left = np.r_[np.inf, f[:-1]]
    right = np.r_[f[1:], np.inf]
    bottoms = np.flatnonzero((f <= left) & (f < right))
    crests = [a + int(np.argmax(f[a : b + 1])) for a, b in pairwise(bottoms)]
    height = float(np.ptp(f)) or 1.0
    return Valleys(grid[bottoms], f[bottoms], grid[np.array(crests, int)], height)


def formula_of(trace: Trace) -> str:
    """How the trace's function is written: its formula, or f(w) for the user's code."""
    return str(trace.meta.get("formula", "f(w)"))


def function_case(trace: Trace) -> tuple[str, str, str]:
    """(title, verdict, Palette tone) for a run on any f(w), from what it did."""
    w_end, f_end = float(trace.params[-1, 0]), n(trace.loss[-1])
    if trace.diverged_at is not None:
        return (
            "Learning rate too high: the run diverges",
            f"diverged at step {trace.diverged_at}: f(w) = {f_end}",
            "warning",
        )
    valleys = valleys_of(trace)
    here, low = valleys.basin(w_end), valleys.lowest
    if abs(w_end - valleys.w[here]) < NEAR * float(np.ptp(trace.grid)):
        if valleys.is_lowest(here):
            return (
                "Gradient descent settles in the lowest valley",
                f"at w = {n(w_end)}: f(w) = {f_end}, the lowest drawn",
                "lr_good",
            )
        return (
            "Gradient descent stops in a local minimum",
            f"stuck at w = {n(w_end)}; lower: f(w) = {n(valleys.f[low])} "
            f"at w = {n(valleys.w[low])}",
            "lr_low",
        )
    if (np.diff(trace.loss) > 0).any():  # some step went uphill: it overshot
        return (
            "The steps overshoot: w bounces around",
            f"after {steps(trace.n_steps)}, w = {n(w_end)}, still bouncing",
            "lr_high",
        )
    return (
        "Learning rate too low: still on its way down",
        f"after {steps(trace.n_steps)}, w = {n(w_end)}, still moving",
        "lr_low",
    )


class FunctionStory:
    """Gradient descent on any f(w): hops downhill into whichever valley it reaches."""

    def __init__(self, trace: Trace, verdict: str) -> None:
        self.trace, self.closing = trace, verdict
        self.w = trace.params[:, 0]
        self.valleys = valleys_of(trace)

    def opening(self) -> str:
        count = len(self.valleys.w)
        shape = f"{count} valleys" if count > 1 else "one valley"
        return (
            f"Start: w = {n(self.w[0])}, f(w) = {n(self.trace.loss[0])}. f(w) = "
            f"{formula_of(self.trace)} has {shape} on this range; learning rate "
            f"{format_lr(self.trace.learning_rate)}."
        )

    def first_steps(self, end: int) -> str:
        return (
            "Each step: w ← w − lr · f′(w), downhill from where it stands. "
            f"After {steps(end)} w = {n(self.w[end])}, f(w) = {n(self.trace.loss[end])}."
        )

    def replay(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end}: w goes from {n(self.w[start])} to "
            f"{n(self.w[end])}, f(w) to {n(self.trace.loss[end])}."
        )

    def moments(self) -> list[Moment]:
        """The step where the run enters the valley it ends in, if it changes valley."""
        valleys = self.valleys
        if len(valleys.w) < 2 or self.trace.diverged_at is not None:
            return []
        which = np.array([valleys.basin(float(w)) for w in self.w])
        changes = np.flatnonzero(which[1:] != which[:-1]) + 1
        if not changes.size or changes[-1] >= len(self.w) - 1:
            return []
        step = int(changes[-1])
        return [
            Moment(
                step,
                f"Step {step}: w = {n(self.w[step])}, in the valley around "
                f"w = {n(valleys.w[which[step]])} where it stays.",
                "Into the valley where it stays.",
            )
        ]

    def fast_forward(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end} move w by less than a pixel: w = {n(self.w[end])}."
        )

    def verdict(self) -> str:
        return sentence(self.closing)

    def caption(self, beat: str, start: int, end: int) -> str:
        if beat == "opening":
            return "Where will the hops take w?"
        if beat == "first steps":
            return "Each step: w ← w − lr · f′(w)."
        if beat == "replay":
            if self.trace.diverged_at is not None:
                return "The hops grow: it diverges."
            return "Hop by hop, downhill."
        if beat == "fast forward":
            return STEADY
        return sentence(function_case(self.trace)[0])

    def headline(self) -> npt.NDArray[np.float64]:
        return np.asarray(self.trace.loss, dtype=np.float64)
