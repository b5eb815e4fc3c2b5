"""What a scene of several runs on one clock says: each run named, each judged.

`RaceStory` tells runs that go to the same minimum, each at its own settings: which
gets there, and in what order. It claims only what the screen shows: when each
run's loss comes within 1% of the minimum, the step its moment was held on.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

import numpy as np
import numpy.typing as npt

from scenes.numbers import format_lr
from scenes.race_words import (
    NEAR,
    arrival_caption,
    overshoot_low,
    overshoots,
    overtakes_caption,
    rates_caption,
    rates_compared,
)
from scenes.schedule import FIRST_STEPS, Moment, Story
from scenes.words import CAPTION_LINE, STEADY, n, sentence, steps
from sgdcore.trace import Trace


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
        """Each run's loss at `step` (or at its last step), named: `lr 0.4 at 0.16`."""
        parts = []
        for name, trace in zip(self.names, self.traces, strict=True):
            k = min(step, trace.n_steps)
            parts.append(f"{name} at {n(trace.loss[k])}")
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
        notes: dict[int, list[str]] = {}
        captions: dict[int, list[str]] = {}
        for name, story in zip(self.names, self.stories, strict=True):
            for moment in story.moments():
                told = sentence(f"{name}: {lowered(moment.sentence)}")
                notes.setdefault(moment.step, []).append(told)
                said = f"{name}: {lowered(moment.caption)}"
                captions.setdefault(moment.step, []).append(said)
        return [
            Moment(step, " ".join(notes[step]), sentence(" ".join(captions[step])))
            for step in sorted(notes)
        ]

    def fast_forward(self, start: int, end: int) -> str:
        return f"Steps {start} to {end} change nothing you can see; the losses: {self.values(end)}."

    def verdict(self) -> str:
        return self.closing

    def caption(self, beat: str, start: int, end: int) -> str:
        if beat == "opening":
            return "Every run starts at the same point."
        if beat == "first steps":
            return "Watch how each run moves."
        if beat == "replay":
            return "Each run at its own pace."
        if beat == "fast forward":
            return STEADY
        outcomes = [getattr(story, "outcome", lambda: "")() for story in self.stories]
        told = ", ".join(
            f"{name} {outcome}"
            for name, outcome in zip(self.names, outcomes, strict=True)
        )
        if all(outcomes) and len(told) < 2 * CAPTION_LINE:
            return sentence(told)
        return "Compare where each run ends."

    def headline(self) -> npt.NDArray[np.float64]:
        longest = max(trace.n_steps for trace in self.traces) + 1
        rows = []
        for story in self.stories:
            row = story.headline()
            rows.append(np.concatenate([row, np.full(longest - len(row), row[-1])]))
        return np.stack(rows)


def lowered(text: str) -> str:
    """A sentence's first letter in lower case, to follow a name and a colon."""
    return text[:1].lower() + text[1:]


class Arrives(Story, Protocol):
    """A run's story that knows when the run reaches the minimum."""

    def arrival(self) -> int | None:
        """The first step within 1% of the minimum loss, if the run gets there."""
        ...


ZOOMING = "Closing in on the ×."  # from the zooming update: short, as that beat is
STARTS = "All runs start at one point."  # the opening, short: a race takes its time
SAME_RATE = "One rate; only the update rule differs."  # the same, all at one rate
LEADS = 1.25  # a run leaves the start fastest if it has gone this much further


class RaceStory(ManyRunsStory):
    """Runs to the same minimum, each at its own settings: which reach it (their loss
    within 1% of the minimum), and which first; held as each gets there."""

    def __init__(
        self,
        traces: Sequence[Trace],
        names: Sequence[str],
        stories: Sequence[Arrives],
        zoom_step: int | None = None,
    ) -> None:
        """`zoom_step`: the step at which the view zooms in on the finish, if it does."""
        super().__init__(traces, names, stories, "")
        self.arrivals = [story.arrival() for story in stories]
        self.zoom_step = zoom_step

    def opening(self) -> str:
        rates = ", ".join(
            f"{name} lr {format_lr(trace.learning_rate)}"
            for name, trace in zip(self.names, self.traces, strict=True)
        )
        return f"{super().opening()[:-1]}; each at its own learning rate: {rates}."

    def replay(self, start: int, end: int) -> str:
        told = super().replay(start, end)
        if start == FIRST_STEPS:  # the first replay beat, where the rates are told
            told = " ".join([told, *self.rates_compared()])
        said = overshoot_low(self.names, self.traces, self.arrivals, start, end)
        told = " ".join([told, *said])
        if self.zoom_turn() is None and self.zooms(start, end):
            return f"{told} {self.zoom_sentence()}"
        return told

    def zooms(self, start: int, end: int) -> bool:
        """Whether the view zooms in between steps `start` and `end`."""
        return self.zoom_step is not None and start < self.zoom_step <= end

    def zoom_sentence(self) -> str:
        return f"At step {self.zoom_step} the view zooms in on the finish."

    def zoom_turn(self) -> int | None:
        """The step the update that zooms in starts from: a turn, run through under
        its own caption, so that it is said as the view narrows; None if the view
        zooms within the first steps, from a held arrival, or never."""
        if self.zoom_step is None:
            return None
        turn = self.zoom_step - 1
        return None if turn <= FIRST_STEPS or turn in self.arrivals else turn

    def rates_compared(self) -> list[str]:
        """Why the rates differ, or agree (scenes.race_words)."""
        return rates_compared(self.names, self.traces)

    def arrived(self) -> dict[int, list[str]]:
        """The runs that reach the minimum, by the step they get there, first first."""
        by_step: dict[int, list[str]] = {}
        for step, name in zip(self.arrivals, self.names, strict=True):
            if step is not None:
                by_step.setdefault(step, []).append(name)
        return dict(sorted(by_step.items()))

    def moments(self) -> list[Moment]:
        held = {moment.step: moment for moment in super().moments()}
        captions = []
        arrived = self.arrived()
        everyone = sum(map(len, arrived.values())) == len(self.traces)
        for index, (step, names) in enumerate(arrived.items()):
            if index == 0:
                place = "first"
            elif everyone and index == len(arrived) - 1:
                place = "last"
            else:
                place = "next"
            said = arrival_caption(names, place)
            captions.append(Moment(step, held[step].sentence, said))
        turn = self.zoom_turn()
        if turn is not None:
            captions.append(Moment(turn, self.zoom_sentence(), ZOOMING, held=False))
        taken = {moment.step for moment in captions}
        for step, note, said in overshoots(self.names, self.traces, self.arrivals):
            if step > FIRST_STEPS and step not in taken:
                captions.append(Moment(step, note, said))
                taken.add(step)
        return sorted(captions, key=lambda moment: moment.step)

    def gathers_speed(self, step: int) -> str:
        """The runs whose every step up to `step` is longer than the one before, as
        momentum's are while its velocity builds up ("" if none); said to start
        slowest if it is the one whose loss at `step` is the highest."""
        growing, losses = [], []
        for name, trace in zip(self.names, self.traces, strict=True):
            moves = np.diff(trace.params[: min(step, trace.n_steps) + 1], axis=0)
            lengths = np.linalg.norm(moves, axis=1)
            losses.append(float(trace.full_loss[min(step, trace.n_steps)]))
            if len(lengths) > 1 and bool(np.all(np.diff(lengths) > 0)):
                growing.append(name)
        if not growing:
            return ""
        if growing == [self.names[int(np.argmax(losses))]]:
            return sentence(f"{growing[0]} starts slowest and speeds up")
        verb = "gathers" if len(growing) == 1 else "gather"
        return sentence(f"{' and '.join(growing)} {verb} speed")

    def leaves_first(self, step: int) -> str:
        """Which run has gone furthest from the start by `step` (one that flew off
        counts as furthest), if clearly (LEADS) further than the others."""
        gone = []
        for trace in self.traces:
            moved = trace.params[min(step, trace.n_steps)] - trace.params[0]
            gone.append(float(np.nan_to_num(np.linalg.norm(moved), posinf=np.inf)))
        first, second = np.argsort(gone)[::-1][:2]
        if gone[first] > LEADS * gone[second]:
            return sentence(f"{self.names[first]} leaves the start fastest")
        return "The runs leave the start about as fast."

    @staticmethod
    def be(names: Sequence[str]) -> str:
        return "is" if len(names) == 1 else "are"

    def verdict(self) -> str:
        """Which run's loss comes within 1% of the minimum first, and at which step:
        the criterion the moments were held on, said outright."""
        arrived = self.arrived()
        if not arrived:
            if all(trace.diverged_at is not None for trace in self.traces):
                return "Every run diverges."
            last = max(trace.n_steps for trace in self.traces)
            return f"After {steps(last)} no run is within {NEAR} of the minimum."
        step, names = next(iter(arrived.items()))
        # the loss is what comes near the minimum, not the run's parameters; and it
        # says what happened in this race, not which optimiser is faster
        first = "" if len(self.traces) == 1 else " first"
        return sentence(
            f"{' and '.join(names)} {self.be(names)}{first} within {NEAR} of the"
            f" minimum loss, at step {step}"
        )

    def own_rates(self) -> bool:
        """Whether the runs train at learning rates of their own."""
        return len({trace.learning_rate for trace in self.traces}) > 1

    def caption(self, beat: str, start: int, end: int) -> str:
        if beat == "opening":
            return STARTS
        if beat == "replay" and self.zooms(start, end):
            return ZOOMING
        if beat == "replay":
            # what the losses do over the beat, else why the rates are as they are
            said = overtakes_caption(self.names, self.traces, int(start), int(end))
            shared = not self.own_rates()
            rates = SAME_RATE if shared else rates_caption(self.names, self.traces)
            return said or rates
        if beat == "first steps" and len(self.traces) > 1:
            return self.gathers_speed(end) or self.leaves_first(end)
        if beat != "closing":
            return super().caption(beat, start, end)
        # the takeaway; the verdict on screen carries the step
        arrived = self.arrived()
        if not arrived or sum(map(len, arrived.values())) < len(self.traces):
            return "Compare where each run ends."
        first = " and ".join(firsts := next(iter(arrived.values())))
        if self.own_rates():  # an order at rates picked by hand: of those rates
            return f"At these hand-picked rates, {first} {self.be(firsts)} first."
        told = sentence(
            f"Every run gets within {NEAR} of the minimum loss; {first} first"
        )
        return told if len(told) <= 2 * CAPTION_LINE - 4 else "Compare the runs."
