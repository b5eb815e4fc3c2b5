"""Which frame of a clip first shows each step, and where each beat begins: from the plan.

Plain Python and numpy over a `Schedule` (scenes/beats.py). The clip is played as
scenes/replay.py plays it: the intro and every hold are frozen on their step; a moving
beat's clock on each frame is `scenes.beats.frame_steps`, the function the replay draws
with. A panel shows a run's latest step reached
(scenes/clock.py: the clock's value floored, within 1e-9). The player seeks with
these frames, and a test compares them with the frames the renderer wrote.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from scenes.beats import Schedule, frame_steps

REACHED = 1e-9  # scenes.clock.StepClock.index: a step counts as reached within this


@dataclass(frozen=True)
class Chapter:
    """A beat as the player lists it: its first frame, its steps and its words."""

    frame: int
    beat: str  # the beat's name: opening, first steps, moment, replay, ...
    start: int  # the step shown at its first frame
    end: int  # ... and at its last
    sentence: str  # the speaker note
    caption: str  # the caption on screen during it


def clock_values(schedule: Schedule) -> list[float]:
    """The step clock's value at every frame of the clip, in order."""
    values: list[float] = []
    for beat in schedule.beats:
        values.extend(frame_steps(beat))
    return values


def step_frames(schedule: Schedule) -> list[int]:
    """For each step k from 0 to the last, the first frame that shows step k.

    Step 0 is the first frame after the intro (the title and plots fading in), where
    the starting state is on screen whole.
    """
    values = clock_values(schedule)
    intro = sum(beat.frames for beat in schedule.beats if beat.name == "intro")
    last = max(round(beat.end) for beat in schedule.beats)
    firsts: list[int] = []
    for frame, value in enumerate(values):
        if frame < intro and frame < len(values) - 1:
            continue
        reached = min(math.floor(value + REACHED), last)
        while len(firsts) <= reached:
            firsts.append(frame)
    return firsts


def chapters(schedule: Schedule) -> list[Chapter]:
    """Each beat but the intro (its opening hold stands for it), with its first frame."""
    found = []
    frame = 0
    for beat, caption in zip(schedule.beats, schedule.captions(), strict=True):
        if beat.name != "intro":
            start, end = (
                math.floor(beat.start + REACHED),
                math.floor(beat.end + REACHED),
            )
            found.append(Chapter(frame, beat.name, start, end, beat.sentence, caption))
        frame += beat.frames
    return found


def chapter_name(chapter: Chapter) -> str:
    """`Start`, `Step 1`, `Steps 3 to 6`, `End`: where a beat is in the run (a moving
    beat's steps as its sentence counts them)."""
    if chapter.beat in ("opening", "intro"):
        return "Start"
    if chapter.beat == "closing":
        return "End"
    if chapter.start == chapter.end:
        return f"Step {chapter.start}"
    return f"Steps {chapter.start} to {chapter.end}"
