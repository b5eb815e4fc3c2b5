"""What lr_compare says while its runs move: how far each run's steps take it.

Each run on f(w) = c·(w − w*)² is judged by its distance to the minimum, |w − w*|:
over the first steps, how much of it a run covers (or whether it jumps past w*);
over a replay, whether it still crawls, closes in, stays at the minimum or swings
farther out. The captions name the runs by their learning rates, in the runs' order.
"""

from __future__ import annotations

import textwrap
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt

from scenes.many_runs_story import ManyRunsStory
from scenes.parabola_geometry import minimum_of
from scenes.quadratic_story import QuadraticStory
from scenes.words import CAPTION_LINE, NEAR_FLOOR, TOO_LOW_FACTOR, sentence
from sgdcore.trace import Trace

BARELY = 0.1  # covering less than a tenth of the distance is barely moving
MOST = 0.5  # covering half the distance or more is most of the way
# within NEAR_FLOOR of the starting loss is within √NEAR_FLOOR of the distance
ARRIVED = float(np.sqrt(NEAR_FLOOR))
CAPTION_LINES = 2
# how a run's steps read, from its w − w* at each of them and its starting distance
PhraseOf = Callable[[npt.NDArray[np.float64], float], str]


class LrCompareStory(ManyRunsStory):
    """Runs at several learning rates on one quadratic, on one clock."""

    def __init__(
        self,
        traces: Sequence[Trace],
        names: Sequence[str],
        stories: Sequence[QuadraticStory],
        verdict: str,
    ) -> None:
        super().__init__(traces, names, stories, verdict)
        self.quadratics = stories

    def values(self, step: int) -> str:
        """Each run's f(w) at `step` (or its last), as its readout writes it."""
        parts = []
        for name, trace, story in zip(
            self.names, self.traces, self.quadratics, strict=True
        ):
            parts.append(f"{name} at {story.f_at(min(step, trace.n_steps))}")
        return ", ".join(parts)

    def caption(self, beat: str, start: int, end: int) -> str:
        if beat == "first steps":
            # the later first steps keep the caption of the moment held before them
            return self.told(self.first_moves, 0, end) if start == 0 else ""
        if beat == "replay":
            return self.told(self.paces, start, end)
        return super().caption(beat, start, end)

    def told(self, phrase_of: PhraseOf, start: int, end: int) -> str:
        """Every run's phrase over steps `start` to `end`, named, in a caption's two
        lines; else the first run's and the last's (the slowest and the fastest)."""
        said = []
        for name, trace in zip(self.names, self.traces, strict=True):
            offsets = offsets_of(trace)
            last = trace.n_steps
            steps = offsets[min(start, last) : min(end, last) + 1]
            if len(steps) < 2:  # a shorter run, over before these steps
                said.append(f"{name} has stopped")
                continue
            said.append(f"{name} {phrase_of(steps, abs(float(offsets[0])))}")
        for caption in (", ".join(said), " while ".join([said[0], said[-1]])):
            if fits_caption(sentence(caption)):
                return sentence(caption)
        return "Compare how far each run has come."

    @staticmethod
    def first_moves(steps: npt.NDArray[np.float64], first: float) -> str:
        """How far a run's first steps take it towards the minimum (an overshoot's
        size is its moment's to say)."""
        span = np.abs(steps)
        if crossed(steps):
            return "jumps past the minimum"
        if not np.isfinite(span).all() or span[-1] > span[0]:
            return "moves away"
        if span[0] <= ARRIVED * first:
            return "stays at the minimum"
        left = span[-1] / span[0]
        if left <= ARRIVED:
            return "reaches the minimum"
        if left > 1 - BARELY:
            return "barely moves"
        return "gets most of the way" if left <= 1 - MOST else "gets part of the way"

    @staticmethod
    def paces(steps: npt.NDArray[np.float64], first: float) -> str:
        """What a run does over a replay's steps: `first`, its starting distance."""
        span = np.abs(steps)
        if not np.isfinite(span).all() or span[-1] > span[0]:
            return "swings farther out" if crossed(steps) else "runs away"
        if span[0] <= ARRIVED * first:
            return "stays at the minimum"
        if span[-1] <= ARRIVED * first:
            return "reaches the minimum"
        if crossed(steps):
            return "zigzags in"
        per_step = (span[-1] / span[0]) ** (1 / (len(span) - 1))
        return "still crawls" if per_step > TOO_LOW_FACTOR else "closes in"


def offsets_of(trace: Trace) -> npt.NDArray[np.float64]:
    """w − w* at every recorded step, signed: a change of sign crosses the minimum."""
    return np.asarray(trace.params[:, 0], dtype=np.float64) - minimum_of(trace)


def crossed(offsets: npt.NDArray[np.float64]) -> bool:
    """Whether w changes sides of the minimum within these steps."""
    signs = np.sign(offsets[np.isfinite(offsets)])
    return bool((signs[1:] * signs[:-1] < 0).any())


def fits_caption(text: str) -> bool:
    """Whether `text` wraps into a caption's lines."""
    return len(textwrap.wrap(text, CAPTION_LINE)) <= CAPTION_LINES
