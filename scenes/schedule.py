"""The beats of a lecture clip: which steps play when, for how long, and what is said.

Plain Python and numpy, so a schedule is planned and tested without rendering. The
plan follows how a lecturer shows a run:

- an opening that shows the starting state and holds it;
- the first steps slowly, one at a time;
- then time that follows change: a step gets screen time in proportion to how far it
  moves things, between the scene's full pace and the slow first steps;
- held moments where the point is made (the first overshoot, say);
- turns, where the replay runs on under a new caption (a second point to make);
- once the rest of the run, all of it together, moves nothing visibly, one short
  fast-forward that says so;
- a closing verdict, held as long as it takes to read (up to CLOSING_MOST).

Every beat lasts a whole number of frames and carries a caption (a short sentence a
student reads while watching; each said once) and a speaker note (the numbers), so
captions, notes and slide breaks line up with the video exactly. A hold, and the
slow first steps, last as long as their caption takes to read; a later moving beat
too short for its caption keeps the one before. Where the headline quantity (the
loss, say) changes most gets most time."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from scenes.beats import (
    HEADLINE_SECONDS,
    MIN_CUE_SECONDS,
    READING_SPEED,
    Beat,
    Moment,
    Schedule,
    Story,
    reading_seconds,
)
from scenes.motion import headline_share

__all__ = [  # re-exported: scenes plan with these names from here
    "HEADLINE_SECONDS",
    "MIN_CUE_SECONDS",
    "READING_SPEED",
    "VERDICT_MARGIN",
    "Beat",
    "Moment",
    "Schedule",
    "Story",
    "plan",
    "reading_seconds",
]

INTRO_SECONDS = 1.2  # the title, then the axes and data appear (at most 1.5 s)
OPENING_HOLD = 1.6  # the starting state, held while the lecturer says what it is
FIRST_STEPS = 3  # shown one at a time, slowly
MAX_SLOW_STEPS = 12  # a scene may ask for more slow steps (a first epoch), no more
FIRST_STEP_SECONDS = 0.9  # each (at least 0.8 s)
MOMENT_HOLD = 1.2  # on a telling step (at least 1 s)
CLOSING_HOLD = 2.0  # the verdict, at least
# The verdict on screen at the close is held as long as it takes to read, this much
# more to find it first, up to CLOSING_MOST: the clip's last frame stays on screen
# once it ends (a player's, a slide's), so a long verdict is read there
VERDICT_MARGIN, CLOSING_MOST = 0.5, 5.0
FAST_FORWARD_SECONDS = 1.0  # the most the invisible tail of a run may take
# A step that moves nothing by this much (0.25 px at 1080p) counts as invisible.
INVISIBLE = 0.25 / 135
# A step that changes the headline quantity by this share of its whole change is
# part of the visible run, however little it moves on screen.
VISIBLE_SHARE = 0.005
# A run's tail is fast-forwarded only if all of it together changes the headline
# quantity by less than this share of its whole change, and moves things less than
# TAIL_MOTION (4 px at 1080p): a slow climb, a slowly growing wiggle, add up.
TAIL_SHARE = 0.02
TAIL_MOTION = 4 / 135
# Screen time follows change: this many scene units of motion per second at most,
# so big early steps are slow enough to follow and small late ones fly by.
EYE_SPEED = 2.0
RAMP_STEPS = 3.0  # how fast the slow opening speeds up (a polynomial's ramps slower)


def whole_frames(seconds: float, fps: float) -> int:
    """`seconds` as a whole number of frames, at least one."""
    return max(1, round(seconds * fps))


def step_seconds(
    motion: npt.NDArray[np.float64],
    pace: float,
    slow_steps: int = FIRST_STEPS,
    ramp_steps: float = RAMP_STEPS,
    share: npt.NDArray[np.float64] | None = None,
    least: npt.NDArray[np.float64] | None = None,
) -> npt.NDArray[np.float64]:
    """Screen time of each update: the first `slow_steps` slowly, then by its motion,
    and never less than its `share` of HEADLINE_SECONDS, nor than `least` (the
    scene's own pacing: log time, say).

    The motion's time is bounded below by the full pace (`pace` steps a second) and
    above by a ramp that starts at FIRST_STEP_SECONDS and halves every `ramp_steps`
    steps, so the pace rises smoothly from the slow opening steps to full speed.
    """
    n = len(motion)
    fastest = 1.0 / pace
    index = np.arange(n, dtype=np.float64)
    ramp = FIRST_STEP_SECONDS * 0.5 ** (
        np.maximum(index - slow_steps + 1, 0) / ramp_steps
    )
    seconds = np.clip(motion / EYE_SPEED, fastest, np.maximum(ramp, fastest))
    seconds[: min(slow_steps, n)] = max(FIRST_STEP_SECONDS, fastest)
    if share is not None:
        seconds = np.maximum(seconds, HEADLINE_SECONDS * share[:n])
    if least is not None:
        seconds = np.maximum(seconds, least[:n])
    return seconds


def moving_beat(
    name: str,
    start: int,
    end: int,
    seconds: npt.NDArray[np.float64],
    fps: float,
    sentence: str,
    caption: str = "",
    stretch: bool = False,
    held_on: bool = False,
) -> Beat:
    """The clock from step `start` to `end`, each step taking its `seconds`; the
    caption is dropped (the one before stays) when the beat is too short to read it,
    unless `stretch`: then the beat slows down until it can be read, or `held_on`: a
    hold after the beat keeps it on screen as long as the rest takes to read."""
    times = np.concatenate([[0.0], np.cumsum(seconds[start:end])])
    total = float(times[-1])
    frames = whole_frames(total, fps)
    if stretch:
        frames = max(frames, math.ceil(reading_seconds(caption) * fps))
    readable = held_on or frames >= reading_seconds(caption) * fps
    return Beat(
        name,
        float(start),
        float(end),
        frames,
        sentence,
        caption if readable else "",
        tuple(float(t) for t in times / total),
    )


def hold(
    name: str, step: float, seconds: float, fps: float, sentence: str, caption: str
) -> Beat:
    """The clock held at `step` for `seconds`, or as long as the caption takes to read."""
    frames = max(whole_frames(seconds, fps), math.ceil(reading_seconds(caption) * fps))
    return Beat(name, step, step, frames, sentence, caption)


def plan(
    motion: Sequence[float] | npt.NDArray[np.float64],
    story: Story,
    pace: float,
    fps: float,
    intro: bool = True,
    slow_steps: int = FIRST_STEPS,
    ramp_steps: float = RAMP_STEPS,
    least_seconds: npt.NDArray[np.float64] | None = None,
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
    least_seconds
        Shape (n_steps,), optional: the least screen time of each update.
    """
    moves = np.asarray(motion, dtype=np.float64)
    moves = np.where(np.isfinite(moves), moves, 1.0)  # a runaway step is visible
    n_steps = len(moves)
    share = headline_share(story.headline(), n_steps)
    visible = np.flatnonzero((moves >= INVISIBLE) | (share >= VISIBLE_SHARE))
    last_visible = int(visible[-1]) + 1 if visible.size else 0
    # from each step to the end, how much the rest changes and moves in all
    changes, drifts = (np.cumsum(v[::-1])[::-1] for v in (share, moves))
    adds_up = (changes >= TAIL_SHARE) | (drifts >= TAIL_MOTION)
    last_visible = max(last_visible, int(np.count_nonzero(adds_up)))
    last_visible = max(last_visible, min(FIRST_STEPS, n_steps))
    # a telling moment is held even when the steps before it barely move
    moments = [m for m in story.moments() if 0 < m.step <= n_steps]
    last_visible = max([last_visible, *(m.step for m in moments if m.held)])
    slow = min(slow_steps, MAX_SLOW_STEPS)
    seconds = step_seconds(moves, pace, slow, ramp_steps, share, least_seconds)
    beats: list[Beat] = []
    opening, opened = story.opening(), story.caption("opening", 0, 0)
    if intro:
        frames = whole_frames(INTRO_SECONDS, fps)  # never longer: the title appears
        beats.append(Beat("intro", 0.0, 0.0, frames, opening, ""))
        # the caption appears with the starting state it speaks of, once faded in
        rest = max(OPENING_HOLD, reading_seconds(opened))
        beats.append(hold("opening", 0.0, rest, fps, opening, opened))
    else:
        beats.append(hold("opening", 0.0, OPENING_HOLD, fps, opening, opened))
    # The run up to its last visible step, split at the first steps and at each moment
    first = min(FIRST_STEPS, last_visible)
    held = {m.step: m for m in moments if m.step <= last_visible}
    turns = {step: m for step, m in held.items() if not m.held}
    stops = sorted({first, last_visible, *held})
    start = 0
    said = {opened}  # a caption is said once: a later beat that repeats it keeps
    for stop in stops:  # the one on screen instead
        if stop > start:
            name = "first steps" if stop <= first else "replay"
            sentence = (
                story.first_steps(stop) if stop <= first else story.replay(start, stop)
            )
            caption = story.caption(name, start, stop)
            turn = turns.get(start)
            if turn is not None and name == "replay":
                sentence = f"{turn.sentence} {sentence}"
                caption = turn.caption or caption
            led = held.get(stop)
            led_in = led is not None and led.held and led.led_in
            if led is not None and led_in:  # the moment's caption, from here on
                caption = led.caption or caption
            caption = "" if caption in said else caption
            # the first steps are slow anyway: they wait for their caption; steps led
            # into a moment leave the rest of it to the hold
            slow_beat = name != "replay" and not led_in
            beats.append(
                moving_beat(
                    name,
                    start,
                    stop,
                    seconds,
                    fps,
                    sentence,
                    caption,
                    slow_beat,
                    led_in,
                )
            )
            said.add(beats[-1].caption)
        if stop in held and held[stop].held:
            moment = held[stop]
            shows = moment.caption and beats[-1].caption == moment.caption
            if moment.led_in and shows:  # its caption already on screen
                rest = reading_seconds(beats[-1].caption) - beats[-1].frames / fps
                beats.append(
                    hold(
                        "moment", stop, max(MOMENT_HOLD, rest), fps, moment.sentence, ""
                    )
                )
            else:
                beats.append(
                    hold(
                        "moment",
                        stop,
                        MOMENT_HOLD,
                        fps,
                        moment.sentence,
                        moment.caption,
                    )
                )
            said.add(moment.caption)
        start = max(start, stop)
    # The rest moves nothing visibly: through it at once, saying so (a caption too
    # long for it leaves the one before on screen: true of the rest too)
    if n_steps > last_visible:
        tail = np.full(n_steps, 1.0 / pace)
        total = min(FAST_FORWARD_SECONDS, (n_steps - last_visible) / pace)
        tail *= total / float(tail[last_visible:].sum())
        sentence = story.fast_forward(last_visible, n_steps)
        caption = story.caption("fast forward", last_visible, n_steps)
        beats.append(
            moving_beat(
                "fast forward", last_visible, n_steps, tail, fps, sentence, caption
            )
        )
    closing, verdict = story.caption("closing", n_steps, n_steps), story.verdict()
    reading = min(reading_seconds(verdict) + VERDICT_MARGIN, CLOSING_MOST)
    closing_seconds = max(CLOSING_HOLD, reading)
    beats.append(hold("closing", n_steps, closing_seconds, fps, verdict, closing))
    return Schedule(tuple(beats), fps)
