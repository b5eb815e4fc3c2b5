"""The words a race of optimisers says about their rates and their arrivals.

A momentum run's step at full speed is lr / (1 − β) times the gradient, as plain
gradient descent's is its lr times it: when the two shown rates agree, the race
between them is fair, and the caption says so. Adam's step is measured on the trace
in each coordinate, never assumed. Plain Python and numpy.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from scenes.numbers import format_lr, parse_shown
from scenes.panels.legend import steady_rate
from scenes.words import NEAR_FLOOR, capital, n
from sgdcore.trace import Trace

NEAR = f"{NEAR_FLOOR:.0%}"  # how near the minimum loss a run must come: 1%
RATES_PICKED = "Each optimizer's rate was picked by hand."  # rates that differ
# Adam's step in a coordinate counts as its lr up to this share more (float32 steps)
ADAM_SLACK = 1e-3
CLIMB = 0.1  # a loss this share above the lowest it had reached has climbed again


def plain_rate(names: Sequence[str], traces: Sequence[Trace]) -> tuple[str, str]:
    """Plain gradient descent's name and shown learning rate ("", "" if none runs)."""
    for name, trace in zip(names, traces, strict=True):
        if trace.meta.get("optimizer") == "gd":
            return name, format_lr(trace.learning_rate)
    return "", ""


def matches_plain(trace: Trace, plain: str) -> bool:
    """Whether a momentum run's full-speed rate, as the sentences show it, is plain
    gradient descent's shown learning rate `plain`."""
    rate = steady_rate(trace)
    return (
        bool(plain) and rate is not None and parse_shown(n(rate)) == parse_shown(plain)
    )


def rates_caption(names: Sequence[str], traces: Sequence[Trace]) -> str:
    """The caption of the replay beat where the rates are told: that a momentum run
    builds up to plain gradient descent's rate, when it does; else that the rates
    were picked by hand."""
    plain_name, plain = plain_rate(names, traces)
    matched = [
        name
        for name, trace in zip(names, traces, strict=True)
        if matches_plain(trace, plain)
    ]
    if len(matched) == 1:
        return f"{capital(matched[0])} builds up to {plain_name}'s rate."
    return RATES_PICKED


def overtakes_caption(
    names: Sequence[str], traces: Sequence[Trace], start: int, end: int
) -> str:
    """The caption of a replay beat from step `start` to `end` in which one run,
    its loss above plain gradient descent's at `start`, ends it below: it catches up
    through the beat, however late in it it passes ("" if no one run does, or no
    one run is plain)."""
    plain = [k for k, t in enumerate(traces) if t.meta.get("optimizer") == "gd"]
    if len(plain) != 1 or end <= start:
        return ""
    ahead, plain_name = traces[plain[0]], names[plain[0]]
    passing = [
        name
        for name, trace in zip(names, traces, strict=True)
        if trace is not ahead
        and behind(trace, ahead, min(start, trace.n_steps, ahead.n_steps))
        and behind(ahead, trace, min(end, trace.n_steps, ahead.n_steps))
    ]
    if len(passing) != 1:
        return ""
    return f"{capital(passing[0])} catches up with {plain_name}."


def behind(trace: Trace, other: Trace, step: int) -> bool:
    """Whether `trace`'s loss on all points at `step`, as the readouts show it, is
    above `other`'s (False if either is not a finite number)."""
    mine, theirs = float(trace.full_loss[step]), float(other.full_loss[step])
    return bool(np.isfinite(mine) and np.isfinite(theirs) and mine > theirs)


def rates_compared(names: Sequence[str], traces: Sequence[Trace]) -> list[str]:
    """Why the rates differ, or agree: a momentum run's step at full speed, lr / (1 −
    β) times the gradient, against plain gradient descent's lr times it; Adam's step
    in each coordinate, read off its trace, whatever the gradient's size."""
    plain_name, plain = plain_rate(names, traces)
    told = []
    for name, trace in zip(names, traces, strict=True):
        lr, rate = format_lr(trace.learning_rate), steady_rate(trace)
        momentum = trace.meta.get("momentum")
        if rate is not None and isinstance(momentum, int | float):
            worked = (
                f"{capital(name)} at lr {lr} steps, at full speed, "
                f"{lr} / (1 − {format_lr(momentum)}) = {n(rate)} times the gradient"
            )
            if matches_plain(trace, plain):
                told.append(
                    f"{worked}, the same as {plain_name}'s {plain}: the race "
                    "between them is fair."
                )
            else:
                against = f", against {plain_name}'s {plain}" if plain else ""
                told.append(f"{worked}{against}.")
        elif trace.meta.get("optimizer") == "adam":
            told.append(adam_steps(name, trace))
    return told


def adam_steps(name: str, trace: Trace) -> str:
    """What Adam's steps are in each coordinate, from its trace: its first step is
    its lr in every coordinate it moves, whatever the gradient's size, and none
    after is longer (else only how long its longest is, against its lr)."""
    lr = trace.learning_rate
    moves = np.abs(np.diff(trace.params, axis=0))
    moves = moves[np.isfinite(moves).all(axis=1)]
    if not len(moves) or lr <= 0:
        return ""
    first = moves[0][moves[0] > 0]
    longest = float(moves.max())
    shown = format_lr(lr)
    if np.allclose(first, lr, rtol=ADAM_SLACK) and longest <= lr * (1 + ADAM_SLACK):
        return (
            f"{capital(name)}'s first step is its lr, {shown}, in each coordinate, "
            "whatever the gradient's size; none after is longer."
        )
    return (
        f"{capital(name)}'s longest step in one coordinate is {n(longest)}, "
        f"at lr {shown}."
    )


def arrival_caption(names: Sequence[str], place: str) -> str:
    """A held arrival's caption, in plain words: the first names the criterion
    (`Adam is first within 1% of the minimum.`), the others follow it, short
    (`Momentum 0.8 is next.`)."""
    who = capital(" and ".join(names))
    one = len(names) == 1
    if place == "first":
        return f"{who} {'is' if one else 'are'} first within {NEAR} of the minimum."
    return f"{who} {'is' if one else 'are'} {place}."


def overshoot(trace: Trace, arrival: int) -> tuple[int, int] | None:
    """Before `arrival`, the step whose loss on all points is the low that the loss
    then climbs CLIMB or more above, and the step the climb peaks at: the run went
    past the minimum and turned back (None if its loss never climbs so)."""
    loss = trace.full_loss[: arrival + 1]
    if not np.isfinite(loss).all() or (loss <= 0).any():
        return None
    climbed = np.flatnonzero(loss >= (1 + CLIMB) * np.minimum.accumulate(loss))
    if not climbed.size:
        return None
    low = int(np.argmin(loss[: climbed[0]]))
    return low, low + int(np.argmax(loss[low:]))


def overshoots(
    names: Sequence[str], traces: Sequence[Trace], arrivals: Sequence[int | None]
) -> list[tuple[int, str, str]]:
    """Each arriving run whose loss climbs back on the way (`overshoot`): the step its
    climb peaks at, the note and the caption to hold there."""
    told = []
    for name, trace, arrival in zip(names, traces, arrivals, strict=True):
        if arrival is not None:
            step, note, said = overshoot_words(name, trace, arrival)
            if note:
                told.append((step, note, said))
    return told


def overshoot_words(name: str, trace: Trace, arrival: int) -> tuple[int, str, str]:
    """The step at which a run's loss, past the minimum, has climbed highest again,
    and what is said held there: the note with its loss then, the caption without
    (step 0 and "" if it never overshoots). The low it climbed from is told by the
    replay that leads to it (`overshoot_low`): a note quotes its own steps' values."""
    turn = overshoot(trace, arrival)
    if turn is None:
        return 0, "", ""
    peak = turn[1]
    note = (
        f"{capital(name)}'s loss has climbed back to {n(trace.full_loss[peak])} by "
        f"step {peak}: it went past the minimum and turns back, and comes within "
        f"{NEAR} of it only later."
    )
    return peak, note, f"{capital(name)} overshoots."


def overshoot_low(
    names: Sequence[str],
    traces: Sequence[Trace],
    arrivals: Sequence[int | None],
    start: int,
    end: int,
) -> list[str]:
    """For a replay from step `start` to `end` that leads to a run's overshoot held
    at `end`, the low its loss fell to on the way, and at which step (none if that
    low lies before the replay's steps)."""
    told = []
    for name, trace, arrival in zip(names, traces, arrivals, strict=True):
        turn = None if arrival is None else overshoot(trace, arrival)
        if turn is not None and turn[1] == end and max(start - 1, 0) <= turn[0]:
            low = turn[0]
            told.append(
                f"{capital(name)}'s loss fell to {n(trace.full_loss[low])} at step "
                f"{low} and has climbed since."
            )
    return told
