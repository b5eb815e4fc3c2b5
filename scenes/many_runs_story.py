"""What a scene of several runs on one clock says: each run named, each judged."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from scenes.schedule import Moment, Story
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
        notes: dict[int, list[str]] = {}
        captions: dict[int, list[str]] = {}
        for name, story in zip(self.names, self.stories, strict=True):
            for moment in story.moments():
                notes.setdefault(moment.step, []).append(f"{name}: {moment.sentence}")
                said = moment.caption[:1].lower() + moment.caption[1:]
                captions.setdefault(moment.step, []).append(f"{name}: {said}")
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
        arrivals = [getattr(story, "arrival", lambda: None)() for story in self.stories]
        reached = [
            (step, name)
            for step, name in zip(arrivals, self.names, strict=True)
            if step
        ]
        if reached:
            return f"First to the minimum: {min(reached)[1]}."
        return "No run reaches the minimum yet."

    def headline(self) -> npt.NDArray[np.float64]:
        longest = max(trace.n_steps for trace in self.traces) + 1
        rows = []
        for story in self.stories:
            row = story.headline()
            rows.append(np.concatenate([row, np.full(longest - len(row), row[-1])]))
        return np.stack(rows)
