"""What the learning-rate scenes say about f(w) = c (w − w*)²: the step factor tells all."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from scenes.numbers import format_lr, format_number
from scenes.quadratic_rows import ShownRun
from scenes.schedule import Moment
from scenes.words import (
    NEAR_FLOOR,
    STEADY,
    TOO_LOW_FACTOR,
    first_step_where,
    n,
    sentence,
    steps,
)
from sgdcore.trace import Trace


class QuadraticStory:
    """Gradient descent on f(w) = c (w − w*)²: each step scales the distance by 1 − 2·c·lr."""

    def __init__(
        self, trace: Trace, verdict: str, shown: ShownRun | None = None
    ) -> None:
        """`shown`: w and f(w) as the readouts write them, for the notes to quote."""
        self.trace, self.closing = trace, verdict
        self.minimum = float(trace.meta["minimum"])  # type: ignore[arg-type]
        self.curvature = float(trace.meta["curvature"])  # type: ignore[arg-type]
        self.w = trace.params[:, 0]
        self.shown = shown

    def w_at(self, step: int) -> str:
        """w at `step`, as the readout shows it."""
        return self.shown.w[step] if self.shown else n(self.w[step])

    def f_at(self, step: int) -> str:
        """f(w) at `step`, as the readout shows it."""
        return self.shown.loss[step] if self.shown else n(self.trace.loss[step])

    def opening(self) -> str:
        return (
            f"Start: w = {self.w_at(0)}, f(w) = {self.f_at(0)}. "
            f"Learning rate {format_lr(self.trace.learning_rate)}; "
            f"it converges for learning rates below 1/c = {format_lr(1 / self.curvature)}, "
            "c the factor of the squared distance."
        )

    def first_steps(self, end: int) -> str:
        return (
            "Each step: w ← w − lr · f′(w). "
            f"After {steps(end)} w = {self.w_at(end)}, f(w) = {self.f_at(end)}."
        )

    def replay(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end}: w goes from {self.w_at(start)} to {self.w_at(end)}, "
            f"f(w) to {self.f_at(end)}."
        )

    def moments(self) -> list[Moment]:
        moments = []
        offset = self.w - self.minimum
        crossed = first_step_where(np.sign(offset[1:]) * np.sign(offset[0]) < 0)
        if crossed is not None:
            step = crossed + 1
            further = abs(offset[step]) > abs(offset[0])
            moments.append(
                Moment(
                    step,
                    f"At step {step} w jumps from {self.w_at(step - 1)} past the "
                    f"minimum to {self.w_at(step)}: an overshoot"
                    + (", farther out than it started." if further else "."),
                    "It overshoots, landing farther out."
                    if further
                    else "It overshoots.",
                )
            )
        near = first_step_where(self.trace.loss <= NEAR_FLOOR * self.trace.loss[0])
        if near is not None and near > 0:
            moments.append(
                Moment(
                    near,
                    f"At step {near} f(w) = {self.f_at(near)}, under 1% of "
                    f"its start {self.f_at(0)}.",
                    "Loss under 1% of its start.",
                )
            )
        return sorted(moments, key=lambda moment: moment.step)

    def fast_forward(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end} change w in its last shown digit only: "
            f"w = {self.w_at(end)}."
        )

    def verdict(self) -> str:
        return sentence(self.closing)

    @property
    def factor(self) -> float:
        """What one step multiplies the distance to the minimum by: 1 − 2·c·lr."""
        return 1 - 2 * self.curvature * self.trace.learning_rate

    def caption(self, beat: str, start: int, end: int) -> str:
        factor = self.factor
        if beat == "opening":
            return "w starts away from the minimum."
        if beat == "first steps":
            return "Each step: w ← w − lr · f′(w)."
        if beat == "fast forward":
            return STEADY
        if beat == "replay":
            if abs(factor) >= 1:
                return "Each hop is bigger than the last."
            if factor < 0:
                return "It hops across, closer each time."
            shown = format_number(factor, 3, trim=True)
            if factor > TOO_LOW_FACTOR:  # the share of the gap left, unless it reads 1
                left = f"each leaves {shown} of the gap" if shown != "1" else ""
                return f"Tiny steps: {left or 'slow progress'}."
            # said as the readouts show it: a view zoomed in on the run draws late
            # steps as large as early ones
            gap = "w" if self.minimum == 0 else "the gap"
            return f"Each step: {gap} × {shown}."
        if abs(factor) >= 1 or self.trace.diverged_at is not None:
            return "The rate is too high, so w diverges."
        if factor > TOO_LOW_FACTOR:
            return "The rate is too low: w is still on its way."
        if factor < -0.5:
            return "The rate is high: w overshoots, then settles."
        return "The rate is right: w closes in fast."

    def outcome(self) -> str:
        """What the run did, in a word or two: `crawls`, `diverges`, ..."""
        factor = self.factor
        if abs(factor) >= 1 or self.trace.diverged_at is not None:
            return "diverges"
        if factor > TOO_LOW_FACTOR:
            return "crawls"
        return "zigzags in" if factor < -0.5 else "arrives"

    def headline(self) -> npt.NDArray[np.float64]:
        return np.asarray(self.trace.loss, dtype=np.float64)
