"""What a clip is made of: beats, each with its caption and speaker note, and the
moments and stories that fill them (planned by scenes/schedule.py).

Plain Python and numpy, so a schedule is built and tested without rendering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

# Captions: planned at this many characters a second (students read up to about
# 17 comfortably; the plan leaves room), each cue at least this long
READING_SPEED = 14.0
MIN_CUE_SECONDS = 1.2
# The headline quantity's whole change is spread over at least this much screen time,
# step by step in proportion to how much each step changes it: where the learning
# happens, the clip slows down (the middle 80% of the change takes at least 3.2 s).
HEADLINE_SECONDS = 4.0


def reading_seconds(caption: str) -> float:
    """How long `caption` must stay on screen to be read: 0 for no caption."""
    if not caption:
        return 0.0
    return max(MIN_CUE_SECONDS, len(caption) / READING_SPEED)


@dataclass(frozen=True)
class Moment:
    """A step worth holding on: the speaker note that says why, and its caption.

    One not `held` is a turn: the replay runs through it without stopping, and the
    stretch from it on is said in its words (its caption, its note first). One
    `led_in` says its caption from the start of the steps that lead to it (a new
    drawing growing), the hold after them as long as the rest takes to read.
    """

    step: int
    sentence: str
    caption: str = ""
    held: bool = True
    led_in: bool = False


class Story(Protocol):
    """What a scene says at each beat: speaker notes built from its trace's numbers
    (these methods), a caption for each beat, and the quantity the clip is about."""

    def opening(self) -> str:
        """The starting state."""
        ...

    def first_steps(self, end: int) -> str:
        """Steps 0 to `end`, shown slowly."""
        ...

    def replay(self, start: int, end: int) -> str:
        """Steps `start` to `end`, at the pace that follows change."""
        ...

    def moments(self) -> list[Moment]:
        """The steps to hold on, in order."""
        ...

    def fast_forward(self, start: int, end: int) -> str:
        """Steps `start` to `end`, which move nothing visibly."""
        ...

    def verdict(self) -> str:
        """The closing line."""
        ...

    def caption(self, beat: str, start: int, end: int) -> str:
        """The caption of a beat (`opening`, `first steps`, `replay`, `fast forward`,
        `closing`) over steps `start` to `end`: a short sentence, no strings of numbers."""
        ...

    def headline(self) -> npt.NDArray[np.float64]:
        """The quantity the clip is about, per recorded step: shape (n_steps + 1,),
        or (runs, n_steps + 1) for several runs on one clock (shorter runs padded
        with their last value)."""
        ...


@dataclass(frozen=True)
class Beat:
    """One stretch of the clip: the clock moves from `start` to `end` (or holds)."""

    name: str  # intro, opening, first steps, replay, moment, fast forward, closing
    start: float  # the step clock at the beat's start
    end: float  # ... and at its end; equal for a hold
    frames: int  # how long, in whole frames
    sentence: str  # the speaker note
    caption: str = ""  # "": the caption before it stays on screen
    # For a moving beat: the time fraction (0..1) at which each whole step between
    # start and end is reached, start and end included; the clock moves linearly
    # between them.
    step_times: tuple[float, ...] = ()

    @property
    def moves(self) -> bool:
        """Whether the clock moves during this beat."""
        return self.end != self.start

    def position(self, alpha: float) -> float:
        """The fraction of the way from start to end at time fraction `alpha`."""
        if not self.moves:
            return 0.0
        steps = np.arange(len(self.step_times), dtype=np.float64)
        value = float(np.interp(alpha, self.step_times, steps))
        return value / (len(self.step_times) - 1)


@dataclass(frozen=True)
class Schedule:
    """The beats of a clip, in order, at `fps` frames per second."""

    beats: tuple[Beat, ...]
    fps: float

    @property
    def frames(self) -> int:
        """Frames in the whole clip."""
        return sum(beat.frames for beat in self.beats)

    @property
    def seconds(self) -> float:
        """The clip's length."""
        return self.frames / self.fps

    def starts(self) -> list[float]:
        """Each beat's start time, in seconds."""
        edges = np.cumsum([0, *(beat.frames for beat in self.beats)])
        return [float(edge) / self.fps for edge in edges[:-1]]

    def captions(self) -> list[str]:
        """Each beat's caption as shown: a beat without one shows the one before."""
        shown: list[str] = []
        for beat in self.beats:
            shown.append(beat.caption or (shown[-1] if shown else ""))
        return shown

    def cues(self) -> list[tuple[float, float, str]]:
        """(start, end, caption) in seconds: a caption stays until the next one."""
        cues: list[tuple[float, float, str]] = []
        starts = self.starts()
        for beat, start, caption in zip(
            self.beats, starts, self.captions(), strict=True
        ):
            end = start + beat.frames / self.fps
            if cues and cues[-1][2] == caption:
                cues[-1] = (cues[-1][0], end, caption)
            elif caption:
                cues.append((start, end, caption))
        return cues

    def time_at(self, step: float) -> float:
        """When the clock first reaches `step`, in seconds from the clip's start."""
        for beat, start in zip(self.beats, self.starts(), strict=True):
            if beat.moves and beat.start <= step <= beat.end:
                steps = np.arange(len(beat.step_times), dtype=np.float64) + beat.start
                alpha = float(np.interp(step, steps, beat.step_times))
                return start + alpha * beat.frames / self.fps
        if step <= 0:
            return self.starts()[0]
        return self.seconds


def frame_position(beat: Beat, alpha: float) -> float:
    """How far through a moving beat (0..1) its frame at time fraction `alpha` is.

    Manim draws a beat's frames at alpha = i / (frames − 0.5), i = 0 .. frames − 1;
    frame i shows the clock where the beat's timing has it one frame later, so the
    beat's last frame stands on its end step (the plot and every readout then show
    the same step, at the beat's boundary) and its first has moved on from the
    previous beat's last.
    """
    frame = round(alpha * (beat.frames - 0.5))  # a whole frame, give or take ulps
    return beat.position(min(1.0, (frame + 1.0) / beat.frames))


def frame_steps(beat: Beat) -> list[float]:
    """The step clock on each frame of `beat`, as `play_beat` draws them."""
    if not beat.moves:
        return [beat.start] * beat.frames
    span = beat.end - beat.start
    return [
        beat.start + span * frame_position(beat, i / (beat.frames - 0.5))
        for i in range(beat.frames)
    ]
