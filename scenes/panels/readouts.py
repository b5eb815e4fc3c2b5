"""A column of readouts: muted names on the left, live numbers right-aligned on the right."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import LEFT, VGroup

from scenes.clock import StepClock
from scenes.readout import Readout
from scenes.text import baseline_of, label, put_on_baseline, readout
from scenes.theme import Palette
from sgdcore.trace import Trace

Row = tuple[str, Callable[[int], str]]  # a name, and the text shown at recorded step k


class ReadoutColumn:
    """Names and numbers in rows `row_height` apart, from `top` down.

    Each number shows its row's text at the latest recorded step of `trace` the
    replay has reached, and changes only when that text does (R12).
    """

    def __init__(
        self,
        palette: Palette,
        rows: Sequence[Row],
        *,
        left: float,
        right: float,
        top: float,
        row_height: float,
        n_chars: int,
        size: float | None = None,
        on_baselines: bool = False,
    ) -> None:
        """`on_baselines`: `top` is the first row's baseline; else the first name's centre."""
        self.palette, self.rows = palette, list(rows)
        self.right, self.n_chars = right, n_chars
        self.size = size or palette.body_size
        self.names = VGroup()
        self.baselines: list[float] = []
        for index, (name, _) in enumerate(self.rows):
            text = label(palette, name, self.size, palette.muted)
            if on_baselines:
                put_on_baseline(text, left, top - row_height * index)
                self.baselines.append(top - row_height * index)
            else:
                text.move_to(
                    np.array([left, top - row_height * index, 0.0]), aligned_edge=LEFT
                )
                self.baselines.append(baseline_of(text))
            self.names.add(text)

    def static(self) -> VGroup:
        """The names."""
        return self.names

    def moving(self, clock: StepClock, trace: Trace) -> list[Readout]:
        """The numbers, following `trace` on the clock."""
        numbers = []
        for (_, text_at), baseline in zip(self.rows, self.baselines, strict=True):
            number = readout(self.palette, self.n_chars, size=self.size)
            number.put_on_baseline(self.right, baseline)
            number.add_updater(
                lambda mob, text_at=text_at: mob.show(text_at(clock.index(trace))),
                call_updater=True,
            )
            numbers.append(number)
        return numbers
