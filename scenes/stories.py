"""What each scene says at each beat: speaker notes from the trace's numbers, captions.

A story answers the schedule's questions (scenes/schedule.py: the opening, the first
steps, a stretch of the replay, the moments to hold on, the fast-forward, the verdict)
for one kind of run, twice: a speaker note that may carry the numbers, each a trace
value formatted by the one number formatter, and a caption a student reads while
watching (short, at most a number or two). Its headline is the quantity the clip is
about, so the schedule gives the steps that change it the time to be seen."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from scenes.columns import clip_decimals
from scenes.least_squares import quadratic_form
from scenes.many_runs_story import ManyRunsStory, RaceStory
from scenes.numbers import format_fixed, format_lr
from scenes.quadratic_story import QuadraticStory
from scenes.schedule import Moment
from scenes.words import (
    NEAR_FLOOR,
    STEADY,
    as_shown,
    first_step_where,
    floor_label,
    n,
    point,
    steps,
    to_decimals,
)
from sgdcore.trace import Trace

# Re-exported: the scenes take every story from here
__all__ = ["LineFitStory", "ManyRunsStory", "MinibatchStory", "QuadraticStory"]
__all__ += ["RaceStory", "SurfaceStory", "n", "steps"]


class LineFitStory:
    """A line fitted by gradient descent: the loss falls towards least squares.

    Loss numbers in the moments and the verdict are written as the loss readout
    and the loss plot's floor write them, so the words match the screen.
    """

    # The captions, in the lesson's words for what the scene draws: the line
    START = "The first guess is far off: its loss is high."
    STEPS = "Each step goes against the gradient."
    DONE = "The loss is at its minimum, to the digits shown."
    FALLS = "Steps shrink as the gradient shrinks."
    # The least loss as the screen names it; the loss once there, to its decimals
    # (the model is only near least squares: its gradient, on screen, is not 0)
    LEAST, AT_LEAST = "the minimum", "the minimum{}"

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.floor = quadratic_form(trace)[2]

    def shown_loss(self, step: int) -> str:
        """The loss on all points at `step`, as the loss readout writes it."""
        return as_shown(np.asarray(self.trace.full_loss, dtype=np.float64), step)

    def loss_at(self, step: int) -> float:
        """The loss on all points at `step`, or at the run's last step if it stopped
        sooner (a diverging run shown beside one that went a step further)."""
        return float(self.trace.full_loss[min(step, self.trace.n_steps)])

    def opening(self) -> str:
        trace = self.trace
        return (
            f"Start: a = {point(trace.params[0])}, loss {n(trace.full_loss[0])}, "
            f"learning rate {format_lr(trace.learning_rate)}."
        )

    def first_steps(self, end: int) -> str:
        return (
            "Each step moves a against the gradient of the loss: "
            f"after {steps(end)} the loss is {n(self.loss_at(end))}."
        )

    def replay(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end}: the loss goes from {n(self.loss_at(start))} "
            f"to {n(self.loss_at(end))}."
        )

    def moments(self) -> list[Moment]:
        step = self.arrival()
        if step is None:
            return []
        return [
            Moment(
                step,
                f"At step {step} the loss, {self.shown_loss(step)}, is within 1% of "
                f"{self.LEAST} {floor_label(self.floor)}.",
                "Loss within 1% of its minimum.",
            )
        ]

    def fast_forward(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end} change almost nothing you can see: "
            f"the loss only goes from {n(self.loss_at(start))} to {n(self.loss_at(end))}."
        )

    def verdict(self) -> str:
        trace = self.trace
        last = trace.n_steps
        if trace.diverged_at is not None:
            return (
                f"Diverged at step {trace.diverged_at}: "
                f"learning rate {format_lr(trace.learning_rate)} is too high."
            )
        loss, floor = self.shown_loss(last), floor_label(self.floor)
        if loss == floor:
            at_least = self.AT_LEAST.format(to_decimals(loss))
            return f"Loss {loss}: {at_least}."  # the step counter says when
        if self.reached():
            return (
                f"After {steps(last)}: loss {loss}, within 1% of {self.LEAST} {floor}."
            )
        return f"After {steps(last)}: loss {loss}; {self.LEAST} is {floor}."

    def caption(self, beat: str, start: int, end: int) -> str:
        trace = self.trace
        if beat == "opening":
            return self.START
        if beat == "first steps":
            return self.STEPS
        if beat == "replay":
            falls = self.loss_at(end) < self.loss_at(start)
            return self.FALLS if falls else "The loss grows."
        if beat == "fast forward":
            return STEADY
        if trace.diverged_at is not None:
            return "Diverged: the learning rate is too high."
        if not self.reached():
            return "Not at the minimum yet."
        at_floor = self.shown_loss(trace.n_steps) == floor_label(self.floor)
        return self.DONE if at_floor else "The loss is close to its minimum."

    def reached(self) -> bool:
        """Whether the run ends within 1% of the least-squares loss."""
        return bool(self.trace.full_loss[-1] <= (1 + NEAR_FLOOR) * self.floor)

    def arrival(self) -> int | None:
        """The first step within 1% of the least-squares loss, if the run gets there."""
        loss = self.trace.full_loss
        step = first_step_where(loss <= (1 + NEAR_FLOOR) * self.floor)
        return step if step else None

    def outcome(self) -> str:
        """What the run did, in a few words."""
        if self.trace.diverged_at is not None:
            return "diverges"
        return "reaches the minimum" if self.arrival() else "is still on its way"

    def headline(self) -> npt.NDArray[np.float64]:
        return np.asarray(self.trace.full_loss, dtype=np.float64)


class LandscapeStory(LineFitStory):
    """The same run told as a walk over the loss contours: each line a point."""

    START = "The first guess is one point, far off."
    STEPS = "Each step crosses its contour at right angles."
    FALLS = "The point heads for the minimum."
    DONE = "The point now sits on the minimum's cross."


class SurfaceStory(LineFitStory):
    """The same run told on the loss surface: a point walking down a bowl, no line."""

    START = "The first guess sits high on the bowl."
    STEPS = "Each step goes downhill."
    DONE = "The point has reached the bottom of the bowl."
    LEAST, AT_LEAST = "the bottom", "at the bottom of the bowl"


# A share of the data said in words where it reads as one (a tenth)
SHARES = {2: "half", 3: "a third", 4: "a quarter", 5: "a fifth", 10: "a tenth"}
NEARLY = 1.1  # "nearly as low": within this factor of the other run's loss
FALLS = "; the loss on all points falls."  # what the replay shows while batches jump


class MinibatchStory(LineFitStory):
    """SGD, epochs of random batches, judged against full-batch GD (`full_batch`)."""

    CHARS = 10  # the loss readouts' width: the verdict writes losses to their decimals

    def __init__(self, trace: Trace, full_batch: Trace | None = None) -> None:
        super().__init__(trace)
        self.full_batch = full_batch

    def opening(self) -> str:
        trace = self.trace
        return (
            f"Start: a = {point(trace.params[0])}, loss {n(trace.full_loss[0])}. "
            f"Each step uses a random batch of {trace.meta['batch_size']} of the "
            f"{len(trace.y)} points."
        )

    def first_steps(self, end: int) -> str:
        return (
            "Each step follows the gradient of its batch's loss only: "
            f"after {steps(end)} the loss on all points is {n(self.loss_at(end))}."
        )

    def moments(self) -> list[Moment]:
        trace = self.trace
        per_epoch = int(trace.meta["batches_per_epoch"])  # type: ignore[arg-type]
        if not 0 < per_epoch < trace.n_steps:
            return []
        moments = [
            Moment(
                per_epoch,
                f"Step {per_epoch} ends epoch 1: every one of the {len(trace.y)} "
                f"points has been in exactly one batch. Loss {self.shown_loss(per_epoch)}.",
                "Epoch 1 done: each point used once.",
            )
        ]
        # from the first step whose batch dips below the least loss on all points: the
        # caption says so as the dip is drawn
        dips = np.flatnonzero(np.asarray(trace.loss[:-1]) < self.floor)
        turn = int(dips[0]) if dips.size else 0
        if turn > per_epoch:
            lowest, batch = int(np.argmin(trace.loss[:-1])), trace.meta["batch_size"]
            moments.append(
                Moment(
                    turn,
                    f"Some batches' losses fall below the all-points minimum "
                    f"{floor_label(self.floor)}, the first at step {dips[0]}, the "
                    f"lowest {n(trace.loss[lowest])} at step {lowest}: that minimum "
                    f"is over all {len(trace.y)} points, and a line can fit "
                    f"{batch} of them better.",
                    f"A batch's loss can dip below the {len(trace.y)}-point minimum.",
                    held=False,
                )
            )
        return moments

    def compared(self) -> tuple[str, str] | None:
        """The loss on all points after the last step, as the readout writes it, and
        full-batch gradient descent's after as many, to as many decimals; None when
        there is no such comparison (no full-batch run, a different length, a batch
        of every point, a diverged run)."""
        trace, full = self.trace, self.full_batch
        if (
            full is None
            or full.n_steps != trace.n_steps
            or int(trace.meta["batch_size"]) >= len(trace.y)  # type: ignore[arg-type]
            or trace.diverged_at is not None
            or full.diverged_at is not None
        ):
            return None
        losses = [trace.loss[:-1], trace.full_loss, full.full_loss]
        places = clip_decimals(losses, self.CHARS)
        return format_fixed(losses[1][-1], places), format_fixed(losses[2][-1], places)

    def verdict(self) -> str:
        if (losses := self.compared()) is None:
            return super().verdict()
        (mine, full), after = losses, steps(self.trace.n_steps)
        if mine == full:  # the two curves end on top of each other: said plainly
            return f"After {after}: SGD and full-batch GD both at loss {mine}."
        return (
            f"After {after}, SGD's loss on all points {mine}, full-batch GD's {full}."
        )

    def share(self) -> str:
        """How much of the data a batch is: `a tenth of the data`, `7 of 100 points`."""
        size, count = int(self.trace.meta["batch_size"]), len(self.trace.y)  # type: ignore[arg-type]
        if count % size == 0 and count // size in SHARES:
            return f"{SHARES[count // size]} of the data"
        return f"{size} of {count} points"

    def caption(self, beat: str, start: int, end: int) -> str:
        if beat == "opening":
            return "Each step sees a random batch."
        if beat == "first steps":
            return "A step follows its own batch's gradient."
        if beat == "replay":  # epoch 1 shows the batches; later ones their losses
            meta = self.trace.meta
            if start < int(meta["batches_per_epoch"]) < self.trace.n_steps:  # type: ignore[arg-type]
                return f"Each batch: {meta['batch_size']} points not yet used."
            falls = self.trace.full_loss[end] < self.trace.full_loss[start]
            return f"Batch losses jump{FALLS if falls else ' around.'}"
        losses = self.compared()
        if beat == "closing" and losses is not None and self.full_batch is not None:
            mine, full = self.trace.full_loss[-1], self.full_batch.full_loss[-1]
            if losses[0] == losses[1]:
                said = "ends about as low as"
            elif mine < full:
                said = "ends lower than"
            elif mine <= NEARLY * full:
                said = "ends nearly as low as"
            else:
                said = "ends higher than"
            return f"SGD {said} full-batch GD, using {self.share()} per step."
        return super().caption(beat, start, end)
