"""The beats of a lecture clip: which steps play when, for how long, and what is said.

Plain Python and numpy, so a schedule is planned and tested without rendering. The
plan follows how a lecturer shows a run:

- an opening that shows the starting state and holds it;
- the first steps slowly, one at a time;
- then time that follows change: a step gets screen time in proportion to how far it
  moves things, between the scene's full pace and the slow first steps;
- held moments where the point is made (the first overshoot, say);
- once steps move nothing visibly, one short fast-forward that says so;
- a closing verdict, held.

Every beat lasts a whole number of frames and carries one sentence, so captions,
speaker notes and slide breaks line up with the video exactly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

INTRO_SECONDS = 1.2  # the title, then the axes and data appear (at most 1.5 s)
OPENING_HOLD = 1.6  # the starting state, held while the lecturer says what it is
FIRST_STEPS = 3  # shown one at a time, slowly
MAX_SLOW_STEPS = (
    12  # a scene may ask for more slow steps (a first epoch), not past this
)
FIRST_STEP_SECONDS = 0.9  # each (at least 0.8 s)
MOMENT_HOLD = 1.2  # on a telling step (at least 1 s)
CLOSING_HOLD = 2.0  # the verdict
FAST_FORWARD_SECONDS = 1.0  # the most the invisible tail of a run may take
# A step that moves nothing by this much (scene units; 0.25 px at 1080p, where one
# unit is 135 px) counts as invisible.
INVISIBLE = 0.25 / 135
# Screen time follows change: this many scene units of motion per second at most,
# so big early steps are slow enough to follow and small late ones fly by.
EYE_SPEED = 2.0
# The longest a step may take halves every RAMP_STEPS steps after the slow ones: a
# line fit's action is over in ten steps; a scene whose run keeps changing shape
# for a hundred (a polynomial's wiggles) ramps more slowly.
RAMP_STEPS = 3.0


@dataclass(frozen=True)
class Moment:
    """A step worth holding on, and the sentence that says why."""

    step: int
    sentence: str


class Story(Protocol):
    """What a scene says at each beat, in sentences built from its trace's numbers."""

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


@dataclass(frozen=True)
class Beat:
    """One stretch of the clip: the clock moves from `start` to `end` (or holds)."""

    name: str  # intro, opening, first steps, replay, moment, fast forward, closing
    start: float  # the step clock at the beat's start
    end: float  # ... and at its end; equal for a hold
    frames: int  # how long, in whole frames
    sentence: str
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

    def cues(self) -> list[tuple[float, float, str]]:
        """(start, end, sentence) in seconds; a beat repeating the last sentence joins it."""
        cues: list[tuple[float, float, str]] = []
        for beat, start in zip(self.beats, self.starts(), strict=True):
            end = start + beat.frames / self.fps
            if cues and cues[-1][2] == beat.sentence:
                cues[-1] = (cues[-1][0], end, beat.sentence)
            elif beat.sentence:
                cues.append((start, end, beat.sentence))
        return cues


def whole_frames(seconds: float, fps: float) -> int:
    """`seconds` as a whole number of frames, at least one."""
    return max(1, round(seconds * fps))


def step_seconds(
    motion: npt.NDArray[np.float64],
    pace: float,
    slow_steps: int = FIRST_STEPS,
    ramp_steps: float = RAMP_STEPS,
) -> npt.NDArray[np.float64]:
    """Screen time of each update: the first `slow_steps` slowly, then by its motion.

    Bounded below by the full pace (`pace` steps a second) and above by a ramp that
    starts at FIRST_STEP_SECONDS and halves every `ramp_steps` steps, so the pace
    rises smoothly from the slow opening steps to full speed.
    """
    n = len(motion)
    fastest = 1.0 / pace
    index = np.arange(n, dtype=np.float64)
    ramp = FIRST_STEP_SECONDS * 0.5 ** (
        np.maximum(index - slow_steps + 1, 0) / ramp_steps
    )
    seconds = np.clip(motion / EYE_SPEED, fastest, np.maximum(ramp, fastest))
    seconds[: min(slow_steps, n)] = max(FIRST_STEP_SECONDS, fastest)
    return seconds


def moving_beat(
    name: str,
    start: int,
    end: int,
    seconds: npt.NDArray[np.float64],
    fps: float,
    sentence: str,
) -> Beat:
    """The clock from step `start` to `end`, each step taking its `seconds`."""
    times = np.concatenate([[0.0], np.cumsum(seconds[start:end])])
    total = float(times[-1])
    return Beat(
        name,
        float(start),
        float(end),
        whole_frames(total, fps),
        sentence,
        tuple(float(t) for t in times / total),
    )


def plan(
    motion: Sequence[float] | npt.NDArray[np.float64],
    story: Story,
    pace: float,
    fps: float,
    intro: bool = True,
    slow_steps: int = FIRST_STEPS,
    ramp_steps: float = RAMP_STEPS,
) -> Schedule:
    """The clip's beats for a run whose update k moves things `motion[k]` scene units.

    Parameters
    ----------
    motion
        Shape (n_steps,): the largest distance anything that shows the run moves
        during each update, in scene units.
    story
        The sentences and the moments to hold on.
    pace
        Full speed, in steps per second (`--pace`).
    fps
        Frames per second of the clip.
    intro
        Whether the title, axes and data appear with an animation (False: they are
        on screen from the first frame).
    slow_steps
        How many updates go at the slow opening pace (the first epoch, say).
    ramp_steps
        How many steps it takes the longest a step may last to halve, after those.
    """
    moves = np.asarray(motion, dtype=np.float64)
    moves = np.where(np.isfinite(moves), moves, 1.0)  # a runaway step is visible
    n_steps = len(moves)
    visible = np.flatnonzero(moves >= INVISIBLE)
    last_visible = int(visible[-1]) + 1 if visible.size else 0
    last_visible = max(last_visible, min(FIRST_STEPS, n_steps))
    # a telling moment is held even when the steps before it barely move
    last_visible = max(
        [last_visible, *(m.step for m in story.moments() if m.step <= n_steps)]
    )
    seconds = step_seconds(moves, pace, min(slow_steps, MAX_SLOW_STEPS), ramp_steps)
    beats: list[Beat] = []
    opening = story.opening()
    if intro:
        beats.append(Beat("intro", 0.0, 0.0, whole_frames(INTRO_SECONDS, fps), opening))
    beats.append(Beat("opening", 0.0, 0.0, whole_frames(OPENING_HOLD, fps), opening))
    # The run up to its last visible step, split at the first steps and at each moment
    first = min(FIRST_STEPS, last_visible)
    held = {m.step: m.sentence for m in story.moments() if 0 < m.step <= last_visible}
    stops = sorted({first, last_visible, *held})
    start = 0
    for stop in stops:
        if stop > start:
            if stop <= first:
                sentence = story.first_steps(stop)
                name = "first steps"
            else:
                sentence = story.replay(start, stop)
                name = "replay"
            beats.append(moving_beat(name, start, stop, seconds, fps, sentence))
        if stop in held:
            frames = whole_frames(MOMENT_HOLD, fps)
            beats.append(Beat("moment", float(stop), float(stop), frames, held[stop]))
        start = max(start, stop)
    # The rest moves nothing visibly: through it at once, saying so
    if n_steps > last_visible:
        tail = np.full(n_steps, 1.0 / pace)
        total = min(FAST_FORWARD_SECONDS, (n_steps - last_visible) / pace)
        tail *= total / float(tail[last_visible:].sum())
        sentence = story.fast_forward(last_visible, n_steps)
        beats.append(
            moving_beat("fast forward", last_visible, n_steps, tail, fps, sentence)
        )
    beats.append(
        Beat(
            "closing",
            float(n_steps),
            float(n_steps),
            whole_frames(CLOSING_HOLD, fps),
            story.verdict(),
        )
    )
    return Schedule(tuple(beats), fps)


def largest_motion(
    positions: Sequence[npt.NDArray[np.float64]],
) -> npt.NDArray[np.float64]:
    """Per update, the largest distance any tracked point moves.

    Parameters
    ----------
    positions
        One array per recorded step, shape (m, 3): the tracked points at that step
        (the same m points every step; non-finite entries count as far away).

    Returns
    -------
    Shape (n_steps,): for update k, the largest move from step k to k + 1.
    """
    stacked = np.stack(positions)  # (n_steps + 1, m, 3)
    with np.errstate(invalid="ignore", over="ignore"):
        moves = np.linalg.norm(np.diff(stacked, axis=0), axis=2)  # (n_steps, m)
    moves = np.where(np.isfinite(moves), moves, math.inf)
    result: npt.NDArray[np.float64] = (
        moves.max(axis=1) if moves.shape[1] else np.zeros(len(moves))
    )
    return result
