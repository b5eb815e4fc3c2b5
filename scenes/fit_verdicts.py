"""Fits judged from their final losses: underfit, fit or overfit, and the words
and ranks each panel's verdict shows (scenes/underfit_overfit.py).

A polynomial run records its training loss (`full_loss`, on the training points) and
its validation loss (`valid_loss`, on the held-out points) at every step.
"""

from __future__ import annotations

import textwrap

import numpy as np

from scenes.words import CAPTION_LINE
from sgdcore.trace import Trace

# Two validation losses this close (relative) are level: a verdict does not rank them
LEVEL = 0.02
# Overfits: the held-out points' loss ends this many times the training points'.
OVERFIT_RATIO = 2.0
# Underfits: the training loss ends this many times the noise's variance (or, when
# the noise is unknown, the lowest training loss among the runs compared).
UNDERFIT_RATIO = 2.0
UNDERFITS, FITS, OVERFITS = "underfits", "fits", "overfits"


def final_losses(trace: Trace) -> tuple[float, float]:
    """The run's last training and validation losses."""
    return float(trace.full_loss[-1]), float(trace.valid_loss[-1])


def noise_floor(traces: list[Trace]) -> float:
    """The loss no model should beat on its training points: the noise's variance."""
    noise = traces[0].meta.get("noise")
    if isinstance(noise, int | float) and noise > 0:
        return float(noise) ** 2
    return min(final_losses(trace)[0] for trace in traces)


def judge(trace: Trace, floor: float) -> str:
    """UNDERFITS, FITS or OVERFITS, from the run's final losses."""
    train, valid = final_losses(trace)
    if valid > OVERFIT_RATIO * train:
        return OVERFITS
    if train > UNDERFIT_RATIO * floor:
        return UNDERFITS
    return FITS


# Overfits "≪": the validation loss ends at least this many times the training loss
FAR_BELOW = 5.0


def verdict_words(traces: list[Trace], verdicts: list[str]) -> list[str]:
    """What each run's panel says at the close, in two lines, true to its final
    losses: an underfit run worst on both losses says so, an overfit one with its
    validation loss far above its training loss says it fits the noise
    (its readouts above give the numbers), and the fit with the lowest validation
    loss says that (an overfit model may still beat an underfit one on validation)."""
    ends = np.array([final_losses(trace) for trace in traces])
    worst = ends.argmax(axis=0)
    lowest = int(ends[:, 1].argmin())
    said = []
    for index, verdict in enumerate(verdicts):
        if verdict == UNDERFITS:
            both = worst[0] == worst[1] == index
            said.append(f"{verdict}:\n{'worst on both' if both else 'both high'}")
        elif verdict == OVERFITS:
            far = ends[index, 1] >= FAR_BELOW * ends[index, 0]
            said.append(
                f"{verdict}:\n{'fits the noise' if far else 'better on training'}"
            )
        else:
            best = index == lowest
            said.append(f"{verdict}:\n{'best on validation' if best else 'both low'}")
    return said


def verdict_ranks(traces: list[Trace]) -> list[int]:
    """Each run's place by its final validation loss: -1 the lowest, 1 the highest,
    0 between (and every run, when all end level)."""
    valid = [final_losses(trace)[1] for trace in traces]
    low, high = min(valid), max(valid)
    if high <= (1 + LEVEL) * low:
        return [0] * len(traces)
    return [-1 if v == low else 1 if v == high else 0 for v in valid]


COMPARED = {">": "higher", "<": "lower", "=": "the same", "vs": "not a number"}


def compared(mine: float, theirs: float) -> str:
    """`>`, `<` or `=` between two losses; `vs` if either is not a number."""
    if not (np.isfinite(mine) and np.isfinite(theirs)):
        return "vs"
    return ">" if mine > theirs else "<" if mine < theirs else "="


def set_against(
    name: str, rows: list[tuple[str, float, float, str, str]], words: bool = False
) -> str:
    """`Weight decay: training 0.0226 > 0.0149, validation 0.1019 < 0.1863.`, from
    rows of (which loss, its value, the other run's, both as shown); in words
    (`training loss higher`) with `words` or where the numbers take more than two
    caption lines."""
    signs = [compared(mine, theirs) for _, mine, theirs, _, _ in rows]
    pairs = [
        f"{what} {mine} {sign} {theirs}"
        for (what, _, _, mine, theirs), sign in zip(rows, signs, strict=True)
    ]
    said = f"{name}: {', '.join(pairs)}."
    if not words and len(textwrap.wrap(said, CAPTION_LINE)) <= 2:
        return said
    worded = [
        f"{row[0]} loss {COMPARED[sign]}" for row, sign in zip(rows, signs, strict=True)
    ]
    return f"{name}: {', '.join(worded)}."


EARLY_STOP_MATCH = 0.05  # relative: a last loss this near another's lowest matches it


def as_stopping_early(plain: Trace, decayed: Trace) -> str:
    """`Weight decay ends about as low as stopping early.` where the decayed run's
    last validation loss is within EARLY_STOP_MATCH of the plain run's lowest (what
    early stopping would have kept), `... lower than ...` where it is further under
    it, else ""."""
    last, lowest = float(decayed.valid_loss[-1]), float(np.min(plain.valid_loss))
    if not (np.isfinite(last) and np.isfinite(lowest)):
        return ""
    if last > lowest * (1 + EARLY_STOP_MATCH):
        return ""
    if last < lowest * (1 - EARLY_STOP_MATCH):
        return "Weight decay ends lower than stopping early would."
    return "Weight decay ends about as low as stopping early."
