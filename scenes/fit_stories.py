"""What the curve-fitting scenes say: sentences from the losses (fits are judged in
scenes/fit_verdicts.py).

A polynomial run records its training loss (`full_loss`, on the training points) and
its validation loss (`valid_loss`, on the held-out points) at every step; every
judgement here compares those numbers, and every sentence quotes them.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from scenes.fit_verdicts import LEVEL, final_losses, judge, noise_floor
from scenes.numbers import format_lr
from scenes.schedule import Moment
from scenes.words import CAPTION_LINE, STEADY, capital, n, sentence, steps
from sgdcore.trace import Trace

# A polynomial keeps changing shape for a hundred steps, not ten: the replay slows
# down its opening steps over about this many (scenes.schedule.RAMP_STEPS)
CURVE_RAMP_STEPS = 3.0


def losses(trace: Trace, step: int) -> str:
    """`training loss 0.04, validation loss 0.07` at `step` (or the run's last)."""
    k = min(step, trace.n_steps)
    return (
        f"training loss {n(trace.full_loss[k])}, "
        f"validation loss {n(trace.valid_loss[k])}"
    )


def weight_decay(trace: Trace) -> float:
    """The run's weight decay (0: none)."""
    value = trace.meta.get("weight_decay", 0)
    return float(value) if isinstance(value, int | float) else 0.0


SUPERSCRIPTS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def decay_rule(trace: Trace) -> str:
    """How the run's weight decay is written: `0.02`, or `0.002·k² on xᵏ` when it
    grows with the degree k of the term it pulls (`""`: none)."""
    decay = weight_decay(trace)
    if not decay:
        return ""
    power = trace.meta.get("decay_power", 0)
    power = power if isinstance(power, int) else 0
    if not power:
        return format_lr(decay)
    exponent = "" if power == 1 else str(power).translate(SUPERSCRIPTS)
    return f"{format_lr(decay)}·k{exponent} on xᵏ"


def best_step(trace: Trace) -> int:
    """The step whose validation loss is lowest (the first, on a tie)."""
    return int(np.argmin(trace.valid_loss))


class EarlyStoppingStory:
    """One flexible model trained for long: the validation loss bottoms out, turns up."""

    def __init__(self, trace: Trace) -> None:
        self.trace = trace
        self.best = best_step(trace)

    def opening(self) -> str:
        degree = self.trace.meta["degree"]
        return f"Start: a flat polynomial of degree {degree}; {losses(self.trace, 0)}."

    def first_steps(self, end: int) -> str:
        return f"After {steps(end)}: {losses(self.trace, end)}."

    def replay(self, start: int, end: int) -> str:
        return f"Steps {start} to {end}: {losses(self.trace, end)}."

    def moments(self) -> list[Moment]:
        trace, best = self.trace, self.best
        if best in (0, trace.n_steps):
            return []
        note = (
            f"Step {best}: the lowest validation loss so far, "
            f"{n(trace.valid_loss[best])}. Early stopping keeps this model and trains "
            "on a while, to see whether a later step beats it. None does: from here "
            "the model learns the noise in the training points."
        )
        return [Moment(best, note, "Lowest validation loss so far: keep this model.")]

    def fast_forward(self, start: int, end: int) -> str:
        return f"Steps {start} to {end} change little you can see: {losses(self.trace, end)}."

    def verdict(self) -> str:
        said = " ".join(self.verdict_lines())
        return f"{said} {self.footnote()}".strip()

    def footnote(self) -> str:
        """Under the verdict: the kept model was chosen on the validation points,
        so its score there flatters it ("" if none is kept)."""
        if self.best == self.trace.n_steps:
            return ""
        return "Picked on validation: score it on a test set."

    def verdict_lines(self) -> list[str]:
        """The closing sentence in the lines a lecturer would pause at: which model
        to keep, and why (its validation loss against the last step's)."""
        trace, best = self.trace, self.best
        last = trace.n_steps
        if best == last:
            return [f"After {steps(last)}: {losses(trace, last)}, still falling."]
        return [
            f"Keep step {best}'s model: its",
            f"validation loss, {n(trace.valid_loss[best])},",
            f"beats {n(trace.valid_loss[last])} at step {last}.",
        ]

    def caption(self, beat: str, start: int, end: int) -> str:
        if beat == "opening":
            return "A flexible model, trained long."
        if beat == "first steps":
            return "Both losses fall at first."
        if beat == "replay":
            if end <= self.best:
                return "Both losses fall."
            return "Training falls; validation stalls, then rises."
        if beat == "fast forward":
            return STEADY
        if self.best == self.trace.n_steps:
            return "Still improving: no need to stop."
        return f"Step {self.best}'s model is the better one on validation."

    def headline(self) -> npt.NDArray[np.float64]:
        return np.stack([self.trace.valid_loss, self.trace.full_loss])


def validation_turns(trace: Trace, name: str) -> Moment | None:
    """The step where `trace`'s validation loss is lowest, if it climbs after it."""
    best = best_step(trace)
    if best in (0, trace.n_steps):
        return None
    return Moment(
        best,
        f"Step {best}: {name}, the validation loss is at its lowest, "
        f"{n(trace.valid_loss[best])}; from here it climbs as the model learns the "
        "noise in the training points.",
        f"{capital(name)}: validation loss at its lowest here.",
    )


class ComparedFitsStory:
    """Several models on the same points, one clock: each named, each judged."""

    def __init__(
        self,
        traces: list[Trace],
        names: list[str],
        closing: str,
        setup: str = "",
        turn: Moment | None = None,
        climb: str = "",
        during: str = "Training loss falls for every model.",
        ending: str = "",
    ) -> None:
        """`setup`: what the opening note says first; `turn`: a step to hold on, and
        `climb` the caption of the replay after it; `during`: the replay's caption;
        `ending`: the verdict's caption (if "", one comparing the runs)."""
        self.traces, self.names, self.closing = traces, names, closing
        self.setup, self.turn, self.climb = setup, turn, climb
        self.during, self.ending = during, ending

    def values(self, step: int, which: str = "training") -> str:
        """Each model's training (or validation) loss at `step`, named:
        `degree 5 at 0.04509`."""
        series = "full_loss" if which == "training" else "valid_loss"
        return ", ".join(
            f"{name} at {n(getattr(trace, series)[min(step, trace.n_steps)])}"
            for name, trace in zip(self.names, self.traces, strict=True)
        )

    def opening(self) -> str:
        return self.setup + (
            "Start: every model flat at 0; training losses "
            f"{self.values(0)}; validation losses {self.values(0, 'validation')}."
        )

    def first_steps(self, end: int) -> str:
        return f"After {steps(end)}, the training losses: {self.values(end)}."

    def replay(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end}: training losses {self.values(end)}; "
            f"validation losses {self.values(end, 'validation')}."
        )

    def moments(self) -> list[Moment]:
        return [] if self.turn is None else [self.turn]

    def fast_forward(self, start: int, end: int) -> str:
        return (
            f"Steps {start} to {end} change little you can see; validation "
            f"losses {self.values(end, 'validation')}."
        )

    def verdict(self) -> str:
        return self.closing

    def caption(self, beat: str, start: int, end: int) -> str:
        if beat == "opening":
            return "Every model starts flat at zero."
        if beat == "first steps":
            return "Each model moves towards the points."
        if beat == "replay":
            if self.turn is not None and self.climb and start >= self.turn.step:
                return self.climb
            return self.during
        if beat == "fast forward":
            return STEADY
        if self.ending:
            return self.ending
        decays = {weight_decay(trace) for trace in self.traces}
        if len(decays) > 1:  # the same model with and without weight decay
            plain, *decayed = sorted(self.traces, key=weight_decay)
            ends = [final_losses(t)[1] for t in decayed]
            # the decay as the decayed panel names it; one run, so "here"
            pairs = zip(self.names, self.traces, strict=True)
            name = max(pairs, key=lambda pair: weight_decay(pair[1]))[0]
            stopped = float(plain.valid_loss.min())
            if all(end < (1 - LEVEL) * stopped for end in ends):
                return f"Here, {name} beats even stopping early."
            if all(end <= (1 + LEVEL) * stopped for end in ends):
                return f"Here, {name} does as well as stopping early."
            if all(end < final_losses(plain)[1] for end in ends):
                return f"Here, {name} lowers the validation loss."
            return f"Here, {name} does not help."
        floor = noise_floor(self.traces)
        judged = "; ".join(
            f"{name} {judge(trace, floor)}"
            for name, trace in zip(self.names, self.traces, strict=True)
        )
        if len(judged) < 2 * CAPTION_LINE:
            return sentence(judged)
        return "Compare the validation losses."

    def headline(self) -> npt.NDArray[np.float64]:
        rows = [trace.full_loss for trace in self.traces]
        rows += [trace.valid_loss for trace in self.traces]
        return np.stack(rows)
