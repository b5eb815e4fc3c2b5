"""What each scene says at each beat: plain sentences built from the trace's numbers.

A story answers the schedule's questions (scenes/schedule.py: the opening, the first
steps, a stretch of the replay, the moments to hold on, the fast-forward, the verdict)
for one kind of run. Every number in a sentence is a trace value, formatted by the one
number formatter, so captions and speaker notes say what the screen shows.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scenes.least_squares import quadratic_form
from scenes.numbers import format_lr, format_number
from scenes.schedule import Moment, Story
from sgdcore.trace import Trace

NEAR_FLOOR = 0.01  # "within 1% of the minimum loss"


def n(value: float) -> str:
    """A trace number in a sentence: four significant digits, no trailing zeros.

    Below 1e-4 it reads 0.0000 and only from 1e4 up may it be `1.235e4`, as on screen.
    """
    return format_number(float(value), trim=True)


def steps(count: int) -> str:
    """`1 step`, `3 steps`."""
    return f"{count} step" if count == 1 else f"{count} steps"


def point(params: np.ndarray) -> str:
    """Parameters as `(a₁, a₂)`."""
    return "(" + ", ".join(format_number(float(v), 3, trim=True) for v in params) + ")"


def first_step_where(mask: np.ndarray) -> int | None:
    """The first index where `mask` holds, if any."""
    hits = np.flatnonzero(mask)
    return int(hits[0]) if hits.size else None


class LineFitStory:
    """A line fitted by gradient descent: the loss falls towards least squares."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.floor = quadratic_form(trace)[2]

    def opening(self) -> str:
        trace = self.trace
        return (
            f"Start: a = {point(trace.params[0])}, loss {n(trace.full_loss[0])}, "
            f"learning rate {format_lr(trace.learning_rate)}."
        )

    def first_steps(self, end: int) -> str:
        trace = self.trace
        return (
            "Each step moves a against the gradient of the loss: "
            f"after {steps(end)} the loss is {n(trace.full_loss[end])}."
        )

    def replay(self, start: int, end: int) -> str:
        loss = self.trace.full_loss
        return f"Steps {start} to {end}: the loss goes from {n(loss[start])} to {n(loss[end])}."

    def moments(self) -> list[Moment]:
        loss = self.trace.full_loss
        step = first_step_where(loss <= (1 + NEAR_FLOOR) * self.floor)
        if step is None or step == 0:
            return []
        return [
            Moment(
                step,
                f"Step {step}: loss {n(loss[step])}, within 1% of the least-squares "
                f"minimum {n(self.floor)}.",
            )
        ]

    def fast_forward(self, start: int, end: int) -> str:
        loss = self.trace.full_loss
        return (
            f"Steps {start} to {end} move the line by less than a pixel: "
            f"the loss only goes from {n(loss[start])} to {n(loss[end])}."
        )

    def verdict(self) -> str:
        trace = self.trace
        last, loss = trace.n_steps, trace.full_loss[trace.n_steps]
        if trace.diverged_at is not None:
            return (
                f"Diverged at step {trace.diverged_at}: "
                f"learning rate {format_lr(trace.learning_rate)} is too high."
            )
        if loss <= (1 + NEAR_FLOOR) * self.floor:
            return f"After {steps(last)}: the least-squares fit, loss {n(loss)}."
        return f"After {steps(last)}: loss {n(loss)}, least squares {n(self.floor)}."


class QuadraticStory:
    """Gradient descent on f(w) = c (w − w*)²: each step scales the distance by 1 − 2·c·lr."""

    def __init__(self, trace: Trace, verdict: str) -> None:
        self.trace, self.closing = trace, verdict
        self.minimum = float(trace.meta["minimum"])  # type: ignore[arg-type]
        self.curvature = float(trace.meta["curvature"])  # type: ignore[arg-type]
        self.w = trace.params[:, 0]

    def opening(self) -> str:
        return (
            f"Start: w = {n(self.w[0])}, f(w) = {n(self.trace.loss[0])}. "
            f"Learning rate {format_lr(self.trace.learning_rate)}; "
            f"stable only below 1/c = {format_lr(1 / self.curvature)}."
        )

    def first_steps(self, end: int) -> str:
        return (
            "Each step: w ← w − lr · f′(w). "
            f"After {steps(end)} w = {n(self.w[end])}, f(w) = {n(self.trace.loss[end])}."
        )

    def replay(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end}: w goes from {n(self.w[start])} to {n(self.w[end])}, "
            f"f(w) to {n(self.trace.loss[end])}."
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
                    f"Step {step} overshoots: w jumps from {n(self.w[step - 1])} past the "
                    f"minimum to {n(self.w[step])}"
                    + (", further out than it started." if further else "."),
                )
            )
        near = first_step_where(self.trace.loss <= NEAR_FLOOR * self.trace.loss[0])
        if near is not None and near > 0:
            moments.append(
                Moment(
                    near,
                    f"Step {near}: f(w) = {n(self.trace.loss[near])}, under 1% of its "
                    f"start {n(self.trace.loss[0])}.",
                )
            )
        return sorted(moments, key=lambda moment: moment.step)

    def fast_forward(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end} move w by less than a pixel: w = {n(self.w[end])}."
        )

    def verdict(self) -> str:
        return self.closing[:1].upper() + self.closing[1:]


class MinibatchStory(LineFitStory):
    """Stochastic gradient descent: one random batch per step, epochs over the data."""

    def opening(self) -> str:
        trace = self.trace
        return (
            f"Start: a = {point(trace.params[0])}, loss {n(trace.full_loss[0])}. "
            f"Each step uses a random batch of {trace.meta['batch_size']} of the "
            f"{len(trace.y)} points."
        )

    def first_steps(self, end: int) -> str:
        loss = self.trace.full_loss
        return (
            "Each step follows the gradient of its batch's loss only: "
            f"after {steps(end)} the loss on all points is {n(loss[end])}."
        )

    def moments(self) -> list[Moment]:
        per_epoch = int(self.trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
        if not 0 < per_epoch < self.trace.n_steps:
            return []
        return [
            Moment(
                per_epoch,
                f"Step {per_epoch} ends epoch 1: every one of the {len(self.trace.y)} "
                f"points has been in exactly one batch. Loss {n(self.trace.full_loss[per_epoch])}.",
            )
        ]


class ManyRunsStory:
    """Several runs on one clock: each sentence names the runs by `names`."""

    def __init__(
        self,
        traces: Sequence[Trace],
        names: Sequence[str],
        stories: Sequence[Story],
        verdict: str,
    ) -> None:
        self.traces, self.names, self.stories, self.closing = (
            traces,
            names,
            stories,
            verdict,
        )

    def values(self, step: int) -> str:
        """Each run's loss at `step` (or at its last step), named."""
        parts = []
        for name, trace in zip(self.names, self.traces, strict=True):
            k = min(step, trace.n_steps)
            parts.append(f"{name} {n(trace.loss[k])}")
        return ", ".join(parts)

    def opening(self) -> str:
        losses = {float(trace.loss[0]) for trace in self.traces}
        if len(losses) == 1:
            return f"Start: every run at the same point, loss {n(losses.pop())}."
        return f"Start: every run at the same point; losses {self.values(0)}."

    def first_steps(self, end: int) -> str:
        return f"After {steps(end)}, the losses: {self.values(end)}."

    def replay(self, start: int, end: int) -> str:
        return f"Steps {start} to {end}; the losses: {self.values(end)}."

    def moments(self) -> list[Moment]:
        moments: dict[int, str] = {}
        for name, story in zip(self.names, self.stories, strict=True):
            for moment in story.moments():
                sentence = f"{name}: {moment.sentence}"
                moments[moment.step] = (
                    f"{moments[moment.step]} {sentence}"
                    if moment.step in moments
                    else sentence
                )
        return [Moment(step, sentence) for step, sentence in sorted(moments.items())]

    def fast_forward(self, start: int, end: int) -> str:
        return f"Steps {start} to {end} change nothing you can see; the losses: {self.values(end)}."

    def verdict(self) -> str:
        return self.closing
