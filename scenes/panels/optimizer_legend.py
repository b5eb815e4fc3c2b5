"""The optimizers clip's legend: a row per run in its path's colour, named with its
learning rate, a momentum run's rate at full speed worked out under its row, then
the step arrow and the minimum's cross."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from manim import DOWN, LEFT, Text, VGroup, VMobject

from scenes.panels.legend import (
    arrow_mark,
    effective_rate,
    legend,
    line_mark,
    optimizer_and_lr,
)
from scenes.text import baseline_of, label, put_on_baseline
from scenes.theme import Palette
from sgdcore.trace import Trace

ROW_GAP = 0.05  # tight: a momentum row's effective rate takes a line more
MARK_GAP = 0.2  # from a row's mark to its words


def optimizer_legend(
    palette: Palette, traces: Sequence[Trace], colors: Sequence[str], cross: VMobject
) -> VGroup:
    """One row per run in `colors`, with its optimiser and learning rate, then
    `cross` (the minimum) and the arrow (each run's step), their marks centred under
    the colour marks and their words in line with the names."""
    entries = [
        (line_mark(color, 6), optimizer_and_lr(trace))
        for trace, color in zip(traces, colors, strict=True)
    ]
    rows = legend(
        palette,
        [
            *entries,
            (cross, "least-squares minimum"),
            # last: shown only while some run's step is long enough to see
            (arrow_mark(palette.muted), "each run's step, in its color"),
        ],
        ROW_GAP,
        mark_gap=MARK_GAP,
    )
    for key in rows[len(entries) :]:
        key[0].set_x(rows[0][0].get_x())
        key[1].align_to(rows[0][1], LEFT)
    add_full_speed_rates(palette, rows, traces)
    return rows


def add_full_speed_rates(
    palette: Palette, rows: VGroup, traces: Sequence[Trace]
) -> None:
    """Under a momentum run's row, its effective learning rate, worked out on one
    line (`eff. lr 0.02/(1−0.8) = 0.1`), the rows below moved down to make room: its
    lr alone reads smaller than plain gradient descent's, yet its steps at full
    speed are lr / (1 − β) times the gradient."""
    size = palette.label_size
    pitch = label(palette, "Mgy", size).height + ROW_GAP
    drop = 0.0
    keys: list[Trace | None] = [*traces, *([None] * (len(rows) - len(traces)))]
    for row, trace in zip(rows, keys, strict=True):
        row.shift(drop * DOWN)
        line = None if trace is None else effective_rate(trace)
        if line is None:
            continue
        words = cast(Text, row[1])  # legend() makes each row (mark, words)
        gloss = label(palette, line, size, palette.muted)
        drop += pitch
        put_on_baseline(gloss, words.get_left()[0], baseline_of(words) - drop)
        row.add(gloss)
