"""Each run's loss at the current step, a column of numbers in the runs' colours.

One row per run, in the legend's order, under a muted `loss` heading: each row keeps
one number of decimals for the whole clip, and the decimal points line up down the
column (scenes/columns.py), so the runs' losses can be compared with each other and
with the minimum at any step.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from manim import Text

from scenes.clock import StepClock
from scenes.columns import fit_aligned
from scenes.panels.readouts import nearest_step
from scenes.readout import Readout, glyph_atlas
from scenes.text import label, put_on_baseline, readout
from scenes.theme import Palette
from sgdcore.trace import Trace

HEADING = "loss"


def loss_heading(palette: Palette, right: float, baseline: float) -> Text:
    """`loss`, muted, its right edge at `right`, on `baseline`."""
    words = label(palette, HEADING, palette.label_size, palette.muted)
    put_on_baseline(words, right - words.width, baseline)
    return words


def run_losses(
    palette: Palette,
    clock: StepClock,
    traces: Sequence[Trace],
    names: Sequence[str],
    colors: Sequence[str],
    *,
    right: float,
    baselines: Sequence[float],
    n_chars: int,
) -> list[Readout]:
    """Each run's loss on all points (`full_loss`, what says whether it reached the
    minimum) at the recorded step nearest the replay's position, right-aligned at
    `right`, one run per baseline; a run that ended before the others holds its
    last loss."""
    texts = shown_losses(traces, n_chars)
    cells = max(n_chars, *(len(text) for row in texts for text in row))
    lead = traces[int(np.argmax([t.n_steps for t in traces]))]
    numbers = []
    for name, color, shown, baseline in zip(
        names, colors, texts, baselines, strict=True
    ):
        number = readout(palette, cells, color, size=palette.label_size)
        number.row = f"{name} {HEADING}"
        number.put_on_baseline(right, baseline)
        number.add_updater(
            lambda mob, shown=shown: mob.show(shown[nearest_step(clock, lead)]),
            call_updater=True,
        )
        numbers.append(number)
    return numbers


def shown_losses(traces: Sequence[Trace], n_chars: int) -> list[list[str]]:
    """Each run's loss on all points at every step of the longest run, as its row
    writes it (a run that ended before holds its last)."""
    longest = max(trace.n_steps for trace in traces)
    rows = [
        np.concatenate(
            [t.full_loss, np.repeat(t.full_loss[-1:], longest - t.n_steps)]
        ).astype(np.float64)
        for t in traces
    ]
    return fit_aligned(rows, n_chars)


def column_left(palette: Palette, right: float, n_chars: int) -> float:
    """Where a column of `n_chars` cells ending at `right` begins."""
    return right - n_chars * glyph_atlas(palette.mono_font, palette.label_size).pitch
